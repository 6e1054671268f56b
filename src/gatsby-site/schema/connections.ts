/**
 * The root fields Gatsby gives each node type: `file(...)`, the first node the filter fields given as
 * arguments let through, and `allFile(filter, sort, skip, limit)`, a `FileConnection` with
 * `totalCount`, `nodes`, `edges`, `pageInfo`, and `distinct`, `group`, `max`, `min`, `sum` over its
 * page of nodes (as Gatsby's resolvers work on the page).
 */
import {
  GraphQLBoolean,
  GraphQLFloat,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLString,
  type GraphQLFieldConfigArgumentMap,
  type GraphQLFieldConfigMap,
} from "graphql";
import {
  aggregate,
  distinctValues,
  filterNodes,
  groupNodes,
  matchesFilter,
  paginate,
  selectedPath,
  sortNodes,
  type InputObject,
  type Page,
} from "./filters.js";
import type { QueryInputs } from "./inputs.js";
import type { SiteNode } from "./node-store.js";

/** A node type and its nodes. */
export interface NodeTypeEntry {
  readonly type: GraphQLObjectType;
  readonly nodes: readonly SiteNode[];
}

interface SelectorArgs {
  field: InputObject;
}

interface GroupArgs extends SelectorArgs {
  skip?: number | null;
  limit?: number | null;
}

interface AllArgs {
  filter?: InputObject | null;
  sort?: ReadonlyArray<InputObject | null> | null;
  skip?: number | null;
  limit?: number | null;
}

/** Makes the connection types and root fields of a schema's node types. */
export class Connections {
  readonly #inputs: QueryInputs;
  readonly #edges = new Map<string, GraphQLObjectType>();
  readonly #pageInfo = new GraphQLObjectType({
    name: "PageInfo",
    fields: {
      currentPage: { type: new GraphQLNonNull(GraphQLInt) },
      hasPreviousPage: { type: new GraphQLNonNull(GraphQLBoolean) },
      hasNextPage: { type: new GraphQLNonNull(GraphQLBoolean) },
      itemCount: { type: new GraphQLNonNull(GraphQLInt) },
      pageCount: { type: new GraphQLNonNull(GraphQLInt) },
      perPage: { type: GraphQLInt },
      totalCount: { type: new GraphQLNonNull(GraphQLInt) },
    },
  });

  constructor(inputs: QueryInputs) {
    this.#inputs = inputs;
  }

  /** `file` and `allFile` for the node type `File`, and so on. */
  rootFields({ type, nodes }: NodeTypeEntry): GraphQLFieldConfigMap<unknown, unknown> {
    const filter = this.#inputs.filter(type);
    const connection = this.#connection(type);
    const single = type.name.charAt(0).toLowerCase() + type.name.slice(1);
    const filterArgs: GraphQLFieldConfigArgumentMap = {};
    for (const field of Object.values(filter.getFields())) filterArgs[field.name] = { type: field.type };
    return {
      [single]: {
        type,
        args: filterArgs,
        resolve: (_root, args: InputObject) => nodes.find((node) => matchesFilter(node, args, type)) ?? null,
      },
      [`all${type.name}`]: {
        type: new GraphQLNonNull(connection),
        args: {
          filter: { type: filter },
          sort: { type: new GraphQLList(this.#inputs.sort(type)) },
          skip: { type: GraphQLInt },
          limit: { type: GraphQLInt },
        },
        resolve: (_root, args: AllArgs) =>
          paginate(sortNodes(filterNodes(nodes, args.filter, type), args.sort, type), args.skip, args.limit),
      },
    };
  }

  /** `<Type>Connection`. */
  #connection(type: GraphQLObjectType): GraphQLObjectType {
    const group: GraphQLObjectType = new GraphQLObjectType<Page<SiteNode>>({
      name: `${type.name}GroupConnection`,
      fields: (): GraphQLFieldConfigMap<Page<SiteNode>, unknown> => ({
        ...this.#pageFields(type, group),
        field: { type: new GraphQLNonNull(GraphQLString) },
        fieldValue: { type: GraphQLString },
      }),
    });
    return new GraphQLObjectType<Page<SiteNode>>({
      name: `${type.name}Connection`,
      fields: () => this.#pageFields(type, group),
    });
  }

  /** The fields a connection and a group share. */
  #pageFields(type: GraphQLObjectType, group: GraphQLObjectType): GraphQLFieldConfigMap<Page<SiteNode>, unknown> {
    const selector = { field: { type: new GraphQLNonNull(this.#inputs.selector(type)) } };
    const edge = this.#edge(type);
    const nonNullList = (item: GraphQLObjectType) => new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(item)));
    const aggregateField = (kind: "max" | "min" | "sum") => ({
      type: GraphQLFloat,
      args: selector,
      resolve: (page: Page<SiteNode>, args: SelectorArgs) =>
        aggregate(page.nodes, selectedPath(args.field), type, kind),
    });
    return {
      totalCount: { type: new GraphQLNonNull(GraphQLInt) },
      edges: { type: nonNullList(edge) },
      nodes: { type: nonNullList(type) },
      pageInfo: { type: new GraphQLNonNull(this.#pageInfo) },
      distinct: {
        type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(GraphQLString))),
        args: selector,
        resolve: (page, args: SelectorArgs) => distinctValues(page.nodes, selectedPath(args.field), type),
      },
      max: aggregateField("max"),
      min: aggregateField("min"),
      sum: aggregateField("sum"),
      group: {
        type: nonNullList(group),
        args: { skip: { type: GraphQLInt }, limit: { type: GraphQLInt }, ...selector },
        resolve: (page, args: GroupArgs) => {
          const path = selectedPath(args.field);
          return groupNodes(page.nodes, path, type).map(({ fieldValue, nodes }) => ({
            ...paginate(nodes, args.skip, args.limit),
            field: path.join("."),
            fieldValue,
          }));
        },
      },
    };
  }

  /** `<Type>Edge` (one per type, shared by its connection and group). */
  #edge(type: GraphQLObjectType): GraphQLObjectType {
    let edge = this.#edges.get(type.name);
    if (edge === undefined) {
      edge = new GraphQLObjectType({
        name: `${type.name}Edge`,
        fields: { next: { type }, node: { type: new GraphQLNonNull(type) }, previous: { type } },
      });
      this.#edges.set(type.name, edge);
    }
    return edge;
  }
}
