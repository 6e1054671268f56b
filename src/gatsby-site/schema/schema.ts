/**
 * The GraphQL schema of a Gatsby site, as Gatsby 5 would build it for the site's data: the node
 * types (`Site`, `SiteBuildMetadata`, `SitePage`, `File`, `Directory`, and `ImageSharp` with
 * gatsby-transformer-sharp), each with its root fields (`file`, `allFile`…) and the query inputs
 * derived from it. Built once per compile; every query of the compile runs on it.
 */
import { GraphQLObjectType, GraphQLSchema, assertValidSchema, type GraphQLFieldConfigMap } from "graphql";
import type { SchemaHooks, SiteData } from "../contracts.js";
import { Connections, type NodeTypeEntry } from "./connections.js";
import type { Source } from "./field-reading.js";
import { createFileSystemTypes } from "./file-types.js";
import { createImageSharpType } from "./image-types.js";
import { QueryInputs } from "./inputs.js";
import { createNodeInterface } from "./node-interface.js";
import { collectNodes, NODE_TYPE } from "./nodes.js";
import { runQuery } from "./run.js";
import { createSiteTypes } from "./site-types.js";

/** A site's schema, and the means to run its queries. */
export interface SiteSchema {
  /** The GraphQL schema (graphql-js). */
  readonly schema: GraphQLSchema;
  /** Every file and directory the filesystem sources hold (absolute), for the dev watcher. */
  readonly watched: readonly string[];
  /** Runs one query (the text of a `graphql` template). Resolves `{ data }`; throws a `QueryError` on any error. */
  run(source: string, variables?: Record<string, unknown>): Promise<{ data: Record<string, unknown> }>;
}

/** Builds the schema of `data`, stat'ing every file of its filesystem sources; `hooks` serve files and make images as queries ask. */
export async function createSiteSchema(data: SiteData, hooks: SchemaHooks): Promise<SiteSchema> {
  const { store, watched } = collectNodes(data);
  const node = createNodeInterface(store);
  const siteNode = store.ofType(NODE_TYPE.site)[0];
  const site = createSiteTypes(node, (siteNode?.siteMetadata ?? {}) as Source);
  const imageSharp = data.imageSharp ? createImageSharpType(node, store, hooks) : undefined;
  const fileSystem = createFileSystemTypes({ node, store, hooks, imageSharp });
  const nodeTypes = [
    site.site,
    site.buildMetadata,
    site.page,
    fileSystem.file,
    fileSystem.directory,
    ...(imageSharp === undefined ? [] : [imageSharp]),
  ];
  const entries: NodeTypeEntry[] = nodeTypes.map((type) => ({ type, nodes: store.ofType(type.name) }));
  const connections = new Connections(new QueryInputs());
  const query = new GraphQLObjectType({
    name: "Query",
    fields: () =>
      Object.assign({}, ...entries.map((entry) => connections.rootFields(entry))) as GraphQLFieldConfigMap<
        unknown,
        unknown
      >,
  });
  const schema = new GraphQLSchema({ query, types: nodeTypes });
  // Checked now, so that a schema the site's data made invalid fails the build, not a query.
  assertValidSchema(schema);
  return { schema, watched, run: (source, variables) => runQuery(schema, source, variables) };
}
