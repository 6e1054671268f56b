/**
 * The development client, in development builds only (production builds resolve it to nothing): it
 * listens to the middleware's event stream and keeps the open tab in step with the code. After a
 * rebuild the page on screen is fetched again (data, module, stylesheets) and rendered in place,
 * keeping the scroll position and what `wrapRootElement` holds. With React Fast Refresh (the refresh
 * preamble ran: client/refresh-preamble.ts) the new modules register their components first and
 * React updates them in place, state kept; a new client entry (`_app` changed) is imported next to
 * the running one. Without it, or when the new build cannot run next to the tab's (its build id
 * changed: React's chunk moved), only a full load can bring a new entry in. Compile errors show in
 * the overlay until a build without them.
 */
import { hideErrorOverlay, showErrorOverlay } from "./dev-overlay.js";
import { EVENTS_PATH, INTERNAL_PREFIX } from "../common/urls.js";
import { pageDataUrl, stripBase } from "./paths.js";
import { PageFailure } from "./router.js";
import { loadStylesheets, pruneStylesheets, showStylesheets } from "./stylesheets.js";
import type { DevEvent as BuildEvent } from "../common/dev-events.js";
import { refreshRuntime, type RefreshRuntime } from "./refresh-global.js";

const RECONNECT_MS = 500;

/** What the client entry hands over. */
export interface DevClientOptions {
  base: string;
  /** The build this document was rendered by. */
  buildId: string | undefined;
  /**
   * Renders the page on screen again from fresh page data, in place (`adopt`: the id of the newer
   * build the tab took in, see Router.refresh). Rejects when it cannot.
   */
  refresh: (adopt?: string) => Promise<void>;
}

/** Starts listening. */
export function start({ base, buildId: loaded, refresh }: DevClientOptions): void {
  /** The build this tab runs: the document's, then each one Fast Refresh took in. */
  let buildId = loaded;
  /** The Fast Refresh update under way: the next one starts after it (and is skipped when a newer build came meanwhile). */
  let updating: Promise<unknown> = Promise.resolve();
  if (typeof EventSource !== "function") return;
  const url = base + EVENTS_PATH;
  /** The build this tab shows, once the stream has said which that is. */
  let shown: number | undefined;
  let lost = false;
  let showsCompileErrors = false;
  let showsPageFailure = false;
  const onBuild = (message: Event): void => {
    const event = JSON.parse((message as MessageEvent<string>).data) as BuildEvent;
    if (lost) {
      // The server went away and is back (a restart): its code may be anything now.
      location.reload();
      return;
    }
    const first = shown === undefined;
    const changed = !first && event.id !== shown;
    shown = event.id;
    // Problems of some pages only show on those pages' tabs: the refresh below finds out whether
    // the page on screen is one (it answers 500 with the problem). Those of every page show here.
    const site = event.errors.filter((error) => error.scope === "site");
    if (site.length > 0) {
      showCompileErrors(site);
      showsCompileErrors = true;
    } else if (showsCompileErrors) {
      // Only the overlay this client showed: a browser error's overlay stays until its page goes.
      hideErrorOverlay();
      showsCompileErrors = false;
    }
    if (site.length > 0) return; // the overlay says what to fix; the page stays as it is
    // A page asked for the first time (here or in another tab): this tab's code did not change.
    if (!changed || event.cause === "request") return;
    // The page on screen failed: shown as the compile problem that fails it, or as what
    // getServerData or the render threw on the server (its message and mapped stack), in place.
    const showFailure = (failure: Error): void => {
      const own = event.errors.filter((problem) => failure.message.includes(problem.message));
      if (own.length > 0) showCompileErrors(own);
      else showErrorOverlay("The page failed on the server", failure.message, failure.stack);
      showsPageFailure = true;
    };
    const fastRefresh = refreshRuntime();
    if (fastRefresh) {
      // One update at a time, in the order of the builds: two quick saves must not finish out of order.
      updating = updating
        .then(() => (event.id === shown ? refreshInPlace(fastRefresh, base, buildId, event, refresh) : undefined))
        .then(
          (taken) => {
            showsPageFailure = false;
            buildId = taken ?? buildId;
          },
          (error: unknown) => {
            if (error instanceof Error && error.name === "PageFailure") showFailure(error);
            else if (error instanceof ModuleFailure) {
              // A module of the new build threw while it ran: the page stays as it is, with the
              // error, and the next good save recovers it.
              showErrorOverlay("A module threw while it loaded", error.message, error.stack);
              showsPageFailure = true;
            } else location.reload();
          },
        );
      return;
    }
    if (event.entry !== undefined && event.entry !== currentEntry()) {
      // Only a full load brings the new entry in. But leaving out a page that fails changes the
      // entry's chunks too: while some page fails, a tab stays as it is (its state kept; the fixing
      // save brings the entry back), and shows the failure if it is that page's.
      if (event.errors.length === 0) location.reload();
      else void failureOfPageOnScreen(base).then((failure) => failure && showFailure(failure));
      return;
    }
    swapEntryStylesheets(base, event.entryCss);
    refresh().then(
      () => {
        if (showsPageFailure) hideErrorOverlay();
        showsPageFailure = false;
      },
      (error: unknown) => {
        if (error instanceof Error && error.name === "PageFailure") showFailure(error);
        else location.reload();
      },
    );
  };
  const connect = (): void => {
    const source = new EventSource(url);
    source.addEventListener("build", onBuild);
    source.addEventListener("error", () => {
      // The server went away (a restart, Ctrl-C): the next build event, from whatever answers
      // then, means it is back. Reconnected by hand, every half second: a browser's own reconnect
      // may back off, or give up for good when a reconnect is answered with anything but the
      // stream (a host still starting, a proxy's error page).
      // Any failure counts, also before the first event: a tab that loaded just before a restart
      // (its script started after the server went away) shows the old server's page too.
      lost = true;
      source.close();
      setTimeout(connect, RECONNECT_MS);
    });
  };
  connect();
}

/**
 * Fast Refresh: the new client entry (when `_app` changed) and the page's new module are imported
 * next to the running ones, so their components register; React then updates every component whose
 * module ran again, in place, keeping the state of each whose hooks did not change
 * (client/refresh-runtime.ts); last, the page renders again with its fresh data (a `getServerData`
 * edit), its components already the new ones. `_app`'s stylesheets are swapped as without it.
 * @returns the build id the tab now runs (`undefined`: it is loading in full instead)
 * @throws PageFailure when the page answers an error; ModuleFailure when a new module throws.
 */
async function refreshInPlace(
  runtime: RefreshRuntime,
  base: string,
  buildId: string | undefined,
  event: BuildEvent,
  refresh: DevClientOptions["refresh"],
): Promise<string | undefined> {
  const page = await pageOnScreen(base);
  // React's chunk moved (the build id's first part, load-pages.ts): the new modules cannot run next to this tab's.
  if (page.buildId !== undefined && runtimePart(page.buildId) !== runtimePart(buildId)) {
    location.reload();
    return undefined;
  }
  if (event.entry !== undefined && event.entry !== currentEntry()) {
    await importOrFail(base + INTERNAL_PREFIX + event.entry);
    entryShown = event.entry;
  }
  if (page.module !== undefined) await importOrFail(page.module);
  swapEntryStylesheets(base, event.entryCss);
  hideErrorOverlay();
  // From here a render that throws only shows the overlay (client/entry.tsx): the next save fixes it in place.
  (globalThis as { __ssrPagesRefreshed?: boolean }).__ssrPagesRefreshed = true;
  runtime.performReactRefresh();
  // Only the build checked above: one that landed since (another save, another tab's first request) is a full load.
  await refresh(page.buildId);
  return page.buildId;
}

/** The part of a development build id that names React's chunk (see load-pages.ts). */
function runtimePart(buildId: string | undefined): string | undefined {
  return buildId?.split(".", 1)[0];
}

/** A module of a new build threw while it ran (or could not be fetched): shown in the overlay, not reloaded. */
class ModuleFailure extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = "ModuleFailure";
    if (cause instanceof Error && cause.stack !== undefined) this.stack = cause.stack;
  }
}

async function importOrFail(url: string): Promise<void> {
  try {
    await import(/* @vite-ignore */ url);
  } catch (error) {
    throw new ModuleFailure(error);
  }
}

/**
 * The module URL and build id of the page on screen, from its page data fetched again (the first
 * line of a streamed answer); each `undefined` when it has none to give. A page that answers an
 * error rejects with it, as the router's refresh would.
 */
async function pageOnScreen(base: string): Promise<{ module: string | undefined; buildId: string | undefined }> {
  const response = await fetch(pageDataUrl(base, stripBase(location.pathname, base), location.search), {
    cache: "no-store",
  });
  const text = await response.text();
  let body: { module?: unknown; buildId?: unknown } | null;
  try {
    body = JSON.parse(text.split("\n", 1)[0] as string) as typeof body;
  } catch {
    return { module: undefined, buildId: undefined };
  }
  if (response.status >= 500) throw new PageFailure(body);
  return { module: stringOr(body?.module), buildId: stringOr(body?.buildId) };
}

/** The client entry this tab runs: the document's, or the one Fast Refresh imported last. */
let entryShown: string | undefined;

function showCompileErrors(errors: BuildEvent["errors"]): void {
  const [first, ...rest] = errors;
  if (!first) return;
  const more =
    rest.length > 0 ? `\n\n…and ${rest.length} more:\n\n${rest.map((error) => error.message).join("\n\n")}` : "";
  showErrorOverlay(first.file ? `Failed to compile ${first.file}` : "Failed to compile", first.message + more);
}

/**
 * Puts `_app`'s new stylesheets (`names`) in place of the ones on the page, when they differ: loaded
 * where the old ones are (before the page's), switched on, then the old ones go (no unstyled moment).
 */
function swapEntryStylesheets(base: string, names: readonly string[]): void {
  const links = [...document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')].filter((link) =>
    /^entry-\w+\.css$/.test(link.href.split("/").pop() ?? ""),
  );
  const old = links.map((link) => link.href);
  const wanted = names.map((name) => new URL(base + INTERNAL_PREFIX + name, location.href).href);
  if (old.length === wanted.length && old.every((href, index) => href === wanted[index])) return;
  void loadStylesheets(wanted, ENTRY_SWAP, links[links.length - 1]).then(() => {
    showStylesheets(wanted);
    pruneStylesheets(old, wanted);
  });
}

/** The "navigation" `_app`'s swapped stylesheets load for: no navigation of the router's (they count from 1) overtakes it. */
const ENTRY_SWAP = 0;

/** Why the page on screen answers 500 now (its page data's error, as the router reads it), or `undefined` when it does not. */
async function failureOfPageOnScreen(base: string): Promise<PageFailure | undefined> {
  return pageOnScreen(base).then(
    () => undefined,
    (error: unknown) => (error instanceof PageFailure ? error : undefined),
  );
}

/** The file name of the client entry this tab runs (the document's, unless Fast Refresh imported a newer one). */
function currentEntry(): string | undefined {
  if (entryShown !== undefined) return entryShown;
  for (const script of document.querySelectorAll<HTMLScriptElement>('script[type="module"][src]')) {
    const name = new URL(script.src).pathname.split("/").pop() ?? "";
    if (/^entry-\w+\.js$/.test(name)) return name;
  }
  return undefined;
}

function stringOr(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
