/**
 * The conformance matrix: every case in test/conformance runs against these hosts, in two modes:
 * the pages compiled when the middleware is created ({@link compiledTargets}), and the same hosts
 * serving a production build of the pages ({@link buildTargets}: `{ build: out }`, made by
 * `ssr-pages build` and cached on disk, see builds.ts). A case that cannot apply to a build
 * (development mode, the dev loop, the compile at start, a fixture that does not compile) runs on the
 * compiled set only (`if (!target.fromBuild)`), with a comment saying why; a case whose answer
 * legitimately differs from a build (a static page's headers) asserts each.
 *
 * Five hosts, three adapter modules: Express 4 and 5 share adapters/express.ts, Koa alone and behind
 * @koa/router share adapters/koa.ts. {@link targets}, which most suites run, is every host from a
 * build and one host compiling at start (Express 5): the mode is the core's (an adapter hands the
 * core a request either way and never sees it), so every host meets every case a build can serve,
 * and the core's compiling and development paths meet every case once; the compiles other hosts would
 * add are left out (compiles were 85 % of the suite's CPU, 2026-12-06, and most of a compiling
 * host's cost). The suites where the compile meets the host, start-up (requests before `ready`, a
 * compile that fails) and development errors, run {@link allTargets}: every host in both modes (the
 * hosts other than Express 5 compile the server build alone there: {@link compileExtra}).
 *
 * Each target builds a small host app around the ssr middleware:
 *   1. a first middleware that puts `user: "alice"` into the host's per-request data
 *      (`res.locals` in Express, `ctx.state` in Koa), so the default `locals` can be checked;
 *   2. the ssr middleware (at the root, or at the mount path);
 *   3. a final fallback answering `404 text/plain "host fallthrough"`, so tests can see a fall-through;
 *   4. a host error handler answering `599 text/plain "host error handler"` and recording the error,
 *      so a test can tell when the middleware hands an error to the host instead of answering itself
 *      (the contract says errors are answered by the middleware and reported through `onError`).
 */
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import express from "express";
import express4 from "express4";
import Koa from "koa";
import koaMount from "koa-mount";
import Router from "@koa/router";
import { ssrMiddleware as expressSsr } from "../../adapters/express.js";
import { createRequestListener } from "../../adapters/http.js";
import { ssrMiddleware as koaSsr } from "../../adapters/koa.js";
import { buildOf, readBuildId } from "./builds.js";

export type TargetName = "express5" | "express4" | "koa" | "koa-router" | "http";

export interface ErrorInfo {
  page?: string;
  url: string;
  method: string;
  phase: "compile" | "request";
}

/** Options in a host-neutral form; each target turns them into its adapter's options. */
export interface TargetOptions {
  dev?: boolean;
  onError?: (error: unknown, info: ErrorInfo) => void;
  timeout?: number;
  lang?: string;
  cacheControl?: string;
  /**
   * Pass a `locals` option that returns `{ via: "option", user }` (user read from the host's
   * per-request data), instead of relying on the default (`res.locals` / `ctx.state`).
   */
  customLocals?: boolean;
  /** Spread last into the adapter options, unchecked: for the bad-option tests. */
  extra?: Record<string, unknown>;
  /** End the host with the middleware's `notFound` final handler instead of the host's own 404. */
  finalNotFound?: boolean;
  /** The host sets `Set-Cookie: host=<n>` (n counting its requests) on the response before the middleware runs. */
  hostCookie?: boolean;
  /** The host sets `Vary: Origin` (as cors() does) on the response before the middleware runs. */
  hostVary?: boolean;
  /**
   * From-a-build targets only: serve this build folder instead of the cached build of the pages dir
   * (for a scratch pages dir a test makes and builds itself, builds.ts's `buildInto`).
   */
  build?: string;
}

/** The host's own cookie for its `n`th request (see {@link TargetOptions.hostCookie}). */
function hostCookie(counter: { n: number }): string {
  return `host=${++counter.n}; Path=/`;
}

export interface MadeApp {
  /** Something supertest accepts (also usable with `http.createServer`). */
  app: RequestListener;
  /** The middleware's `ready` promise (the first one when mounted more than once). */
  ready: Promise<void>;
  /** Errors that reached the host's error handler (should stay empty). */
  hostErrors: unknown[];
  /** From-a-build targets: the id of the build served (its page data carries it). */
  buildId?: string;
}

export interface Target {
  name: TargetName;
  /** The adapter module the host uses: two hosts share adapters/express.ts, two adapters/koa.ts. */
  adapter: "express" | "koa" | "http";
  /** `true`: the host serves a production build of the pages (`{ build }`); `false`: it compiles them at start. */
  fromBuild: boolean;
  /** The name in test titles: `express5`, or `express5, from a build`. */
  label: string;
  /**
   * Build a host app. `mount` is a mount path such as "/shop"; an array mounts ONE middleware
   * instance at several paths (not possible with @koa/router, whose prefix is a construction option).
   * A from-a-build target serves the build of `pagesDir` made for that mount path (its static pages
   * rendered under it) and `options.lang`; mounted at several paths, the build made for the root
   * (its static pages are then rendered on their first request under each mount).
   */
  makeApp(pagesDir: string, options?: TargetOptions, mount?: string | readonly string[]): MadeApp;
}

export const MOUNT = "/shop";

type ExpressOptions = NonNullable<Parameters<typeof expressSsr>[1]>;
type KoaOptions = NonNullable<Parameters<typeof koaSsr>[1]>;

function baseOptions(options: TargetOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (options.dev !== undefined) out["dev"] = options.dev;
  // These suites check answers, not the dev loop (test/dev covers it, and the compile on first
  // request): without `watch` a development app compiles every page at start, where a page first
  // asked for would pay a compile of its own, many times over in a suite (`extra` may ask for it).
  if (options.dev === true) out["watch"] = false;
  if (options.onError !== undefined) out["onError"] = options.onError;
  if (options.timeout !== undefined) out["timeout"] = options.timeout;
  if (options.lang !== undefined) out["lang"] = options.lang;
  if (options.cacheControl !== undefined) out["cacheControl"] = options.cacheControl;
  if (options.build !== undefined) out["build"] = options.build;
  return out;
}

function expressOptions(options: TargetOptions): ExpressOptions {
  const out = baseOptions(options);
  if (options.customLocals) {
    out["locals"] = (_req: unknown, res: { locals: Record<string, unknown> }) => ({
      via: "option",
      user: res.locals["user"],
    });
  }
  return { ...out, ...options.extra } as ExpressOptions;
}

function koaOptions(options: TargetOptions, basePath?: string): KoaOptions {
  const out = baseOptions(options);
  if (options.customLocals) {
    out["locals"] = (ctx: { state: Record<string, unknown> }) => ({ via: "option", user: ctx.state["user"] });
  }
  if (basePath !== undefined) out["basePath"] = basePath;
  return { ...out, ...options.extra } as KoaOptions;
}

function mounts(mount: string | readonly string[] | undefined): readonly string[] {
  if (mount === undefined) return [];
  return typeof mount === "string" ? [mount] : mount;
}

/** Minimal structural view of an Express 4/5 app, so both majors share one builder. */
interface ExpressLikeApp {
  use(...handlers: unknown[]): unknown;
}

interface ExpressRes {
  locals: Record<string, unknown>;
  headersSent: boolean;
  status(code: number): ExpressRes;
  type(t: string): ExpressRes;
  send(body: string): unknown;
  end(): unknown;
}

function buildExpress(
  app: ExpressLikeApp,
  pagesDir: string,
  options: TargetOptions,
  mount: string | readonly string[] | undefined,
): MadeApp {
  const hostErrors: unknown[] = [];
  const cookies = { n: 0 };
  app.use((_req: unknown, res: ExpressRes & ServerResponse, next: () => void) => {
    res.locals["user"] = "alice";
    if (options.hostCookie) res.setHeader("set-cookie", hostCookie(cookies));
    if (options.hostVary) res.setHeader("vary", "Origin");
    next();
  });
  const mw = expressSsr(pagesDir, expressOptions(options));
  const paths = mounts(mount);
  if (paths.length === 0) app.use(mw);
  for (const p of paths) app.use(p, mw);
  if (options.finalNotFound) {
    // Under the mount too, so the 404 page's links carry the mount path.
    for (const p of paths) app.use(p, mw.notFound);
    app.use(mw.notFound);
  }
  app.use((_req: unknown, res: ExpressRes) => {
    res.status(404).type("text/plain").send("host fallthrough");
  });
  app.use((err: unknown, _req: unknown, res: ExpressRes, _next: unknown) => {
    hostErrors.push(err);
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(599).type("text/plain").send("host error handler");
  });
  return { app: app as unknown as RequestListener, ready: mw.ready, hostErrors };
}

function buildKoa(
  pagesDir: string,
  options: TargetOptions,
  mount: string | readonly string[] | undefined,
  useRouter: boolean,
): MadeApp {
  const hostErrors: unknown[] = [];
  const app = new Koa();
  app.silent = true;
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      hostErrors.push(err);
      ctx.status = 599;
      ctx.type = "text/plain";
      ctx.body = "host error handler";
    }
  });
  const cookies = { n: 0 };
  app.use(async (ctx, next) => {
    ctx.state["user"] = "alice";
    if (options.hostCookie) ctx.set("set-cookie", hostCookie(cookies));
    if (options.hostVary) ctx.vary("Origin");
    await next();
  });
  const paths = mounts(mount);
  let ready: Promise<void>;
  let notFound: ((ctx: Koa.Context) => Promise<void>) | undefined;
  if (!useRouter) {
    const mw = koaSsr(pagesDir, koaOptions(options));
    ready = mw.ready;
    notFound = mw.notFound;
    if (paths.length === 0) app.use(mw);
    for (const p of paths) app.use(koaMount(p, mw));
    if (options.finalNotFound) for (const p of paths) app.use(koaMount(p, mw.notFound));
  } else {
    if (paths.length > 1) throw new Error("koa-router: one instance cannot be mounted at several prefixes");
    const router = new Router();
    const p = paths[0];
    const mw = p === undefined ? koaSsr(pagesDir, koaOptions(options)) : koaSsr(pagesDir, koaOptions(options, p));
    ready = mw.ready;
    notFound = mw.notFound;
    // The README's form. @koa/router only runs middleware when a ROUTE matches the path and method
    // (`router.use` alone never runs), so the pages are mounted as a catch-all route.
    router.all(p === undefined ? "{/*rest}" : `${p}{/*rest}`, mw);
    app.use(router.routes());
  }
  if (options.finalNotFound && notFound) app.use(notFound);
  app.use((ctx) => {
    ctx.status = 404;
    ctx.type = "text/plain";
    ctx.body = "host fallthrough";
  });
  return { app: app.callback() as unknown as RequestListener, ready, hostErrors };
}

/**
 * The bare `node:http` listener inside a connect-style host: the host's per-request data lives on
 * the request (node:http has no `res.locals`), so its `locals` hook plays the default's part.
 */
function buildHttp(pagesDir: string, options: TargetOptions, mount: string | readonly string[] | undefined): MadeApp {
  const paths = mounts(mount);
  if (paths.length > 1) throw new Error("http: one listener has one basePath");
  const hostErrors: unknown[] = [];
  const data = new WeakMap<IncomingMessage, Record<string, unknown>>();
  const hostData = (req: IncomingMessage): Record<string, unknown> => data.get(req) ?? {};
  const out = baseOptions(options);
  out["locals"] = options.customLocals
    ? (req: IncomingMessage) => ({ via: "option", user: hostData(req)["user"] })
    : hostData;
  if (paths[0] !== undefined) out["basePath"] = paths[0];
  const pages = createRequestListener(pagesDir, { ...out, ...options.extra } as Parameters<
    typeof createRequestListener
  >[1]);
  const cookies = { n: 0 };
  const app: RequestListener = (req: IncomingMessage, res: ServerResponse) => {
    data.set(req, { user: "alice" });
    if (options.hostCookie) res.setHeader("set-cookie", hostCookie(cookies));
    if (options.hostVary) res.setHeader("vary", "Origin");
    pages(req, res, (error?: unknown) => {
      if (error === undefined && options.finalNotFound) return pages.notFound(req, res);
      res.setHeader("content-type", "text/plain; charset=utf-8");
      if (error !== undefined) {
        hostErrors.push(error);
        if (res.headersSent) return void res.end();
        res.statusCode = 599;
        return void res.end("host error handler");
      }
      res.statusCode = 404;
      res.end("host fallthrough");
    });
  };
  return { app, ready: pages.ready, hostErrors };
}

const hosts: ReadonlyArray<Pick<Target, "name" | "adapter" | "makeApp">> = [
  {
    name: "express5",
    adapter: "express",
    makeApp: (dir, options = {}, mount) => buildExpress(express() as unknown as ExpressLikeApp, dir, options, mount),
  },
  {
    name: "express4",
    adapter: "express",
    makeApp: (dir, options = {}, mount) => buildExpress(express4() as unknown as ExpressLikeApp, dir, options, mount),
  },
  {
    name: "koa",
    adapter: "koa",
    makeApp: (dir, options = {}, mount) => buildKoa(dir, options, mount, false),
  },
  {
    name: "koa-router",
    adapter: "koa",
    makeApp: (dir, options = {}, mount) => buildKoa(dir, options, mount, true),
  },
  {
    name: "http",
    adapter: "http",
    makeApp: (dir, options = {}, mount) => buildHttp(dir, options, mount),
  },
];

/** The hosts compiling the pages when the middleware is created. */
export const compiledTargets: readonly Target[] = hosts.map((host) => ({
  ...host,
  fromBuild: false,
  label: host.name,
}));

/**
 * The same hosts serving a production build of the pages: nothing compiled at start. `dev` is not
 * defaulted here: `dev: true` reaches the factory, which refuses it with a build, so a case says which
 * mode it means for each set.
 */
export const buildTargets: readonly Target[] = compiledTargets.map((target) => ({
  name: target.name,
  adapter: target.adapter,
  fromBuild: true,
  label: `${target.name}, from a build`,
  makeApp(dir, options = {}, mount) {
    const made =
      options.build !== undefined
        ? { out: options.build, buildId: readBuildId(options.build) }
        : buildOf(dir, { basePath: typeof mount === "string" ? mount : "", lang: options.lang });
    return { ...target.makeApp(dir, { ...options, build: made.out }, mount), buildId: made.buildId };
  },
}));

/** Every host, compiling at start and from a build: for the suites about compiling at start. */
export const allTargets: readonly Target[] = [...compiledTargets, ...buildTargets];

/** The host that compiles at start in {@link targets}, and the one that compiles for the browser in {@link compileExtra}. */
const MAIN_HOST: TargetName = "express5";

/**
 * Whether a target of {@link allTargets} has a browser build in the start-up and development-error
 * suites: a build has one, and of the hosts compiling at start, {@link MAIN_HOST}. The other hosts
 * compile the server build alone there (`client: false`, {@link compileExtra}): what they add is
 * their adapter's handling of a start-up or an error; the compile, the browser build with it, is the
 * core's and the same on every host, and it was four fifths of each compile's CPU here (its React is
 * bundled anew every time).
 */
export const compilesForBrowser = (target: Target): boolean => target.fromBuild || target.name === MAIN_HOST;

/** `extra` options for a target of {@link allTargets} in the start-up and development-error suites: see {@link compilesForBrowser}. */
export const compileExtra = (target: Target, extra: Record<string, unknown> = {}): Record<string, unknown> =>
  compilesForBrowser(target) ? extra : { ...extra, client: false };

/** The matrix most suites run: {@link MAIN_HOST} compiling at start, and every host from a build. */
export const targets: readonly Target[] = [
  ...compiledTargets.filter((target) => target.name === MAIN_HOST),
  ...buildTargets,
];
