/** What a page module (and `_app`) must export, checked once when it is first loaded. */
import type { ComponentType, ReactNode } from "react";
import { SsrError } from "../errors.js";
import { isGraphqlQuery, isQueryResult, type QueryResult } from "../common/graphql-query.js";
import { composeApiWrappers, composeHook, lastHook, nonFunctionExport, type ApiFile } from "../common/gatsby-apis.js";
import type { AppWrappers, PageComponents, PageElementProps } from "../common/page-element.js";
import type { Slices } from "../common/slices.js";
import type { GetServerData } from "../types.js";

/** A page module's exports, as the server uses them. */
export interface PageModule extends PageComponents {
  getServerData: GetServerData | undefined;
  /**
   * The result of the page's Gatsby page query (a `graphql` template exported under any name), run
   * when the site was compiled: the page's `data` prop. `undefined` without one.
   */
  pageQuery: QueryResult | undefined;
  /**
   * True when the page exports a `graphql` query that was not answered at compile time (a page of an
   * app that is not a Gatsby site with a `gatsby-config`): the page answers a 500 that says so, once
   * its `getServerData` has had its say (a redirect or a status it returns still works).
   */
  unansweredQuery: boolean;
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
    throw new SsrError(
      500,
      `${file} exports getServerData, which never runs: this page answers for other pages' requests (a not-found or failed page), with no data of its own`,
      { page: file },
    );
  }
  return {
    default: component as ComponentType<PageElementProps>,
    getServerData: getServerData as GetServerData | undefined,
    Head: isComponent(Head) ? (Head as ComponentType<PageElementProps>) : undefined,
    ...pageQueryOf(exports),
  };
}

/** The page query among a page's exports, under whatever name Gatsby's rule allows (any export). */
function pageQueryOf(exports: Record<string, unknown>): Pick<PageModule, "pageQuery" | "unansweredQuery"> {
  let unansweredQuery = false;
  for (const name in exports) {
    const value = exports[name];
    if (isQueryResult(value)) return { pageQuery: value, unansweredQuery: false };
    if (isGraphqlQuery(value)) unansweredQuery = true;
  }
  return { pageQuery: undefined, unansweredQuery };
}

/**
 * Checks `_app`'s exports: each of `wrapRootElement`, `wrapPageElement` and `Head` is optional, and a
 * function when given. A `getServerData` there would never run (only pages have data): say so.
 * @throws SsrError 500 naming the file.
 */
export function checkAppModule(exports: Record<string, unknown>, file: string): AppWrappers {
  checkFunctions(exports, file, ["wrapRootElement", "wrapPageElement"]);
  if (exports.Head !== undefined && !isComponent(exports.Head))
    throw new SsrError(500, `${file} exports Head, but it is a ${typeof exports.Head}, not a React component`, {
      page: file,
    });
  const { slices } = exports;
  if (
    slices !== undefined &&
    (typeof slices !== "object" || slices === null || !Object.values(slices).every(isComponent))
  ) {
    throw new SsrError(
      500,
      `${file} exports slices, but it is not an object of React components ({ footer: Footer })`,
      { page: file },
    );
  }
  if (exports.getServerData !== undefined)
    throw new SsrError(
      500,
      `${file} exports getServerData, which only pages may: _app wraps pages and has no data of its own`,
      { page: file },
    );
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

/**
 * Gatsby's `onPreRenderHTML({ getHeadComponents, replaceHeadComponents, … })`: called once the page
 * has rendered, to reorder or replace what `onRenderBody` (and the plugins before it) put around it.
 */
export interface PreRenderHtmlArgs {
  pathname: string;
  getHeadComponents(): ReactNode[];
  replaceHeadComponents(components: ReactNode[]): void;
  getPreBodyComponents(): ReactNode[];
  replacePreBodyComponents(components: ReactNode[]): void;
  getPostBodyComponents(): ReactNode[];
  replacePostBodyComponents(components: ReactNode[]): void;
}

/** Gatsby's `replaceRenderer({ bodyComponent, replaceBodyHTMLString, … })`: renders the page itself instead of the default render. */
export interface ReplaceRendererArgs extends Omit<RenderBodyArgs, "setBodyProps"> {
  bodyComponent: ReactNode;
  replaceBodyHTMLString(html: string): void;
  setBodyProps(attributes: Record<string, unknown>): void;
}

/** The `gatsby-ssr` files of a site's plugins and the site, composed: their wrappers and their render hooks. */
export interface GatsbySsrModule extends AppWrappers {
  onRenderBody: OnRenderBody | undefined;
  onPreRenderHTML: ((args: PreRenderHtmlArgs) => void) | undefined;
  /** The last file's `replaceRenderer` (as in Gatsby, only one may render the body: the site's own wins). */
  replaceRenderer: ((args: ReplaceRendererArgs) => void) | undefined;
}

/**
 * Checks the `gatsby-ssr` files of a Gatsby site (`ssr-pages:gatsby-ssr`: `export const plugins =
 * [{ name, options, module }]`, the site's own file last) and composes them.
 * @throws SsrError 500 naming the plugin whose export is not a function.
 */
export function checkGatsbySsrModule(exports: Record<string, unknown>, file: string): GatsbySsrModule {
  const files = (Array.isArray(exports.plugins) ? exports.plugins : []) as ApiFile[];
  const wrong = nonFunctionExport(files, [
    "wrapRootElement",
    "wrapPageElement",
    "onRenderBody",
    "onPreRenderHTML",
    "replaceRenderer",
  ]);
  if (wrong) {
    const owner = wrong.file.name === "site" ? "the site's gatsby-ssr" : `${wrong.file.name}'s gatsby-ssr`;
    throw new SsrError(500, `${owner} exports ${wrong.name}, but it is a ${typeof wrong.value}, not a function`, {
      page: file,
    });
  }
  const replaceRenderer = lastHook<ReplaceRendererArgs>(files, "replaceRenderer");
  const onRenderBody = composeHook<RenderBodyArgs>(files, "onRenderBody");
  const onPreRenderHTML = composeHook<PreRenderHtmlArgs>(files, "onPreRenderHTML");
  return {
    ...composeApiWrappers(files),
    onRenderBody: onRenderBody && ((args) => void onRenderBody(args)),
    onPreRenderHTML: onPreRenderHTML && ((args) => void onPreRenderHTML(args)),
    replaceRenderer: replaceRenderer && ((args) => void replaceRenderer(args)),
  };
}

/** @throws SsrError 500 naming the first of `names` that `file` exports as something other than a function. */
function checkFunctions(exports: Record<string, unknown>, file: string, names: readonly string[]): void {
  for (const name of names) {
    if (exports[name] !== undefined && typeof exports[name] !== "function")
      throw new SsrError(500, `${file} exports ${name}, but it is a ${typeof exports[name]}, not a function`, {
        page: file,
      });
  }
}

function isComponent(value: unknown): boolean {
  // Function components, classes, and the objects React.memo / forwardRef / lazy return.
  return typeof value === "function" || (typeof value === "object" && value !== null && "$$typeof" in value);
}
