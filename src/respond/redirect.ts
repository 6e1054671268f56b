/** Where a page's redirect points, as the client sees it. */
import { decodePath, joinBase, splitUrl } from "../request/url.js";
import type { Build } from "../runtime/build.js";
import { pageDataPath } from "../common/urls.js";

/**
 * Pages see mount-relative URLs, so a `Location` starting with one `/` is taken relative to the mount.
 * For a page-data request whose target is one of our pages, the target's page-data URL is used, so the
 * client's `fetch` follows the redirect straight to JSON.
 */
export function redirectTarget(location: string, kind: "html" | "json", base: string, build: Build): string {
  if (!location.startsWith("/") || location.startsWith("//") || location.startsWith("/\\")) return location;
  if (kind === "json") {
    const target = splitUrl(location);
    if (target && isPage(target.pathname, build)) return joinBase(base, pageDataPath(target.pathname) + target.search);
  }
  return joinBase(base, location);
}

/** Whether `pathname` (mount-relative, still encoded) is one of the build's pages. */
export function isPage(pathname: string, build: Build): boolean {
  try {
    const decoded = decodePath(pathname);
    return "segments" in decoded && build.match(decoded.segments) !== null;
  } catch {
    return false;
  }
}
