/**
 * A production build's static pages (artifact/prerender.ts), served from the build as Gatsby serves
 * its own: the stored HTML or page data, precompressed, with a strong ETag (a 304 when the browser has
 * it), and `Cache-Control: public, max-age=0, must-revalidate`: a browser or CDN may keep the page
 * but asks each time whether it changed, so a deploy shows at once (hashed browser files are the
 * ones cached for a year). No render, no `getServerData`, no response cache.
 */
import type { SsrResponse } from "../protocol.js";
import { pickEncoding } from "../request/accept-encoding.js";
import type { RawHeaders } from "../request/headers.js";
import type { StaticBody, StaticPages } from "../runtime/build-parts.js";
import type { PageEntry } from "../runtime/build.js";
import { matchesEtag } from "../cache/entry.js";
import { pageIdentity } from "../common/urls.js";
import { HTML_TYPE, JSON_TYPE } from "./content-type.js";
import { strongEtag } from "../common/etag.js";

/** What a static page's answers carry (see the file's comment). */
export const STATIC_CACHE_CONTROL = "public, max-age=0, must-revalidate";

/**
 * The stored answer at `pagePath` (mount-relative) when a static page of the build is served there
 * and the request is under the mount path and `lang` the build rendered it with, before any route is
 * looked up (one map lookup: a static page is the cheapest answer there is); `null` otherwise. The
 * promise gives `null` only when the build's file cannot be read (its folder changed under the server).
 */
export function respondWithStored(
  statics: StaticPages,
  kind: "html" | "json",
  pagePath: string,
  base: string,
  lang: string,
  request: RawHeaders,
): SsrResponse | Promise<SsrResponse | null> | null {
  if (base !== statics.base || lang !== statics.lang) return null;
  const file = statics.byPath.get(kind === "html" ? pagePath : `json:${pagePath}`);
  const page = file === undefined ? undefined : statics.pages.get(file);
  if (page === undefined) return null;
  const body = kind === "html" ? page.html : page.json;
  const headers = staticHeaders(kind, body.etag);
  if (matchesEtag(request["if-none-match"], body.etag)) return { status: 304, defaultStatus: false, headers, body: "" };
  return storedBody(statics, body, headers, request);
}

/**
 * A static page of the build asked for at its own path under another mount path or `lang` than the
 * build rendered it with: `render`'s answer, made on the first request there and kept. `null` for
 * any other page or path (`/about/` for a page stored as `/about`): it is rendered as any page is.
 */
export function respondRenderedElsewhere(
  statics: StaticPages,
  entry: PageEntry,
  kind: "html" | "json",
  pagePath: string,
  base: string,
  request: RawHeaders,
  render: () => SsrResponse | Promise<SsrResponse>,
): SsrResponse | Promise<SsrResponse> | null {
  const page = statics.pages.get(entry.parsed.file);
  if (page === undefined) return null;
  if (kind === "html" ? pagePath !== page.path : pagePath !== pageIdentity(page.path)) return null;
  return renderedOnce(statics, `${kind} ${base} ${entry.parsed.file}`, kind, request, render);
}

function staticHeaders(kind: "html" | "json", etag: string): Record<string, string> {
  return {
    "content-type": kind === "html" ? HTML_TYPE : JSON_TYPE,
    "cache-control": STATIC_CACHE_CONTROL,
    etag,
    vary: "Accept-Encoding",
  };
}

/**
 * A static page under a mount path the build did not render it for: rendered on the first request
 * there (a page without `getServerData` renders at once), kept, and answered as a stored one (ETag,
 * 304), uncompressed (the host's compression applies). A render that fails is answered as it is, and
 * tried again next time.
 */
function renderedOnce(
  statics: StaticPages,
  key: string,
  kind: "html" | "json",
  request: RawHeaders,
  render: () => SsrResponse | Promise<SsrResponse>,
): SsrResponse | Promise<SsrResponse> {
  let failed: SsrResponse | Promise<SsrResponse> | undefined;
  const kept = statics.elsewhere.get(key, () => {
    const response = render();
    if (response instanceof Promise || response.status !== 200 || typeof response.body !== "string") {
      failed = response;
      return null;
    }
    const body = Buffer.from(response.body);
    return { body, etag: strongEtag(body) };
  });
  if (kept === null) {
    statics.elsewhere.delete(key);
    return failed ?? render();
  }
  const headers = staticHeaders(kind, kept.etag);
  if (matchesEtag(request["if-none-match"], kept.etag)) return { status: 304, defaultStatus: false, headers, body: "" };
  return { status: 200, defaultStatus: false, headers, body: kept.body };
}

/** The stored bytes, in the encoding the client takes best. `null` if the build's file cannot be read (the page is then rendered). */
function storedBody(
  statics: StaticPages,
  body: StaticBody,
  headers: Record<string, string>,
  request: RawHeaders,
): SsrResponse | Promise<SsrResponse | null> | null {
  const encoding = pickEncoding(request["accept-encoding"]);
  const respond = (bytes: Buffer | undefined, encoded: boolean): SsrResponse | null => {
    if (bytes === undefined) return null;
    if (encoded && encoding !== undefined) headers["content-encoding"] = encoding;
    return { status: 200, defaultStatus: false, headers, body: bytes };
  };
  if (encoding !== undefined) {
    const encoded = statics.files.encoded(body.name, encoding);
    if (encoded !== undefined)
      return encoded instanceof Promise ? encoded.then((bytes) => respond(bytes, true)) : respond(encoded, true);
  }
  const plain = statics.files.read(body.name);
  if (plain === undefined) return null;
  return plain instanceof Promise ? plain.then((bytes) => respond(bytes, false)) : respond(plain, false);
}
