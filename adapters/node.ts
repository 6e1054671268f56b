/**
 * The Node bridge, written once: Express and Koa both sit on Node's `req`/`res`. It turns a Node
 * request into the core's request and writes a core response back, with the rules every adapter
 * needs: the request's signal aborts when the client goes away, each `Set-Cookie` is its own header,
 * a response that was already sent is never written again, and a status the host set is kept when
 * the page chose none.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { SsrRequest, SsrResponse } from "../src/http.js";

/** Only GET and HEAD reach pages; everything else falls through without any work. */
export function isPageMethod(method: string | undefined): boolean {
  return method === "GET" || method === "HEAD";
}

/** Converts a Node request. `url` is mount-relative, `base` is the mount path the framework stripped. */
export function fromNodeRequest(req: IncomingMessage, res: ServerResponse, url: string, base: string, locals: unknown): SsrRequest {
  const controller = new AbortController();
  res.once("close", () => {
    if (!res.writableFinished) controller.abort(new Error("ssr-pages: the client closed the connection"));
  });
  return { method: req.method as string, url, base, headers: req.headers, locals, controller };
}

/** Writes a core response to a Node response. */
export function writeNodeResponse(req: IncomingMessage, res: ServerResponse, response: SsrResponse): void {
  // The client left (destroyed) or the host already answered: writing now would throw or corrupt.
  if (res.headersSent || res.writableEnded || res.destroyed) return;
  if (!(response.defaultStatus && res.statusCode !== 200)) res.statusCode = response.status;
  const headers = response.headers;
  for (const name in headers) res.setHeader(name, headers[name] as string | string[]);
  res.setHeader("content-length", Buffer.byteLength(response.body));
  res.end(req.method === "HEAD" ? undefined : response.body);
}
