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

/** What discovery found. */
export interface DiscoveredPages {
  pages: ParsedPage[];
  /** `500.<ext>` at the top of the pages directory: the production error page, not a route. */
  errorPage: string | undefined;
}

/** Walks the pages directory. Files are returned relative to it, with forward slashes, sorted. */
export function discoverPages(pagesDir: string, fs: PagesFileSystem = nodeFileSystem): DiscoveredPages {
  const pages: ParsedPage[] = [];
  let errorPage: string | undefined;
  const walk = (dir: string, prefix: string): void => {
    const entries = fs.readDir(dir).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      // Private folders (`_components`, `__tests__`), dot folders and dependencies hold no pages.
      if (entry.name.startsWith("_") || entry.name.startsWith(".") || entry.name === "node_modules") continue;
      const file = prefix + entry.name;
      if (entry.isDirectory) {
        walk(path.join(dir, entry.name), `${file}/`);
        continue;
      }
      if (prefix === "" && PAGE_EXTENSIONS.some((ext) => entry.name === `500${ext}`)) {
        errorPage = file;
        continue;
      }
      const parsed = parsePageFile(file);
      if (parsed) pages.push(parsed);
    }
  };
  walk(pagesDir, "");
  return { pages, errorPage };
}
