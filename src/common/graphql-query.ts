/**
 * Gatsby's `graphql` tag, for pages that still export a page query: the query is kept as text and
 * marked, so the server can tell such a page apart and answer that there is no data layer. Marked
 * through a `Symbol.for` key, so a query made by any copy of this module is recognised.
 */

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
