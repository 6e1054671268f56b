// Pure URL helpers shared by `Link`, `navigate` and the router. No DOM access: they run on the server too.

import { pageDataPath, pageIdentity } from "../common/urls.js";

/** True for `/x` (mount-relative) but not for `//host/x` (protocol-relative, another origin). */
export function isMountRelative(to: string): boolean {
  return to.startsWith("/") && !to.startsWith("//");
}

/** The `href` a `Link` renders: mount-relative paths get the mount path; anything else is left as written. */
export function hrefFor(base: string, to: string): string {
  return isMountRelative(to) ? base + to : to;
}

/** Whether two mount-relative pathnames name one page: `/a/` and `/a` do (the route table says so too). */
export function samePage(a: string, b: string): boolean {
  return pageIdentity(a) === pageIdentity(b);
}

/** Whether a URL pathname lies inside the mount (`/shop` and `/shop/...`, not `/shopping`). */
export function isUnderBase(pathname: string, base: string): boolean {
  return base === "" || pathname === base || pathname.startsWith(base + "/");
}

/** `/shop/blog/1` under `/shop` -> `/blog/1`; the mount root itself -> `/`. Expects {@link isUnderBase}. */
export function stripBase(pathname: string, base: string): string {
  return pathname.slice(base.length) || "/";
}

/**
 * The page-data URL for a mount-relative page path, Gatsby's scheme plus the mount path:
 * `/` -> `<base>/page-data/index/page-data.json`, `/blog/1/` -> `<base>/page-data/blog/1/page-data.json`.
 * The query string is appended as is (getServerData sees it); a hash never goes to the server.
 */
export function pageDataUrl(base: string, pathname: string, search = ""): string {
  return base + pageDataPath(pathname) + search;
}
