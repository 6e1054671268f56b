/** The HTML document around a rendered page. */

/** The pieces of one document, each already safe to insert as is. */
export interface DocumentParts {
  lang: string;
  /** Output of `_app`'s and the page's `Head`. */
  head: string;
  /** The rendered page. */
  body: string;
  /** Extra tags for `<head>` (stylesheets, module preload). */
  preload: string;
  /** Escaped JSON of `{ base, pageData }` for hydration, or `""`. */
  data: string;
  /** The client entry URL (attribute-escaped), or `""` for no script. */
  entry: string;
}

/**
 * Joins the document. The `Head` output sits between two comments so the client router can swap
 * it on navigation; the page data is JSON in a non-executing script, read by the client entry.
 * (What only a client navigation needs, the route announcer and the focusable wrapper, the router
 * adds itself: every byte here is written on every request.)
 */
export function renderDocument(parts: DocumentParts): string {
  return (
    `<!DOCTYPE html><html lang="${parts.lang}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<!--ssr-pages-head-->${parts.head}<!--/ssr-pages-head-->${parts.preload}</head>` +
    `<body><div id="___ssr-pages">${parts.body}</div>` +
    (parts.data === "" ? "" : `<script id="__SSR_PAGES_DATA__" type="application/json">${parts.data}</script>`) +
    (parts.entry === "" ? "" : `<script type="module" src="${parts.entry}"></script>`) +
    `</body></html>`
  );
}
