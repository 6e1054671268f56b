#!/usr/bin/env node
/**
 * The `ssr-pages` command. `ssr-pages build <pagesDir> [--out <dir>] [--base-path <path>]
 * [--keep-previous <n>] [--no-client]`: a thin shell around `build()` (artifact/build.ts) that prints
 * what it built, or each file's error and exits 1.
 */
import { parseArgs } from "node:util";
import { realpathSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "./handler.js";
import { BuildError } from "./artifact/contracts.js";

const USAGE = `Usage: ssr-pages build <pagesDir> [options]

Compiles the pages for production, renders the static ones, and writes the build that
ssrMiddleware(pagesDir, { build: "<out>" }) serves.

Options:
  --out <dir>           where to write it (default: <pagesDir>/../.ssr-pages)
  --base-path <path>    the mount path the static pages are rendered under (default: none)
  --lang <code>         the lang of <html> of the static pages (default: en)
  --keep-previous <n>   keep the browser files of the last n builds in <out> served (default: 0)
  --no-client           no browser build: pages are plain HTML
  -h, --help            this text`;

/** A line to standard output (what the command made). */
const toStdout = (line: string): void => void process.stdout.write(`${line}\n`);
/** A line to standard error (usage, failures). */
const toStderr = (line: string): void => void process.stderr.write(`${line}\n`);

/** Runs the command line `args` (without `node` and the script). @returns the exit code. */
export async function main(
  args: readonly string[],
  print: (line: string) => void = toStdout,
  printError: (line: string) => void = toStderr,
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        out: { type: "string" },
        "base-path": { type: "string" },
        lang: { type: "string" },
        "keep-previous": { type: "string" },
        "no-client": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    printError(`ssr-pages: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    print(USAGE);
    return 0;
  }
  const [command, pagesDir, ...extra] = positionals;
  if (command !== "build" || pagesDir === undefined || extra.length > 0) {
    printError(
      command === undefined || command === "build" ? USAGE : `ssr-pages: unknown command "${command}"\n\n${USAGE}`,
    );
    return 2;
  }
  const keep = values["keep-previous"];
  if (keep !== undefined && !/^\d+$/.test(keep)) {
    printError(`ssr-pages: --keep-previous must be a whole number, got ${JSON.stringify(keep)}`);
    return 2;
  }
  try {
    const summary = await build(path.resolve(pagesDir), {
      out: values.out === undefined ? undefined : path.resolve(values.out),
      basePath: values["base-path"],
      lang: values.lang,
      keepPrevious: keep === undefined ? undefined : Number(keep),
      client: values["no-client"] ? false : undefined,
    });
    const size = (bytes: number) =>
      bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} kB`;
    print(
      `ssr-pages: built ${summary.pages} page${summary.pages === 1 ? "" : "s"} (${summary.staticPages} static) in ${(summary.milliseconds / 1000).toFixed(1)} s`,
    );
    print(`  server  ${size(summary.serverBytes)}`);
    print(
      `  browser ${size(summary.browserBytes)} (${size(summary.browserBrotliBytes)} brotli)${summary.images > 0 ? `, ${summary.images} image variants` : ""}`,
    );
    print(`  build ${summary.buildId} in ${path.relative(process.cwd(), summary.out) || "."}`);
    return 0;
  } catch (error) {
    if (error instanceof BuildError) {
      printError(error.message);
      return 1;
    }
    printError(`ssr-pages: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

// Run when executed (`npx ssr-pages` runs it through a link: its real path), not when imported by a test.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
