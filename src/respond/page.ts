/**
 * Answers a matched page: run `getServerData`, apply its status and headers, then either redirect,
 * send the page-data JSON, or render the HTML document. HTML and JSON share every step but the last,
 * so they always carry the same status and headers.
 */
import { normalizeResult } from "../data/normalize-result.js";
import { runServerData } from "../data/run-server-data.js";
import { escapeHtml, escapeJsonForHtml, jsonParams, jsonString, serializeProps } from "../data/serialize.js";
import type { SsrResponse } from "../http.js";
import type { ResolvedOptions } from "../options.js";
import type { PageModule } from "../pages/page-module.js";
import { pageDataHead, type PageEntry, type PageRegistry } from "../pages/registry.js";
import { renderDocument } from "../render/document.js";
import { renderPageBody, renderPageHead } from "../render/render-page.js";
import { createServerDataContext } from "../request/context.js";
import type { LazyAbort } from "../request/abort.js";
import type { RawHeaders } from "../request/headers.js";
import { decodePath, joinBase, pageDataPath, splitUrl } from "../request/url.js";

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

export const HTML_TYPE = "text/html; charset=utf-8";
export const JSON_TYPE = "application/json; charset=utf-8";

/**
 * Produces the response for a page. Throws (an `SsrError` or whatever the page threw) on failure, or
 * returns a rejected promise when an async `getServerData` fails. A page whose data is computed
 * synchronously is answered synchronously: no promise, no microtask.
 */
export function respondWithPage(request: PageRequest, registry: PageRegistry, options: ResolvedOptions): SsrResponse | Promise<SsrResponse> {
  const module = registry.load(request.entry);
  if (!module.getServerData) return respondWithResult(undefined, module, request, registry, options);
  const context = createServerDataContext({
    method: request.method,
    url: request.url,
    search: request.search,
    headers: request.headers,
    params: request.params,
    locals: request.locals,
    abort: request.abort,
  });
  const result = runServerData(module.getServerData, context, options.timeout, request.abort, request.entry.parsed.file);
  // Only an async getServerData gives a promise (runServerData's own).
  return result instanceof Promise
    ? result.then((settled) => respondWithResult(settled, module, request, registry, options))
    : respondWithResult(result, module, request, registry, options);
}

/** The response once `getServerData` has answered (or for a page without it). */
function respondWithResult(result: unknown, module: PageModule, request: PageRequest, registry: PageRegistry, options: ResolvedOptions): SsrResponse {
  const { entry, params, base } = request;
  const page = entry.parsed.file;
  const url = request.url;
  // The outcome stays in this function: handed on to another, it was no longer optimised away, and
  // Koa's page-data path cost measurably more (the README's Performance section has the figures).
  const outcome = normalizeResult(result, page);

  const headers = outcome.headers;
  headers["cache-control"] ??= options.cacheControl;
  const status = outcome.status ?? 200;
  const location = headers.location;
  if (status >= 300 && status < 400 && location !== undefined) {
    headers.location = redirectTarget(Array.isArray(location) ? (location[0] ?? "") : location, request, registry);
    headers["content-type"] = request.kind === "json" ? JSON_TYPE : HTML_TYPE;
    const body = request.kind === "json" ? JSON.stringify({ redirect: headers.location }) : "";
    return { status, defaultStatus: false, headers, body: bodyFor(body, outcome.latin1) };
  }

  // These statuses have no body: nothing to render or serialise.
  if (status === 204 || status === 304) return { status, defaultStatus: false, headers, body: "" };

  const serialized = serializeProps(outcome.props, page);
  const propsJson = serialized?.json;
  const pageData =
    `${pageDataHead(entry)}${jsonString(url)},"result":{${propsJson === undefined ? "" : `"serverData":${propsJson},`}` +
    `"params":${jsonParams(params)}},"staticQueryHashes":[]` +
    `${entry.module === undefined ? "" : `,"module":${jsonString(`${base}/_ssr-pages/${entry.module}`)}`}}`;

  if (request.kind === "json") {
    headers["content-type"] = JSON_TYPE;
    return { status, defaultStatus: outcome.status === undefined, headers, body: bodyFor(pageData, outcome.latin1) };
  }

  // Render with what the browser will hydrate with: the props after their JSON round trip, which
  // only needs doing when JSON changes them (a Date becomes a string on both sides).
  const props = { serverData: serialized === undefined ? undefined : serialized.exact ? outcome.props : JSON.parse(serialized.json), params };
  const body = renderPageBody(module.default, props, base);
  const head = renderPageHead(module.Head, props, base);
  const client = registry.browser && entry.module !== undefined;
  const assets = `${escapeHtml(base)}/_ssr-pages/`;
  headers["content-type"] = HTML_TYPE;
  return {
    status,
    defaultStatus: outcome.status === undefined,
    headers,
    body: bodyFor(renderDocument({
      lang: options.lang,
      head,
      body,
      preload:
        (entry.css === undefined ? "" : `<link rel="stylesheet" href="${assets}${entry.css}">`) +
        (client ? `<link rel="modulepreload" href="${assets}${entry.module}">` : ""),
      data: client ? escapeJsonForHtml(`{"base":${JSON.stringify(base)},"pageData":${pageData}}`) : "",
      entry: client ? `${assets}${registry.browser?.entry}` : "",
    }), outcome.latin1),
  };
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

/**
 * Pages see mount-relative URLs, so a `Location` starting with one `/` is taken relative to the mount.
 * For a page-data request whose target is one of our pages, the target's page-data URL is used, so the
 * client's `fetch` follows the redirect straight to JSON.
 */
function redirectTarget(location: string, request: PageRequest, registry: PageRegistry): string {
  if (!location.startsWith("/") || location.startsWith("//") || location.startsWith("/\\")) return location;
  if (request.kind === "json") {
    const target = splitUrl(location);
    if (target && isPage(target.pathname, registry)) return joinBase(request.base, pageDataPath(target.pathname) + target.search);
  }
  return joinBase(request.base, location);
}

function isPage(pathname: string, registry: PageRegistry): boolean {
  try {
    const decoded = decodePath(pathname);
    return "segments" in decoded && registry.match(decoded.segments) !== null;
  } catch {
    return false;
  }
}
