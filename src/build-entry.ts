/**
 * `build` as the package's entry exports it: the compiler is loaded when a build is made, not when a
 * server that serves one imports `ssr-pages`.
 */
import type { BuildOptions, BuildSummary } from "./artifact/build.js";

export type { BuildOptions, BuildSummary } from "./artifact/build.js";
export { BuildError } from "./artifact/build-error.js";

/**
 * Builds the pages of `pagesDir` for production (what `npx ssr-pages build` runs): compiled once,
 * the static pages rendered, written to `options.out` for `ssrMiddleware(pagesDir, { build: out })`.
 * @throws TypeError for bad options; BuildError naming each file that failed (nothing is written as if good).
 * @example
 * import { build } from "ssr-pages";
 * const summary = await build(path.join(import.meta.dirname, "pages"));
 * console.log(`${summary.pages} pages, ${summary.staticPages} static, in ${summary.out}`);
 */
export async function build(pagesDir: string, options?: BuildOptions): Promise<BuildSummary> {
  const builder = await import("./artifact/build.js");
  return builder.build(pagesDir, options);
}
