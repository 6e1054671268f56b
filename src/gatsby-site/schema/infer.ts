/**
 * Object types inferred from values, as Gatsby infers `SiteSiteMetadata` from the config: strings
 * are `String` (or `Date` when they look like one), 32-bit integers `Int`, other numbers `Float`,
 * booleans `Boolean`, arrays lists of what their items have in common, objects nested types named
 * after their path (`SiteSiteMetadataSocial`). Nothing (`null`, `[]`, `{}`) gives no field, and
 * neither does a field whose values disagree (`[1, "a"]`).
 */
import {
  GraphQLBoolean,
  GraphQLFloat,
  GraphQLInt,
  GraphQLList,
  GraphQLObjectType,
  GraphQLString,
  type GraphQLFieldConfig,
  type GraphQLFieldConfigMap,
  type GraphQLOutputType,
} from "graphql";
import { dateField, looksLikeDate } from "./dates.js";
import { readAs, type Source } from "./field-reading.js";

type ScalarName = "String" | "Int" | "Float" | "Boolean" | "Date";

/** What the values seen at one place have in common. */
type Shape =
  | { readonly kind: "scalar"; readonly scalar: ScalarName }
  | { readonly kind: "list"; readonly item: Shape }
  | { readonly kind: "object"; readonly fields: ReadonlyMap<string, Shape> };

const SCALARS = { String: GraphQLString, Int: GraphQLInt, Float: GraphQLFloat, Boolean: GraphQLBoolean } as const;

/**
 * The object type `name` of the object `example`, with the fields of `declared` that the value has
 * no field for (Gatsby declares `SiteSiteMetadata { title description siteUrl }` so that asking for
 * them is never an error).
 */
export function inferObjectType(
  name: string,
  example: Source,
  declared: GraphQLFieldConfigMap<Source, unknown> = {},
): GraphQLObjectType<Source> {
  const shape = describe(example);
  const inferred = shape?.kind === "object" ? objectFields(name, shape, new Set([name])) : {};
  return new GraphQLObjectType<Source>({ name, fields: { ...declared, ...inferred } });
}

/** The shape of `value` (`undefined`: nothing, or values that disagree). */
function describe(value: unknown): Shape | undefined {
  switch (typeof value) {
    case "string":
      return { kind: "scalar", scalar: looksLikeDate(value) ? "Date" : "String" };
    case "number":
      return {
        kind: "scalar",
        scalar: Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31 ? "Int" : "Float",
      };
    case "boolean":
      return { kind: "scalar", scalar: "Boolean" };
    case "object": {
      if (value === null) return undefined;
      if (value instanceof Date) return { kind: "scalar", scalar: "Date" };
      if (Array.isArray(value)) {
        // Every item counts: an object field on the second item only is still a field.
        let item: Shape | undefined;
        for (const each of value) {
          const described = describe(each);
          if (described === undefined) continue;
          item = item === undefined ? described : merge(item, described);
          if (item === undefined) return undefined;
        }
        return item === undefined ? undefined : { kind: "list", item };
      }
      const fields = new Map<string, Shape>();
      for (const [key, each] of Object.entries(value)) {
        const described = describe(each);
        if (described !== undefined) fields.set(key, described);
      }
      return fields.size === 0 ? undefined : { kind: "object", fields };
    }
    default:
      return undefined;
  }
}

/** What `a` and `b` have in common (`undefined`: they disagree). */
function merge(a: Shape, b: Shape): Shape | undefined {
  if (a.kind === "scalar" && b.kind === "scalar") {
    if (a.scalar === b.scalar) return a;
    const pair = new Set([a.scalar, b.scalar]);
    if (pair.has("Int") && pair.has("Float")) return { kind: "scalar", scalar: "Float" };
    // Gatsby drops such a field (unless the strings are empty); text that holds both is kinder.
    if (pair.has("Date") && pair.has("String")) return { kind: "scalar", scalar: "String" };
    return undefined;
  }
  if (a.kind === "list" && b.kind === "list") {
    const item = merge(a.item, b.item);
    return item === undefined ? undefined : { kind: "list", item };
  }
  if (a.kind === "object" && b.kind === "object") {
    const fields = new Map(a.fields);
    for (const [key, shape] of b.fields) {
      const known = fields.get(key);
      const merged = known === undefined ? shape : merge(known, shape);
      if (merged === undefined) fields.delete(key);
      else fields.set(key, merged);
    }
    return { kind: "object", fields };
  }
  return undefined;
}

/** The fields of an object type named `typeName`; `typeNames` holds the names taken so far. */
function objectFields(
  typeName: string,
  shape: Extract<Shape, { kind: "object" }>,
  typeNames: Set<string>,
): GraphQLFieldConfigMap<Source, unknown> {
  const fields: GraphQLFieldConfigMap<Source, unknown> = {};
  for (const [fieldName, key] of fieldNames([...shape.fields.keys()])) {
    const field = fieldConfig(`${typeName}${upperFirst(fieldName)}`, key, fieldName, shape.fields.get(key)!, typeNames);
    if (field !== undefined) fields[fieldName] = field;
  }
  return fields;
}

/** The field of the value under `key`, named `fieldName` (`undefined`: nothing to make a field of). */
function fieldConfig(
  nestedTypeName: string,
  key: string,
  fieldName: string,
  shape: Shape,
  typeNames: Set<string>,
): GraphQLFieldConfig<Source, unknown> | undefined {
  let listDepth = 0;
  let inner = shape;
  while (inner.kind === "list") {
    inner = inner.item;
    listDepth++;
  }
  const value = (source: Source): unknown => source[key];
  let type: GraphQLOutputType;
  if (inner.kind === "scalar") {
    if (inner.scalar === "Date") return dateField({ value, listDepth });
    type = SCALARS[inner.scalar];
  } else {
    // `social` and `Social` would both name `…Social`: a schema's type names must differ.
    let name = nestedTypeName;
    for (let n = 2; typeNames.has(name); n++) name = `${nestedTypeName}${n}`;
    typeNames.add(name);
    const fields = objectFields(name, inner, typeNames);
    if (Object.keys(fields).length === 0) return undefined;
    type = new GraphQLObjectType<Source>({ name, fields });
  }
  for (let depth = listDepth; depth > 0; depth--) type = new GraphQLList(type);
  // A key that is no GraphQL name is read under its own name.
  return key === fieldName ? { type } : { type, resolve: value, extensions: readAs({ value }) };
}

/**
 * The GraphQL field name of each key, in the keys' order (Gatsby's rules: other characters become
 * `_`, a leading digit gets a `_`, a leading `__` is reserved), one key per name: the key that is the
 * name itself, else the first by sort order.
 */
function fieldNames(keys: readonly string[]): Map<string, string> {
  const byName = new Map<string, string>();
  for (const key of keys) {
    const name = fieldName(key);
    const taken = byName.get(name);
    if (taken === undefined || (taken !== name && (key === name || key < taken))) byName.set(name, key);
  }
  return byName;
}

function fieldName(key: string): string {
  const replaced = key.replace(/[^a-zA-Z0-9_]/g, "_");
  if (replaced.startsWith("__")) return replaced.replace(/_/g, (_char, index: number) => (index === 0 ? "_" : "x"));
  return /^[0-9]/.test(replaced) ? `_${replaced}` : replaced;
}

function upperFirst(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
