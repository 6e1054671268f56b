/** What the server and the browser build of one compile share. */
import type * as EsbuildApi from "esbuild";
import { AssetFiles } from "./assets.js";
import type { Esbuild } from "./esbuild.js";
import { StyleTransform } from "./style-transform.js";
import { CssModules } from "./styles.js";
import type { SiteBuild } from "../gatsby-site/site-build.js";
import type { FrameworkFile } from "./framework-chunk.js";

/** Options of a build that keeps its files in memory. */
export type InMemoryOptions = EsbuildApi.BuildOptions & { write: false };

/** A build's files (in memory) and, when asked for, its import graph. */
export type BuildResult = EsbuildApi.BuildResult<InMemoryOptions>;

/**
 * Runs one of a compile's builds. `key` names the build ("server", "browser") and `signature`
 * stands for everything its options close over (the entry lists its plugins read): in development a
 * build whose key and signature did not change is an incremental rebuild of the same esbuild context.
 */
export type RunBuild = (key: string, signature: string, options: InMemoryOptions) => Promise<BuildResult>;

/** One compile's settings and the work its two builds share (each CSS module and asset is processed once). */
export interface CompileContext {
  esbuild: Esbuild;
  /** Absolute. */
  pagesDir: string;
  /** Development builds: unminified, with source maps. */
  dev: boolean;
  /** `NODE_ENV` and the public variables: what browser code sees as `process.env` (see browser-env.ts). */
  env: Readonly<Record<string, string>>;
  cssModules: CssModules;
  /** Each stylesheet's source → CSS (Sass, then the app's PostCSS), once per compile; and the app's browser targets. */
  styles: StyleTransform;
  assets: AssetFiles;
  /** How the main server and browser builds run (one-shot, or incremental in a {@link CompileSession}). */
  run: RunBuild;
  /** A Gatsby site's build layer (its config, queries, images), for this compile; `undefined` for other apps. */
  site?: SiteBuild | undefined;
  /** The site's own `gatsby-ssr` and `gatsby-browser` (absolute), run after its plugins'. */
  siteFiles?: { ssr: string | undefined; browser: string | undefined };
  /** React Fast Refresh in the browser build: the dev loop's compiles only (see {@link CompileSession}). */
  refresh?: boolean;
  /**
   * React's framework file for this compile (framework-chunk.ts): looked up once, by the compile or
   * its first browser build, and shared with a rebuild that stands in for failing modules.
   */
  framework?: Promise<FrameworkFile | undefined> | undefined;
}

/** A fresh context: nothing compiled yet; each build one-shot. */
export function createCompileContext(
  esbuild: Esbuild,
  pagesDir: string,
  dev: boolean,
  env: Readonly<Record<string, string>>,
): CompileContext {
  const assets = new AssetFiles();
  const styles = new StyleTransform(pagesDir, dev);
  return {
    esbuild,
    pagesDir,
    dev,
    env,
    cssModules: new CssModules(esbuild, pagesDir, assets, styles),
    styles,
    assets,
    run: (_key, _signature, options) => esbuild.build(options),
  };
}

/**
 * The development compiler's memory from one compile to the next: an esbuild context per build, kept
 * while the files it builds stay the same, so a rebuild re-reads only what changed. (Its plugins
 * close over one {@link CompileContext}: the session keeps that too, and empties its CSS-module and
 * asset caches before each compile, since any of those files may be the one that changed.)
 */
export class CompileSession {
  private readonly contexts = new Map<
    string,
    { signature: string; context: Promise<EsbuildApi.BuildContext<InMemoryOptions>> }
  >();
  private compileContext: CompileContext | undefined;
  private incremental = false;
  private closed = false;

  constructor(private readonly esbuild: Esbuild) {}

  /** The context for the next compile: the same object each time (while settings hold), its caches emptied. */
  contextFor(pagesDir: string, dev: boolean, env: Readonly<Record<string, string>>): CompileContext {
    const known = this.compileContext;
    if (
      known &&
      known.pagesDir === pagesDir &&
      known.dev === dev &&
      JSON.stringify(known.env) === JSON.stringify(env)
    ) {
      known.cssModules.clear();
      known.styles.clear();
      known.assets.clear();
      return known;
    }
    // New settings: every esbuild context closed over the old ones.
    void this.disposeAll();
    const context = createCompileContext(this.esbuild, pagesDir, dev, env);
    context.run = (key, signature, options) => this.run(key, signature, options);
    // Only the dev loop compiles through a session, and only its tabs take updates in place.
    context.refresh = dev;
    return (this.compileContext = context);
  }

  /**
   * Whether builds keep their esbuild context for the next one. An esbuild context keeps the process
   * alive until it is disposed, so the dev loop turns this on only while a tab listens (its event
   * stream keeps the server up anyway): a test that makes a dev-mode middleware and never closes it
   * still ends, and rebuilds without a tab are one-shot builds on the running esbuild service.
   */
  setIncremental(on: boolean): void {
    this.incremental = on;
    if (!on) void this.disposeAll();
  }

  /**
   * Whether a compile leaves the compilers it started (Sass's child process) running for the next
   * one: while builds are incremental, for the same reason as esbuild's contexts.
   */
  get keepsCompilers(): boolean {
    return this.incremental && !this.closed;
  }

  private async run(key: string, signature: string, options: InMemoryOptions): Promise<BuildResult> {
    if (this.closed) throw new Error("ssr-pages: the development compiler is closed");
    if (!this.incremental) return this.esbuild.build(options);
    let held = this.contexts.get(key);
    if (held?.signature !== signature) {
      if (held)
        void held.context.then(
          (context) => context.dispose(),
          () => undefined,
        );
      held = { signature, context: this.esbuild.context(options) };
      this.contexts.set(key, held);
    }
    const context = await held.context;
    return context.rebuild();
  }

  /** Disposes every esbuild context, and stops the Sass compiler of the compile context they closed over. */
  private async disposeAll(): Promise<void> {
    const held = [...this.contexts.values()];
    this.contexts.clear();
    await Promise.allSettled([
      ...held.map(({ context }) => context.then((built) => built.dispose())),
      this.compileContext?.styles.dispose(),
    ]);
  }

  /** Disposes every esbuild context and stops Sass (the caller then stops esbuild's process). */
  async close(): Promise<void> {
    this.closed = true;
    await this.disposeAll();
  }
}
