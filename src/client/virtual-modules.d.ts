// Modules the browser build makes up (build/compile-browser.ts): not files anyone imports by path.

/** `_app`'s exports, or none when the app has no `_app`. Checked where they are used (entry.tsx). */
declare module "ssr-pages:app" {
  export const wrapRootElement: unknown;
  export const wrapPageElement: unknown;
  export const Head: unknown;
  export const slices: unknown;
}

/**
 * A Gatsby site's `gatsby-browser` files, its plugins' and then its own, each with its options
 * (compile/site-options.ts); `undefined` for an app that is not a Gatsby site.
 */
declare module "ssr-pages:gatsby-browser" {
  export const plugins: ReadonlyArray<import("../common/gatsby-apis.js").ApiFile> | undefined;
}

/** The development client in development builds; an empty module in production. */
declare module "ssr-pages:dev-client" {
  export const start: unknown;
}

/** React's refresh runtime (CommonJS, without types of its own): its exports are client/refresh-global.ts's RefreshRuntime. */
declare module "react-refresh/runtime" {
  const runtime: import("./refresh-global.js").RefreshRuntime;
  export = runtime;
}
