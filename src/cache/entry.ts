/**
 * A stored entry, made and answered: the entry a page's response becomes (the headers to keep, its
 * tags, a weak ETag, the body compressed once in brotli and gzip), when it is fresh, and the response
 * a hit sends from it (its age, Cache-Status, a 304 for its ETag, the encoding asked for).
 */
import { promisify } from "node:util";
import zlib from "node:zlib";
import type { SsrResponse } from "../protocol.js";
import type { RawHeaders } from "../request/headers.js";
import { pickEncoding } from "../request/accept-encoding.js";
import type { SharedLifetime } from "./cache-control.js";
import type { Invalidation, StoredResponse } from "./store.js";
import { strongEtag } from "../common/etag.js";

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** `HIT`, `STALE`, `MISS`, `BYPASS`: what `x-ssr-pages-cache` says. */
export type Outcome = "HIT" | "STALE" | "MISS" | "BYPASS";

/**
 * The entry for a response that may be stored: its tags are its `Cache-Tag`'s and `pathTag` (the
 * page path's own); `startedAt` is when its run started (what invalidations are compared with).
 */
export async function storedEntry(
  response: SsrResponse,
  body: string | Buffer,
  lifetime: SharedLifetime,
  pathTag: string,
  startedAt: number,
): Promise<StoredResponse> {
  const bytes = typeof body === "string" ? Buffer.from(body) : body;
  const etag = `W/${strongEtag(bytes)}`;
  const headers = storedHeaders(response.headers);
  // Kept with the entry, so a hit adds only what changes with time.
  headers.etag = etag;
  headers.vary = joinVary(headers.vary, "Accept-Encoding");
  const [br, gz] = await Promise.all([
    brotli(bytes, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }),
    gzip(bytes, { level: 6 }),
  ]);
  return {
    kind: "response",
    status: response.status,
    headers,
    body: bytes,
    // Copies: zlib's output is a view of a larger chunk (16 kB or more), which the store would keep
    // whole while counting only the view: measured 3.5× what was counted (bench/cache-memory.ts).
    br: Buffer.from(br),
    gzip: Buffer.from(gz),
    etag,
    storedAt: startedAt,
    lifetime,
    tags: [...commaList(response.headers["cache-tag"]), pathTag],
  };
}

/**
 * The response a hit sends from `entry`: its age, Cache-Status and x-ssr-pages-cache (`detail` says
 * why a stale one is served), a 304 for a matching `If-None-Match`, and the best encoding asked for.
 */
export function entryResponse(
  entry: StoredResponse,
  request: RawHeaders,
  outcome: Outcome,
  now: number,
  freshUntil: number,
  detail?: string,
): SsrResponse {
  const headers = copyHeaders(entry.headers);
  headers.age = String(Math.max(0, Math.floor((now - entry.storedAt) / 1000)));
  const ttl = Math.floor((freshUntil - now) / 1000);
  const status = `ssr-pages; hit; ttl=${ttl}${detail ? `; detail=${detail}` : ""}`;
  headers["cache-status"] =
    outcome === "STALE" && detail === "stale-if-error" ? `ssr-pages; fwd=stale; ttl=${ttl}; detail=${detail}` : status;
  headers["x-ssr-pages-cache"] = outcome;
  // Only a 2xx answer is conditional (RFC 9110 §13.2.1): a stored 404 or redirect ignores If-None-Match.
  if (entry.status < 300 && matchesEtag(request["if-none-match"], entry.etag))
    return { status: 304, defaultStatus: false, headers, body: "" };
  const encoding = pickEncoding(request["accept-encoding"]);
  if (encoding === "br" && entry.br) {
    headers["content-encoding"] = "br";
    return { status: entry.status, defaultStatus: false, headers, body: entry.br };
  }
  if (encoding === "gzip" && entry.gzip) {
    headers["content-encoding"] = "gzip";
    return { status: entry.status, defaultStatus: false, headers, body: entry.gzip };
  }
  return { status: entry.status, defaultStatus: false, headers, body: entry.body };
}

/** When an entry stops being fresh, in ms since the epoch (a soft invalidation ends freshness early). */
export function freshUntil(entry: StoredResponse, invalidation: Invalidation): number {
  const fresh = entry.storedAt + entry.lifetime.fresh * 1000;
  return invalidation.soft >= entry.storedAt && invalidation.soft < fresh ? invalidation.soft : fresh;
}

/** When an entry stops being fresh and when its stale windows end, in ms since the epoch. */
export function windowsOf(
  entry: StoredResponse,
  invalidation: Invalidation,
): { fresh: number; staleWhileRevalidate: number; staleIfError: number } {
  const fresh = freshUntil(entry, invalidation);
  return {
    fresh,
    staleWhileRevalidate: fresh + entry.lifetime.staleWhileRevalidate * 1000,
    staleIfError: fresh + entry.lifetime.staleIfError * 1000,
  };
}

/**
 * A response's own copy of headers that the cache and the adapters then add to. A loop, not `{ ...headers }`:
 * V8 (Node 20) gives a spread's result a map without transitions, so every property added to it
 * afterwards takes the slow path, about 0.5 µs each (measured: four of them were most of a hit's time).
 */
export function copyHeaders(headers: Readonly<Record<string, string | string[]>>): Record<string, string | string[]> {
  const copy: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name] as string | string[];
    // An array (a repeated header) is copied too: what a host pushes onto it stays this answer's.
    copy[name] = typeof value === "string" ? value : [...value];
  }
  return copy;
}

/** Headers the store never keeps: framing (set per answer), and what the cache itself adds per hit. */
const UNSTORED_HEADERS = new Set([
  "content-length",
  "content-encoding",
  "cache-tag",
  "age",
  "cache-status",
  "x-ssr-pages-cache",
]);

/**
 * The headers to store, copied without {@link UNSTORED_HEADERS}. Copied, not deleted from a copy: an
 * object that lost a property is a slow dictionary in V8, and every hit copies the stored headers.
 */
function storedHeaders(headers: Readonly<Record<string, string | string[]>>): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const name in headers) if (!UNSTORED_HEADERS.has(name)) kept[name] = headers[name] as string | string[];
  return kept;
}

/**
 * A `Vary` value with `added`'s names joined to `current`'s, each name once (compared without case),
 * in the order they came: the stored entry's `Accept-Encoding`, and what the host set beside ours.
 */
export function joinVary(
  current: string | readonly string[] | number | undefined,
  added: string | readonly string[],
): string {
  const names = commaList(current);
  const seen = new Set(names.map((name) => name.toLowerCase()));
  for (const name of commaList(added)) {
    if (seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    names.push(name);
  }
  return names.join(", ");
}

/** The items of a comma-separated header (`Vary`, `Cache-Tag`), over any number of lines, trimmed, without empty ones. */
export function commaList(value: string | readonly string[] | number | undefined): string[] {
  if (value === undefined) return [];
  return (typeof value === "object" ? value.join(",") : String(value))
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

/** Weak comparison (RFC 9110 §13.1.2): `W/"x"` matches `"x"` and `W/"x"`; `*` matches anything. */
export function matchesEtag(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const opaque = etag.replace(/^W\//, "");
  return (typeof header === "string" ? [header] : header)
    .flatMap((line) => line.split(","))
    .some((tag) => {
      const trimmed = tag.trim();
      return trimmed === "*" || trimmed.replace(/^W\//, "") === opaque;
    });
}
