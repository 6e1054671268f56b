/**
 * A Gatsby site's `onRenderBody` (from `gatsby-ssr`), run for each page document as Gatsby runs it:
 * it is given the page's path and Gatsby's setters, and what it sets becomes attributes of `<html>`
 * and `<body>` and static markup in `<head>` and around the page (not hydrated, as in Gatsby).
 */
import type { ReactElement, ReactNode } from "react";
import { renderToStaticMarkup, renderToString } from "react-dom/server";
import type { GatsbySsrModule, PreRenderHtmlArgs, RenderBodyArgs } from "../runtime/page-module.js";
import type { RenderedBody } from "./document.js";
import { renderIn, type RenderEnv } from "./render-page.js";

/** A site without `gatsby-ssr` hooks (its natively done plugins may still add to `<head>`). */
export const NO_GATSBY_SSR: GatsbySsrModule = Object.freeze({
  onRenderBody: undefined,
  onPreRenderHTML: undefined,
  replaceRenderer: undefined,
});

/** What a site's `gatsby-ssr` hooks set for one page document, gathered across `replaceRenderer` and `onRenderBody`. */
export interface BodyParts {
  html: Record<string, unknown>;
  body: Record<string, unknown>;
  head: ReactNode[];
  pre: ReactNode[];
  post: ReactNode[];
}

/** Nothing set yet. */
export function newBodyParts(): BodyParts {
  return { html: {}, body: {}, head: [], pre: [], post: [] };
}

/** Gatsby's setters, writing into `parts`. */
function setters(parts: BodyParts, pathname: string): RenderBodyArgs {
  return {
    pathname,
    setHtmlAttributes: (attributes) => void Object.assign(parts.html, attributes),
    setBodyAttributes: (attributes) => void Object.assign(parts.body, attributes),
    // Gatsby's older name for the same.
    setBodyProps: (attributes) => void Object.assign(parts.body, attributes),
    setHeadComponents: (components) => void parts.head.push(...components),
    setPreBodyComponents: (components) => void parts.pre.push(...components),
    setPostBodyComponents: (components) => void parts.post.push(...components),
  };
}

/**
 * The page's body as a `replaceRenderer` renders it (given the whole page element, it renders it its
 * own way and hands back the HTML), or React's own `renderToString` when it hands back nothing.
 * What it sets goes into `parts`, beside what `onRenderBody` sets later.
 */
export function replacedRender(
  replaceRenderer: NonNullable<GatsbySsrModule["replaceRenderer"]>,
  element: ReactElement,
  pathname: string,
  parts: BodyParts,
): string {
  let html: string | undefined;
  replaceRenderer({
    ...setters(parts, pathname),
    bodyComponent: element,
    replaceBodyHTMLString: (markup) => void (html = markup),
  });
  return html ?? renderToString(element);
}

/**
 * Runs `onRenderBody` and then `onPreRenderHTML` of every `gatsby-ssr` file for the page at
 * `pathname` (mount-relative), after the page rendered (react-helmet's plugin reads what the page's
 * `<Helmet>`s set). `extraHead` is markup ssr-pages adds for natively done plugins (the manifest's
 * links); `parts` holds what a `replaceRenderer` set already.
 * @throws what they (or rendering what they set) throw.
 */
export function renderBody(
  gatsby: GatsbySsrModule,
  pathname: string,
  base: string,
  env: RenderEnv,
  extraHead = "",
  parts: BodyParts = newBodyParts(),
): RenderedBody {
  gatsby.onRenderBody?.(setters(parts, pathname));
  let { head: headNodes, pre: preNodes, post: postNodes } = parts;
  if (gatsby.onPreRenderHTML) {
    const late: PreRenderHtmlArgs = {
      pathname,
      getHeadComponents: () => headNodes,
      replaceHeadComponents: (components) => void (headNodes = components),
      getPreBodyComponents: () => preNodes,
      replacePreBodyComponents: (components) => void (preNodes = components),
      getPostBodyComponents: () => postNodes,
      replacePostBodyComponents: (components) => void (postNodes = components),
    };
    gatsby.onPreRenderHTML(late);
  }
  const markup = (nodes: ReactNode[]): string =>
    nodes.length === 0 ? "" : renderIn(<>{nodes}</>, base, env, renderToStaticMarkup);
  return {
    htmlAttributes: attributes(parts.html, base, env),
    bodyAttributes: attributes(parts.body, base, env),
    headComponents: extraHead + markup(headNodes),
    preBodyComponents: markup(preNodes),
    postBodyComponents: markup(postNodes),
  };
}

/** React's own rendering of props as attributes (`className` → `class`, escaping, booleans), cut out of an element. */
function attributes(props: Record<string, unknown>, base: string, env: RenderEnv): string {
  // Content is no attribute: without these two the element is always `<div …></div>`.
  const { children: _children, dangerouslySetInnerHTML: _html, ...attributeProps } = props;
  if (Object.keys(attributeProps).length === 0) return "";
  const element = renderIn(<div {...attributeProps} />, base, env, renderToStaticMarkup);
  return element.slice("<div".length, element.length - "></div>".length);
}
