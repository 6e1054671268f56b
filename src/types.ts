/**
 * The public types of a page module: what `getServerData` receives and returns, and what the page
 * component and its `Head` receive.
 */

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
  | GetServerDataResult<Props>
  | undefined
  | void
  | Promise<GetServerDataResult<Props> | undefined | void>;

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
 * The props of a page component.
 *
 * @example
 * export default function Product({ serverData, params }: PageProps<{ name: string }, { id: string }>) {
 *   return <h1>{serverData.name} ({params.id})</h1>;
 * }
 */
export interface PageProps<ServerData = unknown, P extends Params = Params> {
  /** The `props` returned by `getServerData`, after a JSON round trip (a `Date` arrives as its ISO string). */
  serverData: ServerData;
  /** Params from the page's file name. */
  params: P;
}

/** The props of a page's `Head` export: the same as the page's. */
export type HeadProps<ServerData = unknown, P extends Params = Params> = PageProps<ServerData, P>;
