/**
 * A page's whole HTML document: `_app`'s and the page's `Head`, the page inside `_app`'s wrappers,
 * its stylesheets, and (with a browser build) its page data and the client entry for hydration.
 * Pages and the 404 page render through here, so both hydrate the same way.
 */
import type { PassThrough } from "node:stream";
import type { ComponentType, ReactElement } from "react";
import type { Build, PageEntry } from "../runtime/build.js";
import {
  createPageElement,
  type AppWrappers,
  type PageComponents,
  type PageElementProps,
} from "../common/page-element.js";
import { INTERNAL_PREFIX } from "../common/urls.js";
import { mergeAttributes, parseAttributes, unescapeAttribute } from "./attributes.js";
import { documentAfterBody, documentStart, renderDocument, type DocumentParts, type RenderedBody } from "./document.js";
import { escapeHtml, escapeJsonForHtml } from "../common/html-escape.js";
import { NO_GATSBY_SSR, newBodyParts, renderBody, replacedRender } from "./render-body.js";
import { startCollector } from "./render-extensions.js";
import { renderPageBody, renderPageHead, type RenderedHead } from "./render-page.js";
import { streamPage, type StreamedDocument, type StreamOptions } from "./stream-page.js";

/** What one page document is made of. */
export interface PageDocument {
  build: Build;
  entry: PageEntry;
  module: PageComponents;
  app: AppWrappers;
  /** The props it renders with (after their JSON round trip). */
  props: PageElementProps;
  /** Its page-data JSON, embedded for hydration. */
  pageData: string;
  base: string;
  /** Already escaped for the attribute. */
  lang: string;
  /** The request's CSP nonce, escaped for the attribute, or `undefined`. */
  nonce?: string;
}

/** Renders the document. @throws what the page's (or `_app`'s) render throws. */
export function renderPageDocument(doc: PageDocument): string {
  const { build, module, props, base } = doc;
  // A Gatsby site's hooks see the page's path without the mount path, as Gatsby's see it without the path prefix.
  const pathname = props.location.pathname.slice(base.length) || "/";
  const parts = build.gatsby ? newBodyParts() : undefined;
  const replace = build.gatsby?.replaceRenderer;
  const render =
    replace && parts ? (element: ReactElement) => replacedRender(replace, element, pathname, parts) : undefined;
  const { body, collected } = renderCollectedBody(build, doc.entry, module.default, props, base, doc.app, render);
  return renderDocument({ ...documentFrame(doc, pathname, collected, parts, false), body });
}

/** How a streamed page document runs besides its page (see render/stream-page.ts). */
export type StreamSettings = Pick<StreamOptions, "deferred" | "complete" | "timeoutMs" | "dev" | "onError" | "stop">;

/**
 * The document streamed: at the shell, or whole once everything is ready when `complete` is asked
 * for, or the page has no browser build (nothing would fill a boundary in) or a collector (its
 * styles must be in `<head>`, written first). `undefined` for a site whose `replaceRenderer`
 * renders the page itself (to a string: it cannot wait).
 * @throws (rejects) what the page's shell throws.
 */
export function streamPageDocument(
  doc: PageDocument,
  settings: StreamSettings,
): Promise<PassThrough | string> | undefined {
  const { build, module, props, base } = doc;
  if (build.gatsby?.replaceRenderer) return undefined;
  const pathname = props.location.pathname.slice(base.length) || "/";
  const collector = startCollector(build, doc.entry);
  const complete = settings.complete || collector !== undefined || clientOf(doc) === undefined;
  const element = createPageElement(module.default, props, base, doc.app);
  const document = (): StreamedDocument => {
    const frame = documentFrame(
      doc,
      pathname,
      collector?.head() ?? "",
      build.gatsby ? newBodyParts() : undefined,
      !complete,
    );
    return { start: documentStart(frame), afterShell: documentAfterBody(frame) };
  };
  const streamed = streamPage(collector ? collector.wrap(element) : element, document, {
    ...settings,
    complete,
    env: build.env,
    base,
  });
  return collector ? streamed.finally(() => collector.seal()) : streamed;
}

/** The browser build that hydrates the page, or `undefined` (no client, or a page without a browser module). */
function clientOf({ build, entry }: PageDocument): Build["client"] {
  return build.client !== undefined && entry.module !== undefined ? build.client : undefined;
}

/** Everything of the document but its body. */
function documentFrame(
  doc: PageDocument,
  pathname: string,
  collected: string,
  parts: ReturnType<typeof newBodyParts> | undefined,
  streamed: boolean,
): Omit<DocumentParts, "body"> {
  const { build, entry, module, app, props, pageData, base, lang, nonce } = doc;
  const head = renderPageHead(module.Head, props, base, build.env, app);
  const client = clientOf(doc);
  const site =
    build.site === undefined && build.gatsby === undefined
      ? undefined
      : renderBody(
          build.gatsby ?? NO_GATSBY_SSR,
          pathname,
          base,
          build.env,
          build.siteHead(base, client !== undefined),
          parts,
        );
  const assets = `${escapeHtml(base)}${INTERNAL_PREFIX}`;
  // `_app`'s stylesheets first: a page's own rules win where both set something.
  // Development's Fast Refresh runtime: a classic script, so it runs before React DOM starts in the entry's modules.
  let preload =
    client?.preamble === undefined
      ? ""
      : `<script src="${assets}${client.preamble}"${nonce === undefined ? "" : ` nonce="${nonce}"`}></script>`;
  preload += stylesheetLinks(build, entry.css, assets);
  if (client) {
    const attributes = nonce === undefined ? "" : ` nonce="${nonce}"`;
    // React, which the entry's shared chunks import: fetched with the entry, not one import later.
    if (client.framework !== undefined)
      preload += `<link rel="modulepreload" href="${assets}${client.framework}"${attributes}>`;
    preload += `<link rel="modulepreload" href="${assets}${entry.module}"${attributes}>`;
  }
  return {
    lang,
    head,
    preload,
    collected,
    data: client
      ? escapeJsonForHtml(
          `{"base":${JSON.stringify(base)},"pageData":${pageData}${shellAttributes(head, lang, site)}${app.trailingSlash ? `,"trailingSlash":"${app.trailingSlash}"` : ""}}`,
        )
      : "",
    entry: client ? `${assets}${client.entry}` : "",
    site,
    streamed,
    nonce,
  };
}

/** A page's rendered body, and what its collector gathered for `<head>` (`""` without one). */
export interface CollectedBody {
  body: string;
  collected: string;
}

/**
 * Renders `Page` inside `_app`'s wrappers through the collector its entry needs (render-extensions.ts):
 * one made for this render alone and sealed once it is over, even when the render throws. A page
 * without one renders as it is.
 * @throws what the render throws; SsrError 500 when the collector's package cannot be loaded.
 */
export function renderCollectedBody(
  build: Build,
  entry: PageEntry,
  Page: ComponentType<PageElementProps>,
  props: PageElementProps,
  base: string,
  app: AppWrappers,
  render?: (element: ReactElement) => string,
): CollectedBody {
  const collector = startCollector(build, entry);
  if (collector === undefined)
    return { body: renderPageBody(Page, props, base, build.env, app, undefined, render), collected: "" };
  try {
    const body = renderPageBody(Page, props, base, build.env, app, collector, render);
    return { body, collected: collector.head() };
  } finally {
    collector.seal();
  }
}

/**
 * For a `Head` that set attributes of `<html>` or `<body>`: what each of those attributes is
 * without it (`null`: absent), so the client router can put them back on a page whose `Head` does
 * not set them. Empty for every other page.
 */
function shellAttributes(head: RenderedHead, lang: string, site: RenderedBody | undefined): string {
  if (head.html === "" && head.body === "") return "";
  const shell = (own: string, around: string) => {
    const values = parseAttributes(around);
    const restore: Record<string, string | null> = {};
    for (const name in parseAttributes(own))
      restore[name] = name in values ? unescapeAttribute(values[name] as string) : null;
    return restore;
  };
  const html = shell(head.html, mergeAttributes(` lang="${lang}"`, site?.htmlAttributes ?? ""));
  return `,"shellAttributes":${JSON.stringify({ html, body: shell(head.body, site?.bodyAttributes ?? "") })}`;
}

/** The `<link rel="stylesheet">` tags of `_app`'s stylesheets and then `css`, under `assets` (the escaped `<mount>/_ssr-pages/`). */
export function stylesheetLinks(build: Build, css: readonly string[], assets: string): string {
  let links = "";
  for (const name of build.client?.css ?? []) links += `<link rel="stylesheet" href="${assets}${name}">`;
  for (const name of css) links += `<link rel="stylesheet" href="${assets}${name}">`;
  return links;
}
