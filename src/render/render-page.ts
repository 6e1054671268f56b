import type { ComponentType } from "react";
import { renderToStaticMarkup, renderToString } from "react-dom/server";
import { createPageElement, type PageElementProps } from "../client/page-element.js";

/**
 * Renders a page to a string: measured faster than streaming for pages that do not suspend (the page
 * data is already loaded by the time we render), and it lets a render error become a clean 500
 * before any byte is sent.
 */
export function renderPageBody(Page: ComponentType<PageElementProps>, props: PageElementProps, base: string): string {
  return renderToString(createPageElement(Page, props, base));
}

/** Renders a page's `Head` export to static markup for `<head>`. */
export function renderPageHead(Head: ComponentType<PageElementProps> | undefined, props: PageElementProps, base: string): string {
  return Head ? renderToStaticMarkup(createPageElement(Head, props, base)) : "";
}
