/** The HTML document around a rendered page. */
import { mergeAttributes } from "./attributes.js";
import type { RenderedHead } from "./render-page.js";

/** The pieces of one document, each already safe to insert as is. */
export interface DocumentParts {
  lang: string;
  /** Output of `_app`'s and the page's `Head`, with the attributes they give `<html>` and `<body>`. */
  head: RenderedHead;
  /** The rendered page. */
  body: string;
  /** Extra tags for `<head>` (stylesheets, module preload). */
  preload: string;
  /**
   * What the page's collector gathered while it rendered (styled-components' `<style>` tags), last in
   * `<head>`, outside the `Head` markers: the client router must not swap it out on navigation (the
   * library's browser runtime takes it over). Absent for pages without a collector.
   */
  collected?: string;
  /** Escaped JSON of `{ base, pageData }` for hydration, or `""`. */
  data: string;
  /** The client entry URL (attribute-escaped), or `""` for no script. */
  entry: string;
  /** What a Gatsby site's `onRenderBody` adds (see render/render-body.ts); absent without one. */
  site?: RenderedBody;
  /** The body streams in after the document's start: the entry loads `async`. */
  streamed?: boolean;
  /** The request's CSP nonce (attribute-escaped), on every script and module preload ssr-pages writes. */
  nonce?: string;
}

/** The markup of `onRenderBody`'s additions: attribute lists (` a="b"`) and elements. */
export interface RenderedBody {
  htmlAttributes: string;
  bodyAttributes: string;
  headComponents: string;
  preBodyComponents: string;
  postBodyComponents: string;
}

/**
 * Joins the document. The `Head` output sits between two comments so the client router can swap
 * it on navigation; the page data is JSON in a non-executing script, read by the client entry.
 * (What only a client navigation needs, the route announcer and the focusable wrapper, the router
 * adds itself: every byte here is written on every request.)
 */
export function renderDocument(parts: DocumentParts): string {
  return `${documentStart(parts)}${parts.body}${documentAfterBody(parts)}</body></html>`;
}

/** The document up to the page's container, its content not included. */
export function documentStart(parts: Omit<DocumentParts, "body">): string {
  const { site, head } = parts;
  // Later lists win name by name: the `lang` option, then `onRenderBody`'s, then the `Head`'s.
  const html =
    site === undefined && head.html === ""
      ? ` lang="${parts.lang}"`
      : mergeAttributes(` lang="${parts.lang}"`, site?.htmlAttributes ?? "", head.html);
  const body = site === undefined ? head.body : mergeAttributes(site.bodyAttributes, head.body);
  return (
    `<!DOCTYPE html><html${html}><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">${site?.headComponents ?? ""}` +
    `<!--ssr-pages-head-->${head.markup}<!--/ssr-pages-head-->${parts.preload}${parts.collected ?? ""}</head>` +
    `<body${body}>${site?.preBodyComponents ?? ""}<div id="___ssr-pages">`
  );
}

/**
 * From the container's end to before `</body>`: the boot data and the entry. A streamed document
 * loads its entry `async`, so hydration starts while the rest streams in (a module script waits
 * for the whole document otherwise).
 */
export function documentAfterBody(parts: Omit<DocumentParts, "body">): string {
  const nonce = parts.nonce === undefined ? "" : ` nonce="${parts.nonce}"`;
  return (
    `</div>${parts.site?.postBodyComponents ?? ""}` +
    (parts.data === ""
      ? ""
      : `<script id="__SSR_PAGES_DATA__" type="application/json"${nonce}>${parts.data}</script>`) +
    (parts.entry === ""
      ? ""
      : `<script type="module"${parts.streamed ? " async" : ""} src="${parts.entry}"${nonce}></script>`)
  );
}
