/**
 * Reproducible builds (the same sources give the same bytes, wherever the sources and the output are)
 * and keepPrevious (the browser files of the last n builds in an out folder stay served by the new
 * server, older ones are removed).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { createRequestListener } from "../../adapters/http.js";
import { build, type BuildSummary } from "../../src/index.js";
import {
  REPO,
  SITE_PAGES,
  SKEW_ROOT,
  copyDir,
  listen,
  rawGet,
  readManifest,
  readTree,
  removeScratch,
  scratch,
} from "./helpers.js";

/** Asserts two output folders hold the same file names with the same bytes. */
function assertSameTree(a: string, b: string): void {
  const left = readTree(a);
  const right = readTree(b);
  assert.deepEqual([...left.keys()], [...right.keys()], "the same file names");
  const differing = [...left].filter(([name, bytes]) => !bytes.equals(right.get(name) as Buffer)).map(([name]) => name);
  assert.deepEqual(differing, [], "the same bytes");
}

describe("reproducible builds", () => {
  let tmp: string;
  /** The fixture built in place, once: what every other build of the same sources is compared with. */
  let original: BuildSummary;
  let copyA: string;
  let copyAOut: BuildSummary;

  before(async () => {
    tmp = scratch("repro");
    original = await build(SITE_PAGES, { out: path.join(tmp, "original-out") });
  });
  after(() => removeScratch(tmp));

  it("the same sources built twice into two out folders: byte-identical trees, the same build id", async () => {
    const second = await build(SITE_PAGES, { out: path.join(tmp, "two", "nested", "out") });
    assert.equal(second.buildId, original.buildId);
    assertSameTree(original.out, second.out);
  });

  it("built by the command line in another process (another working directory): the same tree as build() here", async () => {
    const there = path.join(tmp, "by-cli");
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ["--import", "tsx", path.join(REPO, "src", "cli.ts"), "build", SITE_PAGES, "--out", there],
        { cwd: tmp, stdio: "ignore" },
      );
      child.on("error", reject);
      child.on("close", resolve);
    });
    assert.equal(code, 0);
    assertSameTree(original.out, there);
  });

  // The copies sit as deep below the repository (whose node_modules they resolve) as the fixture does:
  // <repo>/.tmp/<scratch>/<name>/pages and <repo>/test/fixtures/build-site/pages.
  it("the pages copied to two other absolute locations and built there: byte-identical to each other and to the original's", async () => {
    copyA = copyDir(SITE_PAGES, path.join(tmp, "site-a", "pages"));
    const copyB = copyDir(SITE_PAGES, path.join(tmp, "a-quite-different-name", "pages"));
    const [a, b] = await Promise.all([build(copyA), build(copyB, { out: path.join(tmp, "site-b-out") })]);
    copyAOut = a;
    assert.equal(a.out, path.join(tmp, "site-a", ".ssr-pages"));
    assert.equal(a.buildId, b.buildId);
    assert.equal(a.buildId, original.buildId);
    assertSameTree(a.out, b.out);
    assertSameTree(a.out, original.out);
  });

  // Not asserted: pages moved deeper while node_modules stays put. esbuild names chunks by a hash that
  // covers its inputs' paths relative to the pages directory (`../../node_modules/react/…`), so the
  // same sources give the same build when the project moves as a whole (pages and node_modules
  // keeping their places to each other, as in a checkout), which the two cases above and below check.

  it("a site with components outside its pages folder and a lazily loaded chunk, copied to two locations: identical output", async () => {
    const rootA = copyDir(SKEW_ROOT, path.join(tmp, "skew-a"));
    const rootB = copyDir(SKEW_ROOT, path.join(tmp, "skew-elsewhere"));
    const [a, b] = await Promise.all([
      build(path.join(rootA, "pages"), { out: path.join(tmp, "skew-a-out") }),
      build(path.join(rootB, "pages"), { out: path.join(tmp, "skew-b-out") }),
    ]);
    assert.equal(a.buildId, b.buildId);
    assertSameTree(a.out, b.out);
  });

  it("the same sources with a change: another build id", async () => {
    assert.ok(copyA && copyAOut, "the copy built above");
    const file = path.join(copyA, "about.tsx");
    const text = readFileSync(file, "utf8");
    assert.ok(text.includes("the lazy dog"));
    writeFileSync(file, text.replace("the lazy dog", "the lazy cat"));
    const changed = await build(copyA, { out: path.join(tmp, "changed-out") });
    assert.notEqual(changed.buildId, copyAOut.buildId);
  });
});

describe("keepPrevious", () => {
  let tmp: string;
  let pages: string;
  let out: string;
  let version = 0;

  before(() => {
    tmp = scratch("keep");
    pages = copyDir(SITE_PAGES, path.join(tmp, "site", "pages"));
    out = path.join(tmp, "out");
  });
  after(() => removeScratch(tmp));

  /** Changes the home page's code (so its browser module gets a new hashed name) and builds into `out`. */
  async function buildNext(keepPrevious: number): Promise<string> {
    version += 1;
    const file = path.join(pages, "index.tsx");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace(/static home page[^<]*/, `static home page, version ${version}`),
    );
    return (await build(pages, { out, keepPrevious })).buildId;
  }

  /** The browser file names of the build now in `out`. */
  function browserFiles(): string[] {
    return [...readManifest(out).files.names];
  }

  /** Status of each browser file name, asked of a server started from `out` now. */
  async function statuses(names: readonly string[]): Promise<number[]> {
    const listener = createRequestListener(pages, { build: out, onError: () => undefined });
    const served = await listen(listener);
    try {
      return await Promise.all(names.map(async (name) => (await rawGet(served.origin, `/_ssr-pages/${name}`)).status));
    } finally {
      await served.close();
      await listener.close();
    }
  }

  const only = (mine: readonly string[], theirs: readonly string[]) => mine.filter((name) => !theirs.includes(name));

  it("keepPrevious 1: the last build's files stay served; the one before is removed", async () => {
    const v1 = await buildNext(0);
    const files1 = browserFiles();
    const v2 = await buildNext(1);
    const files2 = browserFiles();
    const onlyIn1 = only(files1, files2);
    assert.ok(onlyIn1.length > 0, "the change gave the home page's module a new name");
    assert.deepEqual(
      readManifest(out).previous.map((one) => one.buildId),
      [v1],
    );
    assert.deepEqual(
      await statuses([...onlyIn1, ...files2]),
      [...onlyIn1, ...files2].map(() => 200),
      "v1's old names and v2's own answer 200",
    );

    const v3 = await buildNext(1);
    const files3 = browserFiles();
    const onlyIn2 = only(files2, files3);
    assert.deepEqual(
      readManifest(out).previous.map((one) => one.buildId),
      [v2],
    );
    assert.ok(!existsSync(path.join(out, v1)), "v1's folder removed");
    assert.deepEqual(readdirSync(out).sort(), [v2, v3, "ssr-pages.json"].sort());
    assert.deepEqual(
      await statuses(onlyIn2),
      onlyIn2.map(() => 200),
      "v2's files still served",
    );
    const gone = only(onlyIn1, files3);
    assert.ok(gone.length > 0);
    assert.ok(
      (await statuses(gone)).every((status) => status === 404),
      "v1's files no longer served",
    );
  });

  it("keepPrevious 2: the last two builds' files stay served", async () => {
    const va = await buildNext(1);
    const filesA = browserFiles();
    const vb = await buildNext(2);
    const filesB = browserFiles();
    const vc = await buildNext(2);
    const filesC = browserFiles();
    assert.deepEqual(
      readManifest(out).previous.map((one) => one.buildId),
      [vb, va],
      "the newest first",
    );
    const old = [...new Set([...only(filesA, filesC), ...only(filesB, filesC)])];
    assert.ok(old.length >= 2);
    assert.deepEqual(
      await statuses(old),
      old.map(() => 200),
    );
    assert.deepEqual(readdirSync(out).sort(), [va, vb, vc, "ssr-pages.json"].sort());
  });

  it("keepPrevious 0 (the default): every earlier build is removed and its files answer 404", async () => {
    const filesBefore = browserFiles();
    const id = await buildNext(0);
    assert.deepEqual(readManifest(out).previous, []);
    assert.deepEqual(readdirSync(out).sort(), [id, "ssr-pages.json"].sort());
    const old = only(filesBefore, browserFiles());
    assert.ok(old.length > 0);
    assert.ok((await statuses(old)).every((status) => status === 404));
  });

  it("building the same sources again with keepPrevious does not list the build as its own previous", async () => {
    const first = readManifest(out).buildId;
    const again = (await build(pages, { out, keepPrevious: 1 })).buildId;
    assert.equal(again, first);
    const manifest = readManifest(out);
    assert.ok(
      manifest.previous.every((one) => one.buildId !== manifest.buildId),
      JSON.stringify(manifest.previous.map((one) => one.buildId)),
    );
    assert.deepEqual(
      await statuses(browserFiles()),
      browserFiles().map(() => 200),
    );
  });
});
