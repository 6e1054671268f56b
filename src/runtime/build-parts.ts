/**
 * What a {@link Build} is made of, wherever it comes from: a compile at start (load-pages.ts turns
 * the compile's output into these) or a production build's folder (artifact/read-build.ts). One
 * shape, so there is one way a build is made, and nothing here needs the compiler.
 */
import type { CompileError } from "../errors.js";
import type { ImageVariant } from "../images/image-types.js";
import type { ManifestSpec } from "./site-manifest.js";
import type { TrailingSlash } from "../common/urls.js";
import type { FileStore } from "./served-files.js";
import type { BoundedMap } from "../common/bounded-map.js";

/** The server build's files by name, run once each (runtime/server-modules.ts): a Map in memory, or read from a build's folder. */
export interface ServerFiles {
  has(name: string): boolean;
  /** The file's CommonJS code as UTF-8 bytes. */
  get(name: string): Buffer | undefined;
  /** Forgets a file that has run (V8 holds its code from then on). */
  delete(name: string): boolean;
}

/** The server side of a build. */
export interface ServerParts {
  /** The directory the files appear to live in: a file's stack frames name `dir/name`. */
  dir: string;
  files: ServerFiles;
  /** Development builds: a file's path (`dir/name`) → its source map. */
  maps: ReadonlyMap<string, string>;
  /** Page file → its loader's slot (common/page-groups.ts). */
  pages: ReadonlyMap<string, number>;
  /** Output file name → the packages its `import` statements name. */
  imports: ReadonlyMap<string, ReadonlySet<string>>;
  /** Page file → the packages it imports, sorted; pages with the same set share one array. */
  packages: ReadonlyMap<string, readonly string[]>;
  /** Development only (else empty): the local source files the build read, for the watcher. */
  sources: readonly string[];
}

/** The browser side of a build. */
export interface BrowserParts {
  /** The client entry's file name. */
  entry: string;
  /** `_app`'s stylesheets (what the entry imports). */
  entryCss: readonly string[];
  /** Page file → its module and stylesheets. */
  pages: ReadonlyMap<string, { module: string; css: readonly string[] }>;
  /** The framework file's name (compile/framework-chunk.ts), preloaded on every page; `undefined` without one. */
  framework?: string | undefined;
  /** Development with Fast Refresh: the refresh preamble's file name (compile/compile-browser.ts). */
  preamble?: string | undefined;
}

/** What the request path needs of a Gatsby site's build layer. JSON-safe but for the Map. */
export interface SiteParts {
  /** The site's root. */
  root: string;
  /** Where image variants are kept on disk (a production build's own folder holds those it made). */
  cacheDir: string;
  /** The config's trailing-slash rule, which the server enforces with Gatsby's redirect. */
  trailingSlash: TrailingSlash;
  /** Every image variant the pages (and the manifest) name. */
  variants: ReadonlyMap<string, ImageVariant>;
  /** gatsby-plugin-manifest's manifest, when the site uses it. */
  manifest: ManifestSpec | undefined;
  /** Whether pages get gatsby-plugin-image's styles in `<head>`. */
  usesImages: boolean;
}

/** One stored answer of a static page (its HTML document or its page data), as a production build wrote it. */
export interface StaticBody {
  /** Its file in the build's file store (precompressed copies beside it). */
  name: string;
  /** A strong ETag of its bytes. */
  etag: string;
}

/** A page rendered by the production build: its path (mount-relative, as it is served) and both answers. */
export interface StaticPage {
  path: string;
  html: StaticBody;
  json: StaticBody;
}

/** A production build's static pages, and what they were rendered under. */
export interface StaticPages {
  /** The mount path they were rendered under (their URLs carry it). */
  base: string;
  /** The `lang` of `<html>` (already escaped) they were rendered with. */
  lang: string;
  /** Page file → its answers. */
  pages: ReadonlyMap<string, StaticPage>;
  /** Where each is served: its path (mount-relative) → its file; `json:<page path>` for its page data. */
  byPath: ReadonlyMap<string, string>;
  /** Where their bytes are. */
  files: FileStore;
  /**
   * Their answers rendered under another mount path (or `lang`) than the build's, on first request
   * there, by `<kind> <base> <file>`: rendered once per mount path too, not per request.
   */
  elsewhere: BoundedMap<string, { body: Buffer; etag: string } | null>;
}

/** Everything a {@link Build} is made from. */
export interface BuildParts {
  /** The build's id: a hash of what it serves. A tab of another build does a full load when it navigates. */
  buildId: string;
  server: ServerParts;
  /** `undefined` without a client, or when the browser build failed: pages are served without scripts. */
  browser: BrowserParts | undefined;
  /** The files served under `<mount>/_ssr-pages/`: browser modules, stylesheets, imported assets. */
  files: FileStore;
  /** Every problem the compile found (none in a production build: it is not written with any). */
  errors: readonly CompileError[];
  /** Page file → why it cannot be served (it answers 500 with it). */
  failed: ReadonlyMap<string, CompileError>;
  /** `NODE_ENV` and the public variables the browser build was given. */
  env: Readonly<Record<string, string>>;
  site: SiteParts | undefined;
  /** Development only (else empty): folders whose new files change the build. */
  folders: readonly string[];
  /** A production build's prerendered pages; `undefined` for a build compiled at start. */
  statics: StaticPages | undefined;
}
