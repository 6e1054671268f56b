/**
 * Page data goes to the browser twice (inside the HTML and as page-data JSON), so it must be JSON.
 * JSON.stringify silently drops functions and turns a Map into `{}`, so we look first and fail with the
 * key path instead of hydrating with data that differs from what the server rendered.
 */
import { SsrError } from "../errors.js";
import { HEADERS_PROTOTYPE } from "../request/headers.js";
import { QUERY_PROTOTYPE } from "../request/query.js";

/** Props as JSON, and whether the JSON carries them unchanged. */
export interface SerializedProps {
  json: string;
  /**
   * False when JSON changes the value (a `Date` or other `toJSON`, an `undefined`, a non-finite
   * number): the server must then render with the parsed JSON, as the browser will.
   */
  exact: boolean;
}

/**
 * Serialises `props` to JSON, or `undefined` when there are none.
 *
 * @throws SsrError 500 naming the page and the key path of the first value JSON cannot carry.
 */
export function serializeProps(props: unknown, page: string): SerializedProps | undefined {
  if (props === undefined) return undefined;
  let json: string;
  try {
    json = JSON.stringify(props);
  } catch (cause) {
    // A BigInt or a cycle: the careful walk names where; anything else (a throwing toJSON or getter) as is.
    throw describeProblem(props, page) ?? new SsrError(500, `${page}: getServerData returned props that JSON.stringify rejects: ${(cause as Error).message}`, { page, cause });
  }
  // Every request pays for this walk, so it is the lean one: JSON.stringify succeeded, so there is no
  // cycle to guard against. Only when it finds something does the careful walk run, for the message.
  const walk = { exact: true };
  if (!isPlainLeaf(props) && !carriesOther(props, walk, 0)) throw describeProblem(props, page) ?? new SsrError(500, `${page}: getServerData returned props that JSON cannot carry to the browser`, { page });
  return { json, exact: walk.exact };
}

/**
 * Deeper than any real props, shallow enough that the walk cannot exhaust the stack; below it values
 * go unchecked (JSON.stringify already took them).
 */
const MAX_DEPTH = 2000;

/**
 * True when JSON carries `value` (an object or array) without dropping or mangling anything; clears
 * `walk.exact` when JSON changes it in a way both sides agree on (a Date becomes its string).
 * Strings, finite numbers and booleans, most of any props, are checked inline, without a call.
 */
function carriesUnchanged(value: object, walk: { exact: boolean }, depth: number): boolean {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (!isPlainLeaf(item) && !carriesOther(item, walk, depth)) return false;
    }
    return true;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") {
    walk.exact = false;
    return true;
  }
  const proto: unknown = Object.getPrototypeOf(value);
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
function isDataPrototype(proto: unknown): boolean {
  return proto === Object.prototype || proto === null || proto === QUERY_PROTOTYPE || proto === HEADERS_PROTOTYPE;
}

function isPlainLeaf(value: unknown): boolean {
  return typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value));
}

/** Everything but a plain leaf: null, nested objects, and what JSON changes or drops. */
function carriesOther(value: unknown, walk: { exact: boolean }, depth: number): boolean {
  if (value === null) return true;
  if (typeof value === "object") return depth >= MAX_DEPTH || carriesUnchanged(value, walk, depth + 1);
  if (value === undefined || typeof value === "number") {
    walk.exact = false; // dropped from objects, null in arrays; NaN and Infinity become null
    return true;
  }
  return false; // a function, a symbol or a BigInt
}

/** The careful walk, run only on failure: the first value JSON cannot carry, with its key path. */
function describeProblem(props: unknown, page: string): SsrError | undefined {
  const problem = findUnserializable(props, []);
  if (!problem) return undefined;
  const hint = problem.hint ? ` (${problem.hint})` : "";
  return new SsrError(500, `${page}: getServerData returned ${problem.what} at ${formatPath(problem.path)}${hint}, which JSON cannot carry to the browser`, { page });
}

/** What cannot go to the browser, and where; the path is collected on the way back up, only then. */
interface Problem {
  what: string;
  hint?: string;
  path: Array<string | number>;
}

function findUnserializable(value: unknown, ancestors: object[]): Problem | null {
  switch (typeof value) {
    case "string":
    case "boolean":
    case "number":
    case "undefined":
      return null;
    case "function":
      return { what: "a function", path: [] };
    case "symbol":
      return { what: "a symbol", path: [] };
    case "bigint":
      return { what: "a BigInt", hint: "send it as a string", path: [] };
  }
  if (value === null) return null;
  const object = value as Record<string, unknown>;
  if (ancestors.includes(object)) return { what: "a circular reference", path: [] };
  if (typeof object.toJSON === "function") return null;
  const proto: unknown = Object.getPrototypeOf(object);
  const isArray = Array.isArray(object);
  if (!isArray && !isDataPrototype(proto)) {
    const name = (proto as { constructor?: { name?: string } }).constructor?.name ?? "class";
    return { what: `a ${name}`, hint: "convert it to a plain object or array", path: [] };
  }
  ancestors.push(object);
  if (isArray) {
    for (let i = 0; i < object.length; i++) {
      const problem = findUnserializable(object[i], ancestors);
      if (problem) return problem.path.unshift(i), problem;
    }
  } else {
    for (const key in object) {
      const problem = findUnserializable(object[key], ancestors);
      if (problem) return problem.path.unshift(key), problem;
    }
  }
  ancestors.pop();
  return null;
}

function formatPath(path: ReadonlyArray<string | number>): string {
  return path.reduce<string>((text, key) => (typeof key === "number" ? `${text}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? `${text}.${key}` : `${text}[${JSON.stringify(key)}]`), "props");
}

/** What JSON.stringify escapes in a string, and every surrogate (a lone one is escaped, a pair is not: it decides). */
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
