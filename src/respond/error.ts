/**
 * The one place errors become responses. 4xx (bad input) answer with their message; 5xx answer with
 * the development error page, or in production with the app's 500 page or a generic one, never a
 * message or stack. Every 5xx is reported through `onError`, unless the client had already gone.
 */
import { isTimeout, STATUS_TEXT, toSsrError, type SsrError } from "../errors.js";
import type { SsrResponse } from "../http.js";
import type { ResolvedOptions } from "../options.js";
import type { PageEntry, PageRegistry } from "../pages/registry.js";
import type { LazyAbort } from "../request/abort.js";
import { renderDocument } from "../render/document.js";
import { renderDevErrorPage, renderGenericErrorPage } from "../render/error-page.js";
import { renderPageBody, renderPageHead } from "../render/render-page.js";
import { HTML_TYPE, JSON_TYPE } from "./page.js";

/** What the error handler needs to know of the failed request. */
export interface FailedRequest {
  kind: "html" | "json" | "asset";
  method: string;
  url: string;
  base: string;
  page: PageEntry | undefined;
  /** The request's abort state: aborted for any reason but our timeout means the client left. */
  abort: LazyAbort | undefined;
}

/** Turns anything thrown while answering into a response, and reports server faults. */
export function respondWithError(thrown: unknown, request: FailedRequest, registry: PageRegistry, options: ResolvedOptions): SsrResponse {
  if (options.dev && thrown instanceof Error && thrown.stack) thrown.stack = registry.mapStack(thrown.stack);
  const error = toSsrError(thrown, request.page?.parsed.file);
  // Whatever the page threw after an abort (fetch rethrows the signal's reason), the cause is the
  // client leaving unless the abort was our own timeout.
  const clientLeft = request.abort?.aborted === true && !isTimeout(request.abort.reason);
  if (error.status >= 500 && !clientLeft) {
    options.onError(thrown instanceof Error ? thrown : error, { phase: "request", page: error.page, url: request.url, method: request.method });
  }
  const reason = STATUS_TEXT[error.status] ?? "Error";
  const headers: Record<string, string> = { "cache-control": "no-store" };

  if (request.kind === "json") {
    headers["content-type"] = JSON_TYPE;
    // Bad input gets its message, never a stack: the stack would only show our own code.
    const detail = error.expose ? { message: error.message } : options.dev ? { message: error.message, stack: error.stack } : {};
    return { status: error.status, defaultStatus: false, headers, body: JSON.stringify({ error: reason, ...detail }) };
  }
  if (error.status < 500) {
    headers["content-type"] = "text/plain; charset=utf-8";
    return { status: error.status, defaultStatus: false, headers, body: error.expose ? error.message : reason };
  }
  headers["content-type"] = HTML_TYPE;
  const body = options.dev ? renderDevErrorPage(error) : renderProductionErrorPage(error, registry, request, options);
  return { status: error.status, defaultStatus: false, headers, body };
}

/** The app's `500` page if it has one that renders, else the generic page. */
function renderProductionErrorPage(error: SsrError, registry: PageRegistry, request: FailedRequest, options: ResolvedOptions): string {
  const page = registry.errorPage;
  if (!page) return renderGenericErrorPage(error.status);
  try {
    if ("error" in page) throw page.error;
    const module = page.module;
    const props = { serverData: undefined, params: {} };
    return renderDocument({
      lang: options.lang,
      head: renderPageHead(module.Head, props, request.base),
      body: renderPageBody(module.default, props, request.base),
      preload: "",
      data: "",
      entry: "",
    });
  } catch (pageError) {
    options.onError(pageError, { phase: "request", page: page.file, url: request.url, method: request.method });
    return renderGenericErrorPage(error.status);
  }
}
