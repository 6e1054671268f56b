/**
 * Gatsby's `Node` interface, which every node type implements (`id`, `parent`, `children`,
 * `internal`), and its `Internal` type. `parent` and `children` follow ids through the node store,
 * so `childImageSharp { parent { ... on File { name } } }` works as in Gatsby.
 */
import {
  GraphQLID,
  GraphQLInterfaceType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLString,
  type GraphQLFieldConfigMap,
} from "graphql";
import { readAs, type Source } from "./field-reading.js";
import type { NodeStore, SiteNode } from "./node-store.js";

/** The `Node` interface and what every node type shares. */
export interface NodeInterface {
  readonly type: GraphQLInterfaceType;
  readonly internal: GraphQLObjectType;
  /** The interface's fields, for a node type to start its own fields with. */
  fields(): GraphQLFieldConfigMap<Source, unknown>;
}

/** `Node` and `Internal`, resolving `parent` and `children` through `store`. */
export function createNodeInterface(store: NodeStore): NodeInterface {
  const internal = new GraphQLObjectType({
    name: "Internal",
    fields: {
      type: { type: new GraphQLNonNull(GraphQLString) },
      mediaType: { type: GraphQLString },
      contentDigest: { type: new GraphQLNonNull(GraphQLString) },
      owner: { type: new GraphQLNonNull(GraphQLString) },
      description: { type: GraphQLString },
    },
  });
  const fields = (): GraphQLFieldConfigMap<Source, unknown> => ({
    id: { type: new GraphQLNonNull(GraphQLID) },
    parent: {
      type: node,
      resolve: (source) => store.get((source as SiteNode).parent) ?? null,
      extensions: readAs({ searchable: false }),
    },
    children: {
      type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(node))),
      resolve: (source) => (source as SiteNode).children.flatMap((id) => store.get(id) ?? []),
      extensions: readAs({ searchable: false }),
    },
    internal: { type: new GraphQLNonNull(internal) },
  });
  const node: GraphQLInterfaceType = new GraphQLInterfaceType({
    name: "Node",
    description: "Node Interface",
    fields,
    resolveType: (value) => (value as SiteNode).internal.type,
  });
  return { type: node, internal, fields };
}
