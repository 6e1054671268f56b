/**
 * From a pages directory to a {@link Build}: discovery and the route table now (so a route conflict
 * throws from the factory), the compile in the background.
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { compilePages, type ClientFiles, type CompileError, type CompileSession } from "./compile/compile.js";
import { discoverGatsbySite, discoverPages, gatsbySiteRoot } from "./compile/discover.js";
import { GATSBY_API_MODULE } from "./compile/site-options.js";
import { RouteTable } from "./routes/route-table.js";
import { Build, createEntry } from "./runtime/build.js";

/** How to load the pages. */
export interface LoadOptions {
  dev: boolean;
  client: boolean;
  /** The Gatsby site whose `gatsby-ssr` and `gatsby-browser` apply (`undefined`: found from the pages directory; `false`: none). */
  gatsbyRoot: string | false | undefined;
  /** What pages get for `ssr-pages` and `ssr-pages/client`. */
  provided: ReadonlyMap<string, unknown>;
  /** Called once per compile error, when the compile ends. */
  onCompileError: (error: CompileError) => void;
  /** The development compiler's session (incremental rebuilds); none in production. */
  session?: CompileSession;
}

/**
 * Discovers the pages of `pagesDir` and starts compiling them.
 * @throws TypeError for a `pagesDir` that is not a directory; Error naming both files of a route conflict.
 * @returns the build, when the compile ends.
 */
export function loadPages(pagesDir: string, options: LoadOptions): Promise<Build> {
  checkPagesDir(pagesDir);
  const discovered = discoverPages(pagesDir);
  const entries = discovered.pages.map((parsed) => createEntry(parsed));
  const routes = new RouteTable(entries);
  const special = (file: string | undefined, id: string) => (file === undefined ? undefined : createEntry({ file, id, segments: [] }));
  const notFound = special(discovered.notFoundPage, "404");
  const errorPage = special(discovered.errorPage, "500");
  const app = special(discovered.app, "_app");
  const root = gatsbySiteRoot(pagesDir, options.gatsbyRoot);
  const site = discoverGatsbySite(pagesDir, options.gatsbyRoot, existsSync);
  // A Gatsby site's `gatsby-ssr` files (its plugins' and its own) are gathered in one module.
  const gatsbySsr = root === undefined ? undefined : special(GATSBY_API_MODULE.server, "gatsby-ssr");
  const absolute = (file: string | undefined) => (file === undefined ? undefined : path.join(pagesDir, file));
  return compilePages({
    pagesDir,
    pages: discovered.pages.map((page) => page.file),
    special: { ...discovered, gatsbySsr: gatsbySsr?.parsed.file, gatsbyBrowser: site.gatsbyBrowser },
    dev: options.dev,
    client: options.client ? findClientFiles() : undefined,
    env: process.env,
    session: options.session,
    site: root === undefined ? undefined : { root, pages: discovered.pages, notFound: discovered.notFoundPage, ssr: absolute(site.gatsbySsr), browser: absolute(site.gatsbyBrowser) },
  }).then((output) => {
    const build = new Build(routes, entries, notFound, { errorPage, app, gatsbySsr }, output, pagesDir, options.provided);
    for (const error of build.errors) options.onCompileError(error);
    return build;
  });
}

function checkPagesDir(pagesDir: unknown): asserts pagesDir is string {
  if (typeof pagesDir !== "string" || pagesDir === "") throw new TypeError("ssr-pages: pagesDir must be the path of a directory");
  if (!path.isAbsolute(pagesDir)) throw new TypeError(`ssr-pages: pagesDir must be an absolute path (use path.join(import.meta.dirname, "pages")), got ${JSON.stringify(pagesDir)}`);
  if (!existsSync(pagesDir) || !statSync(pagesDir).isDirectory()) throw new TypeError(`ssr-pages: pagesDir ${pagesDir} is not a directory`);
}

/** The browser runtime's files: `.tsx` sources in this repository, `.js` once built into dist. */
function findClientFiles(): ClientFiles {
  const dir = fileURLToPath(new URL("./", import.meta.url));
  const find = (name: string): string => {
    for (const ext of [".js", ".tsx", ".ts"]) {
      const file = path.join(dir, name + ext);
      if (existsSync(file)) return file;
    }
    throw new Error(`ssr-pages: the browser runtime ${name} is missing from ${dir}; reinstall ssr-pages`);
  };
  return { entry: find("client/entry"), index: find("client/index"), gatsby: find("gatsby/index"), devClient: find("client/dev-client"), gatsbyImage: find("gatsby-image/index") };
}
