/**
 * The pages of a directory before any build of them: discovery, the route table (so a route conflict
 * throws from the factory), the special pages' entries and the Gatsby site they belong to. Both ways
 * a build is made start here: compiled at start (load-pages.ts) and read from a production build's
 * folder (artifact/read-build.ts). Nothing here loads the compiler.
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import {
  discoverGatsbySite,
  discoverPages,
  gatsbySiteRoot,
  GATSBY_API_MODULE,
  type DiscoveredPages,
  type GatsbySiteFiles,
} from "./routes/discover.js";
import { PAGE_EXTENSIONS, parsePageFile } from "./routes/parse-file.js";
import { RouteTable } from "./routes/route-table.js";
import { Build, createEntry, type PageEntry } from "./runtime/build.js";
import type { BuildParts } from "./runtime/build-parts.js";

/** What discovery found, as entries. */
export interface PagePlan {
  pagesDir: string;
  discovered: DiscoveredPages;
  entries: PageEntry[];
  routes: RouteTable<PageEntry>;
  special: {
    notFound: PageEntry | undefined;
    errorPage: PageEntry | undefined;
    app: PageEntry | undefined;
    gatsbySsr: PageEntry | undefined;
  };
  /** The Gatsby site the pages belong to, if any, and its own API files (relative to the pages directory). */
  siteRoot: string | undefined;
  site: GatsbySiteFiles;
}

/**
 * Discovers the pages of `pagesDir`.
 * @param gatsbyRoot the Gatsby site whose `gatsby-ssr` and `gatsby-browser` apply (`undefined`: found from the pages directory; `false`: none)
 * @throws TypeError for a `pagesDir` that is not a directory; Error naming both files of a route conflict.
 */
export function planPages(pagesDir: string, gatsbyRoot: string | false | undefined): PagePlan {
  checkPagesDir(pagesDir);
  return planOf(pagesDir, discoverPages(pagesDir), gatsbyRoot);
}

/**
 * The plan of pages already known (a production build lists them: walking and parsing ten thousand
 * files would be most of its start).
 * @throws Error naming both files of a route conflict.
 */
export function planOf(
  pagesDir: string,
  discovered: DiscoveredPages,
  gatsbyRoot: string | false | undefined,
): PagePlan {
  const entries = discovered.pages.map((parsed) => createEntry(parsed));
  const routes = new RouteTable(entries);
  const special = (file: string | undefined, id: string) =>
    file === undefined ? undefined : createEntry({ file, id, segments: [] });
  const siteRoot = gatsbySiteRoot(pagesDir, gatsbyRoot);
  return {
    pagesDir,
    discovered,
    entries,
    routes,
    special: {
      notFound: special(discovered.notFoundPage, "404"),
      errorPage: special(discovered.errorPage, "500"),
      app: special(discovered.app, "_app"),
      // A Gatsby site's `gatsby-ssr` files (its plugins' and its own) are gathered in one module.
      gatsbySsr: siteRoot === undefined ? undefined : special(GATSBY_API_MODULE.server, "gatsby-ssr"),
    },
    siteRoot,
    site: discoverGatsbySite(pagesDir, gatsbyRoot, existsSync),
  };
}

/**
 * Whether a change of `file` (absolute) can add or remove a page of `discovered`: a page (or a folder
 * holding pages) that went away, or a file that discovery would take for a page and has not. The
 * development loop walks the pages directory again only then: a save of a page that was there
 * already changes no route, and a walk of ten thousand files on every save would be most of it.
 */
export function changesPages(pagesDir: string, discovered: DiscoveredPages, file: string): boolean {
  const relative = path.relative(pagesDir, file);
  if (relative === "" || relative.startsWith("..") || path.isAbsolute(relative)) return false;
  const name = relative.split(path.sep).join("/");
  const known = namesOf(discovered).has(name);
  return existsSync(file) ? !known && mayBePage(name) : known;
}

/** The files discovery found and the folders that hold them, once per discovery. */
const knownNames = new WeakMap<DiscoveredPages, ReadonlySet<string>>();

function namesOf(discovered: DiscoveredPages): ReadonlySet<string> {
  let names = knownNames.get(discovered);
  if (names !== undefined) return names;
  const found = new Set<string>(
    [discovered.app, discovered.notFoundPage, discovered.errorPage].filter((file) => file !== undefined),
  );
  for (const { file } of discovered.pages) {
    found.add(file);
    for (let slash = file.indexOf("/"); slash !== -1; slash = file.indexOf("/", slash + 1))
      found.add(file.slice(0, slash));
  }
  knownNames.set(discovered, (names = found));
  return names;
}

/** Whether discovery takes `name` (relative to the pages directory, `/` separators) for a page or a special file. */
function mayBePage(name: string): boolean {
  if (!name.includes("/") && SPECIAL_STEMS.some((stem) => PAGE_EXTENSIONS.some((ext) => name === stem + ext)))
    return true;
  if (name.split("/").includes("node_modules")) return false;
  try {
    return parsePageFile(name) !== null;
  } catch {
    return true; // a name discovery refuses: walking again says so, naming it
  }
}

/** The special files' names without their extension (discovery's own list: routes/discover.ts). */
const SPECIAL_STEMS = ["404", "500", "_app"];

/** The build of the plan's pages from `parts`. */
export function buildOf(plan: PagePlan, parts: BuildParts, provided: ReadonlyMap<string, unknown>): Build {
  const { notFound, errorPage, app, gatsbySsr } = plan.special;
  return new Build(plan.routes, plan.entries, notFound, { errorPage, app, gatsbySsr }, parts, plan.pagesDir, provided);
}

/** @throws TypeError for a `pagesDir` that is not the absolute path of a directory. */
export function checkPagesDir(pagesDir: unknown): asserts pagesDir is string {
  if (typeof pagesDir !== "string" || pagesDir === "")
    throw new TypeError("ssr-pages: pagesDir must be the path of a directory");
  if (!path.isAbsolute(pagesDir))
    throw new TypeError(
      `ssr-pages: pagesDir must be an absolute path (use path.join(import.meta.dirname, "pages")), got ${JSON.stringify(pagesDir)}`,
    );
  if (!existsSync(pagesDir) || !statSync(pagesDir).isDirectory())
    throw new TypeError(`ssr-pages: pagesDir ${pagesDir} is not a directory`);
}
