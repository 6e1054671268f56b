/**
 * Development stacks that point at the page's own lines. Pages run from esbuild bundles, so a raw
 * frame names the page file but a line of the bundle; Node's `SourceMap` (public, no process-wide
 * `--enable-source-maps` needed) maps it back to the original file, line and column.
 */
import { SourceMap } from "node:module";

/** Source maps of the page bundles, by the file name their frames carry. */
export class StackMapper {
  private readonly maps = new Map<string, { text: string; parsed?: SourceMap }>();

  /** Remembers the source map of the server file that runs (or will run) under `filename`. */
  add(filename: string, map: string): void {
    this.maps.set(filename, { text: map });
  }

  /** Rewrites the frames of `stack` that point into a known bundle; leaves the others untouched. */
  map(stack: string): string {
    if (this.maps.size === 0) return stack;
    return stack.replace(
      /(\(|at )([^()\s][^()]*?):(\d+):(\d+)(\)?)$/gm,
      (frame, open: string, file: string, line: string, column: string, close: string) => {
        const entry = this.maps.get(file);
        if (!entry) return frame;
        entry.parsed ??= new SourceMap(JSON.parse(entry.text));
        const found = entry.parsed.findEntry(Number(line) - 1, Number(column) - 1) as {
          originalSource?: string;
          originalLine?: number;
          originalColumn?: number;
        };
        if (
          found.originalSource === undefined ||
          found.originalLine === undefined ||
          found.originalColumn === undefined
        )
          return frame;
        return `${open}${found.originalSource}:${found.originalLine + 1}:${found.originalColumn + 1}${close}`;
      },
    );
  }
}
