import type { ComponentType, ReactElement, ReactNode } from "react";
import { RouterContext, type PageLocation, type RouterState } from "./router-context.js";
import { SlicesContext, type Slices } from "./slices.js";

export type { PageLocation } from "./router-context.js";

/** The props every page component (and its `Head`, and `wrapPageElement`) receives (and an empty `pageContext`, see {@link PAGE_CONTEXT}). */
export interface PageElementProps {
  serverData: unknown;
  params: Record<string, string>;
  /** Where the page is, as the browser's address bar says: the mount path included (`/shop/cart`), as Gatsby's includes its path prefix. */
  location: PageLocation;
  pageContext?: Readonly<Record<string, unknown>>;
  /** The result of the page's Gatsby page query (a Gatsby site's page that exports one), URLs under the mount path. */
  data?: unknown;
  /** The page's route, relative to the mount path: its path for a static page, its pattern (`/products/:id`) for a dynamic one. */
  path?: string;
}

/** What a page module gives the renderer on either side: its component and its `Head`. */
export interface PageComponents {
  default: ComponentType<PageElementProps>;
  Head?: ComponentType<PageElementProps> | undefined;
}

/**
 * What `_app.tsx` may export, with Gatsby's names and signatures: `wrapRootElement` wraps everything
 * once and survives client navigation (a layout's state, a theme or data provider),
 * `wrapPageElement` wraps each page and gets its props, `Head` adds site-wide tags to every page's.
 */
export interface AppWrappers {
  wrapRootElement?: ((args: { element: ReactNode }) => ReactNode) | undefined;
  wrapPageElement?: ((args: { element: ReactNode; props: PageElementProps }) => ReactNode) | undefined;
  Head?: ComponentType<PageElementProps> | undefined;
  /** The components Gatsby's `<Slice alias>` renders. */
  slices?: Slices | undefined;
  /** A Gatsby site's `trailingSlash` rule, for Gatsby's `Link` (see RouterState). */
  trailingSlash?: RouterState["trailingSlash"];
}

/** No `_app`: pages as they are. */
export const NO_APP: AppWrappers = Object.freeze({});

/**
 * Gatsby's `pageContext` prop: the context `createPage` gave a page, which file-system pages (the
 * only kind here) do not have. Given, empty, so a Gatsby page reading `pageContext.x` reads
 * `undefined` instead of throwing.
 */
export const PAGE_CONTEXT: Readonly<Record<string, unknown>> = Object.freeze({});

/** `outer`'s wrappers around `inner`'s (and `outer`'s `Head` and slices). */
export function composeWrappers(inner: AppWrappers, outer: AppWrappers): AppWrappers {
  const page = [inner.wrapPageElement, outer.wrapPageElement].filter((wrap) => wrap !== undefined);
  const root = [inner.wrapRootElement, outer.wrapRootElement].filter((wrap) => wrap !== undefined);
  return {
    wrapPageElement:
      page.length === 0
        ? undefined
        : ({ element, props }) => page.reduce<ReactNode>((wrapped, wrap) => wrap({ element: wrapped, props }), element),
    wrapRootElement:
      root.length === 0
        ? undefined
        : ({ element }) => root.reduce<ReactNode>((wrapped, wrap) => wrap({ element: wrapped }), element),
    Head: outer.Head,
    slices: outer.slices,
    trailingSlash: outer.trailingSlash ?? inner.trailingSlash,
  };
}

/** `Component` (a page, or a `Head`) given a page's props, the empty `pageContext` among them. */
export function withPageProps(Component: ComponentType<PageElementProps>, props: PageElementProps): ReactElement {
  return (
    <Component
      serverData={props.serverData}
      params={props.params}
      location={props.location}
      pageContext={PAGE_CONTEXT}
      data={props.data}
      path={props.path}
    />
  );
}

/**
 * The location of a mount-relative page URL under the mount path `base`, as the browser's address bar
 * has it (`/a?b` under `/shop` → `{ pathname: "/shop/a", search: "?b" }`).
 */
export function locationOf(url: string, base: string): PageLocation {
  const question = url.indexOf("?");
  return question === -1
    ? { pathname: base + url, search: "" }
    : { pathname: base + url.slice(0, question), search: url.slice(question) };
}

/**
 * The one tree both the server and the browser render for a page. Keeping it in one function is what
 * keeps server HTML and client hydration in step. The router context is outermost, so a `Link` in a
 * root wrapper (a site header) knows the mount path too.
 */
export function createPageElement(
  Page: ComponentType<PageElementProps>,
  props: PageElementProps,
  base: string,
  app: AppWrappers,
): ReactElement {
  const page = withPageProps(Page, props);
  const wrapped = app.wrapPageElement ? app.wrapPageElement({ element: page, props }) : page;
  const root = app.wrapRootElement ? app.wrapRootElement({ element: wrapped }) : wrapped;
  return (
    <RouterContext.Provider value={{ base, location: props.location, trailingSlash: app.trailingSlash }}>
      {app.slices ? <SlicesContext.Provider value={app.slices}>{root}</SlicesContext.Provider> : root}
    </RouterContext.Provider>
  );
}
