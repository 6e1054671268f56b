/**
 * The node types Gatsby makes from the site itself: `Site` (with `siteMetadata` inferred from the
 * config), `SiteBuildMetadata` and `SitePage`.
 */
import { GraphQLBoolean, GraphQLInt, GraphQLNonNull, GraphQLObjectType, GraphQLString } from "graphql";
import { dateField } from "./dates.js";
import type { Source } from "./field-reading.js";
import { inferObjectType } from "./infer.js";
import type { NodeInterface } from "./node-interface.js";
import { NODE_TYPE } from "./nodes.js";
import { GraphQLJSON } from "./scalars.js";

/** `Site`, `SiteBuildMetadata` and `SitePage`, `siteMetadata` typed after `siteMetadata`. */
export function createSiteTypes(
  node: NodeInterface,
  siteMetadata: Source,
): { site: GraphQLObjectType; buildMetadata: GraphQLObjectType; page: GraphQLObjectType } {
  // Gatsby declares these three so that a site without them can still ask for them.
  const metadata = inferObjectType("SiteSiteMetadata", siteMetadata, {
    title: { type: GraphQLString },
    description: { type: GraphQLString },
    siteUrl: { type: GraphQLString },
  });
  const buildTime = dateField({ value: (source) => source.buildTime });
  const site = new GraphQLObjectType<Source>({
    name: NODE_TYPE.site,
    interfaces: [node.type],
    fields: () => ({
      ...node.fields(),
      buildTime,
      siteMetadata: { type: metadata },
      port: { type: GraphQLInt },
      host: { type: GraphQLString },
      polyfill: { type: GraphQLBoolean },
      pathPrefix: { type: GraphQLString },
      jsxRuntime: { type: GraphQLString },
      trailingSlash: { type: GraphQLString },
    }),
  });
  const buildMetadata = new GraphQLObjectType<Source>({
    name: NODE_TYPE.buildMetadata,
    interfaces: [node.type],
    fields: () => ({ ...node.fields(), buildTime }),
  });
  const nonNullString = { type: new GraphQLNonNull(GraphQLString) };
  const page = new GraphQLObjectType<Source>({
    name: NODE_TYPE.page,
    interfaces: [node.type],
    fields: () => ({
      ...node.fields(),
      path: nonNullString,
      component: nonNullString,
      internalComponentName: nonNullString,
      componentChunkName: nonNullString,
      matchPath: { type: GraphQLString },
      pageContext: { type: GraphQLJSON },
    }),
  });
  return { site, buildMetadata, page };
}
