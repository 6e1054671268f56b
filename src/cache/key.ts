/**
 * The cache key of a page request: mount path, page path, the query with its parameters sorted by
 * name (a stable sort: repeated names keep their order) and tracking parameters left out, and the
 * variant (HTML or page data), taken from the path alone. The request headers a response names in
 * `Vary` are added once the cache knows them (a record under the primary key names them; see
 * {@link varyKey}).
 */
import { pageIdentity } from "../common/urls.js";
import { commaList } from "./entry.js";
import type { RawHeaders } from "../request/headers.js";

/** Tracking parameters that never change a page: left out of the key by default. */
export const DEFAULT_IGNORED_PARAMS: readonly string[] = ["utm_*", "fbclid", "gclid", "msclkid"];

/** A matcher for parameter names: exact names, and `prefix*` patterns. */
export function paramMatcher(patterns: readonly string[]): (name: string) => boolean {
  const exact = new Set(patterns.filter((pattern) => !pattern.endsWith("*")));
  const prefixes = patterns.filter((pattern) => pattern.endsWith("*")).map((pattern) => pattern.slice(0, -1));
  return (name) => exact.has(name) || prefixes.some((prefix) => name.startsWith(prefix));
}

/** `?b=2&a=1&utm_source=x` → `a=1&b=2`: the query as the key holds it. */
export function keyQuery(search: string, ignored: (name: string) => boolean): string {
  if (search.length <= 1) return "";
  const pairs: Array<{ name: string; raw: string }> = [];
  for (const raw of search.slice(1).split("&")) {
    if (raw === "") continue;
    const equals = raw.indexOf("=");
    const encoded = equals === -1 ? raw : raw.slice(0, equals);
    let name: string;
    try {
      name = decodeURIComponent(encoded.replace(/\+/g, " "));
    } catch {
      name = encoded;
    }
    if (!ignored(name)) pairs.push({ name, raw });
  }
  // Array.prototype.sort is stable: parameters of one name keep the order they came in.
  pairs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return pairs.map((pair) => pair.raw).join("&");
}

/**
 * The key of a page request, before `Vary`. It names the build that answers (`build`, its id): a
 * store shared by servers (Redis) must not give a server of the next build what the last one stored,
 * whose HTML names browser files the next build does not serve.
 */
export function cacheKey(
  variant: "html" | "json",
  build: string,
  base: string,
  pagePath: string,
  query: string,
): string {
  return `${variant} ${build} ${base}${pagePath}${query === "" ? "" : `?${query}`}`;
}

/** The implicit tag of a page path (`/a` and `/a/` are one page): invalidating it covers both variants and every query. */
export function pathTag(pagePath: string): string {
  return `path:${pageIdentity(pagePath)}`;
}

/** The request headers a response varies on, lower-cased, without `Accept-Encoding` (every encoding is stored). */
export function varyNames(value: string | string[] | undefined): string[] {
  const names = commaList(value).map((name) => name.toLowerCase());
  return [...new Set(names.filter((name) => name !== "accept-encoding"))].sort();
}

/** The values of the request headers `names`, as one string: equal for requests a varying response is shared by. */
export function varyValues(names: readonly string[] | undefined, headers: RawHeaders): string {
  if (!names) return "";
  return names.map((name) => `${name}:${JSON.stringify(headers[name] ?? null)}`).join("\n");
}

/** The key of a response that varies on `names`, under its request's primary key. */
export function varyKey(primary: string, names: readonly string[], headers: RawHeaders): string {
  return `${primary}\n${varyValues(names, headers)}`;
}
