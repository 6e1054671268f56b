/**
 * The route table: a trie of segments built once at start-up, so matching costs one step per URL
 * segment however many pages there are. Precedence is per segment and never depends on file order:
 * static > pattern with literal text (more literal text first) > whole-segment param > splat, with
 * backtracking when a more specific branch has no page for the rest of the path.
 */
import { matchPattern, type ParsedPage, type Segment } from "./parse-file.js";

/** A route found for a path. */
export interface RouteMatch<T> {
  page: T;
  params: Record<string, string>;
}

/** What the table holds: anything that carries its parsed page file (the caller's own page objects, so no wrapper per page). */
export interface Routed {
  parsed: ParsedPage;
}

interface Node<T> {
  /** The page whose path ends at this node. */
  page?: T;
  statics?: Map<string, Node<T>>;
  patterns?: Array<{ segment: Extract<Segment, { kind: "pattern" }>; node: Node<T> }>;
  param?: Node<T>;
  splat?: T;
}

/**
 * Builds the trie.
 *
 * @throws Error naming both files when two pages map to one route (`a.tsx` and `a/index.tsx`, or
 * `[id].tsx` and `[slug].tsx` in one folder).
 */
export class RouteTable<T extends Routed> {
  private readonly root: Node<T> = {};

  constructor(pages: Iterable<T>) {
    for (const page of pages) this.insert(page);
  }

  private insert(page: T): void {
    const parsed = page.parsed;
    let node = this.root;
    for (const segment of parsed.segments) {
      switch (segment.kind) {
        case "static": {
          node.statics ??= new Map();
          let next = node.statics.get(segment.value);
          if (!next) node.statics.set(segment.value, (next = {}));
          node = next;
          break;
        }
        case "pattern": {
          node.patterns ??= [];
          let branch = node.patterns.find((candidate) => candidate.segment.shape === segment.shape);
          if (!branch) {
            branch = { segment, node: {} };
            node.patterns.push(branch);
            node.patterns.sort(
              (a, b) =>
                literalLength(b.segment) - literalLength(a.segment) || (a.segment.shape < b.segment.shape ? -1 : 1),
            );
          }
          node = branch.node;
          break;
        }
        case "param":
          node = node.param ??= {};
          break;
        case "splat":
          if (node.splat) throw conflict(node.splat.parsed, parsed);
          node.splat = page;
          return;
      }
    }
    if (node.page) throw conflict(node.page.parsed, parsed);
    node.page = page;
  }

  /**
   * Finds the page for already-decoded path segments (`[]` for `/`), or `null`.
   * Params are assigned from the matched page's own names, so pages sharing a branch may name their
   * params differently (`[id].tsx` next to `[slug]/edit.tsx`).
   */
  match(segments: readonly string[]): RouteMatch<T> | null {
    const values: string[] = [];
    const entry = find(this.root, segments, 0, values);
    if (!entry) return null;
    const params: Record<string, string> = {};
    let index = 0;
    for (const segment of entry.parsed.segments) {
      if (segment.kind === "param" || segment.kind === "splat") params[segment.name] = values[index++] ?? "";
      else if (segment.kind === "pattern") for (const name of segment.names) params[name] = values[index++] ?? "";
    }
    return { page: entry, params };
  }
}

function find<T>(node: Node<T>, segments: readonly string[], index: number, values: string[]): T | null {
  if (index === segments.length) {
    if (node.page) return node.page;
    if (node.splat) {
      values.push("");
      return node.splat;
    }
    return null;
  }
  const segment = segments[index] as string;
  const mark = values.length;

  const exact = node.statics?.get(segment);
  if (exact) {
    const found = find(exact, segments, index + 1, values);
    if (found) return found;
  }
  if (node.patterns) {
    for (const { segment: pattern, node: next } of node.patterns) {
      const captures = matchPattern(pattern.literals, segment);
      if (!captures) continue;
      values.push(...captures);
      const found = find(next, segments, index + 1, values);
      if (found) return found;
      values.length = mark;
    }
  }
  if (node.param) {
    values.push(segment);
    const found = find(node.param, segments, index + 1, values);
    if (found) return found;
    values.length = mark;
  }
  if (node.splat) {
    values.push(segments.slice(index).join("/"));
    return node.splat;
  }
  return null;
}

function literalLength(segment: Extract<Segment, { kind: "pattern" }>): number {
  // eslint-disable-next-line no-control-regex -- U+0000 marks a parameter's place in a segment's shape
  return segment.shape.replace(/\u0000/g, "").length;
}

function conflict(first: ParsedPage, second: ParsedPage): Error {
  return new Error(
    `ssr-pages: ${first.file} and ${second.file} both map to the route ${describe(second.segments)}; remove or rename one of them`,
  );
}

function describe(segments: readonly Segment[]): string {
  // eslint-disable-next-line no-control-regex -- U+0000 marks a parameter's place in a segment's shape
  return `/${segments.map((s) => (s.kind === "static" ? s.value : s.kind === "splat" ? "[...]" : s.kind === "param" ? "[param]" : s.shape.replace(/\u0000/g, "[param]"))).join("/")}`;
}
