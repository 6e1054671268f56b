import type { RequestHeaders } from "../types.js";

/** Raw request headers as Node gives them: lower-case names. */
export type RawHeaders = Readonly<Record<string, string | string[] | undefined>>;

/**
 * The `headers` of the context: a plain object users can index, spread, log and `JSON.stringify`
 * (Gatsby's `Map` logged as `{}`, gatsby#39077), with a non-enumerable `get(name)` for code written
 * against Gatsby. No prototype, so a header called `__proto__` is just a key; `get` is defined after
 * the copy so a header named `get` cannot shadow it.
 */
export function createRequestHeaders(raw: RawHeaders): RequestHeaders {
  const headers: Record<string, string | string[] | undefined> = Object.create(null);
  for (const name in raw) headers[name] = raw[name];
  Object.defineProperty(headers, "get", { value: getHeader, enumerable: false });
  return headers as RequestHeaders;

  function getHeader(name: string): string | undefined {
    const value = raw[String(name).toLowerCase()];
    return Array.isArray(value) ? value.join(", ") : value;
  }
}
