/**
 * A Gatsby site's `onRenderBody` (from `gatsby-ssr`), run for each page document as Gatsby runs it:
 * it is given the page's path and Gatsby's setters, and what it sets becomes attributes of `<html>`
 * and `<body>` and static markup in `<head>` and around the page (not hydrated, as in Gatsby).
 */
import type { ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import type { RenderBodyArgs, OnRenderBody } from "../runtime/page-module.js";
import type { RenderedBody } from "./document.js";
import { renderIn, type RenderEnv } from "./render-page.js";

/** Runs `onRenderBody` for the page at `pathname`. @throws what it (or rendering what it set) throws. */
export function renderBody(onRenderBody: OnRenderBody, pathname: string, base: string, env: RenderEnv): RenderedBody {
  const html: Record<string, unknown> = {};
  const body: Record<string, unknown> = {};
  const head: ReactNode[] = [];
  const pre: ReactNode[] = [];
  const post: ReactNode[] = [];
  const args: RenderBodyArgs = {
    pathname,
    setHtmlAttributes: (attributes) => void Object.assign(html, attributes),
    setBodyAttributes: (attributes) => void Object.assign(body, attributes),
    // Gatsby's older name for the same.
    setBodyProps: (attributes) => void Object.assign(body, attributes),
    setHeadComponents: (components) => void head.push(...components),
    setPreBodyComponents: (components) => void pre.push(...components),
    setPostBodyComponents: (components) => void post.push(...components),
  };
  onRenderBody(args);
  const markup = (nodes: ReactNode[]): string => (nodes.length === 0 ? "" : renderIn(<>{nodes}</>, base, env, renderToStaticMarkup));
  return {
    htmlAttributes: attributes(html, base, env),
    bodyAttributes: attributes(body, base, env),
    headComponents: markup(head),
    preBodyComponents: markup(pre),
    postBodyComponents: markup(post),
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
