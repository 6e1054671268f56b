/**
 * Checks what `getServerData` returned and turns it into a status and response headers. Anything a
 * page gets wrong here (a string instead of an object, a header value with CR/LF, a status of 42) is
 * the page's bug: a 500 whose message names the page, never a crash or a split header.
 */
import { SsrError } from "../errors.js";

/** A checked `getServerData` result. */
export interface ServerDataOutcome {
  props: unknown;
  /** The status the page asked for, or `undefined` for the default. */
  status: number | undefined;
  /** Response headers with lower-case names. */
  headers: Record<string, string | string[]>;
  /**
   * True when a header value holds a character from U+0080 to U+00FF. Header bytes are Latin-1, one
   * byte per character, and Node sends them as such only beside a body of bytes (see respond/page.ts).
   */
  latin1: boolean;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Anything but visible ASCII, space and tab: the rare value that needs a closer look. */
const NOT_PLAIN = /[^\t\x20-\x7e]/;
/** What no header byte may be (RFC 9110 field-value, as Node checks it): a control character but tab, or no byte at all (above U+00FF). */
const UNSENDABLE = /[^\t\x20-\x7e\x80-\xff]/;
/**
 * Headers that are ours, not the page's. The body's framing and encoding: we write the body, so a
 * page's `Content-Length` or `Content-Encoding: gzip` (passed on from an upstream `fetch`, whose
 * body arrived decoded) would describe a body we do not send. And the headers treated as hop-by-hop
 * (RFC 9110 §7.6.1, RFC 2616 §13.5.1), which belong to one connection, the upstream's, never to a
 * page; Node would also refuse a `Trailer` beside a body of known length, and throw.
 */
const OWNED_HEADERS = new Set([
  "content-type",
  "content-length",
  "transfer-encoding",
  "content-encoding",
  "connection",
  "keep-alive",
  "te",
  "trailer",
  "upgrade",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
]);

/**
 * Validates a `getServerData` return value. `undefined` and `null` mean "nothing to add". The
 * headers object is always a new one: the caller completes it with the defaults.
 */
export function normalizeResult(result: unknown, page: string): ServerDataOutcome {
  if (result === undefined || result === null)
    return { props: undefined, status: undefined, headers: {}, latin1: false };
  if (typeof result !== "object" || Array.isArray(result)) {
    throw pageBug(
      page,
      `getServerData must return an object ({ props?, headers?, status? }) or nothing, but it returned ${describe(result)}`,
    );
  }
  const { props, headers: rawHeaders, status: topStatus } = result as Record<string, unknown>;
  const headers: Record<string, string | string[]> = {};
  const checks = { page, latin1: false };
  let headerStatus: unknown;

  if (rawHeaders !== undefined && rawHeaders !== null) {
    if (typeof rawHeaders !== "object" || Array.isArray(rawHeaders)) {
      throw pageBug(
        page,
        `getServerData returned headers that are ${describe(rawHeaders)}; headers must be an object of name: value`,
      );
    }
    // A `Headers` or a `Map` (common when passing on an upstream response's headers) is read by its entries.
    const iterable = rawHeaders instanceof Map || (typeof Headers === "function" && rawHeaders instanceof Headers);
    const entries: Iterable<[string, unknown]> = iterable
      ? (rawHeaders as Map<string, unknown>).entries()
      : Object.entries(rawHeaders);
    for (const [name, value] of entries) {
      // The seed documentation sets the status as `headers: { status: 500 }`: honour it, never send it.
      if (name === "status") {
        headerStatus = value;
        continue;
      }
      if (value === undefined) continue;
      if (!TOKEN.test(name))
        throw pageBug(page, `getServerData returned an invalid header name ${JSON.stringify(name)}`);
      const lower = name.toLowerCase();
      const checked = headerValue(value, name, checks);
      if (OWNED_HEADERS.has(lower)) continue;
      const previous = headers[lower];
      // Several cookies may come as separate entries (a Headers object, or two spellings of the name).
      headers[lower] = lower === "set-cookie" && previous !== undefined ? [previous, checked].flat() : checked;
    }
  }

  const chosen = topStatus !== undefined ? topStatus : headerStatus;
  return {
    props,
    status: chosen === undefined ? undefined : checkStatus(chosen, page),
    headers,
    latin1: checks.latin1,
  };
}

function headerValue(value: unknown, name: string, checks: { page: string; latin1: boolean }): string | string[] {
  if (Array.isArray(value)) return value.map((item) => headerValue(item, name, checks) as string);
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value !== "string") {
    throw pageBug(
      checks.page,
      `getServerData returned header ${name} as ${describe(value)}; use a string, a number or an array of strings`,
    );
  }
  if (NOT_PLAIN.test(value)) {
    const bad = UNSENDABLE.exec(value);
    if (bad) throw pageBug(checks.page, unsendable(name, bad[0]));
    checks.latin1 = true;
  }
  return value;
}

function unsendable(name: string, char: string): string {
  const code = `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
  if (char.charCodeAt(0) > 0xff) {
    return (
      `getServerData returned header ${name} with ${JSON.stringify(char)} (${code}): header values are sent as Latin-1, one byte ` +
      `per character, so only characters up to U+00FF fit; percent-encode other text (encodeURIComponent, or RFC 8187's filename*=UTF-8''… for Content-Disposition)`
    );
  }
  return `getServerData returned header ${name} with a CR, LF or other control character (${code}), which a header value may not contain`;
}

function checkStatus(status: unknown, page: string): number {
  if (typeof status !== "number" || !Number.isInteger(status) || status < 200 || status > 599) {
    throw pageBug(
      page,
      `getServerData returned status ${describe(status)}; a status must be an integer from 200 to 599`,
    );
  }
  return status;
}

function pageBug(page: string, message: string): SsrError {
  return new SsrError(500, `${page}: ${message}`, { page });
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string")
    return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
  if (typeof value === "number") return String(value);
  return `a ${typeof value}`;
}
