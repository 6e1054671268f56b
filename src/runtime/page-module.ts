/** What a page module (and `_app`) must export, checked once when it is first loaded. */
import type { ComponentType, ReactNode } from "react";
import { SsrError } from "../errors.js";
import { isGraphqlQuery } from "../common/graphql-query.js";
import type { AppWrappers, PageComponents, PageElementProps } from "../common/page-element.js";
import type { Slices } from "../common/slices.js";
import type { GetServerData } from "../types.js";

/** A page module's exports, as the server uses them. */
export interface PageModule extends PageComponents {
  getServerData: GetServerData | undefined;
  /**
   * True when the page exports a Gatsby page query (`export const query = graphql\`…\``), which
   * needs a data layer there is not: the page answers a 500 that says so, once its `getServerData`
   * has had its say (a redirect or a status it returns still works).
   */
  pageQuery: boolean;
}

/**
 * Checks a page's exports. `dataless` pages (the 404 and 500 pages, which answer for other pages'
 * requests) may not export `getServerData`: it would never run, so say so rather than ignore it.
 * @throws SsrError 500 naming the file when there is no component.
 */
export function checkPageModule(exports: Record<string, unknown>, file: string, dataless = false): PageModule {
  const component = exports.default;
  if (!isComponent(component)) {
    throw new SsrError(500, `${file} has no default export that is a React component`, { page: file });
  }
  checkFunctions(exports, file, ["getServerData"]);
  const { getServerData, Head } = exports;
  if (dataless && getServerData !== undefined) {
    throw new SsrError(500, `${file} exports getServerData, which never runs: this page answers for other pages' requests (a not-found or failed page), with no data of its own`, { page: file });
  }
  return {
    default: component as ComponentType<PageElementProps>,
    getServerData: getServerData as GetServerData | undefined,
    Head: isComponent(Head) ? (Head as ComponentType<PageElementProps>) : undefined,
    pageQuery: isGraphqlQuery(exports.query),
  };
}

/**
 * Checks `_app`'s exports: each of `wrapRootElement`, `wrapPageElement` and `Head` is optional, and a
 * function when given. A `getServerData` there would never run (only pages have data): say so.
 * @throws SsrError 500 naming the file.
 */
export function checkAppModule(exports: Record<string, unknown>, file: string): AppWrappers {
  checkFunctions(exports, file, ["wrapRootElement", "wrapPageElement"]);
  if (exports.Head !== undefined && !isComponent(exports.Head)) throw new SsrError(500, `${file} exports Head, but it is a ${typeof exports.Head}, not a React component`, { page: file });
  const { slices } = exports;
  if (slices !== undefined && (typeof slices !== "object" || slices === null || !Object.values(slices).every(isComponent))) {
    throw new SsrError(500, `${file} exports slices, but it is not an object of React components ({ footer: Footer })`, { page: file });
  }
  if (exports.getServerData !== undefined) throw new SsrError(500, `${file} exports getServerData, which only pages may: _app wraps pages and has no data of its own`, { page: file });
  return {
    wrapRootElement: exports.wrapRootElement as AppWrappers["wrapRootElement"],
    wrapPageElement: exports.wrapPageElement as AppWrappers["wrapPageElement"],
    Head: exports.Head as ComponentType<PageElementProps> | undefined,
    slices: slices as Slices | undefined,
  };
}

/**
 * Gatsby's `onRenderBody({ pathname, setHtmlAttributes, … })` (from `gatsby-ssr`): called for every
 * page document, it adds attributes to `<html>` and `<body>` and elements to `<head>` and around
 * the page.
 */
export type OnRenderBody = (args: RenderBodyArgs) => void;

/** What `onRenderBody` is given: the page's path, and Gatsby's setters. */
export interface RenderBodyArgs {
  /** The page's path, relative to the mount path. */
  pathname: string;
  setHtmlAttributes(attributes: Record<string, unknown>): void;
  setBodyAttributes(attributes: Record<string, unknown>): void;
  /** Gatsby's older name for {@link RenderBodyArgs.setBodyAttributes}. */
  setBodyProps(attributes: Record<string, unknown>): void;
  setHeadComponents(components: ReactNode[]): void;
  setPreBodyComponents(components: ReactNode[]): void;
  setPostBodyComponents(components: ReactNode[]): void;
}

/** `gatsby-ssr`'s exports, as the server uses them: its wrappers (Gatsby's meaning) and `onRenderBody`. */
export interface GatsbySsrModule extends AppWrappers {
  onRenderBody: OnRenderBody | undefined;
}

/** Checks a Gatsby site's `gatsby-ssr` exports. @throws SsrError 500 naming the file. */
export function checkGatsbySsrModule(exports: Record<string, unknown>, file: string): GatsbySsrModule {
  checkFunctions(exports, file, ["wrapRootElement", "wrapPageElement", "onRenderBody"]);
  return {
    wrapRootElement: exports.wrapRootElement as AppWrappers["wrapRootElement"],
    wrapPageElement: exports.wrapPageElement as AppWrappers["wrapPageElement"],
    onRenderBody: exports.onRenderBody as OnRenderBody | undefined,
  };
}

/** @throws SsrError 500 naming the first of `names` that `file` exports as something other than a function. */
function checkFunctions(exports: Record<string, unknown>, file: string, names: readonly string[]): void {
  for (const name of names) {
    if (exports[name] !== undefined && typeof exports[name] !== "function") throw new SsrError(500, `${file} exports ${name}, but it is a ${typeof exports[name]}, not a function`, { page: file });
  }
}

function isComponent(value: unknown): boolean {
  // Function components, classes, and the objects React.memo / forwardRef / lazy return.
  return typeof value === "function" || (typeof value === "object" && value !== null && "$$typeof" in value);
}
