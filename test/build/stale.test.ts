// A server started from a build compares the whole pages directory with the build's pages once it
// has started: a page added or removed since the build is said through onError (it keeps serving).
import assert from "node:assert/strict";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { build, createSsrHandler, type ErrorInfo } from "../../src/index.js";
import { copyDir, OTHER_PAGES, removeScratch, scratch } from "./helpers.js";

describe("a served build older than its pages", () => {
  let tmp: string;
  let pages: string;
  let out: string;

  before(async () => {
    tmp = scratch("stale");
    pages = copyDir(OTHER_PAGES, path.join(tmp, "pages"));
    out = path.join(tmp, "out");
    await build(pages, { out });
  });
  after(() => removeScratch(tmp));

  const reported = async (): Promise<Array<{ error: unknown; info: ErrorInfo }>> => {
    const calls: Array<{ error: unknown; info: ErrorInfo }> = [];
    const handler = createSsrHandler(pages, { build: out, onError: (error, info) => calls.push({ error, info }) });
    const response = await handler.handle({ method: "GET", url: "/", base: "", headers: {} });
    assert.equal(response?.status, 200, "the build serves");
    for (let waited = 0; calls.length === 0 && waited < 6_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    return calls;
  };

  it("says nothing while they agree", async () => {
    assert.deepEqual(await reported(), []);
  });

  it("names a page added where the start does not look (a new folder), once the server runs", async () => {
    mkdirSync(path.join(pages, "deep"));
    writeFileSync(path.join(pages, "deep", "added.tsx"), "export default function Added() { return <p>added</p>; }\n");
    const calls = await reported();
    assert.equal(calls.length, 1);
    assert.match(String((calls[0]?.error as Error).message), /older than the pages .*not in the build: deep\/added\.tsx/);
    assert.equal(calls[0]?.info.phase, "compile");
    rmSync(path.join(pages, "deep"), { recursive: true });
  });
});
