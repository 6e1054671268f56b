/**
 * What a shared cache may do with a response, from its final headers (RFC 9111): whether it may be
 * stored, for how long it is fresh, and how long it may be served stale. Directives are parsed, not
 * pattern-matched: `max-age=0600` is 600 s, `private="set-cookie"` is `private`, quoted strings and
 * unknown directives are skipped as the RFC says.
 */

/** A directive given twice with different values: RFC 9111 §4.2.1 lets a cache take the response as stale. */
export const CONFLICTING: unique symbol = Symbol("conflicting values");

/** The directives of a `Cache-Control` value, by lower-case name; `true` for a directive with no value. */
export type Directives = ReadonlyMap<string, string | true | typeof CONFLICTING>;

/** Parses a `Cache-Control` header (or several of them, joined). */
export function parseCacheControl(value: string | readonly string[] | undefined): Directives {
  const directives = new Map<string, string | true | typeof CONFLICTING>();
  if (value === undefined) return directives;
  const text = typeof value === "string" ? value : value.join(",");
  // name, then optionally `=` and a token or a quoted string (with backslash escapes).
  const DIRECTIVE = /\s*([!#$%&'*+\-.^_`|~0-9A-Za-z]+)\s*(?:=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*)))?\s*(?:,|$)/gy;
  let match: RegExpExecArray | null;
  let at = 0;
  while (at < text.length) {
    DIRECTIVE.lastIndex = at;
    match = DIRECTIVE.exec(text);
    if (!match) {
      // Junk: skip to the next comma, as a cache that ignores what it cannot read.
      const comma = text.indexOf(",", at);
      if (comma === -1) break;
      at = comma + 1;
      continue;
    }
    at = DIRECTIVE.lastIndex;
    const name = (match[1] as string).toLowerCase();
    const quoted = match[2];
    const value = quoted !== undefined ? quoted.replace(/\\(.)/g, "$1") : match[3] !== undefined ? match[3] : true;
    const earlier = directives.get(name);
    // The same directive twice with another value: neither is to be trusted (see CONFLICTING).
    directives.set(name, earlier === undefined || earlier === value ? value : CONFLICTING);
  }
  return directives;
}

/** A delta-seconds value (`600`, `0600`), or `undefined` when it is not one. */
export function seconds(value: string | true | typeof CONFLICTING | undefined): number | undefined {
  if (typeof value !== "string" || !/^\d+$/.test(value)) return undefined;
  return Math.min(Number(value), 2 ** 31);
}

/** How a stored response may be used, in seconds. */
export interface SharedLifetime {
  /** Fresh for this long after it is stored. */
  fresh: number;
  /** Then served stale while one revalidation runs (`stale-while-revalidate`). */
  staleWhileRevalidate: number;
  /** Then, when revalidating fails, served stale for this long past freshness (`stale-if-error`). */
  staleIfError: number;
}

const MAY_STORE = /s-maxage|public/i;
const NOT_SHARED = Object.freeze({ reason: "no s-maxage, nor public with max-age" });

/** Statuses a shared cache may store here; 404 and 410 only with an explicit `s-maxage`. */
const STORABLE = new Set([200, 203, 301, 308]);
const STORABLE_WITH_S_MAXAGE = new Set([404, 410]);

/**
 * Whether a response may be stored by a shared cache, and its lifetime; a reason when not. `headers`
 * are the final ones, as they go out (lower-case names).
 */
export function sharedLifetime(
  status: number,
  headers: Readonly<Record<string, string | string[]>>,
): SharedLifetime | { reason: string } {
  const value = headers["cache-control"];
  // Most pages say `private, no-store`: without either word that can make a response storable,
  // nothing is parsed (this runs for every page response while the cache is on).
  if (value === undefined || (typeof value === "string" && !MAY_STORE.test(value))) return NOT_SHARED;
  const directives = parseCacheControl(value);
  for (const name of ["no-store", "no-cache", "private"]) if (directives.has(name)) return { reason: name };
  const vary = headers.vary;
  if (
    vary !== undefined &&
    (typeof vary === "string" ? [vary] : vary).some((value) => value.split(",").some((name) => name.trim() === "*"))
  )
    return { reason: "Vary: *" };
  if (headers["set-cookie"] !== undefined) return { reason: "Set-Cookie" };
  // The directive that decides (s-maxage when present) must be given once, or always alike.
  const deciding = directives.has("s-maxage") ? "s-maxage" : "max-age";
  if (directives.get(deciding) === CONFLICTING) return { reason: `${deciding} given twice with different values` };
  const sMaxAge = seconds(directives.get("s-maxage"));
  const maxAge = seconds(directives.get("max-age"));
  if (!STORABLE.has(status) && !(STORABLE_WITH_S_MAXAGE.has(status) && sMaxAge !== undefined))
    return { reason: `status ${status}` };
  // `s-maxage` wins; `max-age` counts for a shared cache only with `public`.
  const fresh = sMaxAge ?? (directives.has("public") ? maxAge : undefined);
  if (fresh === undefined) return { reason: "no s-maxage, nor public with max-age" };
  if (fresh === 0) return { reason: "a zero shared lifetime" };
  // `must-revalidate` (and `proxy-revalidate`, its shared-cache twin) turn both stale windows off.
  const strict = directives.has("must-revalidate") || directives.has("proxy-revalidate");
  return {
    fresh,
    staleWhileRevalidate: strict ? 0 : (seconds(directives.get("stale-while-revalidate")) ?? 0),
    staleIfError: strict ? 0 : (seconds(directives.get("stale-if-error")) ?? 0),
  };
}
