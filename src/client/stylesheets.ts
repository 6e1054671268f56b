// The pages' stylesheets in the browser. On a client navigation the target page's stylesheets are
// loaded before the page is shown (no flash of unstyled content), each at most once, switched off
// while they load (so a page still loading cannot restyle the one on screen), and switched on when
// the page is shown. Those of a navigation that was overtaken before it showed its page are removed;
// those of the page that left are removed once the new page is on screen, unless it uses them too.
// `_app`'s stylesheets belong to every page and are never touched by navigations (the development
// client swaps them after a rebuild).

/** A stylesheet that never answers must not hold a navigation for ever: past this, the page is shown anyway. */
const LOAD_TIMEOUT_MS = 5000;
/** The `media` of a stylesheet that is loading: the browser fetches it, and applies nothing of it. */
const OFF = "not all";

/** Stylesheets added for a navigation and not shown yet: absolute URL → the element, its load, the navigation that wants it. */
const loading = new Map<string, { link: HTMLLinkElement; loaded: Promise<void>; navigation: number }>();

const absolute = (href: string): string => new URL(href, location.href).href;

/** `<link rel="stylesheet">` elements in use (not loading), by absolute URL. */
function activeStylesheets(): Map<string, HTMLLinkElement> {
  const links = new Map<string, HTMLLinkElement>();
  for (const link of document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]'))
    if (link.media !== OFF) links.set(link.href, link);
  return links;
}

/**
 * Starts loading the stylesheets of `hrefs` that are not in use yet, switched off, for `navigation`
 * (a navigation that shares one still loading waits for the same load). Resolves when each has loaded
 * (or failed, or timed out: an unstyled page is still a page). New ones go at the end of `<head>`,
 * or in order after `after` (the development client puts `_app`'s new stylesheets where its old
 * ones are, before the page's: the page's rules keep winning).
 */
export function loadStylesheets(hrefs: readonly string[], navigation: number, after?: Element): Promise<void> {
  const active = activeStylesheets();
  const waits: Array<Promise<void>> = [];
  for (const href of hrefs) {
    const url = absolute(href);
    if (active.has(url)) continue;
    let entry = loading.get(url);
    if (!entry) {
      const link = document.createElement("link");
      link.rel = "stylesheet";
      link.media = OFF;
      link.href = href;
      const loaded = new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(done, LOAD_TIMEOUT_MS);
        link.addEventListener("load", done, { once: true });
        link.addEventListener("error", done, { once: true });
      });
      entry = { link, loaded, navigation };
      loading.set(url, entry);
      if (after) {
        after.after(link);
        after = link;
      } else document.head.append(link);
    }
    entry.navigation = navigation;
    waits.push(entry.loaded);
  }
  return Promise.all(waits).then(() => undefined);
}

/** The page of `hrefs` is about to be rendered: switches its stylesheets on. */
export function showStylesheets(hrefs: readonly string[]): void {
  for (const href of hrefs) {
    const url = absolute(href);
    const entry = loading.get(url);
    if (!entry) continue;
    entry.link.removeAttribute("media");
    loading.delete(url);
  }
}

/** The page of `current` is on screen: removes the stylesheets of the page that left (`previous`) that it does not use. */
export function pruneStylesheets(previous: readonly string[], current: readonly string[]): void {
  const keep = new Set(current.map(absolute));
  const active = activeStylesheets();
  for (const href of previous) {
    const url = absolute(href);
    if (!keep.has(url)) active.get(url)?.remove();
  }
}

/** `navigation` was overtaken before it showed its page: removes the stylesheets only it was loading. */
export function dropStylesheets(navigation: number): void {
  for (const [url, entry] of loading) {
    if (entry.navigation !== navigation) continue;
    entry.link.remove();
    loading.delete(url);
  }
}
