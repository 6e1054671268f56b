/**
 * One stylesheet's way to CSS, before esbuild bundles it: its source, then Sass (`.scss`, `.sass`),
 * then the app's PostCSS config (if it has one). Lowering for the app's browserslist targets comes
 * after bundling, on each stylesheet the browser gets (compile-browser.ts).
 *
 * Each file goes this way once per compile, however many pages import it and in whichever build
 * (the server needs a CSS module's class names, the browser its rules): the result is kept by path
 * until the next compile. The development compiler's next compile takes it again when none of the
 * files it read has changed since (a partial's save redoes the stylesheets that use it, not all of
 * them); a result that depends on folders rather than files (Tailwind's, which scans the project
 * for class names) is made again every time.
 *
 * The app's settings (its PostCSS config and plugins, its targets) are read once per compile
 * context, the PostCSS config as the compile starts (see {@link StyleTransform.prepare}). In
 * development they live as long as the dev loop, so Tailwind's plugin keeps its caches from one
 * rebuild to the next; a change of the config itself needs a restart, as in Next and Vite.
 */
import { statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { browserTargets } from "./css-targets.js";
import { loadPostcss, type PostcssRunner } from "./postcss.js";
import { SassRunner, type SassSiteOptions } from "./sass.js";
import { moduleMessage, sharedMessage, StyleError } from "./style-error.js";

/** What a stylesheet became: CSS for esbuild's `css` (or `local-css`) loader. */
export interface TransformedStyle {
  css: string;
}

/** Files Sass compiles. */
export const SASS_FILE = /\.s[ac]ss$/i;

/** What a transform read, and whether it succeeded: the next compile may take its result again. */
interface Outcome {
  result: Promise<TransformedStyle>;
  /** Absolute path → its `mtimeMs` when read. */
  read: Map<string, number>;
  /** It read folders (PostCSS `dir-dependency` messages): no list of files says it is unchanged. */
  volatile: boolean;
  succeeded: boolean;
}

/** The stylesheet transform of one compile context. */
export class StyleTransform {
  private done = new Map<string, Outcome>();
  /** The previous compile's outcomes, taken again where nothing they read has changed (development). */
  private previous = new Map<string, Outcome>();
  private postcss: Promise<PostcssRunner | undefined> | undefined;
  private postcssFailed = false;
  private targets: { value: string[] | undefined } | undefined;
  private readonly sass: SassRunner;
  /** Every file a transform read (stylesheets, Sass partials, PostCSS dependencies), absolute: the dev loop watches them. */
  readonly sources = new Set<string>();

  /** What a Gatsby site's `gatsby-plugin-sass` / `gatsby-plugin-postcss` options say (see {@link StyleTransform.configure}). */
  private site: SiteStyleOptions = {};

  constructor(
    private readonly pagesDir: string,
    private readonly dev: boolean,
  ) {
    this.sass = new SassRunner(pagesDir);
  }

  /**
   * Takes a Gatsby site's styling plugins' options, before the compile's first stylesheet:
   * `gatsby-plugin-sass`'s `additionalData` and `sassOptions`, `gatsby-plugin-postcss`'s
   * `postCssPlugins` (used instead of a PostCSS config file, as that plugin does).
   */
  configure(site: SiteStyleOptions): void {
    if (
      JSON.stringify(site, plugins) !== JSON.stringify(this.site, plugins) ||
      site.postcssPlugins !== this.site.postcssPlugins
    )
      this.postcss = undefined;
    this.site = site;
    this.sass.configure(site.sass ?? {});
  }

  /**
   * Forgets every transformed file (the development compiler, before a rebuild: any of them may have
   * changed), and settings that failed to load, so the next compile tries them again.
   */
  clear(): void {
    this.previous = this.done;
    this.done = new Map();
    this.sources.clear();
    if (this.postcssFailed) this.postcss = undefined;
    this.postcssFailed = false;
  }

  /**
   * Starts reading the app's settings (its PostCSS config and plugins: Tailwind's take a few hundred
   * milliseconds to load), so that it overlaps the compile's first steps instead of waiting for the
   * first stylesheet.
   */
  prepare(): void {
    this.loadPostcss("").catch(() => undefined);
  }

  /** `file` (absolute) as CSS, transformed on first use. Rejects with a {@link StyleError}. */
  transform(file: string): Promise<TransformedStyle> {
    let outcome = this.done.get(file) ?? this.unchanged(file);
    if (!outcome) {
      const made: Outcome = {
        result: Promise.resolve({ css: "" }),
        read: new Map(),
        volatile: false,
        succeeded: false,
      };
      made.result = this.run(file, made);
      made.result.then(
        () => (made.succeeded = true),
        // Rejections are reported to whoever imports the file; no one else waits on this promise.
        () => undefined,
      );
      this.done.set(file, (outcome = made));
    }
    return outcome.result;
  }

  /** The previous compile's outcome for `file`, when it succeeded and every file it read is as it was. */
  private unchanged(file: string): Outcome | undefined {
    const outcome = this.previous.get(file);
    if (!outcome?.succeeded || outcome.volatile) return undefined;
    for (const [read, mtime] of outcome.read) if (modified(read) !== mtime) return undefined;
    for (const read of outcome.read.keys()) this.sources.add(read);
    this.done.set(file, outcome);
    return outcome;
  }

  /** Stops what the transform started (Sass's compiler). */
  dispose(): Promise<void> {
    return this.sass.dispose();
  }

  /**
   * The app's browserslist targets as esbuild targets, or `undefined` without a config: read once
   * (browserslist's data costs ~20 ms to load). The browser build lowers its stylesheets for them.
   * @throws what browserslist throws for a query it does not understand.
   */
  browserTargets(): string[] | undefined {
    this.targets ??= { value: browserTargets(this.pagesDir, this.dev) };
    return this.targets.value;
  }

  /** Transforms `file`, noting in `outcome` each file it read, with its time taken before the read. */
  private async run(file: string, outcome: Outcome): Promise<TransformedStyle> {
    const note = (one: string) => {
      // Files of packages change only with an install, which a dev loop does not follow.
      if (!one.split(path.sep).includes("node_modules")) this.sources.add(one);
      if (!outcome.read.has(one)) outcome.read.set(one, modified(one));
    };
    const postcss = await this.loadPostcss(file);
    let css: string;
    let map: unknown;
    if (SASS_FILE.test(file)) {
      ({ css, map } = await this.sass.compile(file, note, postcss !== undefined));
    } else {
      note(file);
      try {
        css = await readFile(file, "utf8");
      } catch (error) {
        throw new StyleError([moduleMessage(file, (error as Error).message)]);
      }
    }
    if (postcss) {
      const started = Date.now();
      const processed = await postcss.process(css, file, map);
      processed.dependencies.forEach(note);
      // Files a plugin read before saying so: one saved meanwhile may be newer than what it read.
      if (processed.dependencies.some((one) => (outcome.read.get(one) ?? 0) >= started)) outcome.volatile = true;
      if (processed.readsFolders) outcome.volatile = true;
      css = processed.css;
    }
    return { css };
  }

  /**
   * The app's PostCSS, loaded once; a config that cannot be loaded fails each stylesheet with its
   * reason, one message for all of them (reported once), and is tried again by the next compile.
   */
  private loadPostcss(file: string): Promise<PostcssRunner | undefined> {
    if (!this.postcss) {
      this.postcss = loadPostcss(this.pagesDir, this.dev, this.site.postcssPlugins);
      this.postcss.catch(() => (this.postcssFailed = true));
    }
    return this.postcss.catch((error: unknown): never => {
      throw new StyleError([sharedMessage(file, error instanceof Error ? error.message : String(error))]);
    });
  }
}

/** A file's modification time, or -1 when it cannot be read (gone). */
function modified(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

/** A Gatsby site's styling plugins' options (gatsby-site/plugins.ts reads them from its config). */
export interface SiteStyleOptions {
  sass?: SassSiteOptions;
  /** `gatsby-plugin-postcss`'s `postCssPlugins`: PostCSS plugins, used instead of a config file. */
  postcssPlugins?: readonly unknown[] | undefined;
}

/** JSON.stringify's replacer for {@link SiteStyleOptions}: plugin objects are compared by identity, not text. */
function plugins(key: string, value: unknown): unknown {
  return key === "postcssPlugins" ? undefined : value;
}
