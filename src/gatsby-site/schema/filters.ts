/**
 * Gatsby's query arguments and connection fields on plain arrays of nodes: `filter`, `sort`,
 * `skip`/`limit` (with Gatsby's `pageInfo` arithmetic), `distinct`, `group`, `max`, `min`, `sum`.
 * Fields are read through their output type (field-reading.ts), so a filter sees what a query sees.
 */
import {
  getNamedType,
  getNullableType,
  isInterfaceType,
  isLeafType,
  isListType,
  isObjectType,
  type GraphQLField,
} from "graphql";
import { fieldValue } from "./field-reading.js";
import type { FieldsType } from "./inputs.js";
import { matchesOperators } from "./operators.js";

/** An input object as graphql-js hands it to a resolver (`{ relativePath: { eq: "a.png" } }`). */
export type InputObject = Readonly<Record<string, unknown>>;

/** The nodes of `nodes` that `filter` lets through, in their order. */
export function filterNodes<T>(nodes: readonly T[], filter: InputObject | null | undefined, type: FieldsType): T[] {
  if (filter === null || filter === undefined || Object.keys(filter).length === 0) return [...nodes];
  return nodes.filter((node) => matchesFilter(node, filter, type));
}

/** Whether `source` (a node, or an object inside one) passes `filter`. */
export function matchesFilter(source: unknown, filter: InputObject, type: FieldsType): boolean {
  const fields = type.getFields();
  for (const [name, condition] of Object.entries(filter)) {
    if (condition === null || condition === undefined) continue;
    const field = fieldOf(fields, name, type);
    const value = fieldValue(field, source);
    const named = getNamedType(field.type);
    if (isLeafType(named)) {
      if (!matchesOperators(value, condition as InputObject)) return false;
    } else if (isObjectType(named) || isInterfaceType(named)) {
      if (!isListType(getNullableType(field.type))) {
        // An object that is not there has fields that are not there: `ne` still passes.
        if (!matchesFilter(value, condition as InputObject, named)) return false;
        continue;
      }
      const elemMatch = (condition as InputObject).elemMatch as InputObject | null | undefined;
      if (elemMatch === null || elemMatch === undefined) continue;
      if (!(Array.isArray(value) && value.some((item) => matchesFilter(item, elemMatch, named)))) return false;
    }
  }
  return true;
}

/** One key of a sort: the field's path and its direction. */
interface SortKey {
  readonly path: readonly string[];
  readonly descending: boolean;
}

/**
 * `nodes` in the order of `sort` (Gatsby 5's `[{ name: ASC }, { frontmatter: { date: DESC } }]`;
 * a single object is a list of one), ties kept in their order. Missing values come last going up
 * and first going down, as lodash's `orderBy` (which Gatsby sorts with) puts them.
 */
export function sortNodes<T>(
  nodes: readonly T[],
  sort: ReadonlyArray<InputObject | null> | null | undefined,
  type: FieldsType,
): T[] {
  const keys = (sort ?? []).flatMap((input) => (input === null ? [] : sortKeys(input, [])));
  if (keys.length === 0) return [...nodes];
  const decorated = nodes.map((node, index) => ({
    node,
    index,
    values: keys.map((key) => valuesAt(node, key.path, type)[0]),
  }));
  decorated.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const order = compareValues(a.values[i], b.values[i]);
      if (order !== 0) return keys[i]!.descending ? -order : order;
    }
    return a.index - b.index;
  });
  return decorated.map((entry) => entry.node);
}

function sortKeys(input: InputObject, prefix: readonly string[]): SortKey[] {
  return Object.entries(input).flatMap(([name, order]): SortKey[] => {
    if (order === null || order === undefined) return [];
    if (typeof order === "string") return [{ path: [...prefix, name], descending: order === "DESC" }];
    return sortKeys(order as InputObject, [...prefix, name]);
  });
}

function compareValues(a: unknown, b: unknown): number {
  const aMissing = a === null || a === undefined || Number.isNaN(a);
  const bMissing = b === null || b === undefined || Number.isNaN(b);
  if (aMissing || bMissing) return aMissing === bMissing ? 0 : aMissing ? 1 : -1;
  const [x, y] =
    typeof a === typeof b ? [a as number | string | boolean, b as number | string | boolean] : [String(a), String(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A connection's page of results, as Gatsby's connection types hold it. */
export interface Page<T> {
  readonly totalCount: number;
  readonly nodes: readonly T[];
  readonly edges: ReadonlyArray<{ node: T; next: T | undefined; previous: T | undefined }>;
  readonly pageInfo: {
    currentPage: number;
    hasPreviousPage: boolean;
    hasNextPage: boolean;
    itemCount: number;
    pageCount: number;
    perPage: number | null;
    totalCount: number;
  };
}

/** The page of `nodes` that `skip` and `limit` select, with Gatsby's page arithmetic. */
export function paginate<T>(
  nodes: readonly T[],
  skip: number | null | undefined,
  limit: number | null | undefined,
): Page<T> {
  const from = Math.max(0, skip ?? 0);
  // Gatsby takes a limit of 0 as no limit.
  const per = limit !== null && limit !== undefined && limit > 0 ? limit : undefined;
  const items = nodes.slice(from, per === undefined ? undefined : from + per);
  const count = nodes.length;
  const currentPage = per === undefined ? (from > 0 ? 2 : 1) : Math.ceil(from / per) + 1;
  return {
    totalCount: count,
    nodes: items,
    edges: items.map((node, i) => ({ node, next: items[i + 1], previous: items[i - 1] })),
    pageInfo: {
      currentPage,
      hasPreviousPage: currentPage > 1,
      hasNextPage: per !== undefined && count - from > per,
      itemCount: items.length,
      pageCount: per === undefined ? (from > 0 ? 2 : 1) : Math.ceil(from / per) + Math.ceil((count - from) / per),
      perPage: per ?? null,
      totalCount: count,
    },
  };
}

/** The path a field selector selects (`{ frontmatter: { tags: SELECT } }` → `["frontmatter", "tags"]`). */
export function selectedPath(selector: InputObject): string[] {
  const path: string[] = [];
  let current: unknown = selector;
  for (;;) {
    const chosen = Object.entries(current as InputObject).find(([, value]) => value !== null && value !== undefined);
    if (chosen === undefined)
      throw new Error("The field selector selects no field: name one, as in { relativeDirectory: SELECT }");
    path.push(chosen[0]);
    if (chosen[1] === "SELECT") return path;
    current = chosen[1];
  }
}

/** The values at `path` in `source`, lists along the way flattened, missing values left out. */
export function valuesAt(source: unknown, path: readonly string[], type: FieldsType): unknown[] {
  let values: unknown[] = [source];
  let current: FieldsType = type;
  for (let i = 0; i < path.length; i++) {
    const field = fieldOf(current.getFields(), path[i]!, current);
    const next: unknown[] = [];
    for (const value of values) {
      const found = fieldValue(field, value);
      if (Array.isArray(found))
        next.push(...(found.flat(Infinity) as unknown[]).filter((item) => item !== null && item !== undefined));
      else if (found !== null && found !== undefined) next.push(found);
    }
    values = next;
    if (i < path.length - 1) {
      const named = getNamedType(field.type);
      if (!isObjectType(named) && !isInterfaceType(named)) return [];
      current = named;
    }
  }
  return values;
}

/** `distinct`: the values at `path` over `nodes`, each once, sorted as text (Gatsby's `sort()`). */
export function distinctValues(nodes: readonly unknown[], path: readonly string[], type: FieldsType): string[] {
  const values = new Set<unknown>();
  for (const node of nodes) for (const value of valuesAt(node, path, type)) values.add(value);
  return [...values].map(String).sort();
}

/** `group`: `nodes` by each value at `path` (a node with a list is in the group of each item), sorted by value as text. */
export function groupNodes<T>(
  nodes: readonly T[],
  path: readonly string[],
  type: FieldsType,
): Array<{ fieldValue: string; nodes: T[] }> {
  const groups = new Map<string, T[]>();
  for (const node of nodes) {
    for (const value of new Set(valuesAt(node, path, type).map(String))) {
      const group = groups.get(value);
      if (group === undefined) groups.set(value, [node]);
      else group.push(node);
    }
  }
  return [...groups.keys()].sort().map((fieldValue) => ({ fieldValue, nodes: groups.get(fieldValue)! }));
}

/** `max`, `min` or `sum` of the numbers at `path` over `nodes` (`null`: no number there). */
export function aggregate(
  nodes: readonly unknown[],
  path: readonly string[],
  type: FieldsType,
  kind: "max" | "min" | "sum",
): number | null {
  let result: number | null = null;
  for (const node of nodes) {
    for (const value of valuesAt(node, path, type)) {
      const number = typeof value === "number" ? value : Number(value);
      if (Number.isNaN(number)) continue;
      if (result === null) result = number;
      else if (kind === "sum") result += number;
      else result = kind === "max" ? Math.max(result, number) : Math.min(result, number);
    }
  }
  return result;
}

function fieldOf(
  fields: Readonly<Record<string, GraphQLField<unknown, unknown>>>,
  name: string,
  type: FieldsType,
): GraphQLField<unknown, unknown> {
  const field = fields[name];
  if (field === undefined) throw new Error(`${type.name} has no field "${name}"`);
  return field;
}
