import { flushSync } from "react-dom";
import type { Root } from "react-dom/client";
import { createPageElement, type AppWrappers, type PageComponents } from "../common/page-element.js";
import { announcePage } from "./announce.js";
import { updateHead } from "./head.js";
import { decodePageData, DeferredValues, readPageDataStream } from "./deferred.js";
import { importPageModule, isPageData, pagePath, pageProps } from "./page-data.js";
import type { PageData } from "./page-data.js";
import { isMountRelative, isUnderBase, pageDataUrl, samePage, stripBase } from "./paths.js";
import type { ClientRuntime, NavigateOptions } from "./runtime.js";
import { dropStylesheets, loadStylesheets, pruneStylesheets, showStylesheets } from "./stylesheets.js";

/** How a navigation touches the history: a new entry, the current one, or an entry the user went back/forward to. */
type Mode = "push" | "replace" | "pop";

type ScrollPosition = [x: number, y: number];

/** What we keep in `history.state` (merged with whatever else is there). */
interface EntryState {
  ssrPages?: { key?: unknown; scroll?: unknown; state?: unknown };
}

/** A location as Gatsby's route hooks get it: the browser's (the mount path included), with its hash and navigation state. */
export interface RouteLocation {
  pathname: string;
  search: string;
  hash: string;
  state: unknown;
}

/** Gatsby's browser route hooks (`gatsby-browser.js`), called around every client navigation. */
export interface RouteHooks {
  /** Before the new page's data is fetched. */
  onPreRouteUpdate?: (args: { location: RouteLocation; prevLocation: RouteLocation | null }) => void;
  /** Once the new page is on screen (and once after the first render, with `prevLocation: null`). */
  onRouteUpdate?: (args: { location: RouteLocation; prevLocation: RouteLocation | null }) => void;
  /**
   * Gatsby's `shouldUpdateScroll`, before the page scrolls after a navigation: each file's answer, in
   * order; the last one given counts, as in Gatsby (the site's own over its plugins'). `false` leaves
   * the scroll where it is, `[x, y]` scrolls there, an element id scrolls to it; `true` (or nothing)
   * does what the router would.
   */
  shouldUpdateScroll?: (args: {
    prevRouterProps: { location: RouteLocation } | undefined;
    routerProps: { location: RouteLocation };
    pathname: string;
    getSavedScrollPosition: () => ScrollPosition | undefined;
  }) => unknown[];
}

export interface RouterOptions {
  /** The hydrated React root; every navigation renders into it. */
  root: Root;
  /** The element the root lives in; it gets `aria-busy="true"` while a navigation is loading. */
  container: HTMLElement;
  /** The mount path from the embedded boot data. */
  base: string;
  /** `_app`'s wrappers, applied to every page rendered. */
  app: AppWrappers;
  /** The stylesheets of the page the server rendered. */
  css: readonly string[];
  /** The id of the build that served the page (from its page data): answers of another build are not rendered in this tab. */
  buildId: string | undefined;
  /** Called around each navigation. */
  hooks?: RouteHooks;
}

export interface Router extends ClientRuntime {
  /** True once a client navigation has put another page on screen than the one the server rendered. */
  readonly navigated: boolean;
  /** The first render is on screen: the route hooks hear of it (`prevLocation: null`). */
  initialRender(): void;
  /**
   * Renders the page on screen again from fresh page data and modules, where it is, scrolled where
   * it is (the development client, after a rebuild). Rejects with a {@link PageFailure} when the page
   * answered with an error, and with another error when only a full load can show it. `adopt`: the
   * id of a newer build the tab has taken in (Fast Refresh imported its entry): page data of that
   * build is accepted, and from now on the tab answers to it; page data of any other build is not.
   */
  refresh(adopt?: string): Promise<void>;
  /**
   * From now on every navigation is a full page load: the React root is gone (the page the server
   * rendered was put back after it threw while hydrating).
   */
  disable(): void;
}

/**
 * The client router: installs the popstate listener and returns the runtime `navigate` uses.
 * Each navigation fetches fresh page data (getServerData runs every time: no client cache, no data
 * prefetch), aborts the request of any navigation it supersedes and drops stale answers.
 */
export function createRouter({ root, container, base, app, css, buildId, hooks = {} }: RouterOptions): Router {
  let latest = 0;
  let inFlight: AbortController | undefined;
  let navigated = false;
  let disabled = false;
  /** The stylesheets of the page on screen. */
  let pageCss: readonly string[] = css;
  /** `pathname + search` of the page on screen: popstate events that only change the hash are the browser's. */
  let current = location.pathname + location.search;
  const scrollPositions = new Map<string, ScrollPosition>();
  let entryKey = ensureEntryKey();
  /**
   * `url` (the browser's location or a target) as the route hooks see it: the browser's, the mount
   * path included, as Gatsby's hooks get `window.location` with its path prefix (an analytics
   * plugin reports the path the visitor saw).
   */
  const routeLocation = (url: { pathname: string; search: string; hash: string }, state: unknown): RouteLocation => ({
    pathname: url.pathname,
    search: url.search,
    hash: url.hash,
    state,
  });
  /** Where the page on screen is, for the route hooks' `prevLocation`. */
  let shownAt = routeLocation(location, entryNavigationState(history.state));

  // We render after the data arrives, which is after the browser would restore the scroll position,
  // so we restore it ourselves (per history entry; in history.state too, for reloads).
  history.scrollRestoration = "manual";
  const saved = entryScroll(history.state);
  if (saved) scrollTo(saved[0], saved[1]);
  addEventListener("pagehide", () => {
    writeEntryState({ key: entryKey, scroll: [scrollX, scrollY] });
  });
  addEventListener("popstate", (event) => {
    if (location.pathname + location.search === current) return;
    scrollPositions.set(entryKey, [scrollX, scrollY]);
    entryKey = ensureEntryKey();
    if (disabled || !isUnderBase(location.pathname, base)) {
      location.reload();
      return;
    }
    void go(
      new URL(location.href),
      "pop",
      scrollPositions.get(entryKey) ?? entryScroll(event.state),
      entryNavigationState(event.state),
    );
  });

  async function go(url: URL, mode: Mode, restoreScroll?: ScrollPosition, state?: unknown): Promise<void> {
    const id = ++latest;
    hooks.onPreRouteUpdate?.({ location: routeLocation(url, state), prevLocation: shownAt });
    inFlight?.abort(); // the server's getServerData sees its signal abort
    const controller = new AbortController();
    inFlight = controller;
    container.setAttribute("aria-busy", "true");
    try {
      const loaded = await load(url, controller.signal, id);
      if (id !== latest) {
        dropStylesheets(id); // a newer navigation started: this answer is stale, and so are its stylesheets
        return;
      }
      if (!loaded) {
        hardNavigate(url, mode);
        return;
      }
      try {
        commit(loaded.pageData, loaded.mod, url, mode, restoreScroll, state);
      } catch (error) {
        // eslint-disable-next-line no-console -- in the browser the console is where a page's errors go (there is no onError there)
        console.error(error);
        location.reload(); // the URL is already the new one: let the server render it
      }
    } finally {
      if (id === latest) {
        inFlight = undefined;
        container.removeAttribute("aria-busy");
      }
    }
  }

  /** Page data, page module and stylesheets, or undefined for anything that is not a renderable page-data answer. */
  /** `failed` hears a JSON answer that is no page data (`{ "error", "stack"? }`: the page failed on the server). */
  async function load(
    url: URL,
    signal: AbortSignal,
    id: number,
    failed?: (body: unknown) => void,
    adopt?: string,
  ): Promise<{ pageData: PageData; mod: PageComponents } | undefined> {
    try {
      // fetch follows redirects: a redirecting page answers with the target's page-data URL.
      const response = await fetch(pageDataUrl(base, stripBase(url.pathname, base), url.search), {
        signal,
        headers: { accept: "application/json" },
      });
      // An HTML error page from a proxy, a CDN or a host route is not ours to render.
      const type = (response.headers.get("content-type") ?? "").toLowerCase();
      if (!type.includes("json")) return undefined;
      // A page with deferred props streams its page data: shown once its first line is in, each value filling in as it arrives.
      const streamed =
        type.includes("ndjson") && response.body !== null ? await readPageDataStream(response.body) : undefined;
      const raw: unknown = streamed ? streamed.pageData : await response.json();
      if (!isPageData(raw)) {
        failed?.(raw);
        return undefined;
      }
      const body = await decodePageData(raw, streamed?.values ?? new DeferredValues());
      // Another build answered (a deploy since this tab loaded): its modules and this tab's (React,
      // the router, shared chunks) are not one program. A full load shows the page from the new build.
      if (body.buildId !== buildId) {
        if (adopt === undefined || body.buildId !== adopt) return undefined;
        buildId = adopt;
      }
      // The page is shown only once its stylesheets have loaded: no flash of an unstyled page.
      const [mod] = await Promise.all([importPageModule(body.module), loadStylesheets(body.css ?? [], id)]);
      return { pageData: body, mod };
    } catch {
      return undefined; // network error, abort, bad JSON, a chunk that no longer exists after a deploy
    }
  }

  function commit(
    pageData: PageData,
    mod: PageComponents,
    url: URL,
    mode: Mode,
    restoreScroll: ScrollPosition | undefined,
    state: unknown,
  ): void {
    // pageData.path is the page actually rendered, after any redirect, with its query string. The
    // page-data URL has no trailing slash: where the page is the one asked for, keep the user's.
    const rendered = pagePath(pageData);
    const asked = stripBase(url.pathname, base);
    const renderedPath = rendered.split("?", 1)[0] as string;
    const path = samePage(renderedPath, asked) ? asked + rendered.slice(renderedPath.length) : rendered;
    const props = pageProps(pageData, base, path);
    if (state !== undefined) props.location = { ...props.location, state };
    const hash = url.hash;
    const href = base + path + hash;
    if (mode === "push") {
      scrollPositions.set(entryKey, [scrollX, scrollY]);
      entryKey = newKey();
      history.pushState({ ssrPages: { key: entryKey, state } }, "", href);
    } else if (mode === "replace") {
      entryKey = newKey();
      history.replaceState({ ssrPages: { key: entryKey, state } }, "", href);
    } else {
      history.replaceState(history.state, "", href); // same URL unless the page redirected
    }
    current = location.pathname + location.search;
    navigated = true;
    const shown = pageData.css ?? [];
    // On in the same task as the render: nothing is painted in between, with either page.
    showStylesheets(shown);
    flushSync(() => {
      root.render(createPageElement(mod.default, props, base, app));
    });
    updateHead(mod.Head, props, base, app);
    pruneStylesheets(pageCss, shown);
    pageCss = shown;
    const prevLocation = shownAt;
    shownAt = routeLocation(location, state);
    const decision = hooks
      .shouldUpdateScroll?.({
        prevRouterProps: { location: prevLocation },
        routerProps: { location: shownAt },
        pathname: shownAt.pathname,
        getSavedScrollPosition: () => restoreScroll,
      })
      ?.filter((answer) => answer !== undefined)
      .pop();
    if (decision === undefined || decision === true) scrollAfterRender(restoreScroll, hash);
    else if (Array.isArray(decision)) scrollTo(Number(decision[0]), Number(decision[1]));
    else if (typeof decision === "string") document.getElementById(decision)?.scrollIntoView();
    announcePage(container);
    hooks.onRouteUpdate?.({ location: shownAt, prevLocation });
  }

  return {
    base,
    get navigated() {
      return navigated;
    },
    navigate(to: string, options: NavigateOptions): Promise<void> {
      const url = new URL(isMountRelative(to) ? base + to : to, location.href);
      if (disabled || url.origin !== location.origin || !isUnderBase(url.pathname, base)) {
        hardNavigate(url, options.replace ? "replace" : "push");
        return Promise.resolve();
      }
      return go(url, options.replace ? "replace" : "push", undefined, options.state);
    },
    initialRender(): void {
      hooks.onRouteUpdate?.({ location: shownAt, prevLocation: null });
    },
    async refresh(adopt?: string): Promise<void> {
      if (disabled) throw new Error("ssr-pages: the router is off");
      const id = ++latest;
      let failure: unknown;
      const loaded = await load(
        new URL(location.href),
        new AbortController().signal,
        id,
        (body) => (failure = body),
        adopt,
      );
      if (id !== latest) return; // a navigation started meanwhile: it shows fresh code anyway
      if (!loaded)
        throw failure !== undefined
          ? new PageFailure(failure)
          : new Error("ssr-pages: the page could not be fetched again");
      commit(
        loaded.pageData,
        loaded.mod,
        new URL(location.href),
        "pop",
        [scrollX, scrollY],
        entryNavigationState(history.state),
      );
    },
    disable(): void {
      disabled = true;
    },
  };
}

/**
 * The page answered its page data with an error (`{ "error", "message"?, "stack"? }`, the message
 * and stack only in development): what {@link Router.refresh} rejects with, for the dev client's overlay.
 */
export class PageFailure extends Error {
  constructor(body: unknown) {
    const { error, message, stack } = (typeof body === "object" && body !== null ? body : {}) as {
      error?: unknown;
      message?: unknown;
      stack?: unknown;
    };
    super(typeof message === "string" ? message : typeof error === "string" ? error : "the page failed on the server");
    this.name = "PageFailure";
    this.stack = typeof stack === "string" ? stack : "";
  }
}

/** A full page load: the server answers with whatever it has (its error page, its redirect, the host's route). */
function hardNavigate(url: URL, mode: Mode): void {
  if (mode === "pop")
    location.reload(); // the address bar already shows url
  else if (mode === "replace") location.replace(url.href);
  else location.assign(url.href);
}

function scrollAfterRender(restore: ScrollPosition | undefined, hash: string): void {
  if (restore) {
    scrollTo(restore[0], restore[1]);
    return;
  }
  if (hash.length > 1) {
    let id = hash.slice(1);
    try {
      id = decodeURIComponent(id);
    } catch {
      // keep the raw fragment
    }
    const target = document.getElementById(id) ?? document.getElementsByName(id)[0];
    if (target) {
      target.scrollIntoView();
      return;
    }
  }
  scrollTo(0, 0);
}

function newKey(): string {
  return Math.random().toString(36).slice(2, 10);
}

function entryKeyOf(state: unknown): string | undefined {
  const key = (state as EntryState | null)?.ssrPages?.key;
  return typeof key === "string" ? key : undefined;
}

/** The `state` a navigation kept with the history entry (see NavigateOptions.state). */
function entryNavigationState(state: unknown): unknown {
  return (state as EntryState | null)?.ssrPages?.state;
}

function entryScroll(state: unknown): ScrollPosition | undefined {
  const scroll = (state as EntryState | null)?.ssrPages?.scroll;
  return Array.isArray(scroll) && typeof scroll[0] === "number" && typeof scroll[1] === "number"
    ? [scroll[0], scroll[1]]
    : undefined;
}

/** The key of the current history entry, giving it one (kept beside any state others stored) if it has none. */
function ensureEntryKey(): string {
  const existing = entryKeyOf(history.state);
  if (existing) return existing;
  const key = newKey();
  writeEntryState({ key });
  return key;
}

function writeEntryState(ours: { key: string; scroll?: ScrollPosition }): void {
  const state: unknown = history.state;
  const others = typeof state === "object" && state !== null ? state : {};
  // The navigation's own state stays with its entry.
  history.replaceState({ ...others, ssrPages: { ...(others as EntryState).ssrPages, ...ours } }, "");
}
