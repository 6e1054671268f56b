import type { ComponentType, ReactElement } from "react";
import { renderToStaticMarkup, renderToString } from "react-dom/server";
import {
  createPageElement,
  NO_APP,
  withPageProps,
  type AppWrappers,
  type PageElementProps,
} from "../common/page-element.js";
import { setRenderBase } from "../common/render-base.js";
import { RouterContext } from "../common/router-context.js";
import { formatAttributes, mergeAttributes, parseAttributes } from "./attributes.js";
import type { RenderCollector } from "./render-collector.js";

/** `NODE_ENV` and the public variables: what components see as `process.env` on the server, as in the browser. */
export type RenderEnv = Readonly<Record<string, string>>;

/**
 * Renders `element` synchronously with `base` as the mount path (for `withPrefix`) and `env` as
 * `process.env`. A component that reads `process.env` must render the same on both sides (else
 * hydration fails), and must never print a server secret into the HTML. `getServerData` ran
 * before, outside the render, with the real environment, and nothing else runs while a synchronous
 * render does, so no other code sees the swap. (No closure per render: this runs on every request.)
 */
export function renderIn(
  element: ReactElement,
  base: string,
  env: RenderEnv,
  toMarkup: (element: ReactElement) => string,
): string {
  const real = process.env;
  const previousBase = setRenderBase(base);
  process.env = env as NodeJS.ProcessEnv;
  try {
    return toMarkup(element);
  } finally {
    process.env = real;
    setRenderBase(previousBase);
  }
}

/**
 * Renders a page, inside `_app`'s wrappers, to a string: measured faster than streaming for pages
 * that do not suspend (the page data is already loaded by the time we render), and it lets a render
 * error become a clean 500 before any byte is sent. A `collector` (render-extensions.ts) wraps the
 * whole tree, so it sees every component of the page and of `_app`'s wrappers. `render` is a Gatsby
 * site's `replaceRenderer`, when it has one.
 */
export function renderPageBody(
  Page: ComponentType<PageElementProps>,
  props: PageElementProps,
  base: string,
  env: RenderEnv,
  app: AppWrappers,
  collector?: RenderCollector,
  render: (element: ReactElement) => string = renderToString,
): string {
  const element = createPageElement(Page, props, base, app);
  return renderIn(collector === undefined ? element : collector.wrap(element), base, env, render);
}

const TITLE = /<title\b[^>]*>[\s\S]*?<\/title>/g;

/** What the `Head`s render: markup for `<head>`, and attributes (` a="b"`) for `<html>` and `<body>`. */
export interface RenderedHead {
  markup: string;
  html: string;
  body: string;
}

/**
 * Renders `_app`'s `Head` and the page's `Head` to static markup for `<head>`, site-wide tags first.
 * A `<title>` of the page's own replaces the site's default, and so do its `<html>` and `<body>`
 * attributes, name by name.
 */
export function renderPageHead(
  Head: ComponentType<PageElementProps> | undefined,
  props: PageElementProps,
  base: string,
  env: RenderEnv,
  app: AppWrappers = NO_APP,
): RenderedHead {
  const page = Head ? renderHead(Head, props, base, env) : NO_HEAD;
  const site = app.Head ? renderHead(app.Head, props, base, env) : NO_HEAD;
  if (site === NO_HEAD) return page;
  return {
    markup: (page.markup.includes("<title") ? site.markup.replace(TITLE, "") : site.markup) + page.markup,
    html: mergeAttributes(site.html, page.html),
    body: mergeAttributes(site.body, page.body),
  };
}

const NO_HEAD: RenderedHead = { markup: "", html: "", body: "" };

function renderHead(
  Head: ComponentType<PageElementProps>,
  props: PageElementProps,
  base: string,
  env: RenderEnv,
): RenderedHead {
  const head = withPageProps(Head, props);
  const markup = renderStatic(head, props, base, env);
  // Gatsby 5 lets a `Head` render `<html lang>` and `<body className>` for their attributes. At
  // the top of a render React 19 makes them the document's own (`<html><head>…</head>…`), so a Head
  // with either renders once more inside a wrapper, where they stay plain elements to cut out.
  if (!markup.includes("<html") && !markup.includes("<body")) return { markup, html: "", body: "" };
  return cutDocumentElements(renderStatic(<div data-ssr-pages-head="">{head}</div>, props, base, env));
}

/** Static markup of `element` inside the router context of the page at `props.location`. */
function renderStatic(element: ReactElement, props: PageElementProps, base: string, env: RenderEnv): string {
  return renderIn(
    <RouterContext.Provider value={{ base, location: props.location }}>{element}</RouterContext.Provider>,
    base,
    env,
    renderToStaticMarkup,
  );
}

const WRAPPER = '<div data-ssr-pages-head="">';
// The text of `<script>` and `<style>` is raw (React does not escape it, and data may be in it: a
// JSON-LD script), so it is matched first and kept as it is; only tags React wrote are cut.
const DOCUMENT_TAG = /<(script|style)(?=[\s>])[^>]*>[\s\S]*?<\/\1>|<(html|body)(?=[\s/>])([^>]*)>|<\/(?:html|body)>/g;

/**
 * Takes the `<html>` and `<body>` tags out of a wrapped `Head` render (hoisted tags first, then the
 * wrapper with the rest), keeping what they held, and returns their attributes, parsed and written
 * again (never passed through as cut).
 */
function cutDocumentElements(wrapped: string): RenderedHead {
  const start = wrapped.indexOf(WRAPPER);
  const inner = wrapped.slice(start + WRAPPER.length, wrapped.length - "</div>".length);
  let html = "";
  let body = "";
  const rest = inner.replace(
    DOCUMENT_TAG,
    (tag, rawText: string | undefined, name: string | undefined, attributes: string | undefined) => {
      if (rawText !== undefined) return tag;
      if (name === "html") html = mergeAttributes(html, attributes ?? "");
      else if (name === "body") body = mergeAttributes(body, attributes ?? "");
      return "";
    },
  );
  return {
    markup: wrapped.slice(0, start) + rest,
    html: formatAttributes(parseAttributes(html)),
    body: formatAttributes(parseAttributes(body)),
  };
}
