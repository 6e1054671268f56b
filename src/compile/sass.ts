/**
 * `.scss` and `.sass` files, compiled with the app's own Sass: `sass-embedded` or `sass`, whichever
 * is installed (both, the faster one: see {@link SASS_PACKAGES}).
 *
 * Every stylesheet of a compile, the entry and each partial it loads, goes through one importer of
 * ours instead of Sass's file-system loading, for two reasons:
 * - `url()` in a partial is written relative to the partial, but Sass pastes the partial's rules into
 *   the entry's output unchanged, where esbuild resolves them from the entry's folder: a partial in
 *   another folder pointed at files that are not there (a well-known trap; webpack needs
 *   resolve-url-loader for it). Ours rewrites each relative `url()` of a partial as the same file
 *   seen from the entry's folder, as it loads the partial.
 * - `@use "bootstrap/scss/bootstrap"` (and `~bootstrap/…`, `pkg:bootstrap`) finds the package in the
 *   `node_modules` folders above the file, as Node would, with no `loadPaths` to configure.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type * as EsbuildApi from "esbuild";
import { loadOptionalPeer, missingPeer } from "../common/optional-peer.js";
import { moduleMessage, StyleError } from "./style-error.js";

/**
 * The Sass compilers ssr-pages can use, in order of preference when an app has both. `sass-embedded`
 * first: Dart Sass run natively in a child process, measured 3.7–8.5× faster than `sass` (Dart Sass
 * compiled to JavaScript) at start-up and 2–4× faster in the dev loop (bench/sass-compilers.ts;
 * docs/styles.md has the figures).
 */
export const SASS_PACKAGES = ["sass-embedded", "sass"] as const;

/** The part of Sass's JavaScript API (shared by `sass` and `sass-embedded`) that ssr-pages uses. */
interface SassApi {
  initAsyncCompiler(): Promise<AsyncCompiler>;
  compileString(source: string, options: Record<string, unknown>): SassResult;
}

interface SassResult {
  css: string;
  sourceMap?: unknown;
}

interface AsyncCompiler {
  compileStringAsync(source: string, options: Record<string, unknown>): Promise<SassResult>;
  dispose(): Promise<void>;
}

/**
 * How one package is driven. `sass-embedded`: one long-lived compiler, several files in flight (its
 * one-shot functions start a process per call). `sass`: its synchronous `compileString` (our importer
 * is synchronous), measured 3–4× faster than its asynchronous one, which is a slower build of the
 * same compiler.
 */
async function startCompiler(name: (typeof SASS_PACKAGES)[number], sass: SassApi): Promise<AsyncCompiler> {
  if (name === "sass-embedded") return sass.initAsyncCompiler();
  return {
    compileStringAsync: async (source, options) => sass.compileString(source, options),
    dispose: async () => undefined,
  };
}

interface SassException extends Error {
  sassMessage?: string;
  span?: { url?: URL; start: { line: number; column: number }; context?: string; text: string };
}

/**
 * One app's Sass compiler, started on first use and kept until {@link SassRunner.dispose} (a
 * long-lived compiler: `sass-embedded`'s child process starts once, not once per file).
 */
export class SassRunner {
  private compiler: Promise<AsyncCompiler> | undefined;

  private site: SassSiteOptions = {};

  constructor(private readonly appDir: string) {}

  /** A Gatsby site's `gatsby-plugin-sass` options, for the compiles from now on. */
  configure(site: SassSiteOptions): void {
    this.site = site;
  }

  /**
   * Compiles `file` (absolute, `.scss` or `.sass`) to CSS. `onRead` is told of each file before it is
   * read (the entry, each partial), also when the compile then fails: the dev loop watches them.
   * Rejects with a {@link StyleError} located where Sass found the problem (a partial, maybe).
   */
  async compile(
    file: string,
    onRead: (file: string) => void,
    withMap = false,
  ): Promise<{ css: string; map?: unknown }> {
    const starting = (this.compiler ??= this.start(file));
    let compiler: AsyncCompiler;
    try {
      compiler = await starting;
    } catch (error) {
      // Not installed (or broken): the next compile looks again, after the app installed it.
      if (this.compiler === starting) this.compiler = undefined;
      throw error;
    }
    onRead(file);
    const { additionalData, sassOptions = {} } = this.site;
    const own = readFileSync(file, "utf8");
    // gatsby-plugin-sass's `additionalData`: text (or a function of the file's text and path) put before each file.
    const source =
      typeof additionalData === "function"
        ? String(additionalData(own, file))
        : typeof additionalData === "string"
          ? additionalData + own
          : own;
    const importer = sassImporter(path.dirname(file), onRead);
    try {
      const result = await compiler.compileStringAsync(source, {
        // The site's own `sassOptions` (absolute `loadPaths`), ours over them.
        ...sassOptions,
        url: pathToFileURL(file),
        syntax: syntaxOf(file),
        importer,
        importers: [importer],
        style: "expanded",
        // Deprecation warnings of packages (Bootstrap's, on a newer Sass) are theirs to fix, not the app's.
        quietDeps: true,
        // For PostCSS, which runs next: its errors then point at the `.scss` line, with the line's text.
        sourceMap: withMap,
        sourceMapIncludeSources: withMap,
      });
      return { css: result.css, map: result.sourceMap };
    } catch (error) {
      const thrown = error as SassException;
      if (thrown.sassMessage === undefined) {
        // Not the stylesheet's fault (the compiler's process died): a new one for the next compile.
        if (this.compiler === starting) void this.dispose();
        throw new StyleError([moduleMessage(file, `Sass failed: ${thrown.message}`)]);
      }
      throw new StyleError([sassMessage(thrown, file)]);
    }
  }

  /** Stops the compiler (`sass-embedded`'s child process would keep Node running). */
  async dispose(): Promise<void> {
    const compiler = this.compiler;
    this.compiler = undefined;
    if (compiler)
      await compiler.then(
        (started) => started.dispose(),
        () => undefined,
      );
  }

  private async start(file: string): Promise<AsyncCompiler> {
    for (const name of SASS_PACKAGES) {
      const sass = loadOptionalPeer<SassApi>(name, this.appDir);
      if (sass) return startCompiler(name, sass);
    }
    throw new StyleError([moduleMessage(file, missingPeer(SASS_PACKAGES, `${path.basename(file)} (Sass)`).message)]);
  }
}

/** `.sass` is the indented syntax, `.css` plain CSS, anything else SCSS. */
function syntaxOf(file: string): "scss" | "indented" | "css" {
  const ext = path.extname(file).toLowerCase();
  return ext === ".sass" ? "indented" : ext === ".css" ? "css" : "scss";
}

/** A Sass exception as an esbuild message, located in the file Sass was reading (a partial, maybe). */
function sassMessage(error: SassException, entry: string): EsbuildApi.PartialMessage {
  const span = error.span;
  const text = error.sassMessage ?? error.message;
  if (!span?.url || span.url.protocol !== "file:") return moduleMessage(entry, text);
  const lineText = (span.context ?? span.text).split("\n")[0] ?? "";
  return moduleMessage(entry, text, {
    file: fileURLToPath(span.url),
    line: span.start.line + 1,
    column: span.start.column,
    lineText,
  });
}

/** The importer of one compile, whose output is read from `entryDir`; `onRead` hears of each file before it is read. */
function sassImporter(entryDir: string, onRead: (file: string) => void) {
  return {
    canonicalize(url: string, context: { fromImport: boolean; containingUrl: URL | null }): URL | null {
      if (url.startsWith("file:")) return found(findStylesheet(fileURLToPath(url), context.fromImport));
      if (/^[a-z][a-z0-9+.-]*:/i.test(url) && !url.startsWith("pkg:")) return null; // another importer's scheme (`sass:math` is Sass's own)
      // A package's stylesheet: in the node_modules folders above the file that loads it.
      const bare = url.replace(/^(pkg:|~)/, "");
      const from =
        context.containingUrl?.protocol === "file:" ? path.dirname(fileURLToPath(context.containingUrl)) : entryDir;
      for (let dir = from; ; dir = path.dirname(dir)) {
        const base = path.join(dir, "node_modules", bare);
        const file = findStylesheet(base, context.fromImport) ?? packageStylesheet(base);
        if (file !== undefined) return found(file);
        if (path.dirname(dir) === dir) return null;
      }
    },
    load(canonicalUrl: URL): { contents: string; syntax: "scss" | "indented" | "css" } {
      const file = fileURLToPath(canonicalUrl);
      onRead(file);
      const contents = readFileSync(file, "utf8");
      const dir = path.dirname(file);
      return { contents: dir === entryDir ? contents : rebaseUrls(contents, dir, entryDir), syntax: syntaxOf(file) };
    },
  };
}

const found = (file: string | undefined): URL | null => (file === undefined ? null : pathToFileURL(file));

const EXTENSIONS = [".sass", ".scss", ".css"];

/**
 * The stylesheet `base` names, found as Sass's own loader finds it: with its extension or without
 * (`.sass`, `.scss`, then `.css`), as a partial (`_name`), an import-only file (`name.import.scss`,
 * for `@import`), or a folder's `_index`/`index`. Two matches at one step are ambiguous.
 * @throws when `base` is ambiguous.
 */
export function findStylesheet(base: string, fromImport: boolean): string | undefined {
  return candidates(base, fromImport) ?? candidates(path.join(base, "index"), fromImport);
}

function candidates(base: string, fromImport: boolean): string | undefined {
  const dir = path.dirname(base);
  const name = path.basename(base);
  const ext = path.extname(name).toLowerCase();
  const variants = (stem: string, exts: readonly string[]) =>
    exts.flatMap((one) => [path.join(dir, stem + one), path.join(dir, `_${stem}${one}`)]);
  const pick = (files: string[]): string | undefined => {
    const existing = files.filter((file) => existsSync(file));
    if (existing.length > 1) throw new Error(`It's not clear which file to import. Found:\n  ${existing.join("\n  ")}`);
    return existing[0];
  };
  if (EXTENSIONS.includes(ext)) {
    const stem = name.slice(0, -ext.length);
    return (fromImport ? pick(variants(`${stem}.import`, [ext])) : undefined) ?? pick(variants(stem, [ext]));
  }
  if (fromImport) {
    const importOnly =
      pick(variants(`${name}.import`, [".sass", ".scss"])) ?? pick(variants(`${name}.import`, [".css"]));
    if (importOnly !== undefined) return importOnly;
  }
  return pick(variants(name, [".sass", ".scss"])) ?? pick(variants(name, [".css"]));
}

/** A package named alone (`@use "bootstrap"`): the stylesheet its `package.json` points at (`sass`, then `style`). */
function packageStylesheet(packageDir: string): string | undefined {
  const manifest = path.join(packageDir, "package.json");
  if (!existsSync(manifest)) return undefined;
  const fields = JSON.parse(readFileSync(manifest, "utf8")) as { sass?: unknown; style?: unknown };
  const entry =
    typeof fields.sass === "string" ? fields.sass : typeof fields.style === "string" ? fields.style : undefined;
  return entry === undefined ? undefined : path.join(packageDir, entry);
}

/** `url(…)` with its value quoted or not; the value is group 2 (quoted) or 3 (bare). */
const URL_TOKEN = /\burl\(\s*(["']?)([^"')\s]*)\1\s*\)/gi;

/**
 * Rewrites the relative `url()`s of a stylesheet in `fromDir` so they name the same files from
 * `toDir`. Left alone: absolute paths (the host's own), other schemes (`data:`, `https:`), fragments
 * (`#icon`), packages (`~pkg/x`) and values Sass computes (`$var`, `#{…}`).
 */
export function rebaseUrls(source: string, fromDir: string, toDir: string): string {
  return source.replace(URL_TOKEN, (token: string, quote: string, value: string) => {
    if (value === "" || /^([a-z][a-z0-9+.-]*:|[/#~$])/i.test(value) || value.includes("#{")) return token;
    let rebased = path.relative(toDir, path.resolve(fromDir, value)).split(path.sep).join("/");
    if (!rebased.startsWith(".")) rebased = `./${rebased}`;
    return `url(${quote}${rebased}${quote})`;
  });
}

/** `gatsby-plugin-sass`'s options that change what Sass makes. */
export interface SassSiteOptions {
  /** Put before each file's text: a string, or a function of the text and the file's path. */
  additionalData?: string | ((content: string, file: string) => unknown) | undefined;
  /** Options for Sass's compiler (`loadPaths`, absolute; `precision`…). */
  sassOptions?: Readonly<Record<string, unknown>> | undefined;
}
