/**
 * The development document's refresh preamble (client/refresh-preamble.ts): React's refresh
 * runtime as one classic script, built once per esbuild service. A classic script, not a module of
 * the browser build: it must run before React DOM, which the build's chunks may start in any order
 * among the entry's imports, and it must be the same runtime for every build of a session (a new
 * build's modules register with the families the first build's did).
 */
import type { Esbuild } from "./esbuild.js";
import { fileHash } from "./file-hash.js";

/** The preamble as a file of the browser build. */
export interface RefreshPreamble {
  name: string;
  contents: Uint8Array;
}

const built = new WeakMap<Esbuild, Promise<RefreshPreamble>>();

/** The preamble built from `file` (its source in ssr-pages), once for each esbuild service. */
export function refreshPreamble(esbuild: Esbuild, file: string): Promise<RefreshPreamble> {
  let preamble = built.get(esbuild);
  if (preamble === undefined) {
    preamble = build(esbuild, file);
    built.set(esbuild, preamble);
    // A failure is not kept: the next build tries again.
    preamble.catch(() => built.delete(esbuild));
  }
  return preamble;
}

async function build(esbuild: Esbuild, file: string): Promise<RefreshPreamble> {
  const result = await esbuild.build({
    entryPoints: [file],
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "es2020",
    // React's refresh runtime exists in its development build only.
    define: { "process.env.NODE_ENV": '"development"' },
    write: false,
    logLevel: "silent",
  });
  const contents = (result.outputFiles[0] as { contents: Uint8Array }).contents;
  const hash = fileHash(contents);
  return { name: `refresh-${hash}.js`, contents };
}
