/**
 * The query inputs Gatsby 5 derives from each node type: `<Type>FilterInput` (an operator input per
 * scalar, a nested input per object, `elemMatch` per list of objects), `<Type>SortInput` (`ASC` or
 * `DESC` per field, nested per object) and `<Type>FieldSelector` (`SELECT` per field, for
 * `distinct`, `group`, `max`, `min`, `sum`). Made from the output types, so they always agree.
 */
import {
  GraphQLEnumType,
  GraphQLID,
  GraphQLInputObjectType,
  GraphQLList,
  GraphQLString,
  getNamedType,
  getNullableType,
  isInterfaceType,
  isLeafType,
  isListType,
  isObjectType,
  type GraphQLField,
  type GraphQLInputFieldConfigMap,
  type GraphQLInputType,
  type GraphQLInterfaceType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLScalarType,
} from "graphql";
import { isSearchable } from "./field-reading.js";

/** A type whose fields filters can name. */
export type FieldsType = GraphQLObjectType | GraphQLInterfaceType;

type LeafType = GraphQLScalarType | GraphQLEnumType;

const COMPARISONS = ["eq", "ne", "gt", "gte", "lt", "lte", "in", "nin"] as const;
const TEXT = ["eq", "ne", "in", "nin", "regex", "glob"] as const;
const EQUALITY = ["eq", "ne", "in", "nin"] as const;

/** Gatsby's operators for each scalar (others, enums included, get `EQUALITY`). */
const OPERATORS: Readonly<Record<string, readonly string[]>> = {
  Int: COMPARISONS,
  Float: COMPARISONS,
  Date: COMPARISONS,
  String: TEXT,
  JSON: TEXT,
  Boolean: EQUALITY,
};

/** The derived input types of one schema, each made once and shared by name. */
export class QueryInputs {
  /** `SortOrderEnum`. */
  readonly sortOrder = new GraphQLEnumType({
    name: "SortOrderEnum",
    values: { ASC: { value: "ASC" }, DESC: { value: "DESC" } },
  });
  /** `FieldSelectorEnum`: the leaf of a field selector. */
  readonly select = new GraphQLEnumType({ name: "FieldSelectorEnum", values: { SELECT: { value: "SELECT" } } });
  readonly #inputs = new Map<string, GraphQLInputObjectType>();
  readonly #searchable = new Map<string, boolean>();

  /** `<Type>FilterInput`. */
  filter(type: FieldsType): GraphQLInputObjectType {
    return this.#derive(
      type,
      "FilterInput",
      (leaf) => this.#operators(leaf),
      (object, list) => (list ? this.#filterList(object) : this.filter(object)),
    );
  }

  /** `<Type>SortInput`. */
  sort(type: FieldsType): GraphQLInputObjectType {
    return this.#derive(
      type,
      "SortInput",
      () => this.sortOrder,
      (object) => this.sort(object),
    );
  }

  /** `<Type>FieldSelector`. */
  selector(type: FieldsType): GraphQLInputObjectType {
    return this.#derive(
      type,
      "FieldSelector",
      () => this.select,
      (object) => this.selector(object),
    );
  }

  /** `<Type>FilterListInput`: `elemMatch`, for a list of objects. */
  #filterList(type: FieldsType): GraphQLInputObjectType {
    return this.#cached(
      `${type.name}FilterListInput`,
      (name) => new GraphQLInputObjectType({ name, fields: () => ({ elemMatch: { type: this.filter(type) } }) }),
    );
  }

  /** `<Scalar>QueryOperatorInput` (`ID` is filtered as `String`, as in Gatsby). */
  #operators(leaf: LeafType): GraphQLInputObjectType {
    const operand: LeafType = leaf === GraphQLID ? GraphQLString : leaf;
    return this.#cached(`${operand.name}QueryOperatorInput`, (name) => {
      const fields: GraphQLInputFieldConfigMap = {};
      for (const operator of OPERATORS[operand.name] ?? EQUALITY) {
        fields[operator] = { type: operator === "in" || operator === "nin" ? new GraphQLList(operand) : operand };
      }
      return new GraphQLInputObjectType({ name, fields });
    });
  }

  #derive(
    type: FieldsType,
    suffix: string,
    leafInput: (leaf: LeafType) => GraphQLInputType,
    objectInput: (object: FieldsType, list: boolean) => GraphQLInputType,
  ): GraphQLInputObjectType {
    return this.#cached(`${type.name}${suffix}`, (name) => {
      // Fields are read when the schema is put together, once every output type is complete.
      const fields = (): GraphQLInputFieldConfigMap => {
        const inputs: GraphQLInputFieldConfigMap = {};
        for (const field of this.#searchableFields(type)) {
          const named = getNamedType(field.type);
          if (isLeafType(named)) inputs[field.name] = { type: leafInput(named) };
          else if ((isObjectType(named) || isInterfaceType(named)) && this.#hasSearchableFields(named)) {
            inputs[field.name] = { type: objectInput(named, isList(field.type)) };
          }
        }
        return inputs;
      };
      return new GraphQLInputObjectType({ name, fields });
    });
  }

  #cached(name: string, make: (name: string) => GraphQLInputObjectType): GraphQLInputObjectType {
    let input = this.#inputs.get(name);
    if (input === undefined) {
      input = make(name);
      this.#inputs.set(name, input);
    }
    return input;
  }

  #searchableFields(type: FieldsType): Array<GraphQLField<unknown, unknown>> {
    return Object.values(type.getFields()).filter((field) => isSearchable(field));
  }

  /**
   * Whether an input of `type` would have a field: an input type without fields is invalid, and
   * Gatsby leaves such fields out too. A type met again while being looked at counts as empty.
   */
  #hasSearchableFields(type: FieldsType, visiting: Set<string> = new Set()): boolean {
    const known = this.#searchable.get(type.name);
    if (known !== undefined) return known;
    if (visiting.has(type.name)) return false;
    visiting.add(type.name);
    const result = this.#searchableFields(type).some((field) => {
      const named = getNamedType(field.type);
      return (
        isLeafType(named) ||
        ((isObjectType(named) || isInterfaceType(named)) && this.#hasSearchableFields(named, visiting))
      );
    });
    visiting.delete(type.name);
    // A `false` that came from a type still being looked at is no answer for later.
    if (result || visiting.size === 0) this.#searchable.set(type.name, result);
    return result;
  }
}

function isList(type: GraphQLOutputType): boolean {
  return isListType(getNullableType(type));
}
