/**
 * Page data goes to the browser twice (inside the HTML and as page-data JSON), so it must be JSON.
 * JSON.stringify silently drops functions and turns a Map into `{}`, so we look first and fail with the
 * key path instead of hydrating with data that differs from what the server rendered.
 */
import { SsrError } from "../errors.js";

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
  const walk = { exact: true };
  const problem = findUnserializable(props, [], walk);
  if (problem) {
    const hint = problem.hint ? ` (${problem.hint})` : "";
    throw new SsrError(500, `${page}: getServerData returned ${problem.what} at ${formatPath(problem.path)}${hint}, which JSON cannot carry to the browser`, { page });
  }
  try {
    return { json: JSON.stringify(props), exact: walk.exact };
  } catch (cause) {
    throw new SsrError(500, `${page}: getServerData returned props that JSON.stringify rejects: ${(cause as Error).message}`, { page, cause });
  }
}

/** What cannot go to the browser, and where; the path is collected on the way back up, only then. */
interface Problem {
  what: string;
  hint?: string;
  path: Array<string | number>;
}

function findUnserializable(value: unknown, ancestors: object[], walk: { exact: boolean }): Problem | null {
  switch (typeof value) {
    case "string":
    case "boolean":
      return null;
    case "number":
      if (!Number.isFinite(value)) walk.exact = false;
      return null;
    case "undefined":
      walk.exact = false;
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
  if (typeof object.toJSON === "function") {
    walk.exact = false;
    return null;
  }
  const proto: unknown = Object.getPrototypeOf(object);
  const isArray = Array.isArray(object);
  if (!isArray && proto !== Object.prototype && proto !== null) {
    const name = (proto as { constructor?: { name?: string } }).constructor?.name ?? "class";
    return { what: `a ${name}`, hint: "convert it to a plain object or array", path: [] };
  }
  ancestors.push(object);
  if (isArray) {
    for (let i = 0; i < object.length; i++) {
      const problem = findUnserializable(object[i], ancestors, walk);
      if (problem) return problem.path.unshift(i), problem;
    }
  } else {
    for (const key in object) {
      const problem = findUnserializable(object[key], ancestors, walk);
      if (problem) return problem.path.unshift(key), problem;
    }
  }
  ancestors.pop();
  return null;
}

function formatPath(path: ReadonlyArray<string | number>): string {
  return path.reduce<string>((text, key) => (typeof key === "number" ? `${text}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? `${text}.${key}` : `${text}[${JSON.stringify(key)}]`), "props");
}

const HTML_UNSAFE = /[<>&\u2028\u2029]/g;
const HTML_SAFE_ESCAPES: Record<string, string> = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

/**
 * Makes a JSON text safe inside `<script type="application/json">`: `</script>`, `<!--` and U+2028/9
 * can no longer end the script or the line. The result is still valid JSON with the same value.
 */
export function escapeJsonForHtml(json: string): string {
  return json.replace(HTML_UNSAFE, (char) => HTML_SAFE_ESCAPES[char] as string);
}

/** Escapes text for HTML content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
