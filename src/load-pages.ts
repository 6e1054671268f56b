/**
 * A build compiled at start: the plan's pages compiled with esbuild (in the background: discovery
 * and the route table came first, page-plan.ts), their output made into a {@link Build} in memory.
 * The handler imports this file only when it compiles: a server started from a production build never
 * loads it, nor the compiler behind it.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { compilePages, type ClientFiles, type CompileError, type CompileOutput, type CompileSession } from "./compile/compile.js";
import { buildIdOf } from "./compile/build-id.js";
import { DevLoop } from "./dev/dev-loop.js";
import { buildOf, planPages, type PagePlan } from "./page-plan.js";
import type { Build } from "./runtime/build.js";
import type { BuildParts } from "./runtime/build-parts.js";
import { MemoryFiles } from "./runtime/served-files.js";

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

/**
 * Discovers the pages of `pagesDir` and compiles them.
 * @throws TypeError for a `pagesDir` that is not a directory; Error naming both files of a route conflict.
 * @returns the build, when the compile ends.
 */
export function loadPages(pagesDir: string, options: LoadOptions): Promise<Build> {
  return compilePlan(planPages(pagesDir, options.gatsbyRoot), options);
}

/** Compiles the plan's pages into a build. */
export async function compilePlan(plan: PagePlan, options: LoadOptions): Promise<Build> {
  const output = await compileOutput(plan, options);
  const build = buildOf(plan, partsInMemory(output, options.dev ? DEVELOPMENT_BUILD : buildIdOf(output)), options.provided);
  for (const error of build.errors) options.onCompileError(error);
  return build;
}

/** The compile's output for the plan's pages (a production build writes it out: artifact/write-build.ts). */
export function compileOutput(plan: PagePlan, options: Pick<LoadOptions, "dev" | "client" | "session"> & { sequential?: boolean }): Promise<CompileOutput> {
  const { pagesDir, discovered, siteRoot, site } = plan;
  const absolute = (file: string | undefined) => (file === undefined ? undefined : path.join(pagesDir, file));
  return compilePages({
    pagesDir,
    pages: discovered.pages.map((page) => page.file),
    special: { ...discovered, gatsbySsr: plan.special.gatsbySsr?.parsed.file, gatsbyBrowser: site.gatsbyBrowser },
    dev: options.dev,
    client: options.client ? findClientFiles() : undefined,
    env: process.env,
    session: options.session,
    sequential: options.sequential,
    site: siteRoot === undefined ? undefined : { root: siteRoot, pages: discovered.pages, notFound: discovered.notFoundPage, ssr: absolute(site.gatsbySsr), browser: absolute(site.gatsbyBrowser) },
  });
}

/**
 * The id of every development build. It never changes: the dev loop updates open tabs itself, and a
 * new id on every save would make each of their navigations a full load.
 */
const DEVELOPMENT_BUILD = "development";

/** A compile's output as a build's parts, in memory (a production build's come from its folder: artifact/read-build.ts). */
export function partsInMemory(output: CompileOutput, buildId: string): BuildParts {
  const files = new MemoryFiles([...(output.browser?.files ?? []), ...output.assets]);
  return { ...output, buildId, files, statics: undefined };
}

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
  return { entry: find("client/entry"), index: find("client/index"), gatsby: find("gatsby/index"), devClient: find("client/dev-client"), gatsbyImage: find("gatsby-image/index") };
}

/** What the development loop needs besides the load options. */
export interface DevLoopHooks {
  /** The new build is ready: from the next request on, it answers. */
  swap: (build: Build) => void;
  /** A rebuild failed as a whole (the last good build keeps serving). */
  onFailure: (error: unknown) => void;
}

/**
 * Compiles the plan's pages: once, or (with `dev`) through the development loop, whose first build
 * goes through its compile session so rebuilds are incremental, and which rebuilds on every save.
 */
export function startCompiling(plan: PagePlan, options: LoadOptions, dev: DevLoopHooks | undefined): { loop: DevLoop | undefined; loaded: Promise<Build> } {
  if (dev === undefined) return { loop: undefined, loaded: compilePlan(plan, options) };
  const loop = new DevLoop({
    pagesDir: plan.pagesDir,
    folders: plan.siteRoot === undefined ? [] : [plan.siteRoot],
    load: (session) => loadPages(plan.pagesDir, { ...options, session }),
    swap: dev.swap,
    onFailure: dev.onFailure,
  });
  return { loop, loaded: loop.start(compilePlan(plan, { ...options, session: loop.session })) };
}
