// The pages' stylesheets in the browser. On a client navigation the target page's stylesheets are
// loaded before the page is shown (no flash of unstyled content), each at most once, and the ones of
// the page that left are removed once the new page is on screen, unless the new page uses them too.
// `_app`'s stylesheets belong to every page and are never touched.

/** A stylesheet that never answers must not hold a navigation for ever: past this, the page is shown anyway. */
const LOAD_TIMEOUT_MS = 5000;

/** `<link rel="stylesheet">` elements of the document, by absolute URL. */
function linkedStylesheets(): Map<string, HTMLLinkElement> {
  const links = new Map<string, HTMLLinkElement>();
  for (const link of document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')) links.set(link.href, link);
  return links;
}

const absolute = (href: string): string => new URL(href, location.href).href;

/** Adds the stylesheets of `hrefs` the document does not have yet; resolves when each has loaded (or failed). */
export function loadStylesheets(hrefs: readonly string[]): Promise<void> {
  const linked = linkedStylesheets();
  const loading: Array<Promise<void>> = [];
  for (const href of hrefs) {
    if (linked.has(absolute(href))) continue;
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    loading.push(
      new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(done, LOAD_TIMEOUT_MS);
        // A stylesheet that fails to load leaves the page unstyled, not unreachable.
        link.addEventListener("load", done, { once: true });
        link.addEventListener("error", done, { once: true });
      }),
    );
    document.head.append(link);
    linked.set(link.href, link);
  }
  return Promise.all(loading).then(() => undefined);
}

/** Removes the stylesheets of the page that left (`previous`) that the page now on screen (`current`) does not use. */
export function pruneStylesheets(previous: readonly string[], current: readonly string[]): void {
  const keep = new Set(current.map(absolute));
  const linked = linkedStylesheets();
  for (const href of previous) {
    const url = absolute(href);
    if (!keep.has(url)) linked.get(url)?.remove();
  }
}
