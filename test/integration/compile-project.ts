/**
 * Compiles small throw-away projects for the integration tests: files written under `.tmp/` (inside
 * the repository, so pages resolve this checkout's React and the style tools), removed after the
 * test file, compiled with the real compiler.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after } from "node:test";
import { compilePages, type ClientFiles, type CompileInput, type CompileOutput } from "../../src/compile/compile.js";

export const client: ClientFiles = {
  entry: path.resolve("src/client/entry.tsx"),
  index: path.resolve("src/client/index.ts"),
  gatsby: path.resolve("src/gatsby/index.tsx"),
  devClient: path.resolve("src/client/dev-client.ts"),
  gatsbyImage: path.resolve("src/gatsby-image/index.tsx"),
  refreshRuntime: path.resolve("src/client/refresh-runtime.ts"),
  refreshPreamble: path.resolve("src/client/refresh-preamble.ts"),
};
export const NO_SPECIAL: CompileInput["special"] = {
  errorPage: undefined,
  notFoundPage: undefined,
  app: undefined,
  gatsbySsr: undefined,
  gatsbyBrowser: undefined,
};

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Writes `files` (paths relative to a new folder) and returns its `pages` folder: files outside it (`../x`) are allowed. */
export function project(files: Record<string, string | Buffer>, prefix = "project-"): string {
  const root = path.resolve(".tmp");
  mkdirSync(root, { recursive: true });
  const dir = mkdtempSync(path.join(root, prefix));
  dirs.push(dir);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return path.join(dir, "pages");
}

/** Compiles `pages` (relative to `pagesDir`) with the browser runtime of this checkout. */
export function compile(
  pagesDir: string,
  pages: readonly string[],
  dev: boolean,
  env: NodeJS.ProcessEnv = {},
  special: CompileInput["special"] = NO_SPECIAL,
): Promise<CompileOutput> {
  return compilePages({ pagesDir, pages, special, dev, client, env });
}

/** The server code of a compile, as text. */
export const serverText = (output: CompileOutput): string => [...output.server.files.values()].map(String).join("\n");

/** Every browser file of a compile (and its assets), by name. */
export function browserText(output: CompileOutput): Map<string, string> {
  return new Map(
    [...(output.browser?.files ?? []), ...output.assets].map((file) => [
      file.name,
      Buffer.from(file.contents).toString("latin1"),
    ]),
  );
}

/** The stylesheets a page links (its own, not `_app`'s), joined. */
export function pageCss(output: CompileOutput, page: string): string {
  const text = browserText(output);
  return (output.browser?.pages.get(page)?.css ?? []).map((name) => text.get(name) ?? "").join("\n");
}
