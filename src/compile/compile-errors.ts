/** Compile failures, one per file, with the file's location in the message. */
import path from "node:path";
import type * as esbuild from "esbuild";
import { CompileError } from "../errors.js";

export { CompileError } from "../errors.js";

/** Turns esbuild's failure into one error per file, with `file:line:column` in each message. */
export function fileErrors(error: unknown, pagesDir: string, fallback = "compile failed"): CompileError[] {
  const messages = (error as { errors?: esbuild.Message[] } | null)?.errors;
  if (!messages || messages.length === 0)
    return [new CompileError(`ssr-pages: ${fallback}: ${String(error)}`, undefined)];
  return messages.map((message) => {
    // One cause of every stylesheet (a PostCSS config that cannot load): said once, without the
    // place of whichever import met it first (esbuild locates a plugin's message there).
    if ((message.detail as { shared?: unknown } | undefined)?.shared === true)
      return new CompileError(`ssr-pages: ${message.text}`, undefined);
    const location = message.location;
    if (!location) return new CompileError(`ssr-pages: ${message.text}`, undefined);
    const named = withoutNamespace(location.file);
    const file = path.relative(pagesDir, path.resolve(pagesDir, named)).split(path.sep).join("/");
    // A plugin's message may name only the file (a PostCSS config that cannot load): no line to show.
    if (!location.line) return new CompileError(`${file}: ${message.text}`, file);
    const { text, column } = around(location.lineText, location.column);
    return new CompileError(
      `${file}:${location.line}:${location.column + 1}: ${message.text}\n    ${text}\n    ${" ".repeat(column)}^`,
      file,
    );
  });
}

/** At most {@link FRAME} characters of a long line (minified, or JSX on one line) around `column`, and where `column` is in them. */
function around(line: string, column: number): { text: string; column: number } {
  if (line.length <= FRAME) return { text: line, column };
  const start = Math.max(0, Math.min(column - FRAME / 2, line.length - FRAME));
  const cut = line.slice(start, start + FRAME);
  const head = start > 0 ? "…" : "";
  return { text: head + cut + (start + FRAME < line.length ? "…" : ""), column: column - start + head.length };
}

const FRAME = 100;

/**
 * A file our plugins load under a namespace of their own (`ssr-css-text:card.module.css`) is still
 * that file (relative to the pages directory: see {@link moduleKey}).
 */
export function withoutNamespace(input: string): string {
  return input.replace(/^ssr-(?:css-module|css-none|css-text|asset|styled):/, "");
}

/**
 * The name a plugin gives a file it loads under a namespace of its own: its path relative to the
 * pages directory (esbuild's `absWorkingDir`). esbuild writes these names into the output (and its
 * hashes), so an absolute path would make the build depend on where the sources are: the same
 * sources in two folders must build byte for byte the same.
 */
export function moduleKey(pagesDir: string, file: string): string {
  return path.relative(pagesDir, file).split(path.sep).join("/");
}

/** The file a {@link moduleKey} names. */
export function moduleFile(pagesDir: string, key: string): string {
  return path.resolve(pagesDir, key);
}
