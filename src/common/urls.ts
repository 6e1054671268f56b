/**
 * The URL scheme the server and the browser share, written once: where page data and the
 * package's own files live under the mount path. Pure string work, no DOM and no Node: both the
 * server and the browser bundle import it.
 */

/** Where the package's own files (browser modules, stylesheets, imported assets, dev events) live, under the mount path. */
export const INTERNAL_PREFIX = "/_ssr-pages/";

/** gatsby-plugin-manifest's web app manifest, under the mount path (a Gatsby site that uses the plugin). */
export const MANIFEST_PATH = "/manifest.webmanifest";

/** The development loop's event stream, under the mount path. */
export const EVENTS_PATH = `${INTERNAL_PREFIX}events`;

const PAGE_DATA_PREFIX = "/page-data/";
const PAGE_DATA_SUFFIX = "/page-data.json";

/**
 * The page-data path of a mount-relative page path (Gatsby's scheme: `/` is `index`, no surrounding
 * slashes): `/blog/1/` → `/page-data/blog/1/page-data.json`.
 */
export function pageDataPath(pathname: string): string {
  const trimmed = pathname.replace(/^\/+|\/+$/g, "");
  return `${PAGE_DATA_PREFIX}${trimmed === "" ? "index" : trimmed}${PAGE_DATA_SUFFIX}`;
}

/**
 * The page path a page-data path asks for (`/page-data/blog/1/page-data.json` → `/blog/1`, `index` → `/`),
 * or `null` when the path is not a page-data path.
 */
export function pagePathOfPageData(pathname: string): string | null {
  if (!pathname.startsWith(PAGE_DATA_PREFIX) || !pathname.endsWith(PAGE_DATA_SUFFIX)) return null;
  const inner = pathname.slice(PAGE_DATA_PREFIX.length - 1, -PAGE_DATA_SUFFIX.length);
  if (inner === "" || inner === "/") return null;
  return inner === "/index" ? "/" : inner;
}

/** A page path as one page: `/a/` and `/a` are the same page (the route table says so too). */
export function pageIdentity(pathname: string): string {
  return pathname.length > 1 && pathname.endsWith("/") ? pathname.slice(0, -1) : pathname;
}

/** Gatsby 5's `trailingSlash` rules. */
export type TrailingSlash = "always" | "never" | "ignore";

/**
 * `pathname` as a Gatsby site's `trailingSlash` rule writes it (`always`: `/about` → `/about/`;
 * `never`: the other way; `ignore` or no rule: as it is). The root, and a path whose last segment
 * names a file (`/rss.xml`), stay as they are. The one rule the server's redirect, Gatsby's `Link`
 * and `allSitePage` all follow.
 */
export function withTrailingSlashRule(pathname: string, rule: TrailingSlash | undefined): string {
  if (rule === undefined || rule === "ignore" || pathname === "/") return pathname;
  const slashed = pathname.endsWith("/");
  if (pathname.slice(pathname.lastIndexOf("/", pathname.length - 2) + 1).includes(".")) return pathname;
  if (rule === "always") return slashed ? pathname : `${pathname}/`;
  return slashed ? pathname.replace(/\/+$/, "") || "/" : pathname;
}
