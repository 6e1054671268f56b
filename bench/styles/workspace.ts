/**
 * The run's scratch folder, .tmp/bench-styles-* inside the repository (so generated pages resolve its
 * React, PostCSS and Tailwind): the sites, the compiled package, the child scripts, the PostCSS logs.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { ROOT } from "../lib/build.js";

export interface Workspace {
  dir: string;
  /** Where the counting PostCSS plugins log (outside the sites, which Tailwind scans). */
  counts: string;
  /** Removes the whole folder (safe to call again). */
  remove(): void;
}

export function createWorkspace(): Workspace {
  mkdirSync(path.join(ROOT, ".tmp"), { recursive: true });
  const dir = mkdtempSync(path.join(ROOT, ".tmp", "bench-styles-"));
  const counts = path.join(dir, "counts");
  mkdirSync(counts);
  return { dir, counts, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
