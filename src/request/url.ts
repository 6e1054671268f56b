/**
 * Reading a request URL in the order `send` taught us: split off the query, decode each segment
 * (400 when it cannot be decoded), reject NUL (400), then refuse dot segments.
 */
import { SsrError } from "../errors.js";

/** The path and query of a request target. */
export interface SplitUrl {
  /** The raw (still encoded) path, starting with `/`. */
  pathname: string;
  /** `?` and the raw query, or `""`. */
  search: string;
}

/** `scheme://`: Node's parser passes any scheme through (`ws://h/a` too), and so do Express and Koa. */
const ABSOLUTE_FORM = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * The origin-form of a request target: `/a?b` as is, and the absolute-form `http://host/a?b` (which
 * RFC 9112 §3.2.2 says a server must accept, and which proxies send) as `/a?b`. The authority is
 * dropped unread: whichever host it names, the target is only a path to us. `null` for anything
 * else (`*`, an authority-form `host:443`, a scheme without `//`).
 */
export function originForm(target: string): string | null {
  if (target.charCodeAt(0) === 47 /* / */) return target;
  if (!ABSOLUTE_FORM.test(target)) return null;
  const start = target.indexOf("//") + 2;
  let end = start;
  while (end < target.length && target[end] !== "/" && target[end] !== "?" && target[end] !== "#") end++;
  const rest = target.slice(end);
  return rest.charCodeAt(0) === 47 ? rest : `/${rest}`;
}

/** Splits `path?query#hash` (hash dropped). `null` for targets that are not a path (`*`, absolute-form: see {@link originForm}). */
export function splitUrl(url: string): SplitUrl | null {
  if (url.charCodeAt(0) !== 47 /* / */) return null;
  const hash = url.indexOf("#");
  if (hash !== -1) url = url.slice(0, hash);
  const question = url.indexOf("?");
  return question === -1
    ? { pathname: url, search: "" }
    : { pathname: url.slice(0, question), search: url.slice(question) };
}

/** What {@link decodePath} found: the decoded segments, or why the path can name no page. */
export type DecodedPath = { segments: string[] } | { unmatched: "empty-segment" | "dot-segment" };

/**
 * Decodes a raw path into segments: `/` → `[]`, `/a/b%20c/` → `["a", "b c"]` (one trailing slash is
 * ignored, so `/about` and `/about/` name one page). An encoded slash stays inside its segment.
 *
 * @throws SsrError 400 for malformed percent-encoding or a NUL byte.
 */
export function decodePath(pathname: string): DecodedPath {
  if (pathname === "/") return { segments: [] };
  const end = pathname.endsWith("/") ? pathname.length - 1 : pathname.length;
  const segments: string[] = [];
  // Cut at each `/` by hand: `split` is a call into V8's runtime and an array thrown away, per request.
  for (let start = 1; ;) {
    let slash = pathname.indexOf("/", start);
    if (slash === -1 || slash > end) slash = end;
    const part = pathname.slice(start, slash);
    if (part === "") return { unmatched: "empty-segment" };
    const segment = part.includes("%") ? decodeSegment(part) : part;
    if (segment.includes("\0")) throw new SsrError(400, "Bad Request: the URL contains a NUL byte");
    if (segment === "." || segment === "..") return { unmatched: "dot-segment" };
    segments.push(segment);
    if (slash === end) return { segments };
    start = slash + 1;
  }
}

function decodeSegment(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new SsrError(400, "Bad Request: the URL has malformed percent-encoding");
  }
}

/** Joins a mount path and a mount-relative path or URL: (`/shop`, `/a?b`) → `/shop/a?b`; (`/shop`, `/`) → `/shop/`. */
export function joinBase(base: string, path: string): string {
  return base === "" ? path : base + path;
}
