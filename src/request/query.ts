import type { Query } from "../types.js";

/**
 * Parses a query string (`?a=1&a=2&b`) the same way under every framework: a key given once holds a
 * string, a key given more than once an array. The result has no prototype, so `__proto__`,
 * `constructor` or `hasOwnProperty` are ordinary keys that pollute nothing.
 */
export function parseQuery(search: string): Query {
  const query: Query = Object.create(null);
  if (search.length <= 1) return query;
  for (const [key, value] of new URLSearchParams(search)) {
    const previous = query[key];
    if (previous === undefined) query[key] = value;
    else if (typeof previous === "string") query[key] = [previous, value];
    else previous.push(value);
  }
  return query;
}
