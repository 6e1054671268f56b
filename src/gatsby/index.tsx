// `gatsby` (and `ssr-pages/gatsby`): what Gatsby pages import from Gatsby, so they move over
// unchanged. Pages, the files they import and `gatsby-*` packages that `require("gatsby")` all get
// this module, on the server and in the browser, without Gatsby installed. The runtime APIs are
// ssr-pages' own (`Link`, `navigate`, `withPrefix`); the GraphQL data layer is not there, and says so.

import {
  useContext,
  useEffect,
  type ComponentPropsWithRef,
  type CSSProperties,
  type ReactElement,
  type ReactNode,
} from "react";
import { Link as PageLink } from "../client/link.js";
import { navigate as navigateTo } from "../client/navigate.js";
import { samePage, stripBase } from "../client/paths.js";
import { withPrefix } from "../client/with-prefix.js";
import { isQueryResult, NO_DATA_LAYER, withMountPath } from "../common/graphql-query.js";
import { withTrailingSlashRule, type TrailingSlash } from "../common/urls.js";
import { RouterContext, type PageLocation } from "../common/router-context.js";
import { SlicesContext } from "../common/slices.js";

export { graphql, type GraphqlQuery } from "../common/graphql-query.js";
export { withPrefix } from "../client/with-prefix.js";
export type { HeadProps, PageProps } from "../types.js";

/** Gatsby's `withAssetPrefix`: assets are served under the mount path here, so the same as `withPrefix`. */
export const withAssetPrefix = (path: string): string => withPrefix(path);

/**
 * Gatsby's `navigate(to, { replace, state })`: a client navigation (`to` relative to the mount path),
 * or `navigate(-1)` through history.
 */
export function navigate(to: string | number, options: { replace?: boolean; state?: unknown } = {}): Promise<void> {
  return navigateTo(to, options);
}

/** What Gatsby's `Link` `getProps` receives. */
export interface LinkGetProps {
  isCurrent: boolean;
  isPartiallyCurrent: boolean;
  href: string;
  location: PageLocation;
}

/** Gatsby's `Link` props: `to`, the active-link props, `state`, `replace`, `getProps`, and every `<a>` prop. */
export interface GatsbyLinkProps extends Omit<ComponentPropsWithRef<"a">, "href"> {
  to: string;
  /** Added to `className` when the link points at the page on screen. */
  activeClassName?: string;
  /** Merged into `style` when the link points at the page on screen. */
  activeStyle?: CSSProperties;
  /** Active also when the page on screen is below `to` (`/blog` for `/blog/2`). */
  partiallyActive?: boolean;
  state?: unknown;
  replace?: boolean;
  /** Extra props for the `<a>`, from where the link points and where the user is. */
  getProps?: (props: LinkGetProps) => Record<string, unknown> | undefined | null;
}

/**
 * Gatsby's `Link`: ssr-pages' `Link` (a real `<a href>` with the mount path; a client navigation on a
 * plain click) with Gatsby's active-link props, computed from the page on screen on the server and
 * in the browser alike.
 */
export function Link({
  to,
  activeClassName,
  activeStyle,
  partiallyActive,
  getProps,
  className,
  style,
  ...props
}: GatsbyLinkProps): ReactElement {
  const { base, location, trailingSlash } = useContext(RouterContext);
  to = withSlashRule(to, trailingSlash);
  const target = to.split(/[?#]/, 1)[0] ?? to;
  // `location.pathname` has the mount path, as the address bar; `to` is relative to it.
  const here = stripBase(location.pathname, base);
  const isCurrent = samePage(here, target);
  // As in Gatsby, `/` is partially current everywhere; other targets by whole segments.
  const isPartiallyCurrent =
    isCurrent || target === "/" || here.startsWith(target.endsWith("/") ? target : `${target}/`);
  const active = partiallyActive ? isPartiallyCurrent : isCurrent;
  // Gatsby's getProps sees the href the link points at: with the prefix (here the mount path).
  const extra = getProps?.({ isCurrent, isPartiallyCurrent, href: withPrefix(to), location }) ?? {};
  const classes = [className, active ? activeClassName : undefined].filter(Boolean).join(" ") || undefined;
  const styles = active && activeStyle ? { ...style, ...activeStyle } : style;
  return (
    <PageLink
      to={to}
      className={classes}
      style={styles}
      aria-current={isCurrent ? "page" : undefined}
      {...props}
      {...extra}
    />
  );
}

/** `to` with the site's trailing-slash rule applied to its path; another origin, a relative path or a hash as written. */
function withSlashRule(to: string, rule: TrailingSlash | undefined): string {
  if (rule === undefined || !to.startsWith("/") || to.startsWith("//")) return to;
  const cut = to.search(/[?#]/);
  return cut === -1 ? withTrailingSlashRule(to, rule) : withTrailingSlashRule(to.slice(0, cut), rule) + to.slice(cut);
}

/** Gatsby's `parsePath`. */
export function parsePath(path: string): { pathname: string; search: string; hash: string } {
  const hashAt = path.indexOf("#");
  const hash = hashAt === -1 ? "" : path.slice(hashAt);
  const rest = hashAt === -1 ? path : path.slice(0, hashAt);
  const searchAt = rest.indexOf("?");
  return {
    pathname: searchAt === -1 ? rest || "/" : rest.slice(0, searchAt) || "/",
    search: searchAt === -1 ? "" : rest.slice(searchAt),
    hash,
  };
}

/** Gatsby's prefetching: page data is never prefetched here (each navigation runs `getServerData` fresh), so nothing to do. */
export function prefetchPathname(_path: string): void {}

// ---------------------------------------------------------------------------------------------
// Static queries
// ---------------------------------------------------------------------------------------------

/**
 * Gatsby's `useStaticQuery(graphql\`…\`)`: the query's result, run when the site was compiled (the
 * template in the source became it), with the mount path in front of the URLs of files it names.
 * A query that was not compiled (an app without a Gatsby site) throws, and the page answers a 500
 * that says there is no data layer.
 */
export function useStaticQuery<T = Record<string, unknown>>(query: unknown): T {
  if (!isQueryResult(query)) throw new Error(`useStaticQuery: ${NO_DATA_LAYER}`);
  const { base } = useContext(RouterContext);
  return withMountPath(query.data, base) as T;
}

/** Gatsby's `<StaticQuery query={graphql\`…\`} render={(data) => …} />` (or with a function as its child). */
export function StaticQuery<T = Record<string, unknown>>({
  query,
  render,
  children,
}: {
  query: unknown;
  render?: (data: T) => ReactNode;
  children?: (data: T) => ReactNode;
}): ReactNode {
  const data = useStaticQuery<T>(query);
  const draw = render ?? children;
  return typeof draw === "function" ? draw(data) : null;
}

// ---------------------------------------------------------------------------------------------
// Script
// ---------------------------------------------------------------------------------------------

/** Gatsby's script loading strategies. */
export const ScriptStrategy = Object.freeze({
  postHydrate: "post-hydrate",
  idle: "idle",
  offMainThread: "off-main-thread",
} as const);

/** Gatsby's `Script` props. */
export interface ScriptProps extends Omit<ComponentPropsWithRef<"script">, "onLoad" | "onError"> {
  /** `post-hydrate` (default): once the page has hydrated; `idle`: when the browser is idle; `off-main-thread`: as `idle` here (there is no Partytown). */
  strategy?: "post-hydrate" | "idle" | "off-main-thread";
  onLoad?: (event: Event) => void;
  onError?: (event: Event | ErrorEvent) => void;
  children?: ReactNode;
}

/**
 * Scripts already asked for, by `id`, `src` or inline text: a script runs once per document, however
 * often its page is shown. Recorded when scheduled (an `idle` script is added later), with the
 * `onLoad`s of every mount that waits for it.
 */
const added = new Map<string, { loaded: boolean; waiting: Array<(event: Event) => void> }>();

/**
 * Gatsby's `Script`: renders nothing on the server, and adds the script to the document in the
 * browser once the page has hydrated (`post-hydrate`) or when the browser is idle (`idle`,
 * `off-main-thread`). A script with the same `id`, `src` or inline text is added once per document;
 * a later mount of the same `src` gets its `onLoad` when it has loaded (at once if it already has).
 */
export function Script({
  strategy = "post-hydrate",
  onLoad,
  onError,
  children,
  dangerouslySetInnerHTML,
  id,
  src,
  ...attributes
}: ScriptProps): null {
  const inline =
    typeof children === "string"
      ? children
      : dangerouslySetInnerHTML?.__html === undefined
        ? undefined
        : String(dangerouslySetInnerHTML.__html);
  useEffect(() => {
    const key = id ?? src ?? inline;
    if (key === undefined) return;
    const existing = added.get(key);
    if (existing) {
      if (src !== undefined && onLoad) {
        if (existing.loaded) onLoad(new Event("load"));
        else existing.waiting.push(onLoad);
      }
      return;
    }
    const record = { loaded: false, waiting: onLoad ? [onLoad] : [] };
    added.set(key, record);
    const add = (): void => {
      const script = document.createElement("script");
      for (const [name, value] of Object.entries(attributes))
        if (typeof value === "string" || typeof value === "number" || value === true)
          script.setAttribute(name === "className" ? "class" : name, String(value));
      if (id !== undefined) script.id = id;
      if (src !== undefined) {
        script.src = src;
        script.addEventListener("load", (event) => {
          record.loaded = true;
          for (const waiting of record.waiting.splice(0)) waiting(event);
        });
        script.addEventListener("error", (event) => onError?.(event));
      } else if (inline !== undefined) {
        script.text = inline;
      }
      document.body.append(script);
    };
    if (strategy === "post-hydrate") add();
    else if (typeof requestIdleCallback === "function") requestIdleCallback(add);
    else setTimeout(add, 1);
    // Mounted once per key on purpose: the script stays when its page goes, as in Gatsby.
  }, []);
  return null;
}

// ---------------------------------------------------------------------------------------------
// Slice
// ---------------------------------------------------------------------------------------------

/** Gatsby's `Slice` props: the slice's `alias`, and props passed on to its component. */
export interface SliceProps {
  alias: string;
  allowEmpty?: boolean;
  [prop: string]: unknown;
}

/**
 * Gatsby's `Slice`: renders the component `_app.tsx` names for its alias in its `slices` export
 * (`export const slices = { footer: Footer }`), with the slice's other props, or nothing when
 * there is none: Gatsby's slices are a build-time feature, which ssr-pages has no need for.
 */
export function Slice({ alias, allowEmpty: _allowEmpty, ...props }: SliceProps): ReactElement | null {
  const slices = useContext(SlicesContext);
  const Component = slices?.[alias];
  return Component ? <Component {...props} /> : null;
}
