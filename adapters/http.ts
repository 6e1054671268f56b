/**
 * A plain `node:http` request listener, for servers without a framework (or any connect-style
 * host that passes `next`).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { createSsrHandler, type SsrHandler } from "../src/handler.js";
import type { SsrRequest } from "../src/protocol.js";
import type { SsrOptions } from "../src/options.js";
import { answerWith, fromNodeRequest, isPageMethod, takeLocals, writeNodeResponse, writeWhenReady } from "./node.js";

/** The listener, with a promise that settles when the pages are compiled. */
export interface SsrRequestListener {
  (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): void;
  /** Settles when the pages are compiled; requests that come earlier wait for it. */
  ready: Promise<void>;
  /** Answers any request with the `404` page (or a plain 404 document): for a host's final handler. */
  notFound: (req: IncomingMessage, res: ServerResponse) => void;
  /**
   * Stops the development loop (watcher, esbuild, open event streams), so tests and graceful
   * shutdowns end cleanly. Nothing to stop in production: it resolves at once.
   */
  close: () => Promise<void>;
  /** The response cache: `invalidate({ tags?, paths? })` (the next request misses) and `expire(…)` (stale from now). */
  cache: SsrHandler["cache"];
}

/**
 * Serves the pages of `pagesDir` from `http.createServer`. Requests that are not for a page go to
 * `next` when given, and otherwise get a plain 404; a failure of the listener itself goes to
 * `next(err)`, or a plain 500.
 *
 * @example
 * import http from "node:http";
 * import { createRequestListener } from "ssr-pages/http";
 * http.createServer(createRequestListener(path.join(__dirname, "pages"))).listen(3000);
 */
export function createRequestListener(
  pagesDir: string,
  options: SsrOptions & { locals?: (req: IncomingMessage) => unknown } = {},
): SsrRequestListener {
  const { locals, coreOptions } = takeLocals(options, "(req) => value");
  const handler = createSsrHandler(pagesDir, coreOptions);
  const listener = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): void => {
    if (!isPageMethod(req.method)) return passOn(res, next);
    let request: SsrRequest;
    try {
      request = fromNodeRequest(req, res, req.url ?? "/", "", locals ? locals(req) : undefined);
    } catch (error) {
      // The app's `locals` hook threw: there is no framework here to catch it for us.
      return passOn(res, next, error);
    }
    answerWith(
      handler,
      request,
      (response) => writeNodeResponse(req, res, response),
      () => passOn(res, next),
      (error) => passOn(res, next, error),
    );
  };
  const notFound = (req: IncomingMessage, res: ServerResponse): void => {
    let request: SsrRequest;
    try {
      request = fromNodeRequest(req, res, req.url ?? "/", "", locals ? locals(req) : undefined);
    } catch (error) {
      return passOn(res, undefined, error);
    }
    writeWhenReady(
      handler.notFound(request),
      (response) => writeNodeResponse(req, res, response),
      (error) => passOn(res, undefined, error),
    );
  };
  return Object.assign(listener, { ready: handler.ready, notFound, close: handler.close, cache: handler.cache });
}

/** To `next` when there is one; without a host to fall through to, a plain 404, or a plain 500 with no detail. */
function passOn(res: ServerResponse, next: ((error?: unknown) => void) | undefined, error?: unknown): void {
  if (next) return next(error);
  if (res.headersSent) return void res.destroy();
  res.statusCode = error === undefined ? 404 : 500;
  res.setHeader("content-type", "text/plain; charset=utf-8");
  res.end(error === undefined ? "Not Found" : "Internal Server Error");
}
