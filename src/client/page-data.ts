import type { PageComponents, PageElementProps } from "../common/page-element.js";
import { locationOf } from "../common/page-element.js";

/** The page-data JSON the server sends for client navigation and embeds in the HTML for hydration. */
export interface PageData {
  /** The page id: its file path relative to pagesDir, without extension (`404` for the not-found page). */
  componentChunkName: string;
  /** The id of the build that answered: a tab of another build does a full load instead of rendering it. */
  buildId?: string;
  /** The mount-relative page path with its query string, after any redirect. */
  path: string;
  /** The route pattern, for dynamic pages only. */
  matchPath?: string;
  /** `serverDataFormat`: `"devalue"` when `serverData` is in devalue's form (rich or deferred props: client/deferred.ts decodes it). */
  result: { data?: unknown; serverData?: unknown; serverDataFormat?: "devalue"; params?: Record<string, string> };
  staticQueryHashes: string[];
  /** URL of the page's browser module (mount path included). */
  module: string;
  /** URLs of the page's stylesheets (mount path included), loaded before the page is shown. */
  css?: string[];
}

/** What `<script id="__SSR_PAGES_DATA__">` holds. */
export interface BootData {
  base: string;
  pageData: PageData;
  /** Set when the page's `Head` gave `<html>` or `<body>` attributes: their values without it (`null`: absent). */
  shellAttributes?: ShellAttributes;
  /** A Gatsby site's trailing-slash rule, for Gatsby's `Link` (absent: links as written). */
  trailingSlash?: "always" | "never";
}

/** Per element, the attributes a `Head` set, each with its value from before (`null`: absent). */
export interface ShellAttributes {
  html: Record<string, string | null>;
  body: Record<string, string | null>;
}

/**
 * Whether a JSON body is page data we can render. A page may answer any status with data (a 404 page
 * that still renders), so the shape decides, not the status; `{ "error": ... }` bodies fail here.
 */
export function isPageData(value: unknown): value is PageData {
  if (typeof value !== "object" || value === null) return false;
  const { path, result, module, css } = value as Record<string, unknown>;
  return (
    typeof path === "string" &&
    typeof result === "object" &&
    result !== null &&
    typeof module === "string" &&
    (css === undefined || (Array.isArray(css) && css.every((href) => typeof href === "string")))
  );
}

/**
 * The props the page component (and its `Head`, and `wrapPageElement`) receive, at `path`
 * (mount-relative, with its query) under the mount path `base`: as the server rendered them.
 */
export function pageProps(pageData: PageData, base: string, path: string = pagePath(pageData)): PageElementProps {
  const question = path.indexOf("?");
  const route = pageData.matchPath ?? (question === -1 ? path : path.slice(0, question));
  return {
    serverData: pageData.result.serverData,
    params: pageData.result.params ?? {},
    location: locationOf(path, base),
    data: pageData.result.data,
    path: route,
  };
}

/** The mount-relative URL of the page the data is for (after any redirect), with its query. */
export function pagePath(pageData: PageData): string {
  return pageData.path.startsWith("/") ? pageData.path : `/${pageData.path}`;
}

/** Import a page's browser module from the URL the server gave (already carrying the mount path). */
export async function importPageModule(url: string): Promise<PageComponents> {
  // A runtime URL on purpose: the bundler must leave this import to the browser.
  const mod = (await import(/* @vite-ignore */ url)) as Partial<PageComponents>;
  if (mod.default == null) throw new Error(`ssr-pages: ${url} has no default export`);
  return mod as PageComponents;
}
