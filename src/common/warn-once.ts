/**
 * ssr-pages' warnings (not errors: nothing failed, something is worse than it could be) are Node
 * process warnings, not console output: they print on stderr like Node's own, an app can take them
 * with `process.on("warning")` (name `SsrPagesWarning`), and `--no-warnings` silences them.
 */
const warned = new Set<string>();

/** Emits `message` as an `SsrPagesWarning`, once per process: dev rebuilds and later requests do not repeat it. */
export function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  process.emitWarning(message, "SsrPagesWarning");
}
