import type { ComponentType, ReactElement, ReactNode } from "react";
import { RouterContext, type PageLocation } from "./router-context.js";

export type { PageLocation } from "./router-context.js";

/** The props every page component (and its `Head`, and `wrapPageElement`) receives. */
export interface PageElementProps {
  serverData: unknown;
  params: Record<string, string>;
  location: PageLocation;
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
}

/** No `_app`: pages as they are. */
export const NO_APP: AppWrappers = Object.freeze({});

/** The location of a mount-relative page URL (`/a?b` → `{ pathname: "/a", search: "?b" }`). */
export function locationOf(url: string): PageLocation {
  const question = url.indexOf("?");
  return question === -1 ? { pathname: url, search: "" } : { pathname: url.slice(0, question), search: url.slice(question) };
}

/**
 * The one tree both the server and the browser render for a page. Keeping it in one function is what
 * keeps server HTML and client hydration in step. The router context is outermost, so a `Link` in a
 * root wrapper (a site header) knows the mount path too.
 */
export function createPageElement(Page: ComponentType<PageElementProps>, props: PageElementProps, base: string, app: AppWrappers): ReactElement {
  const page = <Page serverData={props.serverData} params={props.params} location={props.location} />;
  const wrapped = app.wrapPageElement ? app.wrapPageElement({ element: page, props }) : page;
  return <RouterContext.Provider value={{ base, location: props.location }}>{app.wrapRootElement ? app.wrapRootElement({ element: wrapped }) : wrapped}</RouterContext.Provider>;
}
