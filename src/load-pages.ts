/**
 * Builds compiled from the sources: the plan's pages compiled with esbuild (in the background:
 * discovery and the route table came first, page-plan.ts), their output made into a {@link Build} in
 * memory; in development with `watch`, the dev loop's builds (a page compiled on its first request).
 * The handler imports this file only when it compiles: a server started from a production build never
 * loads it, nor the compiler behind it.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  compilePages,
  type ClientFiles,
  type CompileError,
  type CompileOutput,
  type CompileSession,
} from "./compile/compile.js";
import { buildIdOf } from "./compile/build-id.js";
import { publicEnv } from "./compile/browser-env.js";
import { DevLoop, type DevBuildRequest } from "./dev/dev-loop.js";
import { buildOf, changesPages, checkPagesDir, planOf, type PagePlan } from "./page-plan.js";
import { discoverPages, type DiscoveredPages } from "./routes/discover.js";
import type { Build } from "./runtime/build.js";
import type { BuildParts } from "./runtime/build-parts.js";
import { MemoryFiles, type Encoding, type FileStore } from "./runtime/served-files.js";

/** How to load the pages. */
export interface LoadOptions {
  dev: boolean;
  client: boolean;
  /** The Gatsby site whose `gatsby-ssr` and `gatsby-browser` apply (`undefined`: found from the pages directory; `false`: none). */
  gatsbyRoot: string | false | undefined;
  /** What pages get for `ssr-pages` and `ssr-pages/client`. */
  provided: ReadonlyMap<string, unknown>;
  /** Called once per compile error, when the compile ends. */
  onCompileError: (error: CompileError) => void;
  /** The development compiler's session (incremental rebuilds); none in production. */
  session?: CompileSession;
}

/** Compiles the plan's pages into a build. */
export async function compilePlan(plan: PagePlan, options: LoadOptions): Promise<Build> {
  const output = await compileOutput(plan, options);
  const build = buildOf(
    plan,
    partsInMemory(output, options.dev ? developmentBuildId(output.browser) : buildIdOf(output)),
    options.provided,
  );
  for (const error of build.errors) options.onCompileError(error);
  return build;
}

/**
 * The compile's output for the plan's pages (a production build writes it out: artifact/write-build.ts).
 * `only`: development's on-demand compile, of these page files alone (the special files come anyway).
 */
export function compileOutput(
  plan: PagePlan,
  options: Pick<LoadOptions, "dev" | "client" | "session"> & { sequential?: boolean; only?: ReadonlySet<string> },
): Promise<CompileOutput> {
  const { pagesDir, discovered, siteRoot, site } = plan;
  const absolute = (file: string | undefined) => (file === undefined ? undefined : path.join(pagesDir, file));
  const { only } = options;
  return compilePages({
    pagesDir,
    pages: discovered.pages.filter((page) => only === undefined || only.has(page.file)).map((page) => page.file),
    special: { ...discovered, gatsbySsr: plan.special.gatsbySsr?.parsed.file, gatsbyBrowser: site.gatsbyBrowser },
    dev: options.dev,
    client: options.client ? findClientFiles() : undefined,
    env: process.env,
    session: options.session,
    sequential: options.sequential,
    site:
      siteRoot === undefined
        ? undefined
        : {
            root: siteRoot,
            pages: discovered.pages,
            notFound: discovered.notFoundPage,
            ssr: absolute(site.gatsbySsr),
            browser: absolute(site.gatsbyBrowser),
          },
  });
}

/**
 * The id of a development build: `"development"` without a browser build; else one that changes
 * whenever the client entry's file name does (a page first asked for joined the browser build and
 * moved modules between chunks, `_app` changed), so a tab never runs a page module of another
 * build next to its own entry (a context or a store `_app` shares with the pages would exist twice).
 * With Fast Refresh it starts with the key of the chunk that holds React and the browser runtime
 * (`runtimeKey`, compile/compile-browser.ts): while that part holds, the dev client takes a new
 * build in place (it imports the new entry, then adopts its id: client/dev-client.ts); when it
 * changed, only a full load can.
 */
export function developmentBuildId(browser: { entry: string; runtimeKey?: string | undefined } | undefined): string {
  const hash = browser === undefined ? undefined : /^entry-(\w+)\.js$/.exec(browser.entry)?.[1];
  if (hash === undefined) return "development";
  return browser?.runtimeKey === undefined ? `dev-${hash}` : `dev-${browser.runtimeKey}.${hash}`;
}

/** A compile's output as a build's parts, in memory (a production build's come from its folder: artifact/read-build.ts). */
export function partsInMemory(output: CompileOutput, buildId: string): BuildParts & { files: MemoryFiles } {
  const files = new MemoryFiles([...(output.browser?.files ?? []), ...output.assets]);
  return { ...output, buildId, files, statics: undefined };
}

/** The browser runtime's files, found once per process: in development every compile on a first request asks. */
let clientFiles: ClientFiles | undefined;

/** The browser runtime's files: `.tsx` sources in this repository, `.js` once built into dist. */
function findClientFiles(): ClientFiles {
  const dir = fileURLToPath(new URL("./", import.meta.url));
  const find = (name: string): string => {
    for (const ext of [".js", ".tsx", ".ts"]) {
      const file = path.join(dir, name + ext);
      if (existsSync(file)) return file;
    }
    throw new Error(`ssr-pages: the browser runtime ${name} is missing from ${dir}; reinstall ssr-pages`);
  };
  return (clientFiles ??= {
    entry: find("client/entry"),
    index: find("client/index"),
    gatsby: find("gatsby/index"),
    devClient: find("client/dev-client"),
    gatsbyImage: find("gatsby-image/index"),
    refreshRuntime: find("client/refresh-runtime"),
    refreshPreamble: find("client/refresh-preamble"),
  });
}

/** What the development loop needs besides the load options. */
export interface DevLoopHooks {
  /** The new build is ready: from the next request on, it answers. */
  swap: (build: Build) => void;
  /** A rebuild failed as a whole (the last good build keeps serving). */
  onFailure: (error: unknown) => void;
}

/**
 * Compiles the plan's pages: all at once, or (with `dev`) through the development loop, whose first
 * build is of the routes alone (nothing compiled: `ready` does not wait for a compile), and which
 * compiles each page when it is first asked for and rebuilds what was compiled on every save.
 */
export function startCompiling(
  plan: PagePlan,
  options: LoadOptions,
  dev: DevLoopHooks | undefined,
): { loop: DevLoop | undefined; loaded: Promise<Build> } {
  if (dev === undefined) return { loop: undefined, loaded: compilePlan(plan, options) };
  const builds = new DevBuilds(plan, options);
  const loop = new DevLoop({
    pagesDir: plan.pagesDir,
    folders: plan.siteRoot === undefined ? [] : [plan.siteRoot],
    load: (request) => builds.load(request),
    changesPages: (file) => builds.changesPages(file),
    swap: dev.swap,
    onFailure: dev.onFailure,
  });
  const loaded = (async () => {
    try {
      return loop.start(builds.routesOnly(plan));
    } catch (error) {
      await loop.close(); // nothing to watch for: the middleware's `ready` rejects
      throw error;
    }
  })();
  return { loop, loaded };
}

/** How many builds' browser files development serves: an open tab still loads its own build's chunks after newer builds came. */
const KEPT_BUILDS = 4;

/**
 * The development loop's builds of one pages directory: of the routes alone until a page is asked
 * for, then of the wanted pages. Each gets a fresh plan (a build fills its entries in), from the
 * pages discovered last time unless a save added or removed one.
 */
class DevBuilds {
  private readonly pagesDir: string;
  private discovered: DiscoveredPages;
  /** The browser files of the last builds, newest first. */
  private kept: MemoryFiles[] = [];

  constructor(
    first: PagePlan,
    private readonly options: LoadOptions,
  ) {
    this.pagesDir = first.pagesDir;
    this.discovered = first.discovered;
  }

  /** A build of the plan's routes with nothing compiled: every page is compiled on its first request. */
  routesOnly(plan: PagePlan): Build {
    const server = {
      dir: plan.pagesDir,
      files: new Map(),
      maps: new Map(),
      pages: new Map(),
      imports: new Map(),
      packages: new Map(),
      sources: [],
    };
    const env = publicEnv(process.env, this.options.dev);
    const parts: BuildParts = {
      buildId: developmentBuildId(undefined),
      server,
      browser: undefined,
      files: new MemoryFiles([]),
      errors: [],
      failed: new Map(),
      env,
      site: undefined,
      folders: [],
      statics: undefined,
    };
    return buildOf(plan, parts, this.options.provided);
  }

  /** Whether a change of `file` adds or removes a page (see {@link changesPages}). */
  changesPages(file: string): boolean {
    return changesPages(this.pagesDir, this.discovered, file);
  }

  /** The build `request` asks for. @throws Error naming both files of a route conflict, or what failed the compile as a whole. */
  async load(request: DevBuildRequest): Promise<Build> {
    const plan = this.plan(request.changed);
    if (request.pages === undefined) return this.routesOnly(plan);
    const { options } = this;
    const output = await compileOutput(plan, { ...options, session: request.session(), only: request.pages });
    const parts = partsInMemory(output, developmentBuildId(output.browser));
    const build = buildOf(plan, { ...parts, files: this.keep(parts.files) }, options.provided);
    for (const error of build.errors) options.onCompileError(error);
    return build;
  }

  /** A fresh plan: walked again when a change added or removed a page, else of the pages known. @throws Error naming both files of a route conflict. */
  private plan(changed: readonly string[]): PagePlan {
    const { pagesDir } = this;
    if (changed.some((file) => changesPages(pagesDir, this.discovered, file))) {
      checkPagesDir(pagesDir);
      // Kept before the plan is made: a route conflict throws from it, and the save that ends the
      // conflict removes a page of this walk.
      this.discovered = discoverPages(pagesDir);
    }
    return planOf(pagesDir, this.discovered, this.options.gatsbyRoot);
  }

  /** This build's files, and those of the last few before it: a tab that loaded one of them still loads its own chunks. */
  private keep(files: MemoryFiles): FileStore {
    this.kept = [files, ...this.kept].slice(0, KEPT_BUILDS);
    return new LayeredFiles(this.kept);
  }
}

/** Files looked for in each store in turn (the newest build's first): names are hashed, so no two builds' files of one name differ. */
class LayeredFiles implements FileStore {
  constructor(private readonly stores: readonly MemoryFiles[]) {}

  read(name: string): Buffer | undefined {
    for (const store of this.stores) {
      const body = store.read(name);
      if (body !== undefined) return body;
    }
    return undefined;
  }

  encoded(name: string, encoding: Encoding): Buffer | Promise<Buffer | undefined> | undefined {
    return this.stores.find((store) => store.has(name))?.encoded(name, encoding);
  }
}
