/**
 * Turns a file path inside the pages directory into a route: which files are pages, and what each
 * part of a file name means (`index`, `[id]`, `{Product.name}`, `[...slug]`, `[...]`).
 */

/** The extensions a page module may have. */
export const PAGE_EXTENSIONS = [".tsx", ".ts", ".jsx", ".js", ".mjs"] as const;

/** One segment of a route pattern. */
export type Segment =
  | { kind: "static"; value: string }
  /** A whole segment that is one param: `[id]` or `{Product.id}`. */
  | { kind: "param"; name: string }
  /** Literal text around one or more params: `{Product.name}-{Product.sku}`. */
  | { kind: "pattern"; names: string[]; regex: RegExp; shape: string }
  /** The rest of the path: `[...slug]` (name `slug`) or `[...]` (name `*`). Only last. */
  | { kind: "splat"; name: string };

/** A page file understood as a route. */
export interface ParsedPage {
  /** The file path relative to the pages directory, with forward slashes: `blog/[id].tsx`. */
  file: string;
  /** The file path without its extension: `blog/[id]`. Names the page in page-data and messages. */
  id: string;
  segments: Segment[];
}

const PARAM_NAME = /^[A-Za-z_$][\w$]*$/;
const TOKEN = /\[([^\]]*)\]|\{([^}]*)\}/g;

/**
 * Parses a pages-directory path into a route, or returns `null` when the file is not a page: names
 * starting with `_` or `.` (in any folder of the path, which also covers `__tests__/`), `*.d.ts`,
 * tests (`*.test.*`, `*.spec.*`) and other extensions.
 *
 * @throws Error for a file name whose brackets cannot be understood (a splat before the end, a bad param name).
 */
export function parsePageFile(file: string): ParsedPage | null {
  const parts = file.split("/");
  if (parts.some((part) => part.startsWith("_") || part.startsWith("."))) return null;
  const ext = PAGE_EXTENSIONS.find((candidate) => file.endsWith(candidate));
  if (!ext) return null;
  const id = file.slice(0, -ext.length);
  if (id.endsWith(".d") || /\.(test|spec)$/.test(id)) return null;

  const names = id.split("/");
  if (names[names.length - 1] === "index") names.pop();
  const segments = names.map((name, index) => {
    const segment = parseSegment(name, file);
    if (segment.kind === "splat" && index !== names.length - 1) {
      throw new Error(`ssr-pages: ${file}: a splat ([...${segment.name === "*" ? "" : segment.name}]) must be the last part of the path`);
    }
    return segment;
  });
  return { file, id, segments };
}

function parseSegment(name: string, file: string): Segment {
  const splat = /^\[\.\.\.([^\]]*)\]$/.exec(name);
  if (splat) return { kind: "splat", name: splat[1] ? checkName(splat[1], file) : "*" };

  const tokens = [...name.matchAll(TOKEN)];
  if (tokens.length === 0) return { kind: "static", value: name.normalize("NFC") };

  const only = tokens[0];
  if (tokens.length === 1 && only && only[0] === name) return { kind: "param", name: paramName(only, file) };

  // Literal text between params: one regex per segment. All captures but the last are lazy, so
  // `{Product.name}-{Product.sku}` splits `a-b-c` as name "a", sku "b-c", like Gatsby.
  const names: string[] = [];
  let source = "^";
  let shape = "";
  let last = 0;
  tokens.forEach((token, index) => {
    const literal = name.slice(last, token.index);
    source += escapeRegExp(literal) + (index === tokens.length - 1 ? "(.+)" : "(.+?)");
    shape += `${literal}\u0000`;
    names.push(paramName(token, file));
    last = token.index + token[0].length;
  });
  const tail = name.slice(last);
  source += `${escapeRegExp(tail)}$`;
  shape += tail;
  return { kind: "pattern", names, regex: new RegExp(source, "s"), shape };
}

function paramName(token: RegExpMatchArray, file: string): string {
  // `{Product.name}` names its param after the field: `name`.
  const raw = token[1] ?? token[2]?.slice(token[2].indexOf(".") + 1) ?? "";
  return checkName(raw, file);
}

function checkName(name: string, file: string): string {
  if (!PARAM_NAME.test(name) || name === "__proto__") {
    throw new Error(`ssr-pages: ${file}: "${name}" is not a valid param name (letters, digits, _ and $)`);
  }
  return name;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The route pattern in Gatsby's `matchPath` notation (`/blog/:id`, `/docs/*slug`, `/*`). */
export function toMatchPath(segments: readonly Segment[]): string {
  const parts = segments.map((segment) => {
    switch (segment.kind) {
      case "static":
        return segment.value;
      case "param":
        return `:${segment.name}`;
      case "pattern": {
        let index = 0;
        return segment.shape.replace(/\u0000/g, () => `:${segment.names[index++]}`);
      }
      case "splat":
        return segment.name === "*" ? "*" : `*${segment.name}`;
    }
  });
  return `/${parts.join("/")}`;
}

/** True when a route has no params: its one URL is known in advance. */
export function isStaticRoute(segments: readonly Segment[]): boolean {
  return segments.every((segment) => segment.kind === "static");
}
