/**
 * Compiles the pages with esbuild when the middleware starts: the server build (compile-server.ts)
 * and the browser build (compile-browser.ts) run side by side and share the CSS modules and assets
 * they find (compile-context.ts). A page that fails takes out only itself: the other pages are built
 * again without it.
 */
import type { GatsbySiteFiles, SpecialFiles } from "./discover.js";
import { publicEnv } from "./browser-env.js";
import { buildBrowser, type BrowserBuild, type ClientFiles } from "./compile-browser.js";
import { createCompileContext, type CompileSession } from "./compile-context.js";
import { fileErrors, type CompileError } from "./compile-errors.js";
import { buildServer, type ServerBuild } from "./compile-server.js";
import { withEsbuild } from "./esbuild.js";

export { CompileError } from "./compile-errors.js";
export type { BrowserBuild, ClientFiles } from "./compile-browser.js";
export type { ServerBuild } from "./compile-server.js";
export { CompileSession } from "./compile-context.js";

/** Everything the compile produced. */
export interface CompileOutput {
  server: ServerBuild;
  /** `undefined` without a client, or when the browser build failed (see `errors`): pages are then served without scripts. */
  browser: BrowserBuild | undefined;
  /** The files pages import (images, fonts…), by served name: served with or without a browser build. */
  assets: Array<{ name: string; contents: Uint8Array }>;
  /** Every problem found, to report once at start-up. */
  errors: CompileError[];
  /** `NODE_ENV` and the public variables the browser build was given: what components see as `process.env`. */
  env: Readonly<Record<string, string>>;
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
}

/** Compiles the pages for the server and the browser, with ssr-pages' own esbuild. */
export function compilePages(input: CompileInput): Promise<CompileOutput> {
  return withEsbuild(async (esbuild) => {
    const env = publicEnv(input.env, input.dev);
    const context = input.session ? input.session.contextFor(input.pagesDir, input.dev, env) : createCompileContext(esbuild, input.pagesDir, input.dev, env);
    const { special, client } = input;
    // Each of these gets server code of its own, shared with no page: no page's broken package can
    // take down the 500 page, the 404 page or the wrapper of every page.
    const isolated = [special.errorPage, special.notFoundPage, special.app, special.gatsbySsr].filter((file) => file !== undefined);
    // The browser needs the pages, the 404 page (rendered in place on client navigation) and the 500
    // page (plain HTML, but styled: its stylesheets); the entry imports `_app` itself.
    const browserFiles = [...input.pages, special.notFoundPage, special.errorPage].filter((file) => file !== undefined);
    const [server, browser] = await Promise.all([
      buildServer(context, [...input.pages, ...isolated], new Set(isolated)),
      client ? buildBrowser(context, browserFiles, client, special).then((build) => ({ build }), (error: unknown) => ({ error })) : undefined,
    ]);
    // A failure of the whole server build is one error shared by every page: report it once.
    const errors = [...new Set(server.failed.values())];
    const done = async (built: BrowserBuild | undefined): Promise<CompileOutput> => ({ server, browser: built, assets: await context.assets.collect(), errors, env: context.env });
    if (!client || !browser) return done(undefined);
    if ("build" in browser) return done(browser.build);

    // Broken pages fail the browser build too: build it again without them, so one syntax error does
    // not take hydration away from every other page.
    const browserErrors = fileErrors(browser.error, input.pagesDir);
    errors.push(...browserErrors.filter((error) => !server.failed.has(error.file as string)));
    const broken = new Set([...server.failed.keys(), ...browserErrors.map((error) => error.file)]);
    // A broken `_app` (or `gatsby-browser`) is in every page's browser code: without it nothing can hydrate.
    if ([special.app, special.gatsbyBrowser].some((file) => file !== undefined && broken.has(file))) return done(undefined);
    try {
      return done(await buildBrowser(context, browserFiles.filter((file) => !broken.has(file)), client, special));
    } catch (retryError) {
      errors.push(...fileErrors(retryError, input.pagesDir, "the browser build failed, pages are served without scripts"));
      return done(undefined);
    }
  });
}
