/**
 * The one place errors become responses. A 404 is the not-found page. Other 4xx (bad input) answer
 * with their message; 5xx answer with the development error page, or in production with the app's
 * 500 page or a generic one, never a message or stack. Every 5xx is reported through `onError`,
 * unless the client had already gone.
 */
import { isTimeout, STATUS_TEXT, toSsrError, type SsrError } from "../errors.js";
import type { ResolvedOptions } from "../options.js";
import type { SsrResponse } from "../protocol.js";
import { renderDocument } from "../render/document.js";
import { renderDevErrorPage, renderGenericErrorPage } from "../render/error-page.js";
import { renderCollectedBody, stylesheetLinks } from "../render/page-document.js";
import { renderPageHead } from "../render/render-page.js";
import type { LazyAbort } from "../request/abort.js";
import type { Build, PageEntry } from "../runtime/build.js";
import { escapeHtml } from "../common/html-escape.js";
import { locationOf, NO_APP } from "../common/page-element.js";
import { EVENTS_PATH, INTERNAL_PREFIX } from "../common/urls.js";
import { HTML_TYPE, JSON_TYPE, TEXT_TYPE } from "./content-type.js";
import { respondNotFound } from "./not-found.js";

/** What the error handler needs to know of the failed request. */
export interface FailedRequest {
  kind: "html" | "json";
  method: string;
  /** Mount-relative page URL with its query. */
  url: string;
  base: string;
  page: PageEntry | undefined;
  /** The request's abort state: aborted for any reason but our timeout means the client left. */
  abort: LazyAbort | undefined;
}

/** Turns anything thrown while answering into a response, and reports server faults. */
export function respondWithError(
  thrown: unknown,
  request: FailedRequest,
  build: Build,
  options: ResolvedOptions,
): SsrResponse {
  if (options.dev && thrown instanceof Error && thrown.stack) thrown.stack = build.mapStack(thrown.stack);
  const error = toSsrError(thrown, request.page?.parsed.file);
  // Whatever the page threw after an abort (fetch rethrows the signal's reason), the cause is the
  // client leaving unless the abort was our own timeout.
  const clientLeft = request.abort?.aborted === true && !isTimeout(request.abort.reason);
  if (error.status >= 500 && !clientLeft) {
    options.onError(thrown instanceof Error ? thrown : error, {
      phase: "request",
      page: error.page,
      url: request.url,
      method: request.method,
    });
  }
  if (error.status === 404) return respondNotFound(request, build, options);
  const reason = STATUS_TEXT[error.status] ?? "Error";
  const headers: Record<string, string> = { "cache-control": "no-store" };

  if (request.kind === "json") {
    headers["content-type"] = JSON_TYPE;
    // Bad input gets its message, never a stack: the stack would only show our own code.
    const detail = error.expose
      ? { message: error.message }
      : options.dev
        ? { message: error.message, stack: error.stack }
        : {};
    return { status: error.status, defaultStatus: false, headers, body: JSON.stringify({ error: reason, ...detail }) };
  }
  if (error.status < 500) {
    headers["content-type"] = TEXT_TYPE;
    return { status: error.status, defaultStatus: false, headers, body: error.expose ? error.message : reason };
  }
  headers["content-type"] = HTML_TYPE;
  const body = options.dev
    ? renderDevErrorPage(error, options.watch ? request.base + EVENTS_PATH : undefined)
    : renderProductionErrorPage(error, build, request, options);
  return { status: error.status, defaultStatus: false, headers, body };
}

/** The app's `500` page if it has one that renders (inside `_app`'s wrappers when those load), else the generic page. */
function renderProductionErrorPage(
  error: SsrError,
  build: Build,
  request: FailedRequest,
  options: ResolvedOptions,
): string {
  const page = build.errorPage;
  if (!page) return renderGenericErrorPage(error.status);
  try {
    if ("error" in page) throw page.error;
    const module = page.module;
    const app = "error" in build.app ? NO_APP : build.app;
    const props = { serverData: undefined, params: {}, location: locationOf(request.url, request.base) };
    // Styled, but plain HTML, no script: a page that failed on the server should not run again in the browser.
    const { body, collected } = renderCollectedBody(build, page.entry, module.default, props, request.base, app);
    return renderDocument({
      lang: options.lang,
      head: renderPageHead(module.Head, props, request.base, build.env, app),
      body,
      preload: stylesheetLinks(build, page.entry.css, `${escapeHtml(request.base)}${INTERNAL_PREFIX}`),
      collected,
      data: "",
      entry: "",
    });
  } catch (pageError) {
    options.onError(pageError, {
      phase: "request",
      page: page.entry.parsed.file,
      url: request.url,
      method: request.method,
    });
    return renderGenericErrorPage(error.status);
  }
}
