import { createContext } from "react";
import type { Context } from "react";

/** Where a page is, relative to the mount path: Gatsby's `location` prop, without the hash. */
export interface PageLocation {
  /** `/products/2` (still percent-encoded, as the browser's `location.pathname`). */
  pathname: string;
  /** `?color=red`, or `""`. */
  search: string;
  /**
   * What the navigation that led here passed as `state` (`navigate(to, { state })`, `<Link state>`),
   * in the browser after a client navigation; `undefined` on the server and on a full page load.
   */
  state?: unknown;
}

/** What every `Link` and the client router need to know about where the pages are mounted, and which page is on screen. */
export interface RouterState {
  /** The mount path of the pages, taken per request on the server (`""` at the root, `"/shop"` under `/shop`). */
  base: string;
  /** The page on screen, as the address bar has it (the mount path included). */
  location: PageLocation;
  /**
   * A Gatsby site's `trailingSlash` rule, which Gatsby's `Link` applies to the paths it links to
   * (`always`: `/about` → `/about/`), so no link costs the server's redirect. Absent: links as written.
   */
  trailingSlash?: "always" | "never" | "ignore" | undefined;
}

// One context per process / page, whichever copy of this module created it first. The server renderer
// imports this file directly, while compiled pages reach it through `ssr-pages/client`; if a bundler
// ever inlines a second copy of this module into the pages, two `createContext` calls would give
// `Link` a context nobody provides (base "" under a mount: wrong hrefs and a hydration mismatch).
// A registry key shared through `Symbol.for` makes every copy resolve to the same context object.
const CONTEXT_KEY: unique symbol = Symbol.for("ssr-pages.RouterContext") as typeof CONTEXT_KEY;
const registry = globalThis as { [CONTEXT_KEY]?: Context<RouterState> };

/**
 * Carries the mount path from the renderer to `Link`. The server renderer and the browser entry both
 * provide it through `createPageElement`, so the two trees are identical and hydration matches.
 */
export const RouterContext: Context<RouterState> = (registry[CONTEXT_KEY] ??= createContext<RouterState>({
  base: "",
  location: { pathname: "/", search: "" },
}));
