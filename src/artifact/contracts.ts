/** What `build()` takes, gives and throws: apart from it, so the package's entry can name them without loading the compiler. */

/** Options of `build()`. */
export interface BuildOptions {
  /**
   * The folder to write the build to.
   * @default `<pagesDir>/../.ssr-pages`
   */
  out?: string;
  /**
   * The mount path the static pages are rendered under (their links and asset URLs carry it): the
   * `basePath` the server will be given, plus any path the framework mounts it at
   * (`app.use("/shop", …)`). Served under another mount path, a static page is rendered on its first
   * request there and kept.
   * @default ""
   */
  basePath?: string;
  /** As the middleware's option. @default true */
  client?: boolean;
  /** As the middleware's option. @default the site of `<site>/src/pages`, else none */
  gatsbyRoot?: string | false;
  /** The `lang` of `<html>` of the static pages. @default "en" */
  lang?: string;
  /**
   * How many earlier builds in `out` keep their browser files served, so a tab still running one
   * can load the chunks it asks for (its next navigation is a full load of the new build).
   * @default 0
   */
  keepPrevious?: number;
}

/** What `build()` made. */
export interface BuildSummary {
  out: string;
  buildId: string;
  /** Route pages (the special pages not counted). */
  pages: number;
  /** Pages rendered at build time. */
  staticPages: number;
  /** Image variants made at build time. */
  images: number;
  serverBytes: number;
  browserBytes: number;
  browserBrotliBytes: number;
  files: number;
  milliseconds: number;
}

/** A build that did not complete: every file's error, in `errors`. Nothing was written as if good. */
export class BuildError extends Error {
  constructor(readonly errors: ReadonlyArray<{ file: string | undefined; message: string }>) {
    super(
      `ssr-pages: the build failed with ${errors.length} error${errors.length === 1 ? "" : "s"}:\n${errors.map((error) => `  ${error.message.split("\n").join("\n  ")}`).join("\n")}`,
    );
    this.name = "BuildError";
  }
}
