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

/** The manifest's file name in the output folder. */
export const MANIFEST_FILE = "ssr-pages.json";

/** The layout's version: a build of another is refused (rebuild it). */
export const FORMAT = 1;

/** The encodings written beside a served file: bit 1 brotli (`.br`), bit 2 gzip (`.gz`). */
export const HAS_BR = 1;
export const HAS_GZIP = 2;

/** What ssr-pages.json holds. Every map is written with its keys sorted. */
export interface BuildManifest {
  /** The ssr-pages version that wrote it: another version refuses it. */
  ssrPages: string;
  format: number;
  buildId: string;
  /** The pages it was built from (relative to the pages directory, sorted): a pages directory with others is refused. */
  pages: string[];
  special: { notFoundPage: string | null; errorPage: string | null; app: string | null; gatsbySsr: string | null };
  /** The options the build was made with that decide what it holds. */
  options: { client: boolean; gatsbyRoot: string | false | null };
  server: {
    /** File names, in `server/`. */
    files: string[];
    /** Page file → its loader's slot (common/page-groups.ts). */
    pages: Record<string, number>;
    /** Server file → the packages its `import` statements name. */
    imports: Record<string, string[]>;
    /** The distinct package lists of the pages, and each page's index into it. */
    packageLists: string[][];
    packages: Record<string, number>;
  };
  browser: { entry: string; entryCss: string[]; pages: Record<string, { module: string; css: string[] }> } | null;
  /** Served file name (in `browser/`) → the encodings beside it ({@link HAS_BR} | {@link HAS_GZIP}). */
  files: Record<string, number>;
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
  static: { base: string; lang: string; pages: Record<string, { path: string; html: { name: string; etag: string }; json: { name: string; etag: string } }> };
  /** Earlier builds whose browser files are still served (newest first): their ids and files. */
  previous: Array<{ buildId: string; files: Record<string, number> }>;
}
