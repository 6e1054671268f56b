/**
 * Gatsby's `graphql` tag, for pages that still export a page query: the query is kept as text and
 * marked, so the server can tell such a page apart and answer that there is no data layer. Marked
 * through a `Symbol.for` key, so a query made by any copy of this module is recognised.
 */

import { BoundedMap } from "./bounded-map.js";
import { INTERNAL_PREFIX } from "./urls.js";

const QUERY: unique symbol = Symbol.for("ssr-pages.gatsby.graphql") as typeof QUERY;

/** What `graphql` returns: the query's text, marked, so a page that exports one can be told apart. */
export interface GraphqlQuery {
  readonly [QUERY]: true;
  readonly source: string;
}

/** Gatsby's `graphql` tag: kept as text; a page query made with it is refused when the page renders (see {@link isGraphqlQuery}). */
export function graphql(strings: TemplateStringsArray, ...values: unknown[]): GraphqlQuery {
  return Object.freeze({ [QUERY]: true as const, source: String.raw({ raw: strings }, ...values) });
}

/** Whether `value` was made by {@link graphql} (of any copy of this module). */
export function isGraphqlQuery(value: unknown): value is GraphqlQuery {
  return typeof value === "object" && value !== null && (value as { [QUERY]?: unknown })[QUERY] === true;
}

/** Why Gatsby's build-time queries cannot run here, and what to do instead. */
export const NO_DATA_LAYER =
  "ssr-pages has no GraphQL data layer (Gatsby's build-time queries over its nodes): load the data in the page's getServerData and pass it on as props";

/**
 * A `graphql` template of a Gatsby site, answered when the site was compiled (gatsby-site/source-plugin.ts
 * puts this object where the template was): the query's id and its result, with mount-relative URLs.
 */
export interface QueryResult {
  readonly ssrPagesQuery: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** Whether `value` is a compiled query's result. */
export function isQueryResult(value: unknown): value is QueryResult {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { ssrPagesQuery?: unknown }).ssrPagesQuery === "string"
  );
}

/** Each result's data under each mount path it was asked for: made once, then shared (a page renders it on every request). */
const mounted = new WeakMap<object, BoundedMap<string, unknown>>();

/**
 * `data` with the mount path in front of each URL of a file ssr-pages serves (`publicURL`, an image's
 * `src` and each `srcSet` entry), as Gatsby's results carry its path prefix. At the root it is `data`
 * itself; under a mount, a copy made once per mount path.
 */
export function withMountPath<T>(data: T, base: string): T {
  if (base === "" || typeof data !== "object" || data === null) return data;
  let byBase = mounted.get(data);
  if (!byBase) mounted.set(data, (byBase = new BoundedMap()));
  return byBase.get(base, () => prefixUrls(data, base)) as T;
}

/** A served file's URL at the start of a string or of a `srcset` entry. */
const SERVED_URL = new RegExp(`(^|,\\s*)${INTERNAL_PREFIX}`, "g");

function prefixUrls(value: unknown, base: string): unknown {
  if (typeof value === "string")
    return value.includes(INTERNAL_PREFIX) ? value.replace(SERVED_URL, `$1${base}${INTERNAL_PREFIX}`) : value;
  if (Array.isArray(value)) return value.map((item) => prefixUrls(item, base));
  if (typeof value !== "object" || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const key in value) copy[key] = prefixUrls((value as Record<string, unknown>)[key], base);
  return copy;
}
