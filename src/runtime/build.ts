/**
 * One compiled build of a pages directory, as the request path uses it: the route table, the server
 * code (evaluated a file at a time as pages are first used), the files served under
 * `<mount>/_ssr-pages/`, the special pages and the compile's errors. The handler holds one and never
 * changes it: a new compile makes a new build, swapped in whole.
 */
import { SsrError } from "../errors.js";
import type { CompileError } from "../errors.js";
import type { BuildParts, SiteParts, StaticPages } from "./build-parts.js";
import type { FileStore } from "./served-files.js";
import { renderEnv } from "../common/render-env.js";
import { siteManifest, type SiteManifest } from "./site-manifest.js";
import { loaderAt } from "../common/page-groups.js";
import type { ParsedPage } from "../routes/parse-file.js";
import { RouteTable, type RouteMatch } from "../routes/route-table.js";
import { composeWrappers, NO_APP, type AppWrappers } from "../common/page-element.js";
import {
  checkAppModule,
  checkGatsbySsrModule,
  checkPageModule,
  type GatsbySsrModule,
  type PageModule,
} from "./page-module.js";
import { ImageVariants } from "../images/index.js";
import { BoundedMap } from "../common/bounded-map.js";
import { GATSBY_IMAGE_HEAD_STYLES, GATSBY_IMAGE_STYLES_WITHOUT_SCRIPTS } from "../gatsby-image/head-styles.js";
import { packageFailure, ServerModules } from "./server-modules.js";
import { StackMapper } from "./source-map.js";
import { collectingPackageOf, type CollectingPackage } from "./collecting-packages.js";

export type { CollectingPackage } from "./collecting-packages.js";

/**
 * One page, as the request path uses it. Kept small: a server holds one per page for its whole life,
 * and every garbage collection walks them all.
 */
export interface PageEntry {
  parsed: ParsedPage;
  /** The constant start of this page's page-data JSON, built on its first use (render/page-data-json.ts). */
  jsonHead: string | undefined;
  /** Its route pattern (`/products/:id`), `null` for a static route; worked out on first use (render/page-data-json.ts). */
  matchPath: string | null | undefined;
  /** The page's browser module file name, when the browser build has it. */
  module: string | undefined;
  /** The page's stylesheets (what it and its imports import), linked before it is shown. */
  css: readonly string[];
  /** The packages it imports, itself or through its local files (shared with pages that import the same). */
  packages: readonly string[];
  /**
   * The package whose per-request collector its server render goes through (render/render-extensions.ts),
   * decided when the build is made: the page, `_app` or `gatsby-ssr` imports it. `undefined` for
   * every other page, which renders with nothing around it.
   */
  collector: CollectingPackage | undefined;
  /** Its loader's slot in the server build until first use, then the evaluated module (or why it cannot be used). */
  state: number | { module: PageModule } | { error: SsrError } | undefined;
}

/** A page that is not a route (the 500 page): its module, or what it threw while loading (reported when it is needed). */
export type LoadedPage = { entry: PageEntry; module: PageModule } | { entry: PageEntry; error: unknown };

/** What the browser needs on every page: the client entry and the stylesheets of `_app`. */
export interface ClientEntry {
  entry: string;
  css: readonly string[];
  /** The framework file (React; compile/framework-chunk.ts), which the entry imports: preloaded with it. */
  framework?: string | undefined;
  /** Development with Fast Refresh: React's refresh runtime, a classic script loaded before the entry (compile/refresh-preamble-build.ts). */
  preamble?: string | undefined;
}

/** The pages of one compile, ready to serve. */
export class Build {
  /** The build's id (see BuildParts): in every page's page data. */
  readonly buildId: string;
  /** The files served under `<mount>/_ssr-pages/`: browser modules, stylesheets, imported assets. */
  readonly files: FileStore;
  /** A production build's prerendered pages; `undefined` for a build compiled at start. */
  readonly statics: StaticPages | undefined;
  /** The client entry; `undefined` without a client or when the browser build failed (pages are then plain HTML). */
  readonly client: ClientEntry | undefined;
  /** Every problem the compile found. */
  readonly errors: readonly CompileError[];
  /**
   * The messages of those that fail only some pages (which answer 500 with them), not every page: the
   * development client shows them on those pages' tabs alone.
   */
  readonly pageErrors: ReadonlySet<string>;
  /** `NODE_ENV` and the public variables, as compiled into the browser build: `process.env` for components. */
  readonly env: Readonly<Record<string, string>>;
  /** The app's `500` page, loaded when the build is made; undefined without one. */
  readonly errorPage: LoadedPage | undefined;
  /**
   * The wrappers of every page: `_app`'s around `gatsby-ssr`'s ({@link NO_APP} without either), or
   * what one of them threw while loading: then every page fails with it.
   */
  readonly app: AppWrappers | { error: SsrError };
  /** Development only (else empty): the local files the server build read, for the watcher. */
  readonly sources: readonly string[];
  /** Development only (else empty): folders whose new files change the build (a Gatsby site's filesystem sources), watched with what is below them. */
  readonly folders: readonly string[];
  /** The `gatsby-ssr` files of a Gatsby site's plugins and the site, composed: their render hooks run for every page document. */
  readonly gatsby: GatsbySsrModule | undefined;
  /** What a Gatsby site's build layer made (its trailing-slash rule, the manifest, image variants); `undefined` for other apps. */
  readonly site: SiteParts | undefined;
  /** gatsby-plugin-manifest's manifest, served; `undefined` without it. */
  readonly manifest: SiteManifest | undefined;
  /** The site's image variants, made on first request (`undefined` without a Gatsby site). */
  readonly images: ImageVariants | undefined;
  private readonly modules: ServerModules;
  /** Pages whose server code compiled but whose browser build failed, and why (see the constructor). */
  private readonly browserFailures = new Map<PageEntry, SsrError>();
  private readonly stacks = new StackMapper();
  private readonly heads = new BoundedMap<string, string>();
  private readonly errorEntry: PageEntry | undefined;
  /** The packages the render itself has required (see {@link requirePackage}): their exports, or why they failed. */
  private readonly rendering = new Map<string, { exports: unknown } | { error: unknown }>();

  /**
   * @param routes the route table of `entries` (built before the compile, so a route conflict throws from the factory)
   * @param notFound the `404` page's entry, or `undefined` without one
   * @param provided what pages get for `ssr-pages` and `ssr-pages/client` (see ServerModules)
   */
  constructor(
    readonly routes: RouteTable<PageEntry>,
    entries: readonly PageEntry[],
    readonly notFound: PageEntry | undefined,
    special: { errorPage: PageEntry | undefined; app: PageEntry | undefined; gatsbySsr: PageEntry | undefined },
    parts: BuildParts,
    pagesDir: string,
    provided: ReadonlyMap<string, unknown>,
  ) {
    this.buildId = parts.buildId;
    this.statics = parts.statics;
    this.errors = parts.errors;
    this.pageErrors = new Set([...parts.failed.values()].map((error) => error.message));
    this.env = renderEnv(parts.env);
    this.sources = parts.server.sources;
    this.folders = parts.folders;
    const all = [...entries, notFound, special.errorPage, special.app, special.gatsbySsr].filter(
      (entry) => entry !== undefined,
    );
    for (const entry of all) {
      const file = entry.parsed.file;
      const loader = parts.server.pages.get(file);
      const failed = parts.failed.get(file);
      const error = failed && new SsrError(500, failed.message, { page: file, cause: failed });
      entry.state = loader ?? (error ? { error } : undefined);
      // Compiled for the server, but something it imports failed in the browser build (a stylesheet, a
      // browser-only module): it fails when first loaded, unless its server code fails first (a
      // package that is not installed is said best by the server: see ServerModules).
      if (loader !== undefined && error) this.browserFailures.set(entry, error);
      const browserPage = parts.browser?.pages.get(file);
      entry.module = browserPage?.module;
      entry.css = browserPage?.css ?? [];
      entry.packages = parts.server.packages.get(file) ?? [];
    }
    // Once per build, not per request: a page (or an app) that does not use a collecting package
    // renders exactly as before, and never loads one.
    const collectorOf = collectingPackageOf(pagesDir);
    const everyPage = collectorOf([special.app, special.gatsbySsr].flatMap((wrapper) => wrapper?.packages ?? []));
    const byPackages = new Map<readonly string[], CollectingPackage | undefined>(); // pages with the same imports share one array
    for (const entry of [...entries, notFound, special.errorPage]) {
      if (entry === undefined) continue;
      if (!byPackages.has(entry.packages)) byPackages.set(entry.packages, collectorOf(entry.packages));
      entry.collector = everyPage ?? byPackages.get(entry.packages);
    }
    this.errorEntry = special.errorPage;
    this.modules = new ServerModules(parts.server.files, parts.server.dir, pagesDir, provided, parts.server.imports);
    for (const [file, map] of parts.server.maps) this.stacks.add(file, map);
    this.files = parts.files;
    this.client = parts.browser && {
      entry: parts.browser.entry,
      css: parts.browser.entryCss,
      framework: parts.browser.framework,
      preamble: parts.browser.preamble,
    };
    // The error page answers from a failure path that must not fail in turn, and `_app` and the 404
    // page serve every page: load them now.
    this.errorPage = special.errorPage && this.loadSpecial(special.errorPage);
    const gatsby = special.gatsbySsr ? this.loadWrappers(special.gatsbySsr, checkGatsbySsrModule) : undefined;
    const app = special.app ? this.loadWrappers(special.app, checkAppModule) : NO_APP;
    // Gatsby's wrappers inside, `_app`'s outside: the site's own file (ssr-pages' way of saying it)
    // has the last word. Either one failing fails every page.
    if (gatsby === undefined || "error" in app) this.app = app;
    else if ("error" in gatsby) this.app = gatsby;
    else this.app = composeWrappers(gatsby, app);
    // Gatsby's `Link` writes paths by the site's trailing-slash rule (see RouterState).
    const rule = parts.site?.trailingSlash;
    if (rule !== undefined && rule !== "ignore" && !("error" in this.app))
      this.app = { ...this.app, trailingSlash: rule };
    this.gatsby = gatsby && !("error" in gatsby) ? gatsby : undefined;
    this.site = parts.site;
    this.manifest = parts.site?.manifest && siteManifest(parts.site.manifest);
    this.images =
      parts.site && parts.site.variants.size > 0
        ? new ImageVariants({ variants: parts.site.variants, fromDir: parts.site.root, cacheDir: parts.site.cacheDir })
        : undefined;
    // Evaluated now, its outcome kept in its entry: a 404 page that fails answers every not-found
    // request with the plain 404 (respond/not-found.ts), and no page's package can break it later.
    if (notFound) this.loadSpecial(notFound);
  }

  /**
   * What natively done Gatsby plugins put in every page's `<head>` under the mount path `base`:
   * gatsby-plugin-image's styles (and, for a page without scripts, the rule that shows its images at
   * once), gatsby-plugin-manifest's links. Made once per mount path.
   */
  siteHead(base: string, scripted: boolean): string {
    const site = this.site;
    if (site === undefined) return "";
    return this.heads.get(scripted ? base : `${base}\0`, () => {
      const images = site.usesImages
        ? GATSBY_IMAGE_HEAD_STYLES + (scripted ? "" : GATSBY_IMAGE_STYLES_WITHOUT_SCRIPTS)
        : "";
      return images + (this.manifest?.head(base) ?? "");
    });
  }

  /**
   * A package the render needs for `entry` (its collector: styled-components' `ServerStyleSheet`),
   * from the app's own `node_modules`, resolved from the pages directory as the pages' own code
   * resolves it (runtime/server-modules.ts), so it is the very copy their components use. Required
   * on first use and kept for the build's life, as is a failure.
   * @throws SsrError 500 naming the page and the package, as for a page whose own import failed.
   */
  requirePackage(name: string, entry: PageEntry): unknown {
    let loaded = this.rendering.get(name);
    if (loaded === undefined) {
      try {
        loaded = { exports: this.modules.requireForRender(name) };
      } catch (error) {
        loaded = { error };
      }
      this.rendering.set(name, loaded);
    }
    if ("exports" in loaded) return loaded.exports;
    const page = entry.parsed.file;
    throw new SsrError(
      500,
      `${page} renders with the package "${name}" (its styles are collected per request), which ${packageFailure(name, loaded.error)}`,
      { page, cause: loaded.error },
    );
  }

  /** Maps stack frames inside page bundles back to the pages' own lines (development builds only). */
  mapStack(stack: string): string {
    return this.stacks.map(stack);
  }

  /** Finds the page for decoded path segments. */
  match(segments: readonly string[]): RouteMatch<PageEntry> | null {
    return this.routes.match(segments);
  }

  /** `_app`'s wrappers. @throws SsrError 500 when `_app` failed to compile or to load. */
  wrappers(): AppWrappers {
    const app = this.app;
    if ("error" in app) throw app.error;
    return app;
  }

  /** The page's module, evaluated on first use. @throws SsrError 500 when it failed to compile or to evaluate. */
  load(entry: PageEntry): PageModule {
    const state = entry.state;
    if (state === undefined)
      throw new SsrError(500, `${entry.parsed.file} was not compiled`, { page: entry.parsed.file });
    if (typeof state !== "number") {
      if ("module" in state) return state.module;
      throw state.error;
    }
    const exports = this.evaluate(entry, state);
    let module: PageModule;
    try {
      const browserFailure = this.browserFailures.get(entry);
      if (browserFailure) throw browserFailure;
      module = checkPageModule(exports, entry.parsed.file, entry === this.notFound || entry === this.errorEntry);
    } catch (error) {
      entry.state = { error: error as SsrError };
      throw error;
    }
    entry.state = { module };
    return module;
  }

  /** Runs the file of a page (or of `_app`) and its group. @throws SsrError 500, kept in the entry for every later request. */
  private evaluate(entry: PageEntry, slot: number): Record<string, unknown> {
    const at = loaderAt(slot);
    try {
      const group = this.modules.require(at.group) as { default?: Array<() => Record<string, unknown>> } | undefined;
      const loader = group?.default?.[at.index];
      if (!loader)
        throw new SsrError(500, `${entry.parsed.file} is missing from the server build`, { page: entry.parsed.file });
      // A package that failed to load (its group ran on without it) fails the pages that import it, by name.
      for (const name of entry.packages) {
        const failure = this.modules.failedPackages.get(name);
        if (failure !== undefined)
          throw new SsrError(
            500,
            `${entry.parsed.file} imports the package "${name}", which ${packageFailure(name, failure)}`,
            { page: entry.parsed.file, cause: failure },
          );
      }
      return loader();
    } catch (thrown) {
      // Kept: a page that failed to load answers every later request with the same error.
      const error =
        thrown instanceof SsrError
          ? thrown
          : new SsrError(
              500,
              `${entry.parsed.file} threw while loading: ${(thrown as Error)?.message ?? String(thrown)}`,
              { page: entry.parsed.file, cause: thrown },
            );
      if (thrown instanceof Error && !(thrown instanceof SsrError) && thrown.stack)
        error.stack = `${error.message}\n${thrown.stack.split("\n").slice(1).join("\n")}`;
      entry.state = { error };
      throw error;
    }
  }

  private loadSpecial(entry: PageEntry): LoadedPage {
    try {
      return { entry, module: this.load(entry) };
    } catch (error) {
      return { entry, error };
    }
  }

  /** Loads `_app` or `gatsby-ssr`, checked by `check`: its wrappers, or why every page must fail. */
  private loadWrappers<T>(
    entry: PageEntry,
    check: (exports: Record<string, unknown>, file: string) => T,
  ): T | { error: SsrError } {
    const state = entry.state;
    if (typeof state !== "number")
      return state && "error" in state
        ? state
        : { error: new SsrError(500, `${entry.parsed.file} was not compiled`, { page: entry.parsed.file }) };
    try {
      return check(this.evaluate(entry, state), entry.parsed.file);
    } catch (error) {
      return { error: error as SsrError }; // evaluate and the checks throw nothing else
    }
  }
}

/** A page's entry before its build exists. */
export function createEntry(parsed: ParsedPage): PageEntry {
  return {
    parsed,
    jsonHead: undefined,
    matchPath: undefined,
    module: undefined,
    css: [],
    packages: [],
    collector: undefined,
    state: undefined,
  };
}
