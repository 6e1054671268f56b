import type { GetServerDataContext, Params } from "../types.js";
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
  signal: AbortSignal;
}

/** Builds the argument of `getServerData`. Only called for pages that export it. */
export function createServerDataContext(input: ContextInput): GetServerDataContext {
  return {
    headers: createRequestHeaders(input.headers),
    method: input.method,
    url: input.url,
    query: parseQuery(input.search),
    params: input.params,
    locals: input.locals,
    signal: input.signal,
  };
}
