/**
 * What Gatsby's Babel plugins do to a site's source files, as an esbuild plugin of both builds:
 *
 * - Each `graphql` template (a static query, a page query under any export name, a `StaticQuery`'s)
 *   becomes its result, run at compile time: `{ ssrPagesQuery: "<hash>", data: {…} }`. The data
 *   is in the page's code on both sides, so nothing is queried per request and the browser needs no
 *   second fetch (`useStaticQuery` returns it; the runtime adds the mount path to its URLs).
 * - Each `<StaticImage src="…" …>` gets its image data as a prop, `__imageData`, worked out from
 *   its static props (as gatsby-plugin-image's Babel plugin does); its variants are made on request.
 *
 * A query the site cannot answer (a type no source provides) or an image that is missing is an error
 * of the file that holds it, so only the pages that import that file fail. Only files of a Gatsby
 * site go through here, and only those whose text mentions `graphql` or `StaticImage` are parsed.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type * as EsbuildApi from "esbuild";
import { Kind, parse } from "graphql";
import { parseSync } from "oxc-parser";
import type { ImageOptions } from "./contracts.js";
import { isQueryError, type SiteBuild } from "./site-build.js";

/** Source files of the site (not packages'): JavaScript and TypeScript, with or without JSX. */
const SOURCE = /\.(m|c)?[jt]sx?$/;

/** An ESTree node, read loosely. */
type AstNode = { type: string; start: number; end: number; [key: string]: unknown };

/**
 * A change to the file's text: `[start, end)` becomes `use(name)`, where `name` is a module-level
 * constant holding `value` (a JSON text). Hoisted, not written in place: a template inside a component
 * would otherwise be a new object on every render, and what is made from it once per object (its
 * copy under a mount path: common/graphql-query.ts) would be made again on every request.
 */
interface Edit {
  start: number;
  end: number;
  value: string;
  use: (name: string) => string;
}

/**
 * Appended to a site's files under Gatsby's classic JSX runtime: a file's own pragma is the one
 * setting esbuild lets win over a `tsconfig.json`'s `"jsx": "react-jsx"`, which an app's tsconfig
 * (and ssr-pages' recommended one) has, and which Gatsby's own compile ignores.
 */
const CLASSIC_PRAGMA = "/* @jsxRuntime classic */";

/**
 * A last step for a file this plugin loads (the development browser build's Fast Refresh
 * registration): its new source, or `undefined` to keep the file as it is.
 */
export type FinishSource = (
  file: string,
  contents: string,
  options: EsbuildApi.BuildOptions,
) => Promise<string | undefined>;

/**
 * The esbuild plugin; `classic`: the site compiles its JSX with the classic runtime (compile/site-options.ts);
 * `finish`: applied to each file it loads (a file this plugin loads is not loaded by later plugins).
 */
export function gatsbySourcesPlugin(
  siteOf: () => SiteBuild | undefined,
  classic: boolean,
  finish?: FinishSource,
): EsbuildApi.Plugin {
  return {
    name: "ssr-pages-gatsby-sources",
    setup(build) {
      build.onLoad({ filter: SOURCE, namespace: "file" }, async (args) => {
        const site = siteOf();
        if (
          site === undefined ||
          args.path.includes(`${path.sep}node_modules${path.sep}`) ||
          args.path.endsWith(".d.ts")
        )
          return undefined;
        const loader = loaderOf(args.path);
        const pragma = classic && loader !== "ts" ? CLASSIC_PRAGMA : "";
        const source = await readFile(args.path, "utf8");
        const mentions = source.includes("graphql") || source.includes("StaticImage");
        if (pragma === "" && !mentions) return undefined;
        try {
          // Both builds load each file: the site transforms it once (its queries' JSON, its images' data).
          const contents = mentions
            ? await site.transformOnce(args.path, source, () => transformSource(args.path, source, site))
            : undefined;
          if (contents === undefined && pragma === "") return undefined;
          // The pragma goes last: on the first line it would move the columns esbuild reports there.
          const loaded = pragma === "" ? (contents ?? source) : `${contents ?? source}\n${pragma}\n`;
          const finished = finish && (await finish(args.path, loaded, build.initialOptions));
          return finished === undefined
            ? { contents: loaded, loader, resolveDir: path.dirname(args.path) }
            : { contents: finished, loader: "js" as const, resolveDir: path.dirname(args.path) };
        } catch (error) {
          if (error instanceof SourceError)
            return {
              errors: [
                { text: error.message, location: locate(args.path, source, error.at), detail: { module: args.path } },
              ],
              watchFiles: [args.path, ...error.watch],
            };
          throw error;
        }
      });
    },
  };
}

/** A problem with one template or element of a file, at a character offset. */
class SourceError extends Error {
  constructor(
    message: string,
    readonly at: number,
    readonly watch: readonly string[] = [],
  ) {
    super(message);
  }
}

/** esbuild's loader for a source file: JSX in every JavaScript file, as the builds read them (compile/loaders.ts). */
function loaderOf(file: string): EsbuildApi.Loader {
  const ext = path.extname(file);
  if (ext === ".ts" || ext === ".mts" || ext === ".cts") return "ts";
  return ext === ".tsx" ? "tsx" : "jsx";
}

/** The file with its queries and `StaticImage`s filled in, or `undefined` when it has neither. @throws SourceError */
export async function transformSource(file: string, source: string, site: SiteBuild): Promise<string | undefined> {
  const parsed = parseSync(file, source, { lang: loaderOf(file) as "ts" | "tsx" | "jsx" });
  if (parsed.errors.length > 0) return undefined; // esbuild reports the syntax error, with its own frame
  const program = parsed.program as unknown as AstNode;
  const staticImageNames = importedNames(program, "gatsby-plugin-image", "StaticImage");
  const work: Array<Promise<Edit>> = [];
  walk(program, (node) => {
    if (node.type === "TaggedTemplateExpression" && isGraphqlTag(node.tag as AstNode)) work.push(queryEdit(node, site));
    else if (node.type === "JSXOpeningElement" && staticImageNames.has(jsxName(node.name as AstNode)))
      work.push(imageEdit(node, file, site));
  });
  if (work.length === 0) return undefined;
  const edits = (await Promise.all(work)).sort((a, b) => b.start - a.start);
  let text = source;
  const constants: string[] = [];
  edits.forEach((edit, index) => {
    const name = `__ssrPagesValue${index}`;
    constants.push(`${name} = ${edit.value}`);
    text = text.slice(0, edit.start) + edit.use(name) + text.slice(edit.end);
  });
  // On the first line, so no line of the file moves (`var`: hoisted, defined before any code runs).
  return `var ${constants.join(", ")}; ${text}`;
}

/** `graphql\`…\`` (the name Gatsby's import gives it) or `gatsby.graphql\`…\``. */
function isGraphqlTag(tag: AstNode): boolean {
  if (tag.type === "Identifier") return tag.name === "graphql";
  return (
    tag.type === "MemberExpression" &&
    (tag.property as AstNode).type === "Identifier" &&
    (tag.property as AstNode).name === "graphql"
  );
}

async function queryEdit(node: AstNode, site: SiteBuild): Promise<Edit> {
  const quasi = node.quasi as AstNode;
  if ((quasi.expressions as AstNode[]).length > 0)
    throw new SourceError(
      "a graphql query cannot hold ${…}: Gatsby's queries are static text (use GraphQL variables or fragments)",
      node.start,
    );
  // The raw text, as Gatsby reads it: `\\w` in a `regex` filter is GraphQL's own escape, not JavaScript's.
  const text = (quasi.quasis as AstNode[]).map((part) => (part.value as { raw: string }).raw).join("");
  // A template of fragments only defines them for queries to spread: nothing to run.
  if (onlyFragments(text))
    return {
      start: node.start,
      end: node.end,
      value: `{ ssrPagesFragments: ${JSON.stringify(text)} }`,
      use: (name) => name,
    };
  let data: Record<string, unknown>;
  try {
    data = await site.query(text);
  } catch (error) {
    if (isQueryError(error))
      throw new SourceError(
        error.message,
        error.line === undefined
          ? node.start
          : offsetIn(text, error.line, error.column ?? 1) + (quasi.start as number) + 1,
      );
    // Anything else (a filesystem source that cannot be read): still this template's failure, said here.
    throw new SourceError(`the query could not run: ${(error as Error)?.message ?? String(error)}`, node.start);
  }
  const hash = createHash("sha256").update(text).digest("hex").slice(0, 10);
  return {
    start: node.start,
    end: node.end,
    value: `{ ssrPagesQuery: ${JSON.stringify(hash)}, data: ${JSON.stringify(data)} }`,
    use: (name) => name,
  };
}

async function imageEdit(node: AstNode, file: string, site: SiteBuild): Promise<Edit> {
  const props: Record<string, unknown> = {};
  for (const attribute of node.attributes as AstNode[]) {
    if (attribute.type !== "JSXAttribute")
      throw new SourceError(
        "StaticImage takes no spread props ({...props}): its props are read when the site is compiled, so they must be written out",
        attribute.start,
      );
    const name = jsxName(attribute.name as AstNode);
    const value = attribute.value as AstNode | null;
    props[name] =
      value === null
        ? true
        : staticValue(value.type === "JSXExpressionContainer" ? (value.expression as AstNode) : value, name);
  }
  const src = props.src;
  if (typeof src !== "string" || src === "")
    throw new SourceError("StaticImage needs a src: the path of an image file, relative to this file", node.start);
  if (/^[a-z][a-z0-9+.-]*:/i.test(src) || src.startsWith("//"))
    throw new SourceError(
      `StaticImage src ${JSON.stringify(src)} is a remote URL: ssr-pages makes images from the site's own files only (download it into the site, or use a plain <img>)`,
      node.start,
    );
  const image = path.resolve(path.dirname(file), src);
  let data: unknown;
  try {
    // Any failure (a missing file, an option Gatsby does not know, sharp not installed) is this element's.
    data = await site.imageData(image, imageOptions(props));
  } catch (error) {
    throw new SourceError(`StaticImage src ${JSON.stringify(src)}: ${(error as Error).message}`, node.start, [image]);
  }
  const at = (node.name as AstNode).end;
  return { start: at, end: at, value: JSON.stringify(data), use: (name) => ` __imageData={${name}}` };
}

/** The props of `StaticImage` that shape its image (the rest are the component's own). */
const IMAGE_OPTIONS = [
  "layout",
  "width",
  "height",
  "aspectRatio",
  "placeholder",
  "formats",
  "quality",
  "outputPixelDensities",
  "breakpoints",
  "sizes",
  "backgroundColor",
  "transformOptions",
  "jpgOptions",
  "pngOptions",
  "webpOptions",
  "avifOptions",
  "blurredOptions",
] as const;

/** Those props, as the image planner takes them. */
function imageOptions(props: Record<string, unknown>): ImageOptions {
  return Object.fromEntries(
    IMAGE_OPTIONS.filter((name) => props[name] !== undefined).map((name) => [name, props[name]]),
  ) as ImageOptions;
}

/** The value of a literal expression (strings, numbers, booleans, arrays and objects of them). @throws SourceError */
function staticValue(node: AstNode, prop: string): unknown {
  switch (node.type) {
    case "Literal":
      return node.value;
    case "TemplateLiteral":
      if ((node.expressions as AstNode[]).length === 0)
        return (node.quasis as AstNode[]).map((part) => (part.value as { cooked: string }).cooked).join("");
      break;
    case "UnaryExpression":
      if (node.operator === "-" && (node.argument as AstNode).type === "Literal")
        return -Number((node.argument as AstNode).value);
      break;
    case "ArrayExpression":
      return (node.elements as AstNode[]).map((element) => staticValue(element, prop));
    case "ObjectExpression": {
      const object: Record<string, unknown> = {};
      for (const property of node.properties as AstNode[]) {
        const key = property.key as AstNode | undefined;
        if (property.type !== "Property" || !key || (property.computed as boolean)) break;
        object[key.type === "Identifier" ? String(key.name) : String(key.value)] = staticValue(
          property.value as AstNode,
          prop,
        );
      }
      return object;
    }
    case "ParenthesizedExpression":
      return staticValue(node.expression as AstNode, prop);
  }
  // Not an image option (`style`, `className`, event handlers): any expression; the component gets it as written.
  if (!IMAGE_PROPS.has(prop)) return undefined;
  throw new SourceError(
    `StaticImage's ${prop} must be written out (a string, number, array or object literal): it is read when the site is compiled`,
    node.start,
  );
}

/** Props that must be literals: read when the site compiles. */
const IMAGE_PROPS: ReadonlySet<string> = new Set(["src", ...IMAGE_OPTIONS]);

/** The local names `imported` of `from` goes by in this file (`StaticImage`, or what it is renamed to). */
function importedNames(program: AstNode, from: string, imported: string): Set<string> {
  const names = new Set<string>();
  for (const statement of program.body as AstNode[]) {
    if (statement.type !== "ImportDeclaration" || (statement.source as AstNode).value !== from) continue;
    for (const specifier of statement.specifiers as AstNode[]) {
      const name = specifier.imported as AstNode | undefined;
      if (specifier.type === "ImportSpecifier" && (name?.name ?? name?.value) === imported)
        names.add(String((specifier.local as AstNode).name));
    }
  }
  return names;
}

function jsxName(name: AstNode): string {
  return name.type === "JSXIdentifier" ? String(name.name) : "";
}

/** Calls `visit` for every node of the tree, parents first. */
function walk(node: AstNode, visit: (node: AstNode) => void): void {
  visit(node);
  for (const key in node) {
    const value = node[key];
    if (Array.isArray(value)) {
      for (const child of value)
        if (child !== null && typeof child === "object" && typeof (child as AstNode).type === "string")
          walk(child as AstNode, visit);
    } else if (value !== null && typeof value === "object" && typeof (value as AstNode).type === "string") {
      walk(value as AstNode, visit);
    }
  }
}

/** esbuild's location of a character offset of `source`. */
function locate(file: string, source: string, at: number): Partial<EsbuildApi.Location> {
  const before = source.slice(0, at);
  const line = before.split("\n").length;
  const lineStart = before.lastIndexOf("\n") + 1;
  const lineEnd = source.indexOf("\n", at);
  return {
    file,
    line,
    column: at - lineStart,
    lineText: source.slice(lineStart, lineEnd === -1 ? undefined : lineEnd),
  };
}

/** The offset in `text` of a 1-based line and column. */
function offsetIn(text: string, line: number, column: number): number {
  let at = 0;
  for (let current = 1; current < line; current++) {
    const next = text.indexOf("\n", at);
    if (next === -1) break;
    at = next + 1;
  }
  return at + column - 1;
}

/** Whether a query text holds fragment definitions only (and at least one). */
function onlyFragments(text: string): boolean {
  try {
    const document = parse(text, { noLocation: true });
    return (
      document.definitions.length > 0 &&
      document.definitions.every((definition) => definition.kind === Kind.FRAGMENT_DEFINITION)
    );
  } catch {
    return false; // a syntax error: the query's run reports it, located
  }
}
