/**
 * The not-found answer: the app's `404` page with status 404 (Gatsby's convention), hydrated like any
 * page, or its page data for a client navigation, so the router renders it in place. Without a 404
 * page (or when it fails to render): a small plain document, and `{"error":"Not Found"}` for page data
 * (the router then loads the URL in full).
 */
import type { ResolvedOptions } from "../options.js";
import type { SsrResponse } from "../protocol.js";
import { renderGenericErrorPage } from "../render/error-page.js";
import { pageDataJson } from "../render/page-data-json.js";
import { renderPageDocument } from "../render/page-document.js";
import type { Build } from "../runtime/build.js";
import { locationOf } from "../common/page-element.js";
import { HTML_TYPE, JSON_TYPE } from "./content-type.js";

/** What the not-found answer needs to know of the request. */
export interface NotFoundRequest {
  kind: "html" | "json";
  method: string;
  /** Mount-relative page URL with its query (for a page-data request: the page's). */
  url: string;
  base: string;
}

const NOT_FOUND_JSON = '{"error":"Not Found"}';

/** `404 {"error":"Not Found"}`: a page-data URL that names no page. */
export function notFoundJson(): SsrResponse {
  return {
    status: 404,
    defaultStatus: false,
    headers: { "content-type": JSON_TYPE, "cache-control": "no-store" },
    body: NOT_FOUND_JSON,
  };
}

/**
 * Answers 404 for `request`. `headers` are a page's own when the page answered `{ status: 404 }`
 * (its `Cache-Control` among them); by default nothing may be stored. Never throws: a 404 page that
 * fails to render is reported, and the plain answer goes out instead.
 */
export function respondNotFound(
  request: NotFoundRequest,
  build: Build,
  options: ResolvedOptions,
  headers: Record<string, string | string[]> = { "cache-control": "no-store" },
): SsrResponse {
  const entry = build.notFound;
  if (entry) {
    try {
      const module = build.load(entry);
      const app = build.wrappers();
      const pageData = pageDataJson(entry, build.buildId, request.url, undefined, {}, request.base);
      if (request.kind === "json") return notFoundAnswer(headers, JSON_TYPE, pageData);
      const props = { serverData: undefined, params: {}, location: locationOf(request.url, request.base) };
      const html = renderPageDocument({
        build,
        entry,
        module,
        app,
        props,
        pageData,
        base: request.base,
        lang: options.lang,
      });
      return notFoundAnswer(headers, HTML_TYPE, html);
    } catch (error) {
      options.onError(error, { phase: "request", page: entry.parsed.file, url: request.url, method: request.method });
    }
  }
  if (request.kind === "json") return notFoundAnswer(headers, JSON_TYPE, NOT_FOUND_JSON);
  return notFoundAnswer(headers, HTML_TYPE, renderGenericErrorPage(404));
}

/** A 404 with `headers` and the body's type (its status is ssr-pages' own, not the page's). */
function notFoundAnswer(headers: Record<string, string | string[]>, contentType: string, body: string): SsrResponse {
  return { status: 404, defaultStatus: false, headers: { ...headers, "content-type": contentType }, body };
}
