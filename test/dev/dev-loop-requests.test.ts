/**
 * The dev loop's bookkeeping of pages asked for, with a stand-in compile (no esbuild): a request is
 * answered by a build that started after its page was added, never by one already under way without
 * it; requests of a page a running build includes share that build; requests that come during a
 * build are gathered into one more; a build that fails as a whole fails the requests that waited for
 * it and the next request compiles again; close() fails those still waiting.
 */
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { DevLoop, type DevBuildRequest } from "../../src/dev/dev-loop.js";
import type { Build } from "../../src/runtime/build.js";

/** What of a build the loop reads. */
function fakeBuild(name: string): Build {
  return { name, sources: [], folders: [], errors: [], pageErrors: new Set(), client: undefined } as unknown as Build;
}

/** A loop whose compiles wait until the test lets them end. */
function loopWithCompiles(dir: string) {
  const asked: Array<{ pages: string[]; finish: (result: Build | Error) => void }> = [];
  const loop = new DevLoop({
    pagesDir: dir,
    folders: [],
    load: (request: DevBuildRequest) =>
      new Promise<Build>((resolve, reject) => {
        const pages = [...(request.pages ?? [])].sort();
        asked.push({ pages, finish: (result) => (result instanceof Error ? reject(result) : resolve(result)) });
      }),
    changesPages: () => false,
    swap: () => undefined,
    onFailure: () => undefined,
  });
  loop.start(fakeBuild("routes"));
  /** The compile asked for next, once the loop asks for it. */
  const nextCompile = async () => {
    for (let tries = 0; tries < 200; tries++) {
      const found = asked.shift();
      if (found) return found;
      await delay(5);
    }
    throw new Error("no compile was asked for");
  };
  return { loop, nextCompile, pending: () => asked.length };
}

const name = (build: Build) => (build as unknown as { name: string }).name;

describe("the dev loop's requests", () => {
  const root = path.resolve(".tmp");
  mkdirSync(root, { recursive: true });
  const dir = mkdtempSync(path.join(root, "dev-requests-"));
  const routes = fakeBuild("routes");
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("answers a request with a build that started after its page was added, and gathers those that came meanwhile", async () => {
    const { loop, nextCompile, pending } = loopWithCompiles(dir);
    try {
      const a = loop.buildWith(routes, "a.tsx") as Promise<Build>;
      const first = await nextCompile();
      assert.deepEqual(first.pages, ["a.tsx"]);
      // During the first compile: b is not in it; a second request of a is.
      const b = loop.buildWith(routes, "b.tsx") as Promise<Build>;
      const c = loop.buildWith(routes, "c.tsx") as Promise<Build>;
      const aAgain = loop.buildWith(routes, "a.tsx") as Promise<Build>;
      first.finish(fakeBuild("one"));
      assert.equal(name(await a), "one");
      assert.equal(name(await aAgain), "one", "the build under way had it: no compile of its own");
      const second = await nextCompile();
      assert.deepEqual(second.pages, ["a.tsx", "b.tsx", "c.tsx"], "b and c in one compile, with a");
      second.finish(fakeBuild("two"));
      assert.equal(name(await b), "two");
      assert.equal(name(await c), "two");
      await delay(30);
      assert.equal(pending(), 0, "no compile more");
      const compiled = loop.buildWith(routes, "b.tsx");
      assert.ok(
        !(compiled instanceof Promise) && name(compiled) === "two",
        "a page compiled is answered by the build being served, at once",
      );
    } finally {
      await loop.close();
    }
  });

  it("fails the requests of a compile that failed as a whole, and compiles again for the next request", async () => {
    const { loop, nextCompile } = loopWithCompiles(dir);
    try {
      const a = loop.buildWith(routes, "a.tsx") as Promise<Build>;
      (await nextCompile()).finish(new Error("the compiler crashed"));
      await assert.rejects(a, /the compiler crashed/);
      const again = loop.buildWith(routes, "a.tsx") as Promise<Build>;
      assert.ok(again instanceof Promise);
      const retry = await nextCompile();
      assert.deepEqual(retry.pages, ["a.tsx"]);
      retry.finish(fakeBuild("fixed"));
      assert.equal(name(await again), "fixed");
    } finally {
      await loop.close();
    }
  });

  it("close() fails the requests still waiting for a compile, at once", async () => {
    const { loop, nextCompile } = loopWithCompiles(dir);
    const a = loop.buildWith(routes, "a.tsx") as Promise<Build>;
    const running = await nextCompile();
    const closed = loop.close();
    await assert.rejects(a, /closed before the page was compiled/);
    running.finish(fakeBuild("late"));
    await closed;
    await assert.rejects(loop.buildWith(routes, "b.tsx") as Promise<Build>, /closed/);
  });
});
