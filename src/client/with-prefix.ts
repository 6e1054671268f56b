import { currentBase } from "./base.js";

/**
 * Gatsby's `withPrefix`: a mount-relative path with the mount path in front, for what `Link` does not
 * render (an `<img src>`, a `<link href>`, a `fetch` from the browser). The mount path is read per
 * request on the server and from the page in the browser, so call it while rendering (in a component
 * or its effects), not at a module's top level. URLs of another origin, protocol-relative ones, and
 * relative ones (`./x`, `../x`) come back as written.
 *
 * @example
 * ```tsx
 * import { withPrefix } from "ssr-pages/client";
 * import logo from "./logo.png"; // "/_ssr-pages/logo-3kq9x2ab.png"
 *
 * export default function Header() {
 *   return <img src={withPrefix(logo)} alt="Shop" />; // "/shop/_ssr-pages/logo-3kq9x2ab.png" under /shop
 * }
 * ```
 */
export function withPrefix(path: string): string {
  if (
    /^[a-z][a-z0-9+.-]*:/i.test(path) ||
    path.startsWith("//") ||
    path.startsWith("./") ||
    path.startsWith("../") ||
    path.startsWith("#") ||
    path.startsWith("?")
  )
    return path;
  return currentBase() + (path.startsWith("/") ? path : `/${path}`);
}
