/**
 * A production build's folder, as `ssr-pages build` writes it and a served build reads it:
 *
 *     <out>/ssr-pages.json             the manifest below, written last (no manifest: no build)
 *     <out>/<buildId>/server/…         the server build's CommonJS files (pages-N.js, shared-….js)
 *     <out>/<buildId>/browser/…        browser modules, stylesheets, imported assets, with .br and .gz
 *     <out>/<buildId>/static/…         prerendered pages (HTML and page data), with .br and .gz
 *     <out>/<buildId>/images/img/…     a Gatsby site's image variants
 *
 * Each build's files live in a folder named by its id, so a server still running the last build
 * reads its own files while the next is written beside them, and `keepPrevious` can keep the last
 * builds' browser files for tabs that still run them. No absolute path is written anywhere: the same
 * sources give the same bytes on every machine. Nothing here loads the compiler.
 */
import type { ImageVariant } from "../images/image-types.js";
import type { ManifestSpec } from "../runtime/site-manifest.js";
import type { TrailingSlash } from "../common/urls.js";
import type { ParsedPage } from "../routes/parse-file.js";

/** The manifest's file name in the output folder. */
export const MANIFEST_FILE = "ssr-pages.json";

/** The layout's version: a build of another is refused (rebuild it). */
export const FORMAT = 1;

export { HAS_BR, HAS_GZIP } from "../runtime/served-files.js";

/** What ssr-pages.json holds. Every map is written with its keys sorted. */
export interface BuildManifest {
  /** The ssr-pages version that wrote it: another version refuses it. */
  ssrPages: string;
  format: number;
  buildId: string;
  /**
   * The route pages it was built from, parsed (relative to the pages directory, sorted): a served
   * build makes its route table from them, without walking the pages directory. Their files and the
   * special pages are checked against the directory (read-build.ts).
   */
  routes: ParsedPage[];
  /** The names at the top of the pages directory that hold pages (files and folders), sorted: a directory with others is refused at start. */
  topLevel: string[];
  special: { notFoundPage: string | null; errorPage: string | null; app: string | null; gatsbySsr: string | null };
  /** The options the build was made with that decide what it holds. */
  options: { client: boolean; gatsbyRoot: string | false | null };
  /**
   * Each page's files, in tables aligned with `files` (the routes in `routes`' order, then the special
   * pages of `special` that exist): a column per fact, not an object per page, so ten thousand pages
   * parse into a few arrays (a served build's start is mostly this file).
   */
  pages: {
    files: string[];
    /** Its loader's slot in the server build (common/page-groups.ts); -1: none. */
    slots: number[];
    /** Its index into `packageLists`: the packages it imports. */
    packages: number[];
    /** Its browser module; `null`: none. */
    modules: Array<string | null>;
    /** Its index into `cssLists`: its stylesheets. */
    css: number[];
  };
  packageLists: string[][];
  cssLists: string[][];
  server: {
    /** File names, in `server/`. */
    files: string[];
    /** Server file → the packages its `import` statements name. */
    imports: Record<string, string[]>;
  };
  /** The client entry, `_app`'s stylesheets and the framework file (React), by file name. */
  browser: { entry: string; entryCss: string[]; framework?: string } | null;
  /** The served files (in `browser/`). */
  files: ServedList;
  /** `NODE_ENV` and the public variables the browser build was given. */
  env: Record<string, string>;
  /** A Gatsby site's build layer; paths relative to the pages directory. */
  site: {
    root: string;
    trailingSlash: TrailingSlash;
    /** Variants, their `source` relative to the site's root. */
    variants: ImageVariant[];
    manifest: ManifestSpec | null;
    usesImages: boolean;
    /** Whether the build made every variant into `images/` (else they are made on first request, from the sources). */
    imagesMade: boolean;
  } | null;
  /** The prerendered pages: rendered under `base`, with `lang`; their files in `static/`. */
  static: {
    base: string;
    lang: string;
    pages: Record<string, { path: string; html: { name: string; etag: string }; json: { name: string; etag: string } }>;
  };
  /** Earlier builds whose browser files are still served (newest first): their ids and files. */
  previous: Array<{ buildId: string; files: ServedList }>;
}

/** Served files: their names, and a digit per name for the copies beside it ({@link HAS_BR} | {@link HAS_GZIP}). */
export interface ServedList {
  names: string[];
  encodings: string;
}
