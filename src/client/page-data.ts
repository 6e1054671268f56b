import type { ComponentType } from "react";
import type { PageElementProps } from "./page-element.js";

/** The page-data JSON the server sends for client navigation and embeds in the HTML for hydration. */
export interface PageData {
  /** The page id: its file path relative to pagesDir, without extension. */
  componentChunkName: string;
  /** The mount-relative page path with its query string, after any redirect. */
  path: string;
  /** The route pattern, for dynamic pages only. */
  matchPath?: string;
  result: { serverData?: unknown; params?: Record<string, string> };
  staticQueryHashes: string[];
  /** URL of the page's browser module (mount path included). */
  module: string;
}

/** What `<script id="__SSR_PAGES_DATA__">` holds. */
export interface BootData {
  base: string;
  pageData: PageData;
}

/** A page module as compiled for the browser. */
export interface PageModule {
  default: ComponentType<PageElementProps>;
  Head?: ComponentType<PageElementProps>;
}

/**
 * Whether a JSON body is page data we can render. A page may answer any status with data (a 404 page
 * that still renders), so the shape decides, not the status; `{ "error": ... }` bodies fail here.
 */
export function isPageData(value: unknown): value is PageData {
  if (typeof value !== "object" || value === null) return false;
  const { path, result, module } = value as Record<string, unknown>;
  return typeof path === "string" && typeof result === "object" && result !== null && typeof module === "string";
}

/** The props the page component (and its `Head`) receive. */
export function pageProps(pageData: PageData): PageElementProps {
  return { serverData: pageData.result.serverData, params: pageData.result.params ?? {} };
}

/** Import a page's browser module from the URL the server gave (already carrying the mount path). */
export async function importPageModule(url: string): Promise<PageModule> {
  // A runtime URL on purpose: the bundler must leave this import to the browser.
  const mod = (await import(/* @vite-ignore */ url)) as Partial<PageModule>;
  if (mod.default == null) throw new Error(`ssr-pages: ${url} has no default export`);
  return mod as PageModule;
}
