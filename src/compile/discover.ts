/**
 * Finds the page files under the pages directory, once, at start-up. The file system is injected so
 * core tests can use an in-memory tree.
 */
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { PAGE_EXTENSIONS, parsePageFile, type ParsedPage } from "../routes/parse-file.js";

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
      isDirectory: entry.isDirectory() || (entry.isSymbolicLink() && statSync(path.join(dir, entry.name)).isDirectory()),
    }));
  },
};

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

function specialKey(name: string): keyof SpecialFiles | undefined {
  for (const [stem, key] of SPECIAL) if (PAGE_EXTENSIONS.some((ext) => name === stem + ext)) return key;
  return undefined;
}
