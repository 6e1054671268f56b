/**
 * The public types of a page module: what `getServerData` receives and returns, and what the page
 * component and its `Head` receive; and of `_app`, what its wrappers receive.
 */
import type { ReactNode } from "react";
import type { PageLocation } from "./common/router-context.js";

export type { PageLocation } from "./common/router-context.js";

/** Route params: one string per `[name]` or `{Model.field}` segment; a splat holds the rest of the path. */
export type Params = Record<string, string>;

/** The parsed query string. A key given more than once holds an array, in request order. */
export type Query = Record<string, string | string[]>;

/**
 * The request headers, lower-case names to values, as a plain object: `headers["user-agent"]`,
 * `{ ...headers }` and `JSON.stringify(headers)` all work. `headers.get(name)` is also there, for code
 * written against Gatsby's `Map` (case-insensitive; repeated headers are joined with `", "`).
 */
export type RequestHeaders = Readonly<Record<string, string | string[] | undefined>> & {
  get(name: string): string | undefined;
};

/**
 * The argument of `getServerData`.
 *
 * @example
 * export async function getServerData({ params, query, headers, signal }: GetServerDataContext<{ id: string }>) {
 *   const res = await fetch(`https://api.example.com/items/${params.id}?q=${query.q ?? ""}`, { signal });
 *   return { props: await res.json(), headers: { "Cache-Control": "public, max-age=60" } };
 * }
 */
export interface GetServerDataContext<P extends Params = Params, Locals = unknown> {
  /** Request headers with lower-case names (see {@link RequestHeaders}). */
  headers: RequestHeaders;
  /** `"GET"` or `"HEAD"`: other methods never reach a page. */
  method: string;
  /** Path and query as the mounted app sees them (`/products/1?color=red`), also for a page-data request. */
  url: string;
  /** The query string, parsed. */
  query: Query;
  /** Params from the page's file name, URL-decoded. `{}` for a static page. */
  params: P;
  /** Host data: `res.locals` in Express, `ctx.state` in Koa, or what the adapter's `locals` option returns. */
  locals: Locals;
  /** Aborts when the client goes away or the `timeout` option's time is up: pass it to `fetch`. */
  signal: AbortSignal;
}

/** Response header values `getServerData` may return. `status` (a number) sets the status instead. */
export type ServerDataHeaders = Record<string, string | number | readonly string[]>;

/** What `getServerData` returns. Every key is optional; returning nothing renders with no `serverData`. */
export interface GetServerDataResult<Props = unknown> {
  /** Reaches the page component as its `serverData` prop. Must be JSON-serialisable. */
  props?: Props;
  /** Set on the response, HTML and page-data JSON alike. `headers.status` sets the status (Gatsby's docs form). */
  headers?: ServerDataHeaders;
  /** The response status (200–599). Wins over `headers.status`. A 3xx with a `Location` header redirects. */
  status?: number;
}

/** The return type of `getServerData`: the result, sync or async. */
export type GetServerDataReturn<Props = unknown> =
  GetServerDataResult<Props> | undefined | void | Promise<GetServerDataResult<Props> | undefined | void>;

/**
 * The type of a page's `getServerData` export.
 *
 * @example
 * export const getServerData: GetServerData<{ name: string }, { id: string }> = ({ params }) => ({
 *   props: { name: `Product ${params.id}` },
 * });
 */
export type GetServerData<Props = unknown, P extends Params = Params, Locals = unknown> = (
  context: GetServerDataContext<P, Locals>,
) => GetServerDataReturn<Props>;

/**
 * The `props` a `getServerData` function can return, sync or async: the union of the `props` of every
 * object it may return. A branch with a `status` and no `props` (a redirect, `{ status: 404 }`) adds
 * nothing: the page does not render for it. A branch with neither (nothing at all, or only
 * `headers`) renders the page without data, so it adds `undefined`.
 *
 * @example
 * type Data = InferServerData<typeof getServerData>; // { count: number; label: string }
 */
export type InferServerData<F> = F extends (...args: never[]) => infer R ? PropsOf<Awaited<R>> : never;

/** The `props` of each member of a union of results (distributes over it). */
type PropsOf<R> = R extends object
  ? "props" extends keyof R
    ? Exclude<R["props" & keyof R], undefined>
    : "status" extends keyof R
      ? never
      : undefined
  : undefined;

/** The params a `getServerData` function declares through its context's type. */
type ParamsOf<F, Fallback extends Params> = F extends (context: GetServerDataContext<infer P, never>) => unknown
  ? Params extends P
    ? Fallback
    : P
  : Fallback;

/**
 * The props of a page component. Give it the type of the page's `getServerData` and `serverData` is
 * inferred from what the function returns (and `params` from its context's type), so reading a key
 * the function never returns fails to typecheck; or give it the data's type yourself.
 *
 * @example
 * export async function getServerData({ params }: GetServerDataContext<{ id: string }>) {
 *   if (params.id === "old") return { status: 301, headers: { Location: "/products/new" } };
 *   return { props: { name: `Product ${params.id}`, price: 12 } };
 * }
 * export default function Product({ serverData, params }: PageProps<typeof getServerData>) {
 *   return <h1>{serverData.name} ({params.id})</h1>; // serverData: { name: string; price: number }
 * }
 * // or, as in Gatsby: PageProps<{ name: string; price: number }, { id: string }>
 */
export interface PageProps<ServerData = unknown, P extends Params = Params> {
  /** The `props` returned by `getServerData`, as the server rendered with them (a `Date` arrives as a `Date`, a deferred prop as its promise: read it with `use()`). */
  serverData: ServerData extends (...args: never[]) => unknown ? InferServerData<ServerData> : ServerData;
  /** Params from the page's file name. */
  params: ServerData extends (...args: never[]) => unknown ? ParamsOf<ServerData, P> : P;
  /** Where the page is, relative to the mount path (Gatsby's `location`, without the hash). */
  location: PageLocation;
  /** Gatsby's `createPage` context, which file-system pages do not have: always `{}`. */
  pageContext: Readonly<Record<string, unknown>>;
}

/** The props of a page's `Head` export (and of `_app`'s): the same as the page's. */
export type HeadProps<ServerData = unknown, P extends Params = Params> = PageProps<ServerData, P>;

/**
 * What `_app`'s `wrapRootElement` receives (Gatsby's signature): the whole tree, to wrap once. What
 * it renders survives client navigation: a layout's state, a theme or data provider.
 *
 * @example
 * export function wrapRootElement({ element }: WrapRootElementArgs) {
 *   return <CartProvider>{element}</CartProvider>;
 * }
 */
export interface WrapRootElementArgs {
  element: ReactNode;
}

/**
 * What `_app`'s `wrapPageElement` receives (Gatsby's signature): each page's element and its props.
 *
 * @example
 * export function wrapPageElement({ element, props }: WrapPageElementArgs) {
 *   return <Layout path={props.location.pathname}>{element}</Layout>;
 * }
 */
export interface WrapPageElementArgs {
  element: ReactNode;
  props: PageProps;
}
