/**
 * Writes the core's response through Koa's own response (kept apart from the middleware so the
 * conformance tests can drive it with a stub core): strings and bytes as Koa bodies, streamed pages
 * through Koa too (so koa-compress compresses them), the development event stream past Koa.
 */
import { Stream, type Readable } from "node:stream";
import type { Context } from "koa";
import type { SsrResponse } from "../src/protocol.js";
import { isStream, joinHostVary, statusToSend, writeNodeResponse } from "./node.js";

/** Writes a core response through Koa's own response, so upstream middleware (compression, loggers) see it. */
export function respond(ctx: Context, response: SsrResponse): void {
  // Koa's status is 404 until someone sets it: anything else was set by the host on purpose.
  ctx.status = statusToSend(response, ctx.status, 404);
  const body = response.body;
  // The development event stream is written by the Node bridge, past Koa's response: koa-compress
  // without a flush option would hold its events, and Koa reports a client that leaves a stream as
  // an error on every tab close.
  if (isStream(body) && isEventStream(response.headers)) {
    ctx.respond = false;
    writeNodeResponse(ctx.req, ctx.res, response);
    return;
  }
  if (response.headers.vary !== undefined) joinHostVary(response.headers, ctx.response.get("vary"));
  ctx.set(response.headers);
  if (isStream(body)) return respondWithStream(ctx, body);
  ctx.body = response.body;
}

/**
 * A streamed page or page data goes through Koa's response, so koa-compress compresses it. Koa pipes
 * it to the client chunk by chunk, but koa-compress's zlib stream holds them until it has 16 KiB of
 * compressed output, or the end, unless the app gives it `flush: zlib.constants.Z_SYNC_FLUSH` (gzip, deflate) and
 * `flush: zlib.constants.BROTLI_OPERATION_FLUSH` (br): docs/getting-started.md says so (examples/docs/koa-server.ts).
 */
function respondWithStream(ctx: Context, body: Readable): void {
  // A stream has no length; Koa's body setter keeps one a host set before us.
  ctx.remove("content-length");
  if (ctx.method === "HEAD") {
    // Koa ends a HEAD response without reading the body: no producer should render it.
    body.destroy();
    return;
  }
  const { res } = ctx;
  // Koa destroys the body when the response finishes or closes; this is for the moment koa-compress
  // has replaced it (Koa then destroys the zlib stream, and `pipe` would only unpipe ours).
  res.once("close", () => body.destroy());
  // Koa pipes its body with `pipeline`, which cuts the connection when the body errors. Behind
  // koa-compress, its `pipe` into zlib forwards no error and the response would hang: destroy Koa's
  // body (zlib) with the error, which Koa reports (`app.on("error")`) and which cuts the connection.
  // After a turn of the loop, so koa-compress has had its chance to wrap a body that failed at once.
  body.on("error", (error) => {
    setImmediate(() => {
      const koaBody: unknown = ctx.body;
      if (koaBody !== body && koaBody instanceof Stream && !(koaBody as Readable).destroyed)
        (koaBody as Readable).destroy(error);
    });
  });
  // A client that leaves a streamed page is no error: Koa would report `ERR_STREAM_PREMATURE_CLOSE`
  // to `app.on("error")` (logged by default) on every early navigation away.
  const onerror = ctx.onerror;
  ctx.onerror = (error) => {
    if (isPrematureClose(error) && !res.writableFinished && clientLeft(ctx)) return;
    onerror.call(ctx, error);
  };
  ctx.body = body;
}

/** Whether the response is the development event stream (`text/event-stream`). */
function isEventStream(headers: SsrResponse["headers"]): boolean {
  const type = headers["content-type"];
  return typeof type === "string" && type.startsWith("text/event-stream");
}

function isPrematureClose(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "ERR_STREAM_PREMATURE_CLOSE";
}

/** The connection closed under the response (not by us after an error of the body). */
function clientLeft(ctx: Context): boolean {
  return ctx.req.destroyed || ctx.req.socket?.destroyed === true;
}
