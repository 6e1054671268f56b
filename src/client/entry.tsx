// The browser entry the server bundles (ESM, code-split): hydrate the server-rendered page inside
// `_app`'s wrappers, then hand the React root to the client router. Pages are separate chunks,
// imported by the URL the server embedded, so this file knows no page in advance.

import { hydrateRoot } from "react-dom/client";
import type { ErrorInfo, Root } from "react-dom/client";
import * as appModule from "ssr-pages:app";
import { plugins as gatsbyBrowser } from "ssr-pages:gatsby-browser";
// The development client (live updates); an empty module in production builds.
import * as devClient from "ssr-pages:dev-client";
import { composeApiWrappers, composeHook, type ApiFile } from "../common/gatsby-apis.js";
import { composeWrappers, createPageElement, type AppWrappers } from "../common/page-element.js";
import { showErrorOverlay } from "./dev-overlay.js";
import type { DevClientOptions } from "./dev-client.js";
import { adoptShellAttributes } from "./head.js";
import { decodePageData, documentValues, takeValueElement } from "./deferred.js";
import { importPageModule, isPageData, pageProps } from "./page-data.js";
import { startStreamRuntime } from "./stream-runtime.js";
import type { BootData } from "./page-data.js";
import { createRouter } from "./router.js";
import type { RouteHooks, Router } from "./router.js";
import { setClientRuntime, type NavigateOptions } from "./runtime.js";

/** A function export of a module, or `undefined` (the server checked the exports too, and refused a page otherwise). */
const fn = <T,>(value: unknown): T | undefined => (typeof value === "function" ? (value as T) : undefined);

/** A Gatsby site's `gatsby-browser` files (its plugins', then its own), or none. */
const apiFiles: readonly ApiFile[] = gatsbyBrowser ?? [];

/** The wrappers of every page, as on the server: `_app`'s around a Gatsby site's `gatsby-browser`'s. */
const app: AppWrappers = composeWrappers(composeApiWrappers(apiFiles), {
  wrapRootElement: fn(appModule.wrapRootElement),
  wrapPageElement: fn(appModule.wrapPageElement),
  Head:
    typeof appModule.Head === "function" || (typeof appModule.Head === "object" && appModule.Head !== null)
      ? (appModule.Head as AppWrappers["Head"])
      : undefined,
  slices:
    typeof appModule.slices === "object" && appModule.slices !== null
      ? (appModule.slices as AppWrappers["slices"])
      : undefined,
});

/** Gatsby's browser hooks, from the `gatsby-browser` files, each called with its plugin's options. */
const hooks: RouteHooks = {
  onPreRouteUpdate: composeHook(apiFiles, "onPreRouteUpdate"),
  onRouteUpdate: composeHook(apiFiles, "onRouteUpdate"),
  shouldUpdateScroll: composeHook(apiFiles, "shouldUpdateScroll"),
};

// Development builds show browser errors over the page and take Fast Refresh's updates: each such
// branch tests `process.env.NODE_ENV !== "production"` where it is, not a module constant. esbuild
// folds the defined `process.env.NODE_ENV` compared with a string, so production drops the branch,
// but it does not inline a module's constant into functions (the branches would stay, dead).

async function readBootData(): Promise<BootData | undefined> {
  const text = document.getElementById("__SSR_PAGES_DATA__")?.textContent;
  if (!text) return undefined;
  const data = JSON.parse(text) as Partial<BootData>;
  if (typeof data.base !== "string" || !isPageData(data.pageData)) return undefined;
  // Rich props decoded, deferred ones as promises the streamed document's value elements settle.
  return { ...(data as BootData), pageData: await decodePageData(data.pageData, documentValues) };
}

/**
 * A streamed document's Suspense boundaries and deferred values, performed from the data elements
 * the server writes instead of React's inline scripts (a strict CSP holds). Once the document is
 * whole, a value that never came (the server's timeout, a connection that broke) fails.
 */
function followStream(): void {
  startStreamRuntime(takeValueElement);
  const closed = () =>
    setTimeout(() => documentValues.close("ssr-pages: the page ended before this deferred value arrived"), 0);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", closed, { once: true });
  else closed();
}

async function start(): Promise<void> {
  followStream();
  const data = await readBootData();
  const container = document.getElementById("___ssr-pages");
  if (!data || !container) {
    // eslint-disable-next-line no-console -- in the browser the console is where a page's errors go (there is no onError there)
    console.error("ssr-pages: the page has no #__SSR_PAGES_DATA__ boot data or no #___ssr-pages root; not hydrating");
    return;
  }
  const { base, pageData } = data;
  adoptShellAttributes(data.shellAttributes);
  composeHook(apiFiles, "onClientEntry")?.({});
  // A component that throws while hydrating makes React drop the server's markup: kept here, so the
  // page stays readable (its links are real <a href>s) instead of going blank.
  const serverHtml = container.innerHTML;
  const mod = await importPageModule(pageData.module);
  let router: Router | undefined;
  // The server rendered with its site's trailing-slash rule (Gatsby's `Link` applies it): so do we.
  const wrappers: AppWrappers = data.trailingSlash ? { ...app, trailingSlash: data.trailingSlash } : app;
  // Fast Refresh: a newer entry imported into this tab (`_app` or `gatsby-browser` changed) hands its
  // wrappers and route hooks over here, for every render and navigation from now on; the components
  // they render are already updated in place.
  if (process.env.NODE_ENV !== "production") {
    adoptHere((next) => {
      Object.assign(wrappers, next.app, data.trailingSlash ? { trailingSlash: data.trailingSlash } : {});
      Object.assign(hooks, next.hooks);
    });
  }
  const root: Root = hydrateRoot(container, createPageElement(mod.default, pageProps(pageData, base), base, wrappers), {
    onUncaughtError(error: unknown, info: ErrorInfo) {
      // eslint-disable-next-line no-console -- in the browser the console is where a page's errors go (there is no onError there)
      console.error(error, info.componentStack ?? "");
      if (process.env.NODE_ENV !== "production")
        showErrorOverlay("A component threw in the browser", error, info.componentStack ?? "");
      // After a Fast Refresh update (client/dev-client.ts), the developer's next save renders the page
      // again with the fixed code, in this tab as it is: the overlay says what broke, nothing else.
      if (
        process.env.NODE_ENV !== "production" &&
        (globalThis as { __ssrPagesRefreshed?: boolean }).__ssrPagesRefreshed
      )
        return;
      if (router?.navigated) {
        // After a client navigation the address bar already shows the new URL: a full load lets the
        // server answer (its 500 page). If that page throws too, it lands in the branch below: no loop.
        location.reload();
        return;
      }
      queueMicrotask(() => {
        root.unmount();
        container.innerHTML = serverHtml;
        router?.disable();
      });
    },
  });
  router = createRouter({
    root,
    container,
    base,
    app: wrappers,
    css: pageData.css ?? [],
    buildId: pageData.buildId,
    hooks,
  });
  setClientRuntime(router);
  // Gatsby's global, which Gatsby's own tests (and some sites) navigate with.
  (window as { ___navigate?: unknown }).___navigate = (to: string, options?: NavigateOptions) =>
    router?.navigate(to, options ?? {});
  const live = router;
  fn<(options: DevClientOptions) => void>((devClient as { start?: unknown }).start)?.({
    base,
    buildId: pageData.buildId,
    refresh: (adopt) => live.refresh(adopt),
  });
  // Hydration commits in a task of React's scheduler; a frame and a task later it is on screen.
  const hydrated = router;
  requestAnimationFrame(() =>
    setTimeout(() => {
      composeHook(apiFiles, "onInitialClientRender")?.({});
      hydrated.initialRender();
    }, 0),
  );
}

/** Where a newer entry's wrappers and hooks go (development): set by the entry that started, called by the ones imported after it. */
type Adopt = (next: { app: AppWrappers; hooks: RouteHooks }) => void;

function adoptHere(adopt: Adopt): void {
  (globalThis as { __ssrPagesAdopt?: Adopt }).__ssrPagesAdopt = adopt;
}

/**
 * Whether this document has started a client already. In development a newer build's entry is
 * imported into the running tab for Fast Refresh (its `_app` changed: client/dev-client.ts): its
 * modules register their components, but it must not hydrate a second time.
 */
function startedBefore(): boolean {
  const holder = globalThis as { __ssrPagesStarted?: boolean };
  const started = holder.__ssrPagesStarted === true;
  holder.__ssrPagesStarted = true;
  return started;
}

if (process.env.NODE_ENV !== "production" && startedBefore())
  (globalThis as { __ssrPagesAdopt?: Adopt }).__ssrPagesAdopt?.({ app, hooks });
else
  void start().catch((error: unknown) => {
    // The server-rendered HTML stays usable: links are real <a href>s, so navigation falls back to full loads.
    // eslint-disable-next-line no-console -- in the browser the console is where a page's errors go (there is no onError there)
    console.error("ssr-pages: could not start the client", error);
  });
