// A server started from a build compares the whole pages directory with the build's pages once it
// has started (2 s after): a page added or removed since the build is said through onError, and the
// server keeps serving the build it was given.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { build, createSsrHandler, type ErrorInfo } from "../../src/index.js";
import { copyDir, OTHER_PAGES, removeScratch, scratch } from "./helpers.js";

describe("a served build older than its pages", () => {
  let tmp: string;
  const sites = { same: { pages: "", out: "" }, changed: { pages: "", out: "" } };

  before(async () => {
    tmp = scratch("stale");
    for (const [name, site] of Object.entries(sites)) {
      site.pages = copyDir(OTHER_PAGES, path.join(tmp, name, "pages"));
      site.out = path.join(tmp, name, "out");
      await build(site.pages, { out: site.out });
    }
    // A page in a new folder, where the start's own checks do not look.
    mkdirSync(path.join(sites.changed.pages, "deep"));
    writeFileSync(
      path.join(sites.changed.pages, "deep", "added.tsx"),
      "export default function Added() { return <p>added</p>; }\n",
    );
  });
  after(() => removeScratch(tmp));

  /** What a server of the site's build reports within 3 s of its start (the comparison runs at 2 s). */
  const reported = async (site: {
    pages: string;
    out: string;
  }): Promise<Array<{ error: unknown; info: ErrorInfo }>> => {
    const calls: Array<{ error: unknown; info: ErrorInfo }> = [];
    const handler = createSsrHandler(site.pages, {
      build: site.out,
      onError: (error, info) => calls.push({ error, info }),
    });
    const response = await handler.handle({ method: "GET", url: "/", base: "", headers: {} });
    assert.equal(response?.status, 200, "the build serves");
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    return calls;
  };

  it("names a page added since the build once the server runs, and says nothing while they agree", async () => {
    const [same, changed] = await Promise.all([reported(sites.same), reported(sites.changed)]);
    assert.deepEqual(same, []);
    assert.equal(changed.length, 1);
    assert.match(
      String((changed[0]?.error as Error).message),
      /older than the pages .*not in the build: deep\/added\.tsx/,
    );
    assert.equal(changed[0]?.info.phase, "compile");
  });
});
