/**
 * Koa 3 middleware. Under `koa-mount` the mount path is found at run time; under `@koa/router`, which
 * does not rewrite the URL, name the prefix with the `basePath` option.
 */
import type { Context, Next } from "koa";
import { createSsrHandler, type SsrHandler } from "../src/handler.js";
import type { SsrOptions } from "../src/options.js";
import { originForm } from "../src/request/url.js";
import { respond } from "./koa-respond.js";
import { fromNodeRequest, isPageMethod, takeLocals } from "./node.js";

/** Options of the Koa middleware: the core's options plus how to reach host data. */
export interface KoaSsrOptions extends SsrOptions {
  /**
   * What `getServerData` gets as `context.locals`.
   * @default (ctx) => ctx.state
   * @example { locals: (ctx) => ({ user: ctx.state.user }) }
   */
  locals?: (ctx: Context) => unknown;
}

/** The Koa middleware, with a promise that settles when the pages are compiled. */
export interface KoaSsrMiddleware {
  (ctx: Context, next: Next): Promise<void>;
  /** Settles when the pages are compiled; requests that come earlier wait for it. */
  ready: Promise<void>;
  /**
   * A final middleware that answers whatever reaches it with the `404` page (status 404; its page
   * data for a page-data URL), or a plain 404 document without one. Put it last:
   * `app.use(pages); app.use(router.routes()); app.use(pages.notFound)`.
   */
  notFound: (ctx: Context) => Promise<void>;
  /**
   * Stops the development loop (watcher, esbuild, open event streams), so tests and graceful
   * shutdowns end cleanly. Nothing to stop in production: it resolves at once.
   */
  close: () => Promise<void>;
  /** The response cache: `invalidate({ tags?, paths? })` (the next request misses) and `expire(…)` (stale from now). */
  cache: SsrHandler["cache"];
}

/**
 * Serves the pages of `pagesDir` through Koa's own response (so upstream middleware such as
 * compression or loggers see the status and body). No page: `await next()`. A failure of the
 * middleware itself is thrown to Koa's error handling; a page's own errors are answered with a 500
 * and reported through `onError`.
 *
 * @example
 * import Koa from "koa";
 * import mount from "koa-mount";
 * import { ssrMiddleware } from "ssr-pages/koa";
 * const app = new Koa();
 * app.use(mount("/shop", ssrMiddleware(path.join(__dirname, "pages"))));
 */
export function ssrMiddleware(pagesDir: string, options: KoaSsrOptions = {}): KoaSsrMiddleware {
  const { locals, coreOptions } = takeLocals(options, "(ctx) => value");
  const handler = createSsrHandler(pagesDir, coreOptions);
  /** The core's request: koa-mount leaves the mount path in `originalUrl` only. */
  const toRequest = (ctx: Context) =>
    fromNodeRequest(ctx.req, ctx.res, ctx.url, mountBase(ctx.originalUrl, ctx.url), locals ? locals(ctx) : ctx.state);
  const middleware = async (ctx: Context, next: Next): Promise<void> => {
    if (!isPageMethod(ctx.method)) return next();
    const answered = handler.answer(toRequest(ctx));
    const response = answered instanceof Promise ? await answered : answered;
    if (!response) return next();
    respond(ctx, response);
  };
  const notFound = async (ctx: Context): Promise<void> => {
    respond(ctx, await handler.notFound(toRequest(ctx)));
  };
  return Object.assign(middleware, { ready: handler.ready, notFound, close: handler.close, cache: handler.cache });
}

/** The prefix `koa-mount` stripped: `/shop/a?x` seen as `/a?x` → `/shop` (also for `http://host/shop/a`). */
function mountBase(originalUrl: string, url: string): string {
  if (originalUrl === url) return "";
  const original = (originForm(originalUrl) ?? "").split("?", 1)[0] as string;
  const current = (originForm(url) ?? "").split("?", 1)[0] as string;
  if (current === "/") return original.replace(/\/$/, "");
  return original.endsWith(current) ? original.slice(0, original.length - current.length) : "";
}
