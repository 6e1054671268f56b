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
 * Visually hidden, still read: where the client router announces each new page to screen readers
 * (Gatsby's route announcer, Next's too).
 */
const ANNOUNCER =
  '<div id="___ssr-pages-announcer" aria-live="assertive" aria-atomic="true" ' +
  'style="position:absolute;top:0;width:1px;height:1px;padding:0;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0"></div>';

/**
 * Joins the document. The `Head` output sits between two comments so the client router can swap
 * it on navigation; the page data is JSON in a non-executing script, read by the client entry. The
 * page's wrapper takes focus after a client navigation (so keyboard users start from the new page),
 * hence its `tabindex`.
 */
export function renderDocument(parts: DocumentParts): string {
  const client = parts.entry !== "";
  return (
    `<!DOCTYPE html><html lang="${parts.lang}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<!--ssr-pages-head-->${parts.head}<!--/ssr-pages-head-->${parts.preload}</head>` +
    `<body><div id="___ssr-pages"${client ? ' tabindex="-1" style="outline:none"' : ""}>${parts.body}</div>` +
    (client ? ANNOUNCER : "") +
    (parts.data === "" ? "" : `<script id="__SSR_PAGES_DATA__" type="application/json">${parts.data}</script>`) +
    (client ? `<script type="module" src="${parts.entry}"></script>` : "") +
    `</body></html>`
  );
}
