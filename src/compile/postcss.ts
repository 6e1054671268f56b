/**
 * The app's PostCSS config (Tailwind, autoprefixer, nesting …), found and loaded by
 * `postcss-load-config`, the loader PostCSS's own CLI and Vite use: `postcss.config.{js,cjs,mjs,ts}`,
 * `.postcssrc*` or `"postcss"` in `package.json`, from the pages directory upward. PostCSS itself is
 * the app's: it is loaded (from the config's folder) only when a config is found.
 */
import path from "node:path";
import type * as EsbuildApi from "esbuild";
import { loadOptionalPeer, missingPeer } from "../common/optional-peer.js";
import { moduleMessage, StyleError } from "./style-error.js";

/** The part of PostCSS's API ssr-pages uses. */
interface PostcssApi {
  (plugins: unknown[]): { process(css: string, options: Record<string, unknown>): Promise<PostcssResult> };
}

interface PostcssResult {
  css: string;
  messages: Array<{ type: string; file?: string; plugin?: string }>;
}

/** What a CSS error of PostCSS (`CssSyntaxError`, also what plugins throw through `node.error()`) carries. */
interface CssSyntaxError extends Error {
  reason?: string;
  file?: string;
  line?: number;
  column?: number;
  plugin?: string;
  source?: string;
}

/** The app's PostCSS, ready to run: one per compile context (its plugins keep their caches between rebuilds). */
export interface PostcssRunner {
  /** The config file, for messages. */
  file: string;
  /**
   * Runs every plugin on `css` (the contents of `file`, or what Sass made of it, with Sass's source
   * map as `map`, so an error points at the `.scss` line): the CSS, the files plugins say they read,
   * and whether they read whole folders too (Tailwind scanning for classes). Rejects with a
   * {@link StyleError}.
   */
  process(
    css: string,
    file: string,
    map?: unknown,
  ): Promise<{ css: string; dependencies: string[]; readsFolders: boolean }>;
}

type LoadConfig = (
  context: Record<string, unknown>,
  from: string,
) => Promise<{ file: string; options: Record<string, unknown>; plugins: unknown[] }>;

/**
 * The app's PostCSS config as seen from `pagesDir`, or `undefined` when it has none.
 * @throws (rejects) when the config cannot be loaded (a syntax error, a plugin that is not
 * installed), or when `postcss` itself is not installed: the message names the file or the package.
 */
export async function loadPostcss(
  pagesDir: string,
  dev: boolean,
  sitePlugins?: readonly unknown[],
): Promise<PostcssRunner | undefined> {
  if (sitePlugins !== undefined)
    return postcssRunner(sitePlugins, {}, "gatsby-plugin-postcss's postCssPlugins", pagesDir);
  // Imported here, not at the top: an app without a config never needs the loader's own modules.
  const { default: loadConfig } = (await import("postcss-load-config")) as unknown as { default: LoadConfig };
  let config: Awaited<ReturnType<LoadConfig>>;
  try {
    // `env` given: the loader would otherwise set process.env.NODE_ENV for the whole process.
    config = await loadConfig({ env: dev ? "development" : "production", cwd: pagesDir }, pagesDir);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (message.startsWith("No PostCSS Config found")) return undefined;
    // A plugin the config names that is not installed: named as a missing package.
    const missing = /^Loading PostCSS Plugin failed: Cannot find module '([^']+)'/.exec(message)?.[1];
    if (missing !== undefined) throw missingPeer([missing], `the PostCSS config (found from ${pagesDir} upward)`);
    throw new Error(
      `the PostCSS config (found from ${pagesDir} upward) could not be loaded: ${message.split("\nRequire stack:")[0]}`,
      { cause: error },
    );
  }
  return postcssRunner(config.plugins, config.options, config.file, path.dirname(config.file));
}

/** A runner of `plugins` with the app's `postcss` (from `fromDir`); `file` names where they come from. */
function postcssRunner(
  plugins: readonly unknown[],
  options: Record<string, unknown>,
  file: string,
  fromDir: string,
): PostcssRunner {
  const postcss = loadOptionalPeer<PostcssApi>("postcss", fromDir);
  if (!postcss) throw missingPeer(["postcss"], file);
  const processor = postcss([...plugins]);
  const config = { options };
  return {
    file,
    async process(css, file, map) {
      let result: PostcssResult;
      try {
        // `to` is the file itself: a plugin that rewrites url()s keeps them relative to the same folder.
        result = await processor.process(css, {
          ...config.options,
          from: file,
          to: file,
          map: map === undefined ? false : { prev: map, inline: false, annotation: false },
        });
      } catch (error) {
        throw new StyleError([postcssMessage(error as CssSyntaxError, file)]);
      }
      const dependencies = result.messages
        .filter((message) => message.type === "dependency" && typeof message.file === "string")
        .map((message) => message.file as string);
      return {
        css: result.css,
        dependencies,
        readsFolders: result.messages.some((message) => message.type === "dir-dependency"),
      };
    },
  };
}

function postcssMessage(error: CssSyntaxError, file: string): EsbuildApi.PartialMessage {
  const text = `${error.plugin ? `${error.plugin}: ` : ""}${error.reason ?? error.message}`;
  if (error.line === undefined) return moduleMessage(file, text);
  const lineText = error.source?.split("\n")[error.line - 1] ?? "";
  return moduleMessage(file, text, {
    file: error.file ?? file,
    line: error.line,
    column: Math.max(0, (error.column ?? 1) - 1),
    lineText,
  });
}
