/**
 * ssr-pages' own copy of esbuild's JavaScript API, and its service process stopped when no compile
 * needs it.
 *
 * Why: esbuild's API runs one long-lived service process per loaded copy of its module, and that
 * process keeps the memory of its largest build for good (measured: 28 MB after compiling 10 pages,
 * 148 MB after 1,000, 1 GB after 10,000, still held minutes later). A server compiles its pages once,
 * at start-up, so that memory is pure waste. Stopping it is `esbuild.stop()`, but that stops the one
 * service every user of the module shares, the host's own builds and watch contexts included. So
 * ssr-pages loads a copy of the module of its own (through `require.cache`, which Node documents for
 * this: remove an entry and the next `require` loads the module again), whose service only ssr-pages
 * uses, and stops that one.
 */
import { createRequire } from "node:module";
import type * as EsbuildApi from "esbuild";

/** esbuild's JavaScript API. */
export type Esbuild = typeof EsbuildApi;

let copy: Esbuild | undefined;
let users = 0;

/**
 * Runs `work` with ssr-pages' esbuild. When the last of the compiles under way ends (they can
 * overlap: two middlewares in one app), the service process is stopped; the next compile starts it
 * again.
 */
export async function withEsbuild<T>(work: (esbuild: Esbuild) => Promise<T>): Promise<T> {
  const { esbuild, release } = holdEsbuild();
  try {
    return await work(esbuild);
  } finally {
    await release();
  }
}

/**
 * Keeps ssr-pages' esbuild (and its one service process) running until `release` is called: the
 * development compiler rebuilds on every save, and a process per rebuild would cost its start each time.
 */
export function holdEsbuild(): { esbuild: Esbuild; release: () => Promise<void> } {
  const esbuild = (copy ??= loadOwnCopy());
  users++;
  let released = false;
  return {
    esbuild,
    release: async () => {
      if (released) return;
      released = true;
      if (--users === 0) await esbuild.stop();
    },
  };
}

/** A fresh evaluation of esbuild's module, leaving the one in `require.cache` (if any) to its users. */
function loadOwnCopy(): Esbuild {
  const require = createRequire(import.meta.url);
  const file = require.resolve("esbuild");
  const shared = require.cache[file];
  delete require.cache[file];
  try {
    return require(file) as Esbuild;
  } finally {
    if (shared) require.cache[file] = shared;
    else delete require.cache[file];
  }
}
