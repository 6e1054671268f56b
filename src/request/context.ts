import type { GetServerDataContext, Params } from "../types.js";
import type { LazyAbort } from "./abort.js";
import { createRequestHeaders, type RawHeaders } from "./headers.js";
import { parseQuery } from "./query.js";

/** What the core knows of a request when a page has been found. */
export interface ContextInput {
  method: string;
  /** Mount-relative path and query of the page (for a page-data request: the page's URL). */
  url: string;
  search: string;
  headers: RawHeaders;
  params: Params;
  locals: unknown;
  abort: LazyAbort;
}

/**
 * The argument of `getServerData`. A class, not an object literal: `signal` must be lazy (see
 * LazyAbort), and a per-request literal with getters measured 6x the garbage-collection time (its
 * closures were pretenured into old space). Everything but `signal` is an own enumerable field, so
 * destructuring, spreading and `JSON.stringify` show the request; `signal` is a getter.
 */
class ServerDataContext implements GetServerDataContext {
  readonly headers: GetServerDataContext["headers"];
  readonly method: string;
  readonly url: string;
  readonly query: GetServerDataContext["query"];
  readonly params: Params;
  readonly locals: unknown;
  readonly #abort: LazyAbort;

  constructor(input: ContextInput) {
    this.headers = createRequestHeaders(input.headers);
    this.method = input.method;
    this.url = input.url;
    this.query = parseQuery(input.search);
    this.params = input.params;
    this.locals = input.locals;
    this.#abort = input.abort;
  }

  /** Aborts when the client goes away or the timeout runs out; made on first read. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /**
   * The context as props carry it (Gatsby's own e2e pages `return { props: { arg } }`), as Gatsby
   * serialises it: `method`, `url`, `query`, `params`, and `headers` as `{}` (Gatsby's headers are a
   * `Map`, which JSON writes as `{}`; and the request's cookies must never land in the HTML).
   * `locals` (host data, a session) stays out too. `context.headers` read directly is unchanged.
   */
  toJSON(): {
    method: string;
    url: string;
    query: GetServerDataContext["query"];
    params: Params;
    headers: Record<string, never>;
  } {
    return { method: this.method, url: this.url, query: this.query, params: this.params, headers: {} };
  }
}

/** Builds the argument of `getServerData`. Only called for pages that export it. */
export function createServerDataContext(input: ContextInput): GetServerDataContext {
  return new ServerDataContext(input);
}
