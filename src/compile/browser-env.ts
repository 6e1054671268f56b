/**
 * What `process.env` is in browser code. A browser has no `process`: reading `process.env.X` there
 * threw `ReferenceError` and took the whole page down. The browser build inlines, at compile time,
 * `NODE_ENV` and the variables meant for the public: names starting with `PUBLIC_`, or with
 * `GATSBY_` (so Gatsby pages move over unchanged). Every other `process.env.X` is `undefined` in the
 * browser. Nothing else of the environment is ever written into a browser file: secrets stay on the
 * server, where `getServerData` sees the real `process.env`. Components rendering on the server see
 * the same object the browser does (render/render-page.tsx), so both render alike.
 */

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
 * esbuild `define`s for the browser build: `process.env` as an object of the visible variables (so
 * `process.env.OTHER` and `const { X } = process.env` are `undefined`, not a ReferenceError), and each
 * visible variable on its own, so `if (process.env.PUBLIC_FLAG)` is a constant the minifier can drop.
 */
export function browserEnvDefines(visible: Readonly<Record<string, string>>): Record<string, string> {
  const defines: Record<string, string> = { "process.env": JSON.stringify(visible) };
  for (const [name, value] of Object.entries(visible)) {
    if (/^[A-Za-z_$][\w$]*$/.test(name)) defines[`process.env.${name}`] = JSON.stringify(value);
  }
  return defines;
}
