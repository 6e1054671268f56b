/**
 * Answers a matched page, in steps: run `getServerData`; check its result and take its status and
 * headers (with the default `Cache-Control`); then a redirect, a body-less status, the not-found
 * page, or the page itself as page-data JSON or as its HTML document. HTML and JSON share every step
 * but the last, so they always carry the same status and headers.
 */
import { normalizeResult } from "../data/normalize-result.js";
import { SsrError } from "../errors.js";
import { NO_DATA_LAYER, withMountPath } from "../common/graphql-query.js";
import { runServerData } from "../data/run-server-data.js";
import { serializeProps } from "../data/serialize.js";
import type { ResolvedOptions } from "../options.js";
import type { SsrResponse } from "../protocol.js";
import { pageDataJson, queryJson, routePath } from "../render/page-data-json.js";
import { renderPageDocument } from "../render/page-document.js";
import type { LazyAbort } from "../request/abort.js";
import { createServerDataContext } from "../request/context.js";
import type { RawHeaders } from "../request/headers.js";
import type { Build, PageEntry } from "../runtime/build.js";
import type { PageModule } from "../runtime/page-module.js";
import { locationOf, type AppWrappers } from "../common/page-element.js";
import { HTML_TYPE, JSON_TYPE } from "./content-type.js";
import { respondNotFound } from "./not-found.js";
import { redirectTarget } from "./redirect.js";

/** A request that found its page. */
export interface PageRequest {
  kind: "html" | "json";
  entry: PageEntry;
  params: Record<string, string>;
  method: string;
  /** Mount-relative raw page path and query (`/blog/1?x=2`), also for page-data requests. */
  url: string;
  search: string;
  base: string;
  headers: RawHeaders;
  locals: unknown;
  abort: LazyAbort;
}

/** Calls `getServerData` with the request's context, under the page's timeout: its result, or (async) its promise. */
function callServerData(getServerData: NonNullable<PageModule["getServerData"]>, request: PageRequest, options: ResolvedOptions): unknown {
  const context = createServerDataContext({
    method: request.method,
    url: request.url,
    search: request.search,
    headers: request.headers,
    params: request.params,
    locals: request.locals,
    abort: request.abort,
  });
  return runServerData(getServerData, context, options.timeout, request.abort, request.entry.parsed.file);
}

/** One run of a page's `getServerData`, which either variant can be answered from. */
export interface PageRun {
  result: unknown;
  module: PageModule;
  app: AppWrappers;
}

/**
 * Runs the page's `getServerData` once: the variant asked for is answered from the run, and the
 * response cache stores the other from it too (see {@link respondWithRun}). Throws (an `SsrError` or
 * whatever the page threw) on failure, or returns a rejected promise when an async `getServerData`
 * fails. A page whose data is computed synchronously is run without a promise.
 */
export function runPage(request: PageRequest, build: Build, options: ResolvedOptions): PageRun | Promise<PageRun> {
  const module = build.load(request.entry);
  // A broken `_app` breaks every page, HTML and page data alike, before its data is fetched.
  const app = build.wrappers();
  if (!module.getServerData) return { result: undefined, module, app };
  const result = callServerData(module.getServerData, request, options);
  return result instanceof Promise ? result.then((settled) => ({ result: settled, module, app })) : { result, module, app };
}

/** The response of `kind` from a run. Throws (an `SsrError`, or a render's error) on failure. */
export function respondWithRun(run: PageRun, kind: "html" | "json", request: PageRequest, build: Build, options: ResolvedOptions): SsrResponse {
  return respondWithResult(run.result, run.module, run.app, kind === request.kind ? request : { ...request, kind }, build, options);
}

/** The response once `getServerData` has answered (or for a page without it). */
function respondWithResult(result: unknown, module: PageModule, app: AppWrappers, request: PageRequest, build: Build, options: ResolvedOptions): SsrResponse {
  const { entry, params, base, url } = request;
  const page = entry.parsed.file;
  // The outcome stays in this function: handed on to another, it was no longer optimised away, and
  // Koa's page-data path cost measurably more (the README's Performance section has the figures).
  const outcome = normalizeResult(result, page);

  const headers = outcome.headers;
  headers["cache-control"] ??= options.cacheControl;
  const status = outcome.status ?? 200;
  const location = headers.location;
  if (status >= 300 && status < 400 && location !== undefined) {
    headers.location = redirectTarget(Array.isArray(location) ? (location[0] ?? "") : location, request.kind, base, build);
    headers["content-type"] = request.kind === "json" ? JSON_TYPE : HTML_TYPE;
    const body = request.kind === "json" ? JSON.stringify({ redirect: headers.location }) : "";
    return { status, defaultStatus: false, headers, body: bodyFor(body, outcome.latin1) };
  }

  // These statuses have no body: nothing to render or serialise.
  if (status === 204 || status === 304) return { status, defaultStatus: false, headers, body: "" };

  // Not found, with nothing of its own to show: the 404 page answers, with the page's headers.
  if (status === 404 && outcome.props === undefined) {
    const notFound = respondNotFound({ kind: request.kind, method: request.method, url, base }, build, options, headers);
    return { ...notFound, body: typeof notFound.body === "string" ? bodyFor(notFound.body, outcome.latin1) : notFound.body };
  }

  // A Gatsby page query needs Gatsby's data layer. Said here, after getServerData: its redirect or status still counts.
  if (module.unansweredQuery) throw new SsrError(500, `${page} exports a page query (export const query = graphql\`…\`): ${NO_DATA_LAYER}`, { page });

  const serialized = serializeProps(outcome.props, page);
  // A Gatsby page query's result, run at compile time: its URLs under this mount path, serialised once.
  const data = module.pageQuery && withMountPath(module.pageQuery.data, base);
  const pageData = pageDataJson(entry, build.buildId, url, serialized?.json, params, base, data && queryJson(data));
  if (request.kind === "json") {
    headers["content-type"] = JSON_TYPE;
    return { status, defaultStatus: outcome.status === undefined, headers, body: bodyFor(pageData, outcome.latin1) };
  }

  // Render with what the browser will hydrate with: the props after their JSON round trip, which
  // only needs doing when JSON changes them (a Date becomes a string on both sides).
  const serverData = serialized === undefined ? undefined : serialized.exact ? outcome.props : JSON.parse(serialized.json);
  const props = { serverData, params, location: locationOf(url, base), data, path: routePath(entry, url) };
  headers["content-type"] = HTML_TYPE;
  const html = renderPageDocument({ build, entry, module, app, props, pageData, base, lang: options.lang });
  return { status, defaultStatus: outcome.status === undefined, headers, body: bodyFor(html, outcome.latin1) };
}

/**
 * The body, as bytes when a header value holds a Latin-1 character above U+007F. Node writes the head
 * and a string body in one write, in the body's encoding (UTF-8), but a head alone (HEAD, or beside a
 * Buffer) in Latin-1: `café` would be 5 bytes on GET and 4 on HEAD. Beside bytes, every head is
 * Latin-1, the same on every method and adapter.
 */
function bodyFor(text: string, latin1: boolean): string | Buffer {
  return latin1 ? Buffer.from(text, "utf8") : text;
}
