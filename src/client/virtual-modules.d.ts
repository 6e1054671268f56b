// Modules the browser build makes up (build/compile-browser.ts): not files anyone imports by path.

/** `_app`'s exports, or none when the app has no `_app`. Checked where they are used (entry.tsx). */
declare module "ssr-pages:app" {
  export const wrapRootElement: unknown;
  export const wrapPageElement: unknown;
  export const Head: unknown;
}
