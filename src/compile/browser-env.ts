/**
 * What `process.env` is in browser code. A browser has no `process`: reading `process.env.X` there
 * threw `ReferenceError` and took the whole page down. The browser build inlines, at compile time,
 * `NODE_ENV` and the variables meant for the public: names starting with `PUBLIC_`, or with
 * `GATSBY_` (so Gatsby pages move over unchanged). Every other `process.env.X` is `undefined` in the
 * browser. Nothing else of the environment is ever written into a browser file: secrets stay on the
 * server, where `getServerData` sees the real `process.env`. Components rendering on the server see
 * the same object the browser does (common/render-env.ts), so both render alike.
 */
import type * as EsbuildApi from "esbuild";

/** The prefixes of the variables the browser may see. */
export const PUBLIC_ENV_PREFIXES = ["PUBLIC_", "GATSBY_"] as const;

/** `NODE_ENV` and the public variables of `env`, as the browser (and page components on the server) see them. */
export function publicEnv(env: NodeJS.ProcessEnv, dev: boolean): Readonly<Record<string, string>> {
  const visible: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && PUBLIC_ENV_PREFIXES.some((prefix) => name.startsWith(prefix))) visible[name] = value;
  }
  visible.NODE_ENV = dev ? "development" : "production";
  return Object.freeze(visible);
}

/** The name `process.env` stands for in browser code: the export of {@link browserEnvPlugin}'s module. */
const ENV_NAME = "__ssrPagesProcessEnv";

/**
 * esbuild `define`s for the browser build: each visible variable on its own (so
 * `if (process.env.PUBLIC_FLAG)` is a constant the minifier can drop), and `process.env` itself as
 * the object of {@link browserEnvPlugin}: `process.env.OTHER` is `undefined`, not a ReferenceError.
 */
export function browserEnvDefines(visible: Readonly<Record<string, string>>): Record<string, string> {
  const defines: Record<string, string> = { "process.env": ENV_NAME };
  for (const [name, value] of Object.entries(visible)) {
    if (/^[A-Za-z_$][\w$]*$/.test(name)) defines[`process.env.${name}`] = JSON.stringify(value);
  }
  return defines;
}

/** The module esbuild `inject`s where browser code uses `process.env` as a whole. */
export const BROWSER_ENV_MODULE = "ssr-pages:process-env";

/**
 * What `process.env` is as a whole in browser code (`const { GATSBY_X } = process.env`,
 * `JSON.stringify(process.env)`): the visible variables, as on the server while components render
 * (common/render-env.ts): readable by name, none enumerable, so both sides render the same and
 * `JSON.stringify(process.env)` prints `{}`, as Gatsby's does.
 */
export function browserEnvPlugin(visible: Readonly<Record<string, string>>): EsbuildApi.Plugin {
  const properties = Object.fromEntries(
    Object.entries(visible).map(([name, value]) => [name, { value, enumerable: false }]),
  );
  const contents = `export const ${ENV_NAME} = Object.freeze(Object.defineProperties({}, ${JSON.stringify(properties)}));\n`;
  return {
    name: "ssr-pages-process-env",
    setup(build) {
      build.onResolve({ filter: /^ssr-pages:process-env$/ }, (args) => ({
        path: args.path,
        namespace: "ssr-process-env",
      }));
      build.onLoad({ filter: /.*/, namespace: "ssr-process-env" }, () => ({ contents, loader: "js" }));
    },
  };
}
