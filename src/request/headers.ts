import type { RequestHeaders } from "../types.js";

/** Raw request headers as Node gives them: lower-case names. */
export type RawHeaders = Readonly<Record<string, string | string[] | undefined>>;

type HeaderValues = Record<string, string | string[] | undefined>;

function readHeader(values: HeaderValues, name: string): string | undefined {
  const value = values[String(name).toLowerCase()];
  return Array.isArray(value) ? value.join(", ") : value;
}

/** One `get` shared by every request's headers (it reads the object it is called on). */
const SHARED_GET: PropertyDescriptor = {
  value(this: HeaderValues, name: string): string | undefined {
    return readHeader(this, name);
  },
  enumerable: false,
};

/**
 * The `headers` of the context: a plain object users can index, spread, log and `JSON.stringify`
 * (Gatsby's `Map` logged as `{}`, gatsby#39077), with a non-enumerable `get(name)` for code written
 * against Gatsby. No prototype, so a header called `__proto__` is just a key.
 */
export function createRequestHeaders(raw: RawHeaders): RequestHeaders {
  const headers: HeaderValues = Object.create(null);
  for (const name in raw) headers[name] = raw[name];
  // `get` is defined after the copy, so a header named `get` cannot shadow it; that header is then
  // only in `raw`, which that request's own `get` reads.
  Object.defineProperty(headers, "get", raw.get === undefined ? SHARED_GET : { value: (name: string) => readHeader(raw, name), enumerable: false });
  return headers as RequestHeaders;
}
