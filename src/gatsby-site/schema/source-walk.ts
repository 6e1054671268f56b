/**
 * What each `gatsby-source-filesystem` instance holds: its directory, every directory and file under
 * it, each stat'ed once, leaving out what the plugin leaves out (its built-in ignore list and the
 * instance's `ignore` globs). Symbolic links are followed, as chokidar follows them. The calls are
 * synchronous: a few hundred stats take a millisecond that way, and several through the thread pool.
 */
import { readdirSync, statSync, type Stats } from "node:fs";
import path from "node:path";
import type { FilesystemSource } from "../contracts.js";
import { toSlash } from "./file-facts.js";
import { pathMatcher } from "./glob.js";

/** One file or directory a source holds. */
export interface SourceEntry {
  readonly source: FilesystemSource;
  /** Absolute, with the platform's separators. */
  readonly absolutePath: string;
  /** Relative to the source's path, with forward slashes (`""` for the source's path itself). */
  readonly relativePath: string;
  readonly stats: Stats;
}

// gatsby-source-filesystem's own ignore list (its `../**/dist/**` can never match the absolute paths
// chokidar tests, so it is left out).
const ALWAYS_IGNORED = [
  "**/*.un~",
  "**/.DS_Store",
  "**/.gitignore",
  "**/.npmignore",
  "**/.babelrc",
  "**/yarn.lock",
  "**/bower_components",
  "**/node_modules",
];

/** Every directory and file of `sources`, each source in config order, each tree depth first by name. */
export function walkSources(sources: readonly FilesystemSource[]): SourceEntry[] {
  return sources.flatMap((source) => walkSource(source));
}

function walkSource(source: FilesystemSource): SourceEntry[] {
  let rootStats: Stats;
  try {
    rootStats = statSync(source.path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new Error(
      `gatsby-source-filesystem "${source.name}": its path ${source.path} cannot be read (${reason}); pick a directory that exists`,
      {
        cause: error,
      },
    );
  }
  const ignoredGlob = pathMatcher([...ALWAYS_IGNORED, ...source.ignore]);
  // chokidar tests `ignored` against absolute paths; the contract also allows globs relative to the
  // source's directory, so both are tried.
  const ignored = (place: Place): boolean =>
    ignoredGlob(toSlash(place.absolutePath)) || ignoredGlob(place.relativePath);
  const entries: SourceEntry[] = [{ source, absolutePath: source.path, relativePath: "", stats: rootStats }];
  if (rootStats.isDirectory())
    walkDirectory(
      source,
      { absolutePath: source.path, relativePath: "" },
      ignored,
      new Set([inode(rootStats)]),
      entries,
    );
  return entries;
}

type Place = Pick<SourceEntry, "absolutePath" | "relativePath">;

/** Adds the entries under the directory `dir` to `entries`, depth first by name. */
function walkDirectory(
  source: FilesystemSource,
  dir: Place,
  ignored: (place: Place) => boolean,
  ancestors: ReadonlySet<string>,
  entries: SourceEntry[],
): void {
  for (const name of readdirSync(dir.absolutePath).sort()) {
    const place: Place = {
      absolutePath: path.join(dir.absolutePath, name),
      relativePath: dir.relativePath === "" ? name : `${dir.relativePath}/${name}`,
    };
    if (ignored(place)) continue;
    // A link to nothing, or an entry removed meanwhile, is no node.
    const stats = statSync(place.absolutePath, { throwIfNoEntry: false });
    if (stats === undefined) continue;
    entries.push({ source, ...place, stats });
    // A link back to a directory above would never end.
    if (stats.isDirectory() && !ancestors.has(inode(stats))) {
      walkDirectory(source, place, ignored, new Set([...ancestors, inode(stats)]), entries);
    }
  }
}

function inode(stats: Stats): string {
  return `${stats.dev}:${stats.ino}`;
}
