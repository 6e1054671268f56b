/** Shared helpers for the conformance suite (no assertions about the implementation live here). */
import { parse as parseDevalue } from "devalue";
import assert from "node:assert/strict";
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, test } from "node:test";
import type { ErrorInfo } from "./targets.js";

const here = path.dirname(fileURLToPath(import.meta.url));

/** Absolute path of a fixture pages dir under test/fixtures. */
export function fixture(name: string): string {
  return path.join(here, "..", "fixtures", name);
}

export const PAGES = fixture("pages");

// ---------------------------------------------------------------------------------------------
// Unhandled rejections: recorded for the whole process, asserted by a last test in every file
// and again by a root `after` hook (which also catches rejections that arrive late).
// ---------------------------------------------------------------------------------------------
const unhandled: unknown[] = [];
process.on("unhandledRejection", (reason) => {
  unhandled.push(reason);
});
after(async () => {
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(unhandled.map(String), [], "unhandled rejections were left behind");
});

/** The unhandled rejections recorded so far in this process. */
export function unhandledRejections(): readonly unknown[] {
  return unhandled;
}

/** Call at the end of every test file. */
export function noUnhandledRejections(): void {
  test("leaves no unhandled rejection behind", async () => {
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(unhandled.map(String), []);
  });
}

// ---------------------------------------------------------------------------------------------
// onError collector
// ---------------------------------------------------------------------------------------------
export interface ErrorCall {
  error: unknown;
  info: ErrorInfo;
}

export function collectErrors(): { calls: ErrorCall[]; onError: (error: unknown, info: ErrorInfo) => void } {
  const calls: ErrorCall[] = [];
  return { calls, onError: (error, info) => calls.push({ error, info }) };
}

export function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.message}\n${error.stack ?? ""}`;
  return String(error);
}

/** Waits until `check` holds for what `read` gives (or the time is up), and returns the last value read. */
export async function poll<T>(read: () => Promise<T>, check: (value: T) => boolean, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  let value = await read();
  while (!check(value) && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}

/** Wait until `fn` returns true (or fail after `ms`). */
export async function waitFor(fn: () => boolean, ms = 2000, what = "condition"): Promise<void> {
  const start = Date.now();
  while (!fn()) {
    if (Date.now() - start > ms) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

// ---------------------------------------------------------------------------------------------
// HTML document helpers
// ---------------------------------------------------------------------------------------------
export const DOC_START =
  '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">' +
  '<meta name="viewport" content="width=device-width, initial-scale=1">';

const DATA_RE = /<script id="__SSR_PAGES_DATA__" type="application\/json">([\s\S]*?)<\/script>/;

/** The raw text of the embedded data script. */
export function rawData(html: string): string {
  const m = DATA_RE.exec(html);
  assert.ok(m, "embedded __SSR_PAGES_DATA__ script not found");
  return m[1] ?? "";
}

export interface EmbeddedData {
  base: string;
  pageData: PageData;
}

export interface PageData {
  componentChunkName: string;
  buildId?: string;
  path: string;
  matchPath?: string;
  result: { serverData?: unknown; serverDataFormat?: "devalue"; params: Record<string, string> };
  staticQueryHashes: unknown[];
  module: string;
}

/**
 * A page data's `serverData` as the page receives it: decoded from devalue's form when the page data
 * says so (rich props: see data/serialize.ts), with the server's custom types (the context's objects,
 * `toJSON`'s values); deferred values are left as their ids.
 */
export function serverDataOf(result: { serverData?: unknown; serverDataFormat?: string }): unknown {
  if (result.serverDataFormat !== "devalue") return result.serverData;
  return parseDevalue(JSON.stringify(result.serverData), {
    O: (value: unknown) => value,
    J: ([value]: [unknown]) => value,
    P: (id: number) => ({ deferred: id }),
  });
}

export function embedded(html: string): EmbeddedData {
  return JSON.parse(rawData(html)) as EmbeddedData;
}

/** The root element's opening tag. */
export const ROOT_OPEN = '<div id="___ssr-pages">';

/** The server-rendered page markup inside the root element (up to the page data, or the end of the body without a client). */
export function rootHtml(html: string): string {
  const start = html.indexOf(ROOT_OPEN);
  const data = html.indexOf('</div><script id="__SSR_PAGES_DATA__"');
  const end = data !== -1 ? data : html.lastIndexOf("</div></body></html>");
  assert.ok(start >= 0 && end > start, "root element not found");
  return html.slice(start + ROOT_OPEN.length, end);
}

/** The `<head>` contents after the fixed charset/viewport prefix. */
export function headHtml(html: string, lang = "en"): string {
  const prefix = DOC_START.replace('lang="en"', `lang="${lang}"`);
  assert.ok(html.startsWith(prefix), `document does not start with ${prefix}`);
  const end = html.indexOf("</head>");
  assert.ok(end > 0, "no </head>");
  return html.slice(prefix.length, end);
}

/** Decode the HTML character references an escaper may use (named, decimal, hex). */
export function decodeEntities(text: string): string {
  const named: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, ref: string) => {
    if (ref[0] === "#") {
      const code = ref[1] === "x" || ref[1] === "X" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return String.fromCodePoint(code);
    }
    return named[ref.toLowerCase()] ?? m;
  });
}

export function moduleScriptSrc(html: string): string {
  const m = /<script type="module" src="([^"]+)"><\/script><\/body><\/html>$/.exec(html);
  assert.ok(m, "module script at the end of the document not found");
  return m[1] ?? "";
}

/** `/page-data/<p>/page-data.json` for a page path such as `/blog/1` (`/` is `index`). */
export function pd(pagePath: string, query = ""): string {
  const p = pagePath === "/" ? "index" : pagePath.replace(/^\//, "");
  return `/page-data/${p}/page-data.json${query}`;
}

/**
 * What a production build's static pages (no getServerData, no params) are served with, under the
 * mount path and lang they were built with (docs/deploying.md), instead of the default `private, no-store`.
 */
export const STATIC_CACHE_CONTROL = "public, max-age=0, must-revalidate";

/** A strong entity tag (not `W/…`). */
export const STRONG_ETAG = /^"[^"]+"$/;

export function html(res: { headers: Record<string, string | string[] | undefined> }): void {
  assert.equal(res.headers["content-type"], "text/html; charset=utf-8");
}

export function json(res: { headers: Record<string, string | string[] | undefined> }): void {
  assert.equal(res.headers["content-type"], "application/json; charset=utf-8");
}

// ---------------------------------------------------------------------------------------------
// Raw HTTP: supertest/superagent parse the URL with WHATWG `URL`, which normalises `..`,
// `%2e%2e` and friends before sending. Hostile paths must reach the server byte for byte.
// ---------------------------------------------------------------------------------------------
export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  bodyBytes: number;
  /** The body's bytes as sent (nothing decoded). */
  bytes: Buffer;
}

export async function raw(
  app: http.RequestListener,
  rawPath: string,
  init: { method?: string; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  try {
    return await new Promise<RawResponse>((resolve, reject) => {
      const req = http.request(
        {
          host: "127.0.0.1",
          port,
          method: init.method ?? "GET",
          path: rawPath,
          headers: { connection: "close", ...init.headers },
          agent: false,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const buf = Buffer.concat(chunks);
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: buf.toString("utf8"),
              bodyBytes: buf.length,
              bytes: buf,
            });
          });
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end();
    });
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

/**
 * Send a GET and disconnect without waiting for the answer: after `after` ms, or once `after()` is
 * true (the page saying it has the request: a fixed delay can fire before a loaded server even reads
 * it). Resolves once the client socket is destroyed. The server keeps running until `close()` is called.
 */
export async function disconnectingRequest(
  app: http.RequestListener,
  rawPath: string,
  after: number | (() => boolean),
): Promise<{ close: () => Promise<void> }> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => {
    const req = http.request({ host: "127.0.0.1", port, path: rawPath, agent: false });
    req.on("error", () => resolve());
    req.on("response", (res) => {
      res.resume();
    });
    req.on("close", () => resolve());
    req.end();
    if (typeof after === "number") setTimeout(() => req.destroy(), after);
    else
      void waitFor(after, 5000, `the page to see ${rawPath}`).then(
        () => req.destroy(),
        () => req.destroy(),
      );
  });
  return {
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

/** Something that looks like (part of) a V8 stack trace or a source location. */
export function looksLikeStack(text: string): boolean {
  return /\bat [\w$.<>[\] ]+ \(|\bat (file:\/\/|\/)|\.(tsx?|jsx?|mjs):\d+(:\d+)?|file:\/\//.test(text);
}

/**
 * Sends `head` (a whole request, written as given: an absolute-form target, say, which no HTTP client
 * sends) on a raw socket and resolves with every byte the server answered, until it closes.
 */
export async function rawExchange(app: http.RequestListener, head: string): Promise<Buffer> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  try {
    return await new Promise<Buffer>((resolve, reject) => {
      const socket = net.connect(port, "127.0.0.1");
      const chunks: Buffer[] = [];
      // A server that never answers fails the test instead of hanging the suite.
      socket.setTimeout(5000, () => {
        socket.destroy();
        reject(
          new Error(
            `no complete answer within 5 s to ${head.split("\r\n", 1)[0]}; got ${JSON.stringify(Buffer.concat(chunks).toString("latin1").slice(0, 200))}`,
          ),
        );
      });
      socket.on("data", (chunk: Buffer) => chunks.push(chunk));
      socket.on("end", () => resolve(Buffer.concat(chunks)));
      socket.on("error", reject);
      // Not `end`: Node's server takes a half-closed connection for a client that left.
      socket.write(head.replaceAll("PORT", String(port)));
    });
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

/** A raw response cut into its parts: header values as the bytes on the wire. */
export interface WireResponse {
  status: number;
  /** Lower-case name → the raw bytes of each value, in order. */
  headers: Map<string, Buffer[]>;
  body: Buffer;
}

/** Parses what {@link rawExchange} received (a response with `Connection: close`, so no chunking is assumed). */
export function parseWire(bytes: Buffer): WireResponse {
  // Informational responses (a 103 Early Hints before a page that waits) come first: the final one follows.
  while (/^HTTP\/1\.1 1\d\d /.test(bytes.subarray(0, 13).toString("latin1")))
    bytes = bytes.subarray(bytes.indexOf("\r\n\r\n") + 4);
  const end = bytes.indexOf("\r\n\r\n");
  assert.ok(end > 0, `no end of head in ${JSON.stringify(bytes.toString("latin1").slice(0, 200))}`);
  const lines: Buffer[] = [];
  for (let start = 0; start < end;) {
    const next = bytes.indexOf("\r\n", start);
    const stop = next === -1 || next > end ? end : next;
    lines.push(bytes.subarray(start, stop));
    start = stop + 2;
  }
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(lines[0]?.toString("latin1") ?? "")?.[1]);
  const headers = new Map<string, Buffer[]>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    const name = line.subarray(0, colon).toString("latin1").toLowerCase();
    let value = line.subarray(colon + 1);
    while (value[0] === 0x20) value = value.subarray(1);
    headers.set(name, [...(headers.get(name) ?? []), value]);
  }
  return { status, headers, body: bytes.subarray(end + 4) };
}
