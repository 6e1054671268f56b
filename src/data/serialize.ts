/**
 * Page data goes to the browser twice (inside the HTML and as page-data JSON). Plain JSON, the props
 * of most pages, stays JSON: Gatsby's page-data shape, at JSON's cost. What JSON would change or drop
 * (a `Date`, `Map`, `Set`, `BigInt`, `RegExp`, `URL`, `undefined`, `NaN`, a repeated or circular
 * reference, a promise: a deferred value) goes through devalue instead, and arrives as the same value;
 * what nothing can carry (a function, a symbol, a class instance) fails with its key path.
 */
import { DevalueError, stringify } from "devalue";
import { SsrError } from "../errors.js";
import { HEADERS_PROTOTYPE } from "../request/headers.js";
import { QUERY_PROTOTYPE } from "../request/query.js";
import { Deferred, handleRejections } from "./deferred.js";

/** Props as JSON (or devalue's JSON), and how the server renders them. */
export interface SerializedProps {
  /** Plain JSON, or with `rich` devalue's `stringify` output (itself JSON: an array). */
  json: string;
  /**
   * False when the text does not carry the value unchanged: the server then renders with it parsed
   * back, as the browser will (a `toJSON` object, the context's headers, which lose their `get`).
   */
  exact: boolean;
  /** devalue's format: page data says so (`"serverDataFormat":"devalue"`), and the browser decodes it. */
  rich: boolean;
  /** With `rich`: the promises met (deferred values), by id; made only then, not for plain props. */
  deferred?: Deferred;
}

/**
 * Serialises `props`, or `undefined` when there are none. Promises in them (deferred values) are
 * registered in the result's `deferred` and written as its ids.
 *
 * @throws SsrError 500 naming the page and the key path of the first value nothing can carry.
 */
export function serializeProps(props: unknown, page: string): SerializedProps | undefined {
  if (props === undefined) return undefined;
  let json: string;
  try {
    json = JSON.stringify(props);
  } catch {
    // A BigInt or a cycle (devalue carries both), or a throwing toJSON or getter (said by richProps).
    return richProps(props, page);
  }
  // Every request pays for this walk, so it is the lean one: it stops at the first value JSON would
  // change, and only then does devalue (and, on failure, the careful walk) run.
  const walk: Walk = { exact: true, seen: undefined };
  if (isPlainLeaf(props) || carriesOther(props, walk, 0)) return { json, exact: walk.exact, rich: false };
  return richProps(props, page);
}

/** devalue's form of `props`. @throws SsrError 500 naming the key path of what it cannot carry. */
function richProps(props: unknown, page: string): SerializedProps {
  handleRejections(props);
  const deferred = new Deferred();
  try {
    return { json: stringify(props, deferred.reducers), exact: false, rich: true, deferred };
  } catch (cause) {
    throw (
      describeProblem(props, page) ??
      new SsrError(
        500,
        `${page}: getServerData returned props that cannot be carried to the browser: ${cause instanceof DevalueError ? `${cause.message} at props${cause.path}` : (cause as Error).message}`,
        { page, cause },
      )
    );
  }
}

/** The lean walk's state: whether JSON carries the props as they are, and the objects met (a repeat needs devalue). */
interface Walk {
  exact: boolean;
  /** Made at the first nested object: the root cannot be met again (a cycle fails JSON.stringify first). */
  seen: Set<object> | undefined;
}

/**
 * Deeper than any real props, shallow enough that the walk cannot exhaust the stack; below it values
 * go unchecked (JSON.stringify already took them).
 */
const MAX_DEPTH = 2000;

/**
 * True when JSON carries `value` (an object or array) as it is, or changes it only in a way both
 * sides agree on (a `toJSON` object becomes what it returns: `walk.exact` cleared); false at the
 * first value only devalue carries (or nothing). Strings, finite numbers and booleans, most of any
 * props, are checked inline, without a call.
 */
function carriesUnchanged(value: object, walk: Walk, depth: number): boolean {
  // The root comes in at depth 1.
  if (depth > 1) {
    const seen = (walk.seen ??= new Set());
    if (seen.has(value)) return false; // a repeated reference: devalue keeps it one object
    seen.add(value);
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (!isPlainLeaf(item) && !carriesOther(item, walk, depth)) return false;
    }
    return true;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") {
    // A Date or a URL arrives as itself through devalue; another class with toJSON as its JSON, as before.
    if (proto === Date.prototype || proto === URL.prototype) return false;
    walk.exact = false;
    return true;
  }
  if (!isDataPrototype(proto)) return false;
  // The context's headers: their `get` is not in the JSON, so render without it, as the browser will.
  if (proto === HEADERS_PROTOTYPE) walk.exact = false;
  for (const key in value) {
    const item: unknown = (value as Record<string, unknown>)[key];
    if (!isPlainLeaf(item) && !carriesOther(item, walk, depth)) return false;
  }
  return true;
}

/** The prototype of an object JSON carries as its own keys: a plain object, or the context's query or headers. */
export function isDataPrototype(proto: unknown): boolean {
  return proto === Object.prototype || proto === null || proto === QUERY_PROTOTYPE || proto === HEADERS_PROTOTYPE;
}

function isPlainLeaf(value: unknown): boolean {
  return (
    typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value))
  );
}

/** Everything but a plain leaf: null, nested objects, and what JSON changes or drops (then devalue's). */
function carriesOther(value: unknown, walk: Walk, depth: number): boolean {
  if (value === null) return true;
  if (typeof value === "object") return depth >= MAX_DEPTH || carriesUnchanged(value, walk, depth + 1);
  return false; // undefined, NaN and ±Infinity, a BigInt, or what nothing carries: a function, a symbol
}

/** The careful walk, run only on failure: the first value nothing can carry, with its key path. */
function describeProblem(props: unknown, page: string): SsrError | undefined {
  const problem = findUnserializable(props, new Set());
  if (!problem) return undefined;
  const hint = problem.hint ? ` (${problem.hint})` : "";
  return new SsrError(
    500,
    `${page}: getServerData returned ${problem.what} at ${formatPath(problem.path)}${hint}, which cannot be carried to the browser`,
    { page },
  );
}

/** What cannot go to the browser, and where; the path is collected on the way back up, only then. */
interface Problem {
  what: string;
  hint?: string;
  path: Array<string | number>;
}

/** Objects devalue carries as they are, besides plain objects and arrays. */
const CARRIED = new Set<unknown>([
  Date.prototype,
  Map.prototype,
  Set.prototype,
  RegExp.prototype,
  URL.prototype,
  URLSearchParams.prototype,
  Promise.prototype,
]);

function findUnserializable(value: unknown, visited: Set<object>): Problem | null {
  switch (typeof value) {
    case "string":
    case "boolean":
    case "number":
    case "undefined":
    case "bigint":
      return null;
    case "function":
      return { what: "a function", path: [] };
    case "symbol":
      return { what: "a symbol", path: [] };
  }
  if (value === null || visited.has(value as object)) return null;
  visited.add(value as object);
  const object = value as Record<string, unknown>;
  const proto: unknown = Object.getPrototypeOf(object);
  if (CARRIED.has(proto)) {
    if (proto === Map.prototype || proto === Set.prototype) {
      let i = 0;
      for (const item of value as Iterable<unknown>) {
        const problem = findUnserializable(item, visited);
        if (problem) return (problem.path.unshift(i), problem);
        i++;
      }
    }
    return null;
  }
  if (typeof object.toJSON === "function") return null;
  const isArray = Array.isArray(object);
  if (!isArray && !isDataPrototype(proto)) {
    const name = (proto as { constructor?: { name?: string } }).constructor?.name ?? "class";
    return { what: `a ${name}`, hint: "convert it to a plain object or array", path: [] };
  }
  if (isArray) {
    for (let i = 0; i < object.length; i++) {
      const problem = findUnserializable(object[i], visited);
      if (problem) return (problem.path.unshift(i), problem);
    }
  } else {
    for (const key in object) {
      const problem = findUnserializable(object[key], visited);
      if (problem) return (problem.path.unshift(key), problem);
    }
  }
  return null;
}

function formatPath(path: ReadonlyArray<string | number>): string {
  return path.reduce<string>(
    (text, key) =>
      typeof key === "number"
        ? `${text}[${key}]`
        : /^[A-Za-z_$][\w$]*$/.test(key)
          ? `${text}.${key}`
          : `${text}[${JSON.stringify(key)}]`,
    "props",
  );
}

/** What JSON.stringify escapes in a string, and every surrogate (a lone one is escaped, a pair is not: it decides). */
// eslint-disable-next-line no-control-regex -- JSON escapes exactly these control characters
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * `JSON.stringify(text)`, without its cost for text that needs no escaping (a URL, a route param):
 * the page-data envelope is built on every request from a few such strings.
 */
export function jsonString(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/** `JSON.stringify(params)` for route params (string values), built with {@link jsonString}. */
export function jsonParams(params: Readonly<Record<string, string | undefined>>): string {
  let json = "";
  for (const name of Object.keys(params)) {
    const value = params[name];
    if (value === undefined) continue; // as JSON.stringify leaves it out
    json += `${json === "" ? "" : ","}${jsonString(name)}:${jsonString(value)}`;
  }
  return `{${json}}`;
}
