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
import { Deferred, handleRejections } from "../data/deferred.js";
import { isbot } from "isbot";
import { sharedLifetime } from "../cache/cache-control.js";
import { escapeHtml } from "../common/html-escape.js";
import { INTERNAL_PREFIX } from "../common/urls.js";
import type { ResolvedOptions } from "../options.js";
import type { SsrResponse } from "../protocol.js";
import { pageDataJson, queryJson, routePath } from "../render/page-data-json.js";
import { renderPageDocument, streamPageDocument, type StreamSettings } from "../render/page-document.js";
import type { LazyAbort } from "../request/abort.js";
import { createServerDataContext } from "../request/context.js";
import type { RawHeaders } from "../request/headers.js";
import type { Build, PageEntry } from "../runtime/build.js";
import type { PageModule } from "../runtime/page-module.js";
import { locationOf, type AppWrappers } from "../common/page-element.js";
import { HTML_TYPE, JSON_TYPE, PAGE_DATA_STREAM_TYPE } from "./content-type.js";
import { streamPageData } from "./page-data-stream.js";
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
  /** Render everything before answering, never a stream (a page rendered at build time). */
  whole?: true;
  /** When an async getServerData returned its promise (`performance.now()`): a stream has what is left of the timeout. */
  startedAt?: number | undefined;
  /** Sends `103 Early Hints` (the adapter's, for an HTML request with the `earlyHints` option on). */
  earlyHints?: (links: readonly string[]) => void;
}

/** Calls `getServerData` with the request's context, under the page's timeout: its result, or (async) its promise. */
function callServerData(
  getServerData: NonNullable<PageModule["getServerData"]>,
  request: PageRequest,
  options: ResolvedOptions,
): unknown {
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
  if (result instanceof Promise) {
    // From here, as the timeout's own timer counts (a sync start before the first await is not counted).
    request.startedAt = performance.now();
    // The page waits for its data: the browser can fetch its scripts and stylesheets meanwhile.
    if (request.earlyHints !== undefined) request.earlyHints(earlyHintLinks(build, request.entry, request.base));
  }
  return result instanceof Promise
    ? result.then((settled) => ({ result: settled, module, app }))
    : { result, module, app };
}

/**
 * The `Link` values of a `103 Early Hints` for `entry` under the mount path `base`: what its document
 * will load first, known from the route alone: the stylesheets (`_app`'s, then the page's), the
 * client entry, the framework file (React) and the page's module.
 */
export function earlyHintLinks(build: Build, entry: PageEntry, base: string): string[] {
  const at = encodeURI(base) + INTERNAL_PREFIX;
  const links: string[] = [];
  for (const name of build.client?.css ?? []) links.push(`<${at}${name}>; rel=preload; as=style`);
  for (const name of entry.css) links.push(`<${at}${name}>; rel=preload; as=style`);
  if (build.client !== undefined && entry.module !== undefined) {
    links.push(`<${at}${build.client.entry}>; rel=modulepreload`);
    if (build.client.framework !== undefined) links.push(`<${at}${build.client.framework}>; rel=modulepreload`);
    links.push(`<${at}${entry.module}>; rel=modulepreload`);
  }
  return links;
}

/**
 * The response of `kind` from a run: a promise only for a page that streams (it settles at the
 * shell, or when whole). Throws (an `SsrError`, or a render's error) on failure, or rejects with what
 * a streamed shell threw.
 */
export function respondWithRun(
  run: PageRun,
  kind: "html" | "json",
  request: PageRequest,
  build: Build,
  options: ResolvedOptions,
): SsrResponse | Promise<SsrResponse> {
  return respondWithResult(
    run.result,
    run.module,
    run.app,
    kind === request.kind ? request : { ...request, kind },
    build,
    options,
  );
}

/** The response once `getServerData` has answered (or for a page without it). */
function respondWithResult(
  result: unknown,
  module: PageModule,
  app: AppWrappers,
  request: PageRequest,
  build: Build,
  options: ResolvedOptions,
): SsrResponse | Promise<SsrResponse> {
  const { entry, params, base, url } = request;
  const page = entry.parsed.file;
  // The outcome stays in this function: handed on to another, it was no longer optimised away, and
  // Koa's page-data path cost measurably more (docs/performance.md has the figures).
  const outcome = normalizeResult(result, page);

  const headers = outcome.headers;
  headers["cache-control"] ??= options.cacheControl;
  const status = outcome.status ?? 200;
  const location = headers.location;
  if (status >= 300 && status < 400 && location !== undefined) {
    handleRejections(outcome.props);
    headers.location = redirectTarget(
      Array.isArray(location) ? (location[0] ?? "") : location,
      request.kind,
      base,
      build,
    );
    headers["content-type"] = request.kind === "json" ? JSON_TYPE : HTML_TYPE;
    const body = request.kind === "json" ? JSON.stringify({ redirect: headers.location }) : "";
    return { status, defaultStatus: false, headers, body: bodyFor(body, outcome.latin1) };
  }

  // These statuses have no body: nothing to render or serialise.
  if (status === 204 || status === 304) {
    handleRejections(outcome.props);
    return { status, defaultStatus: false, headers, body: "" };
  }

  // Not found, with nothing of its own to show: the 404 page answers, with the page's headers.
  if (status === 404 && outcome.props === undefined) {
    const notFound = respondNotFound(
      { kind: request.kind, method: request.method, url, base },
      build,
      options,
      headers,
    );
    return {
      ...notFound,
      body: typeof notFound.body === "string" ? bodyFor(notFound.body, outcome.latin1) : notFound.body,
    };
  }

  // A Gatsby page query needs Gatsby's data layer. Said here, after getServerData: its redirect or status still counts.
  if (module.unansweredQuery) {
    handleRejections(outcome.props);
    throw new SsrError(500, `${page} exports a page query (export const query = graphql\`…\`): ${NO_DATA_LAYER}`, {
      page,
    });
  }

  const serialized = serializeProps(outcome.props, page);
  const deferred = serialized?.deferred;
  // A Gatsby page query's result, run at compile time: its URLs under this mount path, serialised once.
  const data = module.pageQuery && withMountPath(module.pageQuery.data, base);
  const pageData = pageDataJson(
    entry,
    build.buildId,
    url,
    serialized?.json,
    params,
    base,
    data && queryJson(data),
    serialized?.rich,
  );
  const defaultStatus = outcome.status === undefined;
  if (request.kind === "json") {
    if (deferred === undefined || deferred.size === 0) {
      headers["content-type"] = JSON_TYPE;
      return { status, defaultStatus, headers, body: bodyFor(pageData, outcome.latin1) };
    }
    headers["content-type"] = PAGE_DATA_STREAM_TYPE;
    const settings = streamSettings(request, status, headers, options, undefined, deferred);
    const streamed = streamPageData(pageData, deferred, settings);
    return streamed instanceof Promise
      ? streamed.then((body) => ({
          status,
          defaultStatus,
          headers,
          body: bodyFor(body, outcome.latin1),
          ...settings.outcome(),
        }))
      : { status, defaultStatus, headers, body: streamed };
  }

  // Render with what the browser will hydrate with: the props as they arrive there, which only
  // needs working out when the text does not carry them as they are (devalue's, or a toJSON's).
  const serverData =
    serialized === undefined
      ? undefined
      : serialized.exact
        ? outcome.props
        : deferred
          ? deferred.revive(serialized.json)
          : JSON.parse(serialized.json);
  const props = { serverData, params, location: locationOf(url, base), data, path: routePath(entry, url) };
  headers["content-type"] = HTML_TYPE;
  const nonce = nonceOf(request, options);
  const document = { build, entry, module, app, props, pageData, base, lang: options.lang, nonce };
  // A document with this request's nonce is this request's alone: never stored, never shared.
  const own = nonce === undefined ? undefined : NO_STORE;
  let html: string | undefined;
  if (deferred === undefined || deferred.size === 0) {
    html = renderPageDocument(document);
    // A page that did not suspend, most of them, is answered from this one string render.
    if (!html.includes(SUSPENDED)) {
      const response: SsrResponse = { status, defaultStatus, headers, body: bodyFor(html, outcome.latin1) };
      // Set apart, not spread into the literal: a spread costs every request a slower object copy.
      if (own !== undefined) response.noStore = true;
      return response;
    }
  }
  const settings = streamSettings(request, status, headers, options, nonce, deferred);
  const streamed = streamPageDocument(document, settings);
  // A site whose replaceRenderer renders to a string: its fallbacks, as before.
  if (streamed === undefined)
    return {
      status,
      defaultStatus,
      headers,
      body: bodyFor(html ?? renderPageDocument(document), outcome.latin1),
      ...own,
    };
  return streamed.then((body) => ({
    status,
    defaultStatus,
    headers,
    body: typeof body === "string" ? bodyFor(body, outcome.latin1) : body,
    ...own,
    ...settings.outcome(),
  }));
}

const NO_STORE = { noStore: true } as const;

/**
 * What a string render leaves where a Suspense boundary was still waiting (or failed): the page
 * suspends, so it streams instead, its content in the HTML.
 */
const SUSPENDED = "<!--$!-->";

/**
 * How a page that waits is streamed. Whole at once (`complete`) for a crawler (its content inline,
 * no fallbacks) and for a response the cache will store (stored once, as bytes, then served whole).
 */
function streamSettings(
  request: PageRequest,
  status: number,
  headers: Record<string, string | string[]>,
  options: ResolvedOptions,
  nonce: string | undefined,
  deferred: Deferred | undefined,
): StreamSettings & { deferred: Deferred; outcome: () => { noStore?: true } } {
  const agent = request.headers["user-agent"];
  const storable = options.cache !== undefined && nonce === undefined && !("reason" in sharedLifetime(status, headers));
  const info = { phase: "request" as const, page: request.entry.parsed.file, url: request.url, method: request.method };
  // A part that failed (a deferred value, a boundary, the timeout) is no answer to keep for everyone.
  let failed = false;
  return {
    deferred: deferred ?? new Deferred(),
    complete: request.whole === true || storable || (typeof agent === "string" && isbot(agent)),
    // What is left of the page's timeout since its getServerData started (a sync one took no time).
    timeoutMs: Math.max(
      1,
      options.timeout - (request.startedAt === undefined ? 0 : performance.now() - request.startedAt),
    ),
    dev: options.dev,
    onError: (error: unknown) => {
      failed = true;
      options.onError(error, info);
    },
    stop: (reason: Error) => request.abort.abort(reason),
    outcome: () => (failed ? NO_STORE : {}),
  };
}

/** The request's CSP nonce (the `nonce` option's), escaped for an attribute, or `undefined`. */
function nonceOf(request: PageRequest, options: ResolvedOptions): string | undefined {
  const nonce = options.nonce?.(request.headers, request.locals);
  return typeof nonce === "string" && nonce !== "" ? escapeHtml(nonce) : undefined;
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
