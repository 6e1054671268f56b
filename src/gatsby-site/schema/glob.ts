/**
 * Glob matching with picomatch (the matcher under chokidar, which gatsby-source-filesystem's
 * `ignore` goes through, and under micromatch, which Gatsby's `glob` filter uses). picomatch is
 * CommonJS without type declarations: the little of it used here is typed here.
 */
import { createRequire } from "node:module";

interface PicomatchOptions {
  /** Let `*` and `**` match names that start with a dot. */
  dot?: boolean;
}

interface Picomatch {
  (globs: string | readonly string[], options?: PicomatchOptions): (input: string) => boolean;
  makeRe(glob: string, options?: PicomatchOptions): RegExp;
}

let loaded: Picomatch | undefined;

/**
 * picomatch, required on first use, not when this module loads: a page bundle that imports
 * `ssr-pages` reaches this file too, and there `import.meta.url` is not this file's.
 */
function picomatch(): Picomatch {
  return (loaded ??= createRequire(import.meta.url)("picomatch") as Picomatch);
}

const matcherCache = new Map<string, (slashedPath: string) => boolean>();

/** A test of slashed paths against any of `globs` (dot files included, as chokidar's `ignored` has them), compiled once per list. */
export function pathMatcher(globs: readonly string[]): (slashedPath: string) => boolean {
  const key = JSON.stringify(globs);
  let matcher = matcherCache.get(key);
  if (matcher === undefined) {
    matcher = globs.length === 0 ? () => false : picomatch()(globs, { dot: true });
    matcherCache.set(key, matcher);
  }
  return matcher;
}

const globCache = new Map<string, RegExp>();

/** The regular expression of a `glob` filter (compiled once per pattern). */
export function globRegExp(glob: string): RegExp {
  let regex = globCache.get(glob);
  if (regex === undefined) {
    regex = picomatch().makeRe(glob);
    globCache.set(glob, regex);
  }
  return regex;
}
