/**
 * What to tell a site whose query asks for data this data layer does not have (`allMarkdownRemark`,
 * `childMdx`, `ContentfulBlogPost`): which Gatsby plugin would have provided it, and what to do here.
 */

// Gatsby's root fields and types are named after the node type (`markdownRemark`, `allMarkdownRemark`,
// `childMarkdownRemark`, `MarkdownRemarkFilterInput`): the node type, lower-cased, says the plugin.
const SOURCES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^markdownRemark/, "gatsby-transformer-remark"],
  [/^mdx/, "gatsby-plugin-mdx"],
  [/^imageSharp/, "gatsby-transformer-sharp"],
  [/^contentful/, "gatsby-source-contentful"],
  [/^wp/, "gatsby-source-wordpress"],
  [/^sanity/, "gatsby-source-sanity"],
  [/^datoCms/, "gatsby-source-datocms"],
  [/^prismic/, "gatsby-source-prismic"],
  [/^strapi/, "gatsby-source-strapi"],
  [/^shopify/, "gatsby-source-shopify"],
  [/^airtable/, "gatsby-source-airtable"],
  [/^(graphCms|hygraph)/, "gatsby-source-graphcms"],
  [/^ghost/, "gatsby-source-ghost"],
  [/^(node[A-Z]|taxonomyTerm)/, "gatsby-source-drupal"],
  [/^asciidoc/, "gatsby-transformer-asciidoc"],
  [/^(sitePlugin|siteFunction)/, "Gatsby itself (its plugin and function lists)"],
  [/Json$/, "gatsby-transformer-json"],
  [/Yaml$/, "gatsby-transformer-yaml"],
  [/Csv$/, "gatsby-transformer-csv"],
];

/** The node type a root field, child field or derived type name is about (`allMarkdownRemark` → `markdownRemark`). */
function nodeTypeOf(name: string): string {
  const base = name
    .replace(/^(all|childrenOf|children|child)(?=[A-Z])/, "")
    .replace(/(FilterInput|FilterListInput|SortInput|FieldSelector|GroupConnection|Connection|Edge)$/, "");
  return base.charAt(0).toLowerCase() + base.slice(1);
}

/** The Gatsby plugin that provides `name` (a field or type name), if it is a well-known one. */
export function pluginProviding(name: string): string | undefined {
  const nodeType = nodeTypeOf(name);
  return SOURCES.find(([pattern]) => pattern.test(nodeType))?.[1];
}

/**
 * Why a query asking for the field or type `name` cannot run, and what to do. `imageSharp` is
 * `gatsby-transformer-sharp`'s data, which configuring that plugin provides.
 */
export function missingDataMessage(kind: "field" | "type", name: string): string {
  const plugin = pluginProviding(name);
  const asked = `The query asks for the ${kind} "${name}", which this site's GraphQL data does not have`;
  if (plugin === "gatsby-transformer-sharp") {
    return `${asked}: in Gatsby it comes from gatsby-transformer-sharp. Add gatsby-transformer-sharp (with gatsby-plugin-sharp) to the plugins of gatsby-config.`;
  }
  const origin = plugin === undefined ? "" : `: in Gatsby it comes from ${plugin}, whose nodes are not made here`;
  return `${asked}${origin}. The data layer here holds site, sitePage, file and directory (and imageSharp with gatsby-transformer-sharp): load that data in the page's getServerData and pass it on as props.`;
}
