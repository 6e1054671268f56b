/**
 * Finds the page files under the pages directory, once, at start-up. The file system is injected so
 * core tests can use an in-memory tree.
 */
import { readdirSync, statSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { PAGE_EXTENSIONS, parsePageFile, type ParsedPage } from "./parse-file.js";

/** The little of a file system that discovery needs. */
export interface PagesFileSystem {
  /** Lists a directory; `isDirectory` follows symbolic links. */
  readDir(dir: string): Array<{ name: string; isDirectory: boolean }>;
}

/** The real file system. */
export const nodeFileSystem: PagesFileSystem = {
  readDir(dir) {
    return readdirSync(dir, { withFileTypes: true }).map((entry) => ({
      name: entry.name,
      isDirectory:
        entry.isDirectory() || (entry.isSymbolicLink() && statSync(path.join(dir, entry.name)).isDirectory()),
    }));
  },
};

/** The ids of the modules that gather a Gatsby site's `gatsby-ssr` and `gatsby-browser` files (its plugins' and its own): compile/site-options.ts makes them. */
export const GATSBY_API_MODULE = { server: "ssr-pages:gatsby-ssr", browser: "ssr-pages:gatsby-browser" } as const;

/** The files at the top of the pages directory that are not routes but have a job of their own. */
export interface SpecialFiles {
  /** `500.<ext>`: the production error page. */
  errorPage: string | undefined;
  /** `404.<ext>`: the not-found page (Gatsby's convention). */
  notFoundPage: string | undefined;
  /** `_app.<ext>`: `wrapRootElement`, `wrapPageElement` and a site-wide `Head` for every page. */
  app: string | undefined;
}

/** What discovery found. */
export interface DiscoveredPages extends SpecialFiles {
  pages: ParsedPage[];
}

/** A Gatsby site's own files beside `src/` (relative to the pages directory, like every compiled file). */
export interface GatsbySiteFiles {
  /** `gatsby-ssr.{js,jsx,ts,tsx}`: `wrapRootElement`, `wrapPageElement`, `onRenderBody` on the server. */
  gatsbySsr: string | undefined;
  /** `gatsby-browser.{js,jsx,ts,tsx}`: the wrappers and the client hooks in the browser. */
  gatsbyBrowser: string | undefined;
}

const GATSBY_EXTENSIONS = [".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs"];

/**
 * The Gatsby site files of the site at `root` (`false`: none), or, when `root` is not given, of the
 * site the pages directory belongs to when it is a Gatsby site's `src/pages`.
 */
export function discoverGatsbySite(
  pagesDir: string,
  root: string | false | undefined,
  exists: (file: string) => boolean,
): GatsbySiteFiles {
  const site = gatsbySiteRoot(pagesDir, root);
  const find = (stem: string): string | undefined => {
    if (site === undefined) return undefined;
    const ext = GATSBY_EXTENSIONS.find((candidate) => exists(path.join(site, stem + candidate)));
    return ext === undefined
      ? undefined
      : path
          .relative(pagesDir, path.join(site, stem + ext))
          .split(path.sep)
          .join("/");
  };
  return { gatsbySsr: find("gatsby-ssr"), gatsbyBrowser: find("gatsby-browser") };
}

/**
 * The Gatsby site whose files apply to a pages directory: `gatsbyRoot` when given (`false`: none),
 * else the site of a pages directory that is a Gatsby site's `src/pages`.
 */
export function gatsbySiteRoot(pagesDir: string, gatsbyRoot: string | false | undefined): string | undefined {
  if (gatsbyRoot !== undefined) return gatsbyRoot === false ? undefined : gatsbyRoot;
  return path.basename(pagesDir) === "pages" && path.basename(path.dirname(pagesDir)) === "src"
    ? path.dirname(path.dirname(pagesDir))
    : undefined;
}

const SPECIAL: ReadonlyArray<[stem: string, key: keyof SpecialFiles]> = [
  ["500", "errorPage"],
  ["404", "notFoundPage"],
  ["_app", "app"],
];

/** Walks the pages directory. Files are returned relative to it, with forward slashes, sorted. */
export function discoverPages(pagesDir: string, fs: PagesFileSystem = nodeFileSystem): DiscoveredPages {
  const found: DiscoveredPages = { pages: [], errorPage: undefined, notFoundPage: undefined, app: undefined };
  const walk = (dir: string, prefix: string): void => {
    const entries = fs.readDir(dir).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const special = prefix === "" && !entry.isDirectory ? specialKey(entry.name) : undefined;
      if (special) {
        found[special] = entry.name;
        continue;
      }
      // Private folders (`_components`, `__tests__`), dot folders and dependencies hold no pages.
      if (entry.name.startsWith("_") || entry.name.startsWith(".") || entry.name === "node_modules") continue;
      const file = prefix + entry.name;
      if (entry.isDirectory) {
        walk(path.join(dir, entry.name), `${file}/`);
        continue;
      }
      const parsed = parsePageFile(file);
      if (parsed) found.pages.push(parsed);
    }
  };
  walk(pagesDir, "");
  return found;
}

/**
 * The files of the pages directory that `isPage` keeps (relative, forward slashes), walked as
 * {@link discoverPages} walks it but without blocking: for a check made while a server runs.
 */
export async function listPageFiles(pagesDir: string, isPage: (file: string) => boolean): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const file = prefix + entry.name;
      if (prefix === "" && specialKey(entry.name) !== undefined) {
        found.push(file);
        continue;
      }
      if (entry.name.startsWith("_") || entry.name.startsWith(".") || entry.name === "node_modules") continue;
      const folder =
        entry.isDirectory() || (entry.isSymbolicLink() && (await stat(path.join(dir, entry.name))).isDirectory());
      if (folder) await walk(path.join(dir, entry.name), `${file}/`);
      else if (isPage(file)) found.push(file);
    }
  };
  await walk(pagesDir, "");
  return found;
}

function specialKey(name: string): keyof SpecialFiles | undefined {
  for (const [stem, key] of SPECIAL) if (PAGE_EXTENSIONS.some((ext) => name === stem + ext)) return key;
  return undefined;
}
