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
  const problem = findUnserializable(props, "props", [], walk);
  if (problem) throw new SsrError(500, `${page}: getServerData returned ${problem}, which JSON cannot carry to the browser`, { page });
  try {
    return { json: JSON.stringify(props), exact: walk.exact };
  } catch (cause) {
    throw new SsrError(500, `${page}: getServerData returned props that JSON.stringify rejects: ${(cause as Error).message}`, { page, cause });
  }
}

function findUnserializable(value: unknown, path: string, ancestors: object[], walk: { exact: boolean }): string | null {
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
      return `a function at ${path}`;
    case "symbol":
      return `a symbol at ${path}`;
    case "bigint":
      return `a BigInt at ${path} (send it as a string)`;
  }
  if (value === null) return null;
  const object = value as Record<string, unknown>;
  if (ancestors.includes(object)) return `a circular reference at ${path}`;
  if (typeof object.toJSON === "function") {
    walk.exact = false;
    return null;
  }
  const proto: unknown = Object.getPrototypeOf(object);
  const isArray = Array.isArray(object);
  if (!isArray && proto !== Object.prototype && proto !== null) {
    const name = (proto as { constructor?: { name?: string } }).constructor?.name ?? "class";
    return `a ${name} at ${path} (convert it to a plain object or array)`;
  }
  ancestors.push(object);
  if (isArray) {
    for (let i = 0; i < object.length; i++) {
      const problem = findUnserializable(object[i], `${path}[${i}]`, ancestors, walk);
      if (problem) return problem;
    }
  } else {
    for (const key in object) {
      const problem = findUnserializable(object[key], /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`, ancestors, walk);
      if (problem) return problem;
    }
  }
  ancestors.pop();
  return null;
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
