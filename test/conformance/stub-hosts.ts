/**
 * The five hosts of the conformance matrix (targets.ts) around a stub core instead of a pages dir,
 * for the transport cases (103 Early Hints, streamed bodies) whose answers no fixture page gives
 * yet. Each host is wired as its adapter wires the real core: `fromNodeRequest` for the request,
 * `answerWith` + `writeNodeResponse` for Express and node:http, Koa's `respond` for Koa; only
 * `createSsrHandler` is replaced by `answer`.
 */
import type { RequestListener } from "node:http";
import express from "express";
import express4 from "express4";
import compression from "compression";
import Koa from "koa";
import compress from "koa-compress";
import Router from "@koa/router";
import zlib from "node:zlib";
import { respond } from "../../adapters/koa-respond.js";
import { answerWith, fromNodeRequest, writeNodeResponse } from "../../adapters/node.js";
import type { SsrHandler } from "../../src/handler.js";
import type { SsrRequest, SsrResponse } from "../../src/protocol.js";

/** What the stub core answers: a response, or `undefined` to fall through. */
export type StubAnswer = (request: SsrRequest) => SsrResponse | undefined | Promise<SsrResponse | undefined>;

export type StubHostName = "express5" | "express4" | "koa" | "koa-router" | "http";

/** Which compression sits in front: none, Express's `compression()`, or `koa-compress` set to flush each chunk. */
export type Compression = "none" | "compression" | "koa-compress";

export interface StubHost {
  app: RequestListener;
  /** Errors that reached the host (Express's error handler, Koa's `app.on("error")`, node:http's `next(err)`). */
  hostErrors: unknown[];
}

/** The hosts, each with the compression it can take. */
export const STUB_HOSTS: ReadonlyArray<{ name: StubHostName; compressions: readonly Compression[] }> = [
  { name: "express5", compressions: ["none", "compression"] },
  { name: "express4", compressions: ["none", "compression"] },
  { name: "koa", compressions: ["none", "koa-compress"] },
  { name: "koa-router", compressions: ["none", "koa-compress"] },
  { name: "http", compressions: ["none"] },
];

/** koa-compress as the README's Koa section says to set it up for streamed pages. */
export function flushingKoaCompress(): Koa.Middleware {
  return compress({
    gzip: { flush: zlib.constants.Z_SYNC_FLUSH },
    deflate: { flush: zlib.constants.Z_SYNC_FLUSH },
    br: { flush: zlib.constants.BROTLI_OPERATION_FLUSH },
  });
}

/** Builds host `name` around the stub core `answer`, with `compressing` in front. */
export function stubHost(name: StubHostName, answer: StubAnswer, compressing: Compression = "none"): StubHost {
  const handler = { answer } as unknown as SsrHandler;
  const hostErrors: unknown[] = [];
  if (name === "express5" || name === "express4") {
    const app = name === "express5" ? express() : (express4() as unknown as ReturnType<typeof express>);
    if (compressing === "compression") app.use(compression());
    app.use((req, res, next) => {
      const request = fromNodeRequest(req, res, req.url, req.baseUrl, res.locals);
      answerWith(handler, request, (response) => writeNodeResponse(req, res, response), next, next);
    });
    app.use(
      (_req: express.Request, res: express.Response) =>
        void res.status(404).type("text/plain").send("host fallthrough"),
    );
    app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      hostErrors.push(error);
      if (res.headersSent) return void res.end();
      res.status(599).type("text/plain").send("host error handler");
    });
    return { app: app as unknown as RequestListener, hostErrors };
  }
  if (name === "koa" || name === "koa-router") {
    const app = new Koa();
    app.on("error", (error: unknown) => hostErrors.push(error));
    if (compressing === "koa-compress") app.use(flushingKoaCompress());
    const middleware = async (ctx: Koa.Context, next: Koa.Next): Promise<void> => {
      const request = fromNodeRequest(ctx.req, ctx.res, ctx.url, "", ctx.state);
      const response = await answer(request);
      if (!response) return next();
      respond(ctx, response);
    };
    if (name === "koa") app.use(middleware);
    else {
      const router = new Router();
      router.all("{/*rest}", middleware);
      app.use(router.routes());
    }
    return { app: app.callback() as unknown as RequestListener, hostErrors };
  }
  const app: RequestListener = (req, res) => {
    const request = fromNodeRequest(req, res, req.url ?? "/", "", undefined);
    const pass = (error?: unknown): void => {
      if (error !== undefined) hostErrors.push(error);
      if (res.headersSent) return void res.destroy();
      res.statusCode = error === undefined ? 404 : 599;
      res.end();
    };
    answerWith(handler, request, (response) => writeNodeResponse(req, res, response), pass, pass);
  };
  return { app, hostErrors };
}
