/**
 * ssr-pages' own esbuild (src/pages/esbuild.ts): its service process ends once the pages are
 * compiled, so a server does not keep a compiler's memory for its whole life, and the host's own
 * esbuild (the shared module, its service, its contexts) is never stopped by it.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import * as esbuild from "esbuild";
import { createSsrHandler } from "../../src/index.js";

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
    if (Number(parent) === process.pid && name === "esbuild" && state !== "Z" && !before.includes(Number(entry))) children.push(Number(entry));
  }
  return children;
}

/** `esbuildChildren(before)` once it equals `expected`, or after a second: a stopped process takes a moment to end. */
async function settledChildren(before: readonly number[], expected: readonly number[]): Promise<number[]> {
  for (let waited = 0; ; waited += 10) {
    const children = esbuildChildren(before);
    if (waited >= 1000 || String(children) === String(expected)) return children;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("ssr-pages' esbuild", () => {
  it("ends its service process once the pages are compiled, also when two compiles overlap", async () => {
    const others = esbuildChildren();
    const compiles = [createSsrHandler(PAGES, { dev: false }), createSsrHandler(PAGES, { dev: true })];
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(esbuildChildren(others).length, 1, "one service for both compiles while they run");
    await Promise.all(compiles.map((handler) => handler.ready));
    assert.deepEqual(await settledChildren(others, []), [], "no esbuild process left once both are compiled");
    const response = await compiles[0]?.handle({ method: "GET", url: "/", base: "", headers: {} });
    assert.equal(response?.status, 200, "pages still serve: nothing needs esbuild after the compile");
    const again = createSsrHandler(PAGES, { dev: false });
    await again.ready;
    assert.deepEqual(await settledChildren(others, []), [], "a later compile starts it again and ends it again");
  });

  it("never stops the host's esbuild, not even a watch context it holds during our compile", async () => {
    const others = esbuildChildren();
    const host = await esbuild.context({ stdin: { contents: "export const x = 1;" }, write: false });
    try {
      const hostServices = esbuildChildren(others);
      assert.equal(hostServices.length, 1, "the host's service runs");
      const handler = createSsrHandler(PAGES, { dev: false });
      const during = await esbuild.transform("let a: number = 1", { loader: "ts" });
      assert.match(during.code, /let a = 1/);
      await handler.ready;
      assert.deepEqual(await settledChildren(others, hostServices), hostServices, "ours ended, the host's is the one left");
      const rebuilt = await host.rebuild();
      assert.match(rebuilt.outputFiles?.[0]?.text ?? "", /x = 1/, "the host's context still builds");
    } finally {
      await host.dispose();
    }
  });
});
