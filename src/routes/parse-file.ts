/**
 * Turns a file path inside the pages directory into a route: which files are pages, and what each
 * part of a file name means (`index`, `[id]`, `{Product.name}`, `[...slug]`, `[...]`).
 */

/** The extensions a page module may have. */
export const PAGE_EXTENSIONS = [".tsx", ".ts", ".jsx", ".js", ".mjs", ".cjs"] as const;

/** One segment of a route pattern. */
export type Segment =
  | { kind: "static"; value: string }
  /** A whole segment that is one param: `[id]` or `{Product.id}`. */
  | { kind: "param"; name: string }
  /**
   * Literal text around one or more params: `{Product.name}-{Product.sku}` has names `[name, sku]`
   * and literals `["", "-", ""]` (one more literal than names).
   */
  | { kind: "pattern"; names: string[]; literals: string[]; shape: string }
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
      throw new Error(
        `ssr-pages: ${file}: a splat ([...${segment.name === "*" ? "" : segment.name}]) must be the last part of the path`,
      );
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

  // Literal text between params, matched by `matchPattern` (no regex: a backtracking regex over a
  // long hostile segment could block the event loop for seconds).
  const names: string[] = [];
  const literals: string[] = [];
  let last = 0;
  for (const token of tokens) {
    const literal = name.slice(last, token.index);
    if (literals.length > 0 && literal === "") {
      throw new Error(
        `ssr-pages: ${file}: two params in one segment need literal text between them (like {Product.name}-{Product.sku})`,
      );
    }
    literals.push(literal);
    names.push(paramName(token, file));
    last = token.index + token[0].length;
  }
  literals.push(name.slice(last));
  return { kind: "pattern", names, literals, shape: literals.join("\u0000") };
}

/**
 * Matches a segment against a pattern's literals in linear time, or returns `null`. Each param takes
 * at least one character; every param but the last ends at the first occurrence of the literal after
 * it, so `{Product.name}-{Product.sku}` splits `a-b-c` as name "a", sku "b-c", like Gatsby.
 */
export function matchPattern(literals: readonly string[], segment: string): string[] | null {
  const first = literals[0] as string;
  const last = literals[literals.length - 1] as string;
  const end = segment.length - last.length;
  if (!segment.startsWith(first) || !segment.endsWith(last) || end - first.length < literals.length - 1) return null;
  const values: string[] = [];
  let position = first.length;
  for (let i = 1; i < literals.length - 1; i++) {
    const literal = literals[i] as string;
    const at = segment.indexOf(literal, position + 1);
    if (at === -1 || at + literal.length >= end) return null;
    values.push(segment.slice(position, at));
    position = at + literal.length;
  }
  if (end <= position) return null;
  values.push(segment.slice(position, end));
  return values;
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
        // eslint-disable-next-line no-control-regex -- U+0000 marks a parameter's place in a segment's shape
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
