/**
 * This package's version, from its own package.json (found upward from this file, which sits at a
 * different depth in the sources and in `dist`): what a production build records, and what a served
 * build is checked against.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

let version: string | undefined;

/** The version of ssr-pages running. */
export function ssrPagesVersion(): string {
  if (version !== undefined) return version;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = path.join(dir, "package.json");
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, "utf8")) as { name?: unknown; version?: unknown };
      if (manifest.name === "ssr-pages" && typeof manifest.version === "string") return (version = manifest.version);
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error("ssr-pages: its own package.json cannot be found; reinstall ssr-pages");
    dir = up;
  }
}
