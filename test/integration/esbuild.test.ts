/**
 * ssr-pages' own esbuild (src/pages/esbuild.ts): its service process ends once the pages are
 * compiled, so a server does not keep a compiler's memory for its whole life, and the host's own
 * esbuild (the shared module, its service, its contexts) is never stopped by it.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { createRequire } from "node:module";
import { createSsrHandler, type SsrHandler } from "../../src/index.js";

const PAGES = path.resolve("test/fixtures/pages");

/**
 * The process ids of this process's children that run esbuild (Linux: read from /proc), leaving out
 * those in `before`: the test runner's TypeScript loader runs an esbuild of its own.
 */
function esbuildChildren(before: readonly number[] = []): number[] {
  const children: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // it ended while we looked
    }
    // `pid (comm) state ppid …`: the name can hold spaces and parentheses, so split after the last ")".
    const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    const [state, parent] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // A zombie (Z) has ended, its memory is freed; it waits only for Node to collect its exit status.
    if (Number(parent) === process.pid && name === "esbuild" && state !== "Z" && !before.includes(Number(entry)))
      children.push(Number(entry));
  }
  return children;
}

/** `esbuildChildren(before)` once it equals `expected`, or after 5 s: a stopped process takes a moment to end. */
async function settledChildren(before: readonly number[], expected: readonly number[]): Promise<number[]> {
  for (let waited = 0; ; waited += 10) {
    const children = esbuildChildren(before);
    if (waited >= 5000 || String(children) === String(expected)) return children;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A handler for the fixture pages that records its compile errors. */
function compiled(dev: boolean): { handler: SsrHandler; errors: unknown[] } {
  const errors: unknown[] = [];
  // One-shot compiles: a watching dev loop keeps its esbuild service for the next rebuild, by design.
  const handler = createSsrHandler(PAGES, { dev, watch: false, onError: (error) => errors.push(error) });
  return { handler, errors };
}

// Linux only: the processes are read from /proc. A hang (an esbuild call left waiting on a stopped
// service) fails on the timeout instead of stalling the suite.
describe(
  "ssr-pages' esbuild",
  { skip: process.platform !== "linux" && "reads child processes from /proc (Linux)", timeout: 60_000 },
  () => {
    // First in this file, so ssr-pages' copy of esbuild is loaded while none is in require.cache: the
    // host's `require` afterwards must get a module of its own, not ssr-pages' copy.
    it("never stops the host's esbuild, required after ours was loaded, nor a watch context it holds", async () => {
      const require = createRequire(import.meta.url);
      const file = require.resolve("esbuild");
      const runners = require.cache[file]; // the test runner's TypeScript loader has one: put it back after
      delete require.cache[file];
      try {
        const others = esbuildChildren();
        const first = compiled(false);
        await first.handler.ready;
        const esbuild = require("esbuild") as typeof import("esbuild");
        const host = await esbuild.context({ stdin: { contents: "export const x = 1;" }, write: false });
        try {
          const hostServices = esbuildChildren(others);
          assert.equal(hostServices.length, 1, "the host's service runs");
          const second = compiled(false);
          const during = await esbuild.transform("let a: number = 1", { loader: "ts" });
          assert.match(during.code, /let a = 1/);
          await second.handler.ready;
          assert.deepEqual([...first.errors, ...second.errors], []);
          assert.deepEqual(
            await settledChildren(others, hostServices),
            hostServices,
            "ours ended, the host's is the one left",
          );
          const rebuilt = await host.rebuild();
          assert.match(rebuilt.outputFiles?.[0]?.text ?? "", /x = 1/, "the host's context still builds");
        } finally {
          await host.dispose();
        }
      } finally {
        if (runners) require.cache[file] = runners;
      }
    });

    it("ends its service process once the pages are compiled, also when two compiles overlap", async (t) => {
      // A host that loaded esbuild before ssr-pages (here, the test runner's copy): its context lives on.
      const shared = createRequire(import.meta.url)("esbuild") as typeof import("esbuild");
      const host = await shared.context({ stdin: { contents: "export const y = 2;" }, write: false });
      t.after(() => host.dispose());
      const others = esbuildChildren();
      // Both compiles start as soon as the compiler's module is loaded (the handler imports it only when it compiles).
      const compiles = [compiled(false), compiled(true)];
      await until(() => esbuildChildren(others).length > 0);
      assert.equal(esbuildChildren(others).length, 1, "one service for both compiles while they run");
      await Promise.all(compiles.map(({ handler }) => handler.ready));
      assert.deepEqual(await settledChildren(others, []), [], "no esbuild process left once both are compiled");
      for (const { handler, errors } of compiles) {
        assert.deepEqual(errors, [], "both compiles finished their work before the service stopped");
        const response = await handler.handle({ method: "GET", url: "/", base: "", headers: {} });
        assert.equal(response?.status, 200, "pages serve: nothing needs esbuild after the compile");
      }
      const again = compiled(false);
      await until(() => esbuildChildren(others).length > 0);
      assert.equal(esbuildChildren(others).length, 1, "a later compile starts it again");
      await again.handler.ready;
      assert.deepEqual(again.errors, []);
      assert.deepEqual(await settledChildren(others, []), [], "and ends it again");
      assert.match((await host.rebuild()).outputFiles?.[0]?.text ?? "", /y = 2/, "the host's context still builds");
    });
  },
);

/** Resolves once `done()` holds (checked every few milliseconds, for at most 5 s). */
async function until(done: () => boolean): Promise<void> {
  for (let waited = 0; !done(); waited += 5) {
    if (waited > 5_000) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
