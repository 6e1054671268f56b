/**
 * The small, framework-neutral request and response the core speaks. Adapters convert Node's (or a
 * framework's) request into an {@link SsrRequest} once and write an {@link SsrResponse} back; the core
 * never sees Express, Koa or `node:http`. Plain objects rather than the web `Request`/`Response`,
 * because building those on every request costs more than the rest of the adapter.
 */

import type { Readable } from "node:stream";

/** A request as the core sees it. */
export interface SsrRequest {
  /** Upper-case method. */
  method: string;
  /** Path and query relative to the mount point, still encoded (`/products/1?color=red`). */
  url: string;
  /** The mount path the framework stripped (`""` at the root, `"/shop"`), from Express's `req.baseUrl` or the Koa mount. */
  base: string;
  /** Request headers with lower-case names (Node's `req.headers`). */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Host data handed to `getServerData` as `context.locals`. */
  locals?: unknown;
  /**
   * Called at most once, when a page first asks for `context.signal` (or when its `timeout` runs
   * out), with a function the adapter must call when the client goes away, and at once when it has
   * already gone. A request whose page never reads the signal costs no AbortController and no listener.
   */
  onAbort?: (abort: (reason: unknown) => void) => void;
  /**
   * Sends a `103 Early Hints` informational response with these `Link` header values (such as
   * `</_ssr-pages/entry-ABC.js>; rel=modulepreload`), so the browser fetches them while the page
   * waits. Called by the core at most once per request, before it waits for `getServerData`. The
   * adapter may send nothing (HTTP/1.0 client, headers already sent) and never throws: a 103 is only
   * an optimisation. Absent: the host cannot send 1xx responses.
   */
  earlyHints?: (links: readonly string[]) => void;
}

/** A response the core produced. */
export interface SsrResponse {
  status: number;
  /** True when the status is the default 200 the page did not ask for: an adapter may keep a status the host set before. */
  defaultStatus: boolean;
  /** Lower-case names; an array value is sent as repeated headers (each `Set-Cookie` separately). */
  headers: Record<string, string | string[]>;
  /**
   * The body for GET: text, or bytes for a browser asset. Adapters send no body for HEAD but keep
   * `Content-Length`. A `Readable` for the development event stream, a streamed HTML page and
   * streamed page data (NDJSON): sent without a length, flushed chunk by chunk (through the host's
   * compression too), until it ends. Adapters destroy it when the client leaves (so its producer stops
   * rendering) and at once for HEAD; an error it emits ends the response (the connection is cut when
   * the head went out already).
   */
  body: string | Buffer | Readable;
  /**
   * The body holds something of this request alone (its CSP nonce), or a part that failed (a deferred
   * value, a boundary): the response cache neither stores nor shares it, whatever its headers say.
   */
  noStore?: true;
}
