/**
 * Serves the files under `<mount>/_ssr-pages/` (runtime/served-files.ts: from memory, or a production
 * build's folder): browser modules, stylesheets and the assets pages import. Every name carries a
 * content hash, so each may be cached for a year. Media (a video in an `<video src>`) is asked for
 * in ranges: one `Range: bytes=a-b` is answered with 206.
 */
import type { SsrResponse } from "../protocol.js";
import { pickEncoding } from "../request/accept-encoding.js";
import type { RawHeaders } from "../request/headers.js";
import { COMPRESSIBLE, type FileStore } from "../runtime/served-files.js";
import { contentTypeOf } from "../common/content-types.js";

/** The `Cache-Control` of every file named by its content (browser files, assets, image variants). */
export const IMMUTABLE = "public, max-age=31536000, immutable";

/**
 * The file's response, or `null` for a name the build did not produce. `compress`: off in
 * development, where each rebuild's files would be compressed anew (a 1.2 MB development entry takes
 * 80 ms in brotli, as much again in gzip) for a browser on the same machine.
 */
export function respondWithAsset(
  name: string,
  files: FileStore,
  requestHeaders: RawHeaders,
  compress: boolean,
): SsrResponse | Promise<SsrResponse | null> | null {
  const headers: Record<string, string> = {
    "content-type": contentTypeOf(name),
    "cache-control": IMMUTABLE,
    "x-content-type-options": "nosniff",
    "accept-ranges": "bytes",
  };
  const range = requestHeaders.range;
  // Text (modules, stylesheets, maps, SVG) goes out compressed when the client takes it: the plain
  // bytes are not even read then. A byte range is of the file itself, so it is answered from them.
  const compressible = compress && range === undefined && COMPRESSIBLE.test(name);
  if (compressible) headers.vary = "Accept-Encoding";
  const encoding = compressible ? pickEncoding(requestHeaders["accept-encoding"]) : undefined;
  const plain = (): SsrResponse | Promise<SsrResponse | null> | null => {
    const body = files.read(name);
    if (body === undefined) return null;
    return body instanceof Promise
      ? body.then((bytes) => (bytes === undefined ? null : whole(bytes, headers, range)))
      : whole(body, headers, range);
  };
  if (encoding === undefined) return plain();
  const withEncoding = (bytes: Buffer | undefined): SsrResponse | Promise<SsrResponse | null> | null => {
    if (bytes === undefined) return plain(); // none (or not this file): the plain bytes, or null for a name not served
    headers["content-encoding"] = encoding;
    return { status: 200, defaultStatus: false, headers, body: bytes };
  };
  const encoded = files.encoded(name, encoding);
  return encoded instanceof Promise ? encoded.then(withEncoding) : withEncoding(encoded);
}

/** The whole file, or the one byte range asked for. */
function whole(body: Buffer, headers: Record<string, string>, range: string | string[] | undefined): SsrResponse {
  if (typeof range === "string") {
    const wanted = byteRange(range, body.length);
    if (wanted === "unsatisfiable") {
      return {
        status: 416,
        defaultStatus: false,
        headers: { ...headers, "content-range": `bytes */${body.length}` },
        body: "",
      };
    }
    if (wanted) {
      headers["content-range"] = `bytes ${wanted.start}-${wanted.end}/${body.length}`;
      return { status: 206, defaultStatus: false, headers, body: body.subarray(wanted.start, wanted.end + 1) };
    }
  }
  return { status: 200, defaultStatus: false, headers, body };
}

/**
 * One range of `bytes=a-b`, `bytes=a-` or `bytes=-n` within `size` bytes; `undefined` for anything
 * else (several ranges, other units, junk), which RFC 9110 §14.2 lets a server answer with the whole
 * file; `"unsatisfiable"` for a range that starts past the end.
 */
function byteRange(header: string, size: number): { start: number; end: number } | "unsatisfiable" | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === "" && match[2] === "")) return undefined;
  if (match[1] === "") {
    const suffix = Number(match[2]);
    if (suffix === 0) return "unsatisfiable";
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  if (start >= size) return "unsatisfiable";
  const end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  return end < start ? undefined : { start, end };
}
