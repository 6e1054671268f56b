/**
 * Compiles the pages with esbuild when the middleware starts: the server build (compile-server.ts)
 * and the browser build (compile-browser.ts) run side by side and share the CSS modules and assets
 * they find (compile-context.ts). A page that fails takes out only itself: the other pages are built
 * again without it.
 */
import path from "node:path";
import type * as EsbuildApi from "esbuild";
import type { GatsbySiteFiles, SpecialFiles } from "../routes/discover.js";
import { publicEnv } from "./browser-env.js";
import { buildBrowser, type BrowserBuild, type ClientFiles } from "./compile-browser.js";
import { createCompileContext, type CompileContext, type CompileSession } from "./compile-context.js";
import { fileErrors, withoutNamespace, type CompileError } from "./compile-errors.js";
import { buildServer, type ServerBuild } from "./compile-server.js";
import { withEsbuild } from "./esbuild.js";
import { frameworkFile } from "./framework-chunk.js";
import { loadSite, siteOutput, siteStyleOptions, type SiteInput, type SiteOutput } from "./site-output.js";

export { CompileError } from "./compile-errors.js";
export type { BrowserBuild, ClientFiles } from "./compile-browser.js";
export type { ServerBuild } from "./compile-server.js";
export { CompileSession } from "./compile-context.js";
export type { SiteOutput } from "./site-output.js";

/** Everything the compile produced. */
export interface CompileOutput {
  server: ServerBuild;
  /** `undefined` without a client, or when the browser build failed (see `errors`): pages are then served without scripts. */
  browser: BrowserBuild | undefined;
  /** The files pages import (images, fonts…), by served name: served with or without a browser build. */
  assets: Array<{ name: string; contents: Uint8Array }>;
  /** Every problem found, to report once at start-up. */
  errors: CompileError[];
  /**
   * Page file → why it cannot be served: it did not compile for the server, or something it imports
   * (a stylesheet, a browser-only module) failed in the browser build. Those pages answer 500 with it.
   */
  failed: ReadonlyMap<string, CompileError>;
  /** `NODE_ENV` and the public variables the browser build was given (components see them through common/render-env.ts). */
  env: Readonly<Record<string, string>>;
  /** What a Gatsby site's build layer made; `undefined` for other apps. */
  site: SiteOutput | undefined;
  /** Development only (else empty): folders whose new files change the build (a Gatsby site's filesystem sources). */
  folders: readonly string[];
}

/** What to compile. */
export interface CompileInput {
  /** Absolute. */
  pagesDir: string;
  /** The route pages, relative to `pagesDir`. */
  pages: readonly string[];
  /** The not-found page, the error page, the app wrapper and a Gatsby site's files, relative to `pagesDir`. */
  special: SpecialFiles & GatsbySiteFiles;
  /** Development builds: unminified, with source maps. */
  dev: boolean;
  /** The browser runtime; `undefined` builds nothing for the browser. */
  client: ClientFiles | undefined;
  /** The environment the public variables are read from (`process.env`). */
  env: NodeJS.ProcessEnv;
  /** The development compiler's session: builds are incremental rebuilds where they can be. */
  session?: CompileSession;
  /** A Gatsby site the pages belong to: its root, and its routes for `allSitePage`. */
  site?: SiteInput;
  /**
   * The server build, then the browser build, rather than both at once: esbuild's service process
   * holds the memory of the builds under way, and the two of 10,000 pages side by side peaked at
   * 1.39 GiB, one after the other at 950 MiB (the browser build's alone: bench/BUILD.md).
   */
  sequential?: boolean;
}

/** Compiles the pages for the server and the browser, with ssr-pages' own esbuild. */
export function compilePages(input: CompileInput): Promise<CompileOutput> {
  return withEsbuild(async (esbuild) => {
    const env = publicEnv(input.env, input.dev);
    const context = input.session
      ? input.session.contextFor(input.pagesDir, input.dev, env)
      : createCompileContext(esbuild, input.pagesDir, input.dev, env);
    // React's framework file (built once per process) starts building now, beside the site's config
    // and the styles' set-up below, which the browser build waits for anyway (it never rejects). Not
    // when builds go one after the other to keep memory down (a production build): the browser build
    // asks for it then.
    context.framework = input.client && !input.sequential ? frameworkFile(input.pagesDir, input.dev) : undefined;
    try {
      // A Gatsby site's config first: its styling plugins' options change what the styles are.
      context.site = input.site && (await loadSite(input.site, context));
      context.siteFiles = input.site && { ssr: input.site.ssr, browser: input.site.browser };
      if (context.site) context.styles.configure(siteStyleOptions(context.site));
      // The app's PostCSS config loads (Tailwind's plugin: a few hundred milliseconds) while esbuild starts.
      context.styles.prepare();
      const { special, client } = input;
      // Each of these gets server code of its own, shared with no page: no page's broken package can
      // take down the 500 page, the 404 page or the wrapper of every page.
      const isolated = [special.errorPage, special.notFoundPage, special.app, special.gatsbySsr].filter(
        (file) => file !== undefined,
      );
      // The browser needs the pages, the 404 page (rendered in place on client navigation) and the 500
      // page (plain HTML, but styled: its stylesheets); the entry imports `_app` itself.
      const browserFiles = [...input.pages, special.notFoundPage, special.errorPage].filter(
        (file) => file !== undefined,
      );
      const serverBuild = () => buildServer(context, [...input.pages, ...isolated], new Set(isolated));
      const browserBuild = () =>
        client
          ? buildBrowser(context, browserFiles, client, special).then(
              (build) => ({ build }),
              (error: unknown) => ({ error }),
            )
          : undefined;
      // Side by side for the fastest start; one after the other when memory matters more (a
      // production build: esbuild's service holds each build's memory, see CompileInput.sequential).
      const [server, browser] = input.sequential
        ? [await serverBuild(), await browserBuild()]
        : await Promise.all([serverBuild(), browserBuild()]);
      // A failure of the whole server build is one error shared by every page: report it once.
      const errors = [...new Set(server.failed.values())];
      const failed = new Map(server.failed);
      const done = async (built: BrowserBuild | undefined): Promise<CompileOutput> => {
        // Everything the styles read (partials, `@import`ed files, PostCSS dependencies) is watched too.
        if (input.dev) server.sources = [...new Set([...server.sources, ...context.styles.sources])];
        // One cause met by many files (a PostCSS config that cannot load) is one error.
        const distinct = [...new Map(errors.map((error) => [error.message, error])).values()];
        const site = context.site;
        if (site && input.dev) server.sources = [...new Set([...server.sources, ...site.watched()])];
        const folders = site && input.dev ? await site.watchedFolders() : [];
        return {
          server,
          browser: built,
          assets: await context.assets.collect(),
          errors: distinct,
          failed,
          env: context.env,
          site: site && siteOutput(site),
          folders,
        };
      };
      if (!client || !browser) return done(undefined);
      if ("build" in browser) return done(browser.build);
      return done(
        await isolateBrowserFailures(browser.error, { context, files: browserFiles, client, special, errors, failed }),
      );
    } finally {
      // Sass's compiler is a child process: it stays only while the dev loop keeps esbuild's
      // contexts, and never past a compile that failed.
      if (!input.session?.keepsCompilers) await context.styles.dispose();
    }
  });
}

/** What {@link isolateBrowserFailures} works on, and the lists it adds to. */
interface BrowserRetry {
  context: CompileContext;
  files: readonly string[];
  client: ClientFiles;
  special: CompileInput["special"];
  /** The compile's errors: each failing module's is added once. */
  errors: CompileError[];
  /** Page file → why it fails: the pages that import a failing module are added. */
  failed: Map<string, CompileError>;
}

/** Builds with stubs after a failed browser build, at most this many times (each adds the modules the last one found). */
const STUB_ROUNDS = 4;

/**
 * After a failed browser build: a build in which each module that failed (a page with a syntax
 * error, a stylesheet whose `@import` is missing, a Sass error, a component importing what no
 * browser can load) is stood in for by an empty one, then the pages that reach such a module, by any
 * path of imports, are failed with its error. Every other page keeps its scripts. (Retrying without
 * the failing *pages* is not enough: an error inside a stylesheet or a component names that file, not
 * a page, and only the build's import graph says which pages lead to it.) Without a browser build
 * at all when a failure is in every page (`_app`, `gatsby-browser`) or has no file to stand in for.
 */
async function isolateBrowserFailures(error: unknown, retry: BrowserRetry): Promise<BrowserBuild | undefined> {
  const { context, client, special, errors, failed } = retry;
  const { pagesDir } = context;
  const stubbed = new Map<string, CompileError>();
  const known = new Set(errors.map((one) => one.message));
  for (let round = 0; round < STUB_ROUNDS; round++) {
    const found = failingModules(error, pagesDir);
    if (found === undefined || found.every(({ module }) => stubbed.has(module))) break;
    for (const { module, compileError } of found) {
      if (stubbed.has(module)) continue;
      stubbed.set(module, compileError);
      if (!known.has(compileError.message)) errors.push(compileError);
      known.add(compileError.message);
    }
    let built: BrowserBuild;
    try {
      built = await buildBrowser(context, retry.files, client, special, new Set(stubbed.keys()));
    } catch (next) {
      error = next;
      continue;
    }
    // In every page's code: nothing can hydrate without it.
    if (built.reaching.has("")) return undefined;
    for (const [page, module] of built.reaching) {
      if (!failed.has(page)) failed.set(page, stubbed.get(module) as CompileError);
      built.pages.delete(page);
    }
    return built;
  }
  errors.push(
    ...fileErrors(error, pagesDir, "the browser build failed, pages are served without scripts").filter(
      (one) => !known.has(one.message),
    ),
  );
  return undefined;
}

/**
 * The modules a failed build names, each with its error: the module a message comes from (our
 * plugins say so in `detail.module`; esbuild's own messages are located in it), as an absolute path.
 * `undefined` when a message names no module (nothing to stand in for).
 */
function failingModules(
  error: unknown,
  pagesDir: string,
): Array<{ module: string; compileError: CompileError }> | undefined {
  const messages = (error as { errors?: EsbuildApi.Message[] } | null)?.errors;
  if (!messages || messages.length === 0) return undefined;
  const found: Array<{ module: string; compileError: CompileError }> = [];
  for (const message of messages) {
    const own = (message.detail as { module?: unknown } | undefined)?.module;
    const file = typeof own === "string" ? own : message.location ? withoutNamespace(message.location.file) : undefined;
    if (file === undefined || /^[\w-]+:/.test(file)) return undefined;
    found.push({
      module: path.resolve(pagesDir, file),
      compileError: fileErrors({ errors: [message] }, pagesDir)[0] as CompileError,
    });
  }
  return found;
}
