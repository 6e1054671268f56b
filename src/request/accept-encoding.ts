/** Content negotiation of encodings, for stored pages and browser assets alike. */
import type { RawHeaders } from "./headers.js";

type Encoding = "br" | "gzip" | undefined;

/**
 * The answers for the `Accept-Encoding` values seen: a browser sends the same one on every request,
 * so each is parsed once, not per hit. Bounded: past the limit it starts over.
 */
const picked = new Map<string, Encoding>();
const PICKED_LIMIT = 256;

/** The best encoding `Accept-Encoding` takes (q-values honoured): `br`, then `gzip`, else none. */
export function pickEncoding(header: RawHeaders["accept-encoding"]): Encoding {
  if (header === undefined) return undefined;
  const value = typeof header === "string" ? header : header.join(",");
  const known = picked.get(value);
  if (known !== undefined || picked.has(value)) return known;
  if (picked.size >= PICKED_LIMIT) picked.clear();
  const encoding = parseAcceptEncoding(value);
  picked.set(value, encoding);
  return encoding;
}

function parseAcceptEncoding(value: string): Encoding {
  const weights = new Map<string, number>();
  for (const item of value.split(",")) {
    const [name = "", ...params] = item.trim().toLowerCase().split(";");
    const q = params.map((param) => /^\s*q=([0-9.]+)\s*$/.exec(param)?.[1]).find((found) => found !== undefined);
    weights.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  const weight = (name: string) => weights.get(name) ?? weights.get("*") ?? 0;
  if (weight("br") > 0 && weight("br") >= weight("gzip")) return "br";
  if (weight("gzip") > 0) return "gzip";
  return undefined;
}
