/**
 * Express 4 and 5 middleware. Mount it anywhere: the mount path comes from `req.baseUrl` at run time.
 */
import type { NextFunction, Request, Response } from "express";
import { createSsrHandler, type SsrHandler } from "../src/handler.js";
import type { SsrOptions } from "../src/options.js";
import { answerWith, fromNodeRequest, isPageMethod, takeLocals, writeNodeResponse, writeWhenReady } from "./node.js";

/** Options of the Express middleware: the core's options plus how to reach host data. */
export interface ExpressSsrOptions extends SsrOptions {
  /**
   * What `getServerData` gets as `context.locals` (for example `req.session` or `req.user`).
   * @default (req, res) => res.locals
   * @example { locals: (req) => ({ user: req.user }) }
   */
  locals?: (req: Request, res: Response) => unknown;
}

/** The Express middleware, with a promise that settles when the pages are compiled. */
export interface ExpressSsrMiddleware {
  (req: Request, res: Response, next: NextFunction): void;
  /** Settles when the pages are compiled; requests that come earlier wait for it. */
  ready: Promise<void>;
  /**
   * A final handler that answers whatever reaches it with the `404` page (status 404; its page data
   * for a page-data URL), or a plain 404 document without one. Put it after every route of the app:
   * `app.use(pages); app.get("/health", …); app.use(pages.notFound)`.
   */
  notFound: (req: Request, res: Response, next: NextFunction) => void;
  /**
   * Stops the development loop (watcher, esbuild, open event streams), so tests and graceful
   * shutdowns end cleanly. Nothing to stop in production: it resolves at once.
   */
  close: () => Promise<void>;
  /** The response cache: `invalidate({ tags?, paths? })` (the next request misses) and `expire(…)` (stale from now). */
  cache: SsrHandler["cache"];
}

/**
 * Serves the pages of `pagesDir`: HTML on a direct visit, page-data JSON for client navigation.
 * Requests that are not for a page call `next()`; a failure of the middleware itself goes to
 * `next(err)`; a page's own errors are answered with a 500 and reported through `onError`.
 *
 * @example
 * import express from "express";
 * import { ssrMiddleware } from "ssr-pages/express";
 * const app = express();
 * app.use("/shop", ssrMiddleware(path.join(__dirname, "pages")));
 */
export function ssrMiddleware(pagesDir: string, options: ExpressSsrOptions = {}): ExpressSsrMiddleware {
  const { locals, coreOptions } = takeLocals(options, "(req, res) => value");
  const handler = createSsrHandler(pagesDir, coreOptions);
  const middleware = (req: Request, res: Response, next: NextFunction): void => {
    if (!isPageMethod(req.method)) return next();
    const request = fromNodeRequest(req, res, req.url, req.baseUrl, locals ? locals(req, res) : res.locals);
    // Anything that fails while writing goes to Express too, never to an unhandled rejection.
    answerWith(handler, request, (response) => writeNodeResponse(req, res, response), next, next);
  };
  const notFound = (req: Request, res: Response, next: NextFunction): void => {
    const request = fromNodeRequest(req, res, req.url, req.baseUrl, locals ? locals(req, res) : res.locals);
    writeWhenReady(handler.notFound(request), (response) => writeNodeResponse(req, res, response), next);
  };
  return Object.assign(middleware, { ready: handler.ready, notFound, close: handler.close, cache: handler.cache });
}
