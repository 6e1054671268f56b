/**
 * How filters, sorts, `distinct` and `group` read a field of an output type. The schema's output
 * types are the one description of the data: the query inputs are derived from them (inputs.ts) and
 * the node arrays are filtered through them (filters.ts). What a field needs beyond its GraphQL
 * type is kept in graphql-js's `extensions` of the field, under one key.
 */
import type { GraphQLField } from "graphql";

/** An object a field is read from: a node, or an object inside one (`siteMetadata.social`). */
export type Source = Readonly<Record<string, unknown>>;

/** What a field says about how it is read outside GraphQL execution. */
export interface FieldReading {
  /**
   * The field's value on its source, as filters and sorts compare it: `source[fieldName]` when
   * absent. Must be synchronous and cheap (a field kept under another key, a child node).
   */
  value?: (source: Source) => unknown;
  /**
   * `false`: left out of the filter, sort and field-selector inputs, because its value needs a hook
   * or arguments (`publicURL`, `gatsbyImageData`) or would loop (`parent`, `children`).
   */
  searchable?: boolean;
}

const KEY = "ssrPagesReading";

/** The `extensions` of a field config that reads as `reading` says. */
export function readAs(reading: FieldReading): Record<string, FieldReading> {
  return { [KEY]: reading };
}

function readingOf(field: GraphQLField<unknown, unknown>): FieldReading | undefined {
  return field.extensions[KEY] as FieldReading | undefined;
}

/** The value of `field` on `source` (`undefined` when the source is no object). */
export function fieldValue(field: GraphQLField<unknown, unknown>, source: unknown): unknown {
  if (source === null || typeof source !== "object") return undefined;
  const read = readingOf(field)?.value;
  return read === undefined ? (source as Source)[field.name] : read(source as Source);
}

/** Whether filters, sorts and selectors may name `field`. */
export function isSearchable(field: GraphQLField<unknown, unknown>): boolean {
  return readingOf(field)?.searchable !== false;
}
