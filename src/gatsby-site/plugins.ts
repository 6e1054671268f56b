/**
 * What becomes of each plugin of a Gatsby site's config. Its `gatsby-ssr` and `gatsby-browser` run as
 * Gatsby runs them (with its options, in config order, the site's own files last). What plugins do
 * in `gatsby-node` (Gatsby's build) is not run: the plugins most sites use for it are done natively
 * here (their files are then not run either, so nothing happens twice), and every other plugin with a
 * `gatsby-node` gets one warning naming it and what it would have done.
 */
import { readFileSync } from "node:fs";
import { parseSync } from "oxc-parser";
import type { SiteConfig, SitePlugin } from "./config.js";

/** Plugins whose work ssr-pages does itself, and how (for the docs and the warnings). */
export const NATIVE_PLUGINS: Readonly<Record<string, string>> = {
  "gatsby-source-filesystem": "its File and Directory nodes are in the site's GraphQL schema",
  "gatsby-transformer-sharp": "childImageSharp and gatsbyImageData are in the schema",
  "gatsby-plugin-sharp": "image variants are made with sharp on first request",
  "gatsby-plugin-image": "StaticImage and GatsbyImage are ssr-pages' own, with the same HTML",
  "gatsby-plugin-sass": "Sass is built in (.scss, .sass, .module.scss)",
  "gatsby-plugin-postcss": "the site's PostCSS config applies to every stylesheet",
  "gatsby-plugin-styled-components": "styled-components' styles are collected on the server",
  "gatsby-plugin-emotion": "emotion's styles are rendered inline",
  "gatsby-plugin-manifest": "/manifest.webmanifest and its icons are served",
  "gatsby-plugin-typescript": "TypeScript is compiled by esbuild",
  "gatsby-plugin-react-helmet": "its gatsby-ssr runs; react-helmet needs nothing else",
};

/** The `gatsby-node` exports that change nothing a served page shows (options checks, start-up notes). */
const HARMLESS_NODE_APIS = new Set([
  "pluginOptionsSchema",
  "onPreInit",
  "onPluginInit",
  "onPreBootstrap",
  "onPostBootstrap",
]);

/** What `gatsby-node` APIs do in Gatsby, for the warning. */
const NODE_API_EFFECTS: Readonly<Record<string, string>> = {
  createPages: "creates pages",
  createPagesStatefully: "creates pages",
  onCreatePage: "changes pages",
  sourceNodes: "adds data nodes",
  onCreateNode: "adds data to nodes",
  createSchemaCustomization: "customises the GraphQL schema",
  createResolvers: "adds GraphQL resolvers",
  setFieldsOnGraphQLNodeType: "adds GraphQL fields",
  onCreateWebpackConfig: "changes the webpack config",
  onCreateBabelConfig: "changes the Babel config",
  onPostBuild: "writes files after the build",
  onPreBuild: "runs before the build",
};

/** A plugin whose `gatsby-ssr` / `gatsby-browser` run, with its options. */
export interface RunnablePlugin {
  name: string;
  file: string;
  options: Readonly<Record<string, unknown>>;
}

/** The config's plugins sorted by what happens to them. */
export interface PluginPlan {
  /** `gatsby-ssr` files to run, config order. */
  ssr: RunnablePlugin[];
  /** `gatsby-browser` files to run, config order. */
  browser: RunnablePlugin[];
  /** One line per plugin whose work is not done (for the start-up warning). */
  warnings: string[];
  /** Options of native plugins, by name (`gatsby-plugin-manifest`'s icon…). */
  native: Map<string, Readonly<Record<string, unknown>>>;
}

/** Sorts the site's plugins. */
export function planPlugins(config: SiteConfig): PluginPlan {
  const plan: PluginPlan = { ssr: [], browser: [], warnings: [], native: new Map() };
  for (const plugin of config.plugins) {
    if (plugin.name in NATIVE_PLUGINS && plugin.name !== "gatsby-plugin-react-helmet") {
      plan.native.set(plugin.name, plugin.options);
      continue;
    }
    if (plugin.dir === undefined) {
      plan.warnings.push(`${plugin.name} is in the config but not installed: it is left out`);
      continue;
    }
    if (plugin.files.ssr) plan.ssr.push({ name: plugin.name, file: plugin.files.ssr, options: plugin.options });
    if (plugin.files.browser)
      plan.browser.push({ name: plugin.name, file: plugin.files.browser, options: plugin.options });
    const warning = nodeWarning(plugin);
    if (warning) plan.warnings.push(warning);
  }
  return plan;
}

/** The warning for a plugin whose `gatsby-node` does something a page would show, or `undefined`. */
function nodeWarning(plugin: SitePlugin): string | undefined {
  const file = plugin.files.node;
  if (file === undefined) return undefined;
  const apis = exportedNames(file).filter((name) => !HARMLESS_NODE_APIS.has(name));
  if (apis.length === 0) return undefined;
  const effects = [...new Set(apis.map((name) => NODE_API_EFFECTS[name] ?? `runs ${name}`))];
  return `${plugin.name}: its gatsby-node (${apis.join(", ")}) is not run by ssr-pages; in Gatsby it ${effects.join(", ")}`;
}

/**
 * The names a module exports, ES module or CommonJS (`exports.x =`, `module.exports = { x }`), read
 * from its syntax tree without running it. A file that does not parse exports nothing we can name.
 */
export function exportedNames(file: string): string[] {
  let program: ReturnType<typeof parseSync>["program"];
  try {
    program = parseSync(file, readFileSync(file, "utf8")).program;
  } catch {
    return [];
  }
  const names = new Set<string>();
  for (const statement of program.body as unknown as AstNode[]) {
    if (statement.type === "ExportNamedDeclaration") {
      const declaration = statement.declaration as AstNode | null;
      if (declaration?.type === "FunctionDeclaration" || declaration?.type === "ClassDeclaration")
        names.add(String((declaration.id as AstNode).name));
      if (declaration?.type === "VariableDeclaration")
        for (const one of declaration.declarations as AstNode[])
          if ((one.id as AstNode).type === "Identifier") names.add(String((one.id as AstNode).name));
      for (const specifier of (statement.specifiers as AstNode[] | undefined) ?? [])
        names.add(String((specifier.exported as AstNode).name ?? (specifier.exported as AstNode).value));
    }
    if (statement.type !== "ExpressionStatement") continue;
    const expression = statement.expression as AstNode;
    if (expression.type !== "AssignmentExpression") continue;
    const target = expression.left as AstNode;
    if (target.type !== "MemberExpression") continue;
    const object = target.object as AstNode;
    const property = target.property as AstNode;
    // exports.x = …  /  module.exports.x = …
    if ((object.type === "Identifier" && object.name === "exports") || isModuleExports(object)) {
      if (property.type === "Identifier" && property.name !== "__esModule") names.add(String(property.name));
    } else if (isModuleExports(target) && (expression.right as AstNode).type === "ObjectExpression") {
      for (const member of (expression.right as AstNode).properties as AstNode[]) {
        const key = member.key as AstNode | undefined;
        if (key?.type === "Identifier") names.add(String(key.name));
      }
    }
  }
  return [...names];
}

/** An ESTree node, read loosely. */
type AstNode = { type: string; [key: string]: unknown };

function isModuleExports(node: AstNode): boolean {
  return (
    node.type === "MemberExpression" &&
    (node.object as AstNode).type === "Identifier" &&
    (node.object as AstNode).name === "module" &&
    (node.property as AstNode).name === "exports"
  );
}
