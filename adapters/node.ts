/**
 * The Node bridge, written once: Express and Koa both sit on Node's `req`/`res`. It turns a Node
 * request into the core's request and writes a core response back, with the rules every adapter
 * needs: the request's signal aborts when the client goes away, each `Set-Cookie` is its own header,
 * a response that was already sent is never written again, and a status the host set is kept when
 * the page chose none.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Readable } from "node:stream";
import { joinVary } from "../src/cache/entry.js";
import type { SsrHandler } from "../src/handler.js";
import type { SsrRequest, SsrResponse } from "../src/protocol.js";
import { clientLeft } from "../src/request/abort.js";
import type { SsrOptions } from "../src/options.js";

/**
 * Splits an adapter's options into its `locals` hook (checked here, once, for every adapter) and the
 * core's options. `usage` shows the hook's shape in the TypeError.
 */
export function takeLocals<Hook extends (...args: never[]) => unknown>(
  options: SsrOptions & { locals?: Hook },
  usage: string,
): { locals: Hook | undefined; coreOptions: SsrOptions } {
  const { locals, ...coreOptions } = options;
  if (locals !== undefined && typeof locals !== "function")
    throw new TypeError(`ssr-pages: locals must be a function ${usage}`);
  return { locals, coreOptions };
}

/** Only GET and HEAD reach pages; everything else falls through without any work. */
export function isPageMethod(method: string | undefined): boolean {
  return method === "GET" || method === "HEAD";
}

/** Converts a Node request. `url` is mount-relative, `base` is the mount path the framework stripped. */
export function fromNodeRequest(
  req: IncomingMessage,
  res: ServerResponse,
  url: string,
  base: string,
  locals: unknown,
): SsrRequest {
  return {
    method: req.method as string,
    url,
    base,
    headers: req.headers,
    locals,
    // Only when a page reads `context.signal` (or its timeout runs out): the request closing before
    // the response finished means the client went away. That may have happened already, before anyone
    // asked: then there is no `close` left to wait for. The request's `close`, not the response's: a
    // pipelined request's response has no socket until the one before it is done, and never closes.
    onAbort: (abort) => {
      if (clientGone(req, res)) return abort(clientLeft());
      req.once("close", () => {
        if (!res.writableFinished) abort(clientLeft());
      });
    },
    earlyHints: earlyHintsFor(req, res),
  };
}

/**
 * The request's `earlyHints`: a `103 Early Hints` through Node's `writeEarlyHints`, at most once,
 * for GET only. Nothing once the head went out (a 1xx after it would corrupt the response), to
 * HTTP/1.0 clients (RFC 9110 §15.2: no 1xx to them; Node does not check), or to a pipelined
 * response still queued behind another one (no socket yet: Node would buffer the 103 until the
 * answer itself goes out).
 * Never throws: a 103 is an optimisation, and a host or a proxy in front may not support it.
 */
function earlyHintsFor(req: IncomingMessage, res: ServerResponse): (links: readonly string[]) => void {
  let sent = false;
  return (links) => {
    if (sent || links.length === 0) return;
    sent = true;
    if (res.headersSent || res.writableEnded || res.destroyed || !res.socket) return;
    // GET only: a HEAD answer has no body whose subresources the browser would fetch early.
    if (req.method !== "GET") return;
    if (req.httpVersionMajor < 1 || (req.httpVersionMajor === 1 && req.httpVersionMinor < 1)) return;
    try {
      res.writeEarlyHints({ link: [...links] });
    } catch {
      // A value Node's Link check refuses, or a host's response object without 1xx support.
    }
  };
}

/** True when the connection closed before the response was finished: nobody is waiting for it. */
function clientGone(req: IncomingMessage, res: ServerResponse): boolean {
  // `destroyed` is set with the `close` events, which Node emits a tick after the socket's.
  return !res.writableFinished && (req.destroyed || res.destroyed || req.socket?.destroyed === true);
}

/**
 * The status to send: the page's, unless the page chose none and the host had already set one
 * (anything but the framework's untouched default: 200 in Node and Express, 404 in Koa).
 */
export function statusToSend(response: SsrResponse, hostStatus: number, untouched: number): number {
  return response.defaultStatus && hostStatus !== untouched ? hostStatus : response.status;
}

/** Writes a core response to a Node response. */
export function writeNodeResponse(req: IncomingMessage, res: ServerResponse, response: SsrResponse): void {
  const body = response.body;
  // The client left (destroyed) or the host already answered: writing now would throw or corrupt.
  // A stream's producer would keep rendering for nobody: stop it.
  if (res.headersSent || res.writableEnded || res.destroyed) {
    if (isStream(body)) body.destroy();
    return;
  }
  const status = statusToSend(response, res.statusCode, 200);
  const headers: Record<string, string | string[] | number> = response.headers;
  if (response.headers.vary !== undefined) joinHostVary(response.headers, res.getHeader("vary"));
  if (isStream(body)) return writeStream(res, status, headers, body, req.method === "HEAD");
  // 204 and 304 carry no body, so no Content-Length either (RFC 9110).
  if (status !== 204 && status !== 304) headers["content-length"] = Buffer.byteLength(body);
  // One writeHead: Node's fast path when the host set no header, merged with the host's otherwise.
  try {
    res.writeHead(status, headers);
  } catch (error) {
    // Node refused the head (the core checks every header, so this is a bug of ours). Merged into
    // the host's, our headers would stay set and break the host's error answer too (a `Trailer`
    // once crashed the process from Express's final handler): take them off before passing it on.
    // (A host header of the same name was already overwritten by ours; it goes with them.)
    if (!res.headersSent) for (const name of Object.keys(headers)) res.removeHeader(name);
    throw error;
  }
  res.end(req.method === "HEAD" ? undefined : body);
}

/**
 * Joins the response's `Vary` to one the host set already (cors() sets `Vary: Origin`): `writeHead`
 * and Koa's `ctx.set` would replace the host's, and a shared cache in front would then mix up what
 * the host varies on. In place: a response's headers are its request's own.
 */
export function joinHostVary(
  headers: SsrResponse["headers"],
  host: number | string | readonly string[] | undefined,
): void {
  if (host === undefined || host === "" || headers.vary === undefined) return;
  headers.vary = joinVary(host, headers.vary);
}

/** Whether a body is a stream (event stream, streamed page or page data): a string (nearly every answer) is told apart with one `typeof`. */
export function isStream(body: SsrResponse["body"]): body is Readable {
  return typeof body !== "string" && !Buffer.isBuffer(body);
}

/**
 * Sends a streamed body (the development event stream, a streamed page, streamed page data): each
 * chunk as it comes, flushed through `compression()` when that is in front of us (it adds
 * `res.flush`; without it gzip would hold the chunks until the end), with no `Content-Length`, until
 * the stream ends. When the client leaves, the stream is destroyed so its producer stops rendering;
 * an error from it cuts the connection (the head went out: only a cut tells the client, and a cache
 * in front, that the body is incomplete); for HEAD it is destroyed at once.
 */
function writeStream(
  res: ServerResponse,
  status: number,
  headers: Record<string, string | string[] | number>,
  body: Readable,
  head: boolean,
): void {
  // Never a length for a stream: its end is the chunked encoding's last chunk.
  delete headers["content-length"];
  // Listened before anything can fail, so an error is never unhandled (it would crash the process).
  body.on("error", () => {
    if (!res.destroyed) res.destroy();
  });
  if (head) {
    body.destroy();
    res.writeHead(status, headers);
    res.end();
    return;
  }
  res.once("close", () => body.destroy());
  try {
    res.writeHead(status, headers);
  } catch (error) {
    // Refused head (see writeNodeResponse): the caller answers the error, nobody reads the stream.
    body.destroy();
    throw error;
  }
  const flush = (res as ServerResponse & { flush?: () => void }).flush;
  body.on("data", (chunk: Buffer | string) => {
    // A chunk already read when the client left: nothing may be written after the end.
    if (res.writableEnded || res.destroyed) return;
    const more = res.write(chunk);
    flush?.call(res);
    // A slow client: hold the producer instead of buffering the page in memory.
    if (!more) {
      body.pause();
      res.once("drain", () => body.resume());
    }
  });
  body.once("end", () => {
    if (!res.writableEnded && !res.destroyed) res.end();
  });
}

/** Hands `response` to `write` now or once it settles; a rejection, or a throw from `write`, goes to `fail`. */
export function writeWhenReady(
  response: SsrResponse | Promise<SsrResponse>,
  write: (response: SsrResponse) => void,
  fail: (error: unknown) => void,
): void {
  if (response instanceof Promise) {
    response.then(write).catch(fail);
    return;
  }
  try {
    write(response);
  } catch (error) {
    fail(error);
  }
}

/**
 * Asks the core and hands a response to `write`, or calls `pass` when no page wants the request: at
 * once when the answer is ready, so a page answered synchronously costs no promise; when it settles
 * otherwise. A rejection, or a throw from `write`, goes to `fail`, never to an unhandled rejection.
 * A throw from `pass` (the host's own next handlers) is the host's: it does not reach `fail`, so
 * `next` is never called twice by us on the synchronous path.
 */
export function answerWith(
  handler: SsrHandler,
  request: SsrRequest,
  write: (response: SsrResponse) => void,
  pass: () => void,
  fail: (error: unknown) => void,
): void {
  const answered = handler.answer(request);
  if (answered instanceof Promise) {
    answered.then((response) => (response ? write(response) : pass())).catch(fail);
    return;
  }
  if (!answered) return pass();
  try {
    write(answered);
  } catch (error) {
    fail(error);
  }
}
