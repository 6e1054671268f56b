/** A build that did not complete: every file's error, in `errors`. Nothing was written as if good. */
export class BuildError extends Error {
  constructor(readonly errors: ReadonlyArray<{ file: string | undefined; message: string }>) {
    super(`ssr-pages: the build failed with ${errors.length} error${errors.length === 1 ? "" : "s"}:\n${errors.map((error) => `  ${error.message.split("\n").join("\n  ")}`).join("\n")}`);
    this.name = "BuildError";
  }
}
