/** Content negotiation of encodings, for stored pages and browser assets alike. */
import type { RawHeaders } from "./headers.js";

/** The best encoding `Accept-Encoding` takes (q-values honoured): `br`, then `gzip`, else none. */
export function pickEncoding(header: RawHeaders["accept-encoding"]): "br" | "gzip" | undefined {
  if (header === undefined) return undefined;
  const weights = new Map<string, number>();
  for (const item of (typeof header === "string" ? header : header.join(",")).split(",")) {
    const [name = "", ...params] = item.trim().toLowerCase().split(";");
    const q = params.map((param) => /^\s*q=([0-9.]+)\s*$/.exec(param)?.[1]).find((value) => value !== undefined);
    weights.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  const weight = (name: string) => weights.get(name) ?? weights.get("*") ?? 0;
  if (weight("br") > 0 && weight("br") >= weight("gzip")) return "br";
  if (weight("gzip") > 0) return "gzip";
  return undefined;
}
