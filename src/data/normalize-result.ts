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
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Node's rule for a header value (RFC 9110 field-value): no control character but tab. */
const UNSAFE_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
/** The body's framing is ours to set; a page setting these would corrupt the response. */
const OWNED_HEADERS = new Set(["content-type", "content-length", "transfer-encoding"]);

/**
 * Validates a `getServerData` return value. `undefined` and `null` mean "nothing to add". The
 * headers object is always a new one: the caller completes it with the defaults.
 */
export function normalizeResult(result: unknown, page: string): ServerDataOutcome {
  if (result === undefined || result === null) return { props: undefined, status: undefined, headers: {} };
  if (typeof result !== "object" || Array.isArray(result)) {
    throw pageBug(page, `getServerData must return an object ({ props?, headers?, status? }) or nothing, but it returned ${describe(result)}`);
  }
  const { props, headers: rawHeaders, status: topStatus } = result as Record<string, unknown>;
  const headers: Record<string, string | string[]> = {};
  let headerStatus: unknown;

  if (rawHeaders !== undefined && rawHeaders !== null) {
    if (typeof rawHeaders !== "object" || Array.isArray(rawHeaders)) {
      throw pageBug(page, `getServerData returned headers that are ${describe(rawHeaders)}; headers must be an object of name: value`);
    }
    // A `Headers` or a `Map` (common when passing on an upstream response's headers) is read by its entries.
    const iterable = rawHeaders instanceof Map || (typeof Headers === "function" && rawHeaders instanceof Headers);
    const entries: Iterable<[string, unknown]> = iterable ? (rawHeaders as Map<string, unknown>).entries() : Object.entries(rawHeaders);
    for (const [name, value] of entries) {
      // The seed documentation sets the status as `headers: { status: 500 }`: honour it, never send it.
      if (name === "status") {
        headerStatus = value;
        continue;
      }
      if (value === undefined) continue;
      if (!TOKEN.test(name)) throw pageBug(page, `getServerData returned an invalid header name ${JSON.stringify(name)}`);
      const lower = name.toLowerCase();
      if (OWNED_HEADERS.has(lower)) continue;
      const checked = headerValue(value, name, page);
      const previous = headers[lower];
      // Several cookies may come as separate entries (a Headers object, or two spellings of the name).
      headers[lower] = lower === "set-cookie" && previous !== undefined ? [previous, checked].flat() : checked;
    }
  }

  const chosen = topStatus !== undefined ? topStatus : headerStatus;
  return { props, status: chosen === undefined ? undefined : checkStatus(chosen, page), headers };
}

function headerValue(value: unknown, name: string, page: string): string | string[] {
  if (Array.isArray(value)) return value.map((item) => headerValue(item, name, page) as string);
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value !== "string") {
    throw pageBug(page, `getServerData returned header ${name} as ${describe(value)}; use a string, a number or an array of strings`);
  }
  if (UNSAFE_VALUE.test(value)) {
    throw pageBug(page, `getServerData returned header ${name} with a CR, LF or other control character (or a character above U+00FF), which a header value may not contain`);
  }
  return value;
}

function checkStatus(status: unknown, page: string): number {
  if (typeof status !== "number" || !Number.isInteger(status) || status < 200 || status > 599) {
    throw pageBug(page, `getServerData returned status ${describe(status)}; a status must be an integer from 200 to 599`);
  }
  return status;
}

function pageBug(page: string, message: string): SsrError {
  return new SsrError(500, `${page}: ${message}`, { page });
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
  if (typeof value === "number") return String(value);
  return `a ${typeof value}`;
}
