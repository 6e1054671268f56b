/**
 * What `process.env` is in browser code. A browser has no `process`: reading `process.env.X` there
 * threw `ReferenceError` and took the whole page down. The browser build inlines, at compile time,
 * `NODE_ENV` and the variables meant for the public: names starting with `PUBLIC_`, or with
 * `GATSBY_` (so Gatsby pages move over unchanged). Every other `process.env.X` is `undefined` in the
 * browser. Nothing else of the environment is ever written into a browser file: secrets stay on the
 * server, where `getServerData` sees the real `process.env`. Components rendering on the server see
 * the same object the browser does (render/render-page.tsx), so both render alike.
 */

/**
 * `visible` as components see `process.env` while they render on the server: the same values, read
 * by name (`process.env.GATSBY_X`), but none enumerable, so `JSON.stringify(process.env)` and
 * `Object.keys(process.env)` give `{}` and `[]`, as in the browser (see {@link browserEnvDefines}).
 */
export function renderEnv(visible: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  const hidden: Record<string, string> = {};
  for (const [name, value] of Object.entries(visible)) Object.defineProperty(hidden, name, { value, enumerable: false });
  return Object.freeze(hidden);
}

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

/**
 * esbuild `define`s for the browser build: each visible variable on its own (so
 * `if (process.env.PUBLIC_FLAG)` is a constant the minifier can drop), and `process.env` itself as
 * an empty object, as Gatsby's webpack defines it: `process.env.OTHER` is `undefined`, not a
 * ReferenceError, and `JSON.stringify(process.env)` prints `{}`, never a list of the variables.
 */
export function browserEnvDefines(visible: Readonly<Record<string, string>>): Record<string, string> {
  const defines: Record<string, string> = { "process.env": "{}" };
  for (const [name, value] of Object.entries(visible)) {
    if (/^[A-Za-z_$][\w$]*$/.test(name)) defines[`process.env.${name}`] = JSON.stringify(value);
  }
  return defines;
}
