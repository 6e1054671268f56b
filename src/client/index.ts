// `ssr-pages/client`: what pages import. Safe to import on the server: nothing here touches `window` or
// `document` until a link is clicked or `navigate` is called.

export { Link } from "./link.js";
export type { LinkProps } from "./link.js";
export { navigate } from "./navigate.js";
export { withPrefix } from "./with-prefix.js";
export type { NavigateOptions } from "./runtime.js";
