// Modules the browser build makes up (build/compile-browser.ts): not files anyone imports by path.

/** `_app`'s exports, or none when the app has no `_app`. Checked where they are used (entry.tsx). */
declare module "ssr-pages:app" {
  export const wrapRootElement: unknown;
  export const wrapPageElement: unknown;
  export const Head: unknown;
  export const slices: unknown;
}

/** A Gatsby site's `gatsby-browser` exports (wrappers and client hooks), or none. */
declare module "ssr-pages:gatsby-browser" {
  export const wrapRootElement: unknown;
  export const wrapPageElement: unknown;
  export const onClientEntry: unknown;
  export const onInitialClientRender: unknown;
  export const onPreRouteUpdate: unknown;
  export const onRouteUpdate: unknown;
}

/** The development client in development builds; an empty module in production. */
declare module "ssr-pages:dev-client" {
  export const start: unknown;
}
