/**
 * `ssr-pages build` and `build()`: the summary, the output layout, the compile-error and
 * build-time-render failures (nothing written), the default out folder, the command line's output,
 * options and exit codes.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { after, before, describe, it } from "node:test";
import { build, BuildError, type BuildSummary } from "../../src/index.js";
import { main } from "../../src/cli.js";
import { REPO, SITE_PAGES, copyDir, embeddedData, listFiles, readManifest, removeScratch, scratch } from "./helpers.js";

const BROKEN_PAGES: Record<string, string> = {
  "good.tsx": "export default function Good() {\n  return <p>good</p>;\n}\n",
  "bad-syntax.tsx": "export default function BadSyntax() {\n  return <p>unclosed;\n}\n",
  "bad-import.tsx":
    'import missing from "./no-such-module.js";\n\nexport default function BadImport() {\n  return <p>{String(missing)}</p>;\n}\n',
};

const THROWING_PAGES: Record<string, string> = {
  "fine.tsx": "export default function Fine() {\n  return <p>fine</p>;\n}\n",
  "boom.tsx": 'export default function Boom(): never {\n  throw new Error("boom while rendering at build time");\n}\n',
};

function writePages(dir: string, pages: Record<string, string>): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(pages)) writeFileSync(path.join(dir, name), text);
  return dir;
}

/** Runs `main` and collects what it prints. */
async function runMain(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    args,
    (line) => out.push(line),
    (line) => err.push(line),
  );
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** Runs the command line in a child process, as a user would: `node --import tsx src/cli.ts …`. */
function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(REPO, "src", "cli.ts"), ...args], {
      cwd: REPO,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill(), 30_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function size(file: string): number {
  return statSync(file).size;
}

describe("build(): summary and output layout", () => {
  let tmp: string;
  let out: string;
  let summary: BuildSummary;

  before(async () => {
    tmp = scratch("cli");
    out = path.join(tmp, "out");
    summary = await build(SITE_PAGES, { out });
  });
  after(() => removeScratch(tmp));

  it("resolves a summary describing the build", () => {
    assert.equal(summary.out, out);
    assert.match(summary.buildId, /^[\w-]+$/);
    assert.equal(summary.pages, 5, "index, about, stamp, posts/[id], fails");
    assert.equal(summary.staticPages, 2, "index and about have no getServerData and no params");
    assert.equal(summary.images, 0);
    for (const key of ["serverBytes", "browserBytes", "browserBrotliBytes", "files", "milliseconds"] as const) {
      assert.equal(typeof summary[key], "number", key);
      assert.ok(summary[key] >= 0, key);
    }
    assert.ok(summary.serverBytes > 0 && summary.browserBytes > 0 && summary.browserBrotliBytes > 0);
    assert.ok(summary.browserBrotliBytes < summary.browserBytes, "brotli copies are smaller");
  });

  it("writes the manifest and one folder named by the build id, with server/, browser/ and static/", () => {
    const manifest = readManifest(out);
    assert.equal(manifest.buildId, summary.buildId);
    const entries = readdirSync(out).sort();
    assert.deepEqual(
      entries,
      [summary.buildId, "ssr-pages.json"].sort(),
      "no staging folder or temporary manifest left behind",
    );
    const own = path.join(out, summary.buildId);
    assert.deepEqual(readdirSync(own).sort(), ["browser", "server", "static"]);
    const server = listFiles(path.join(own, "server"));
    assert.ok(server.length > 0 && server.every((name) => name.endsWith(".js")), server.join(", "));
    for (const name of ["index.html", "page-data.json", "about/index.html", "about/page-data.json"]) {
      assert.ok(existsSync(path.join(own, "static", name)), `static/${name}`);
    }
    assert.ok(!existsSync(path.join(own, "static", "stamp")), "a getServerData page is not prerendered");
    assert.ok(!existsSync(path.join(own, "static", "posts")), "a page with params is not prerendered");
  });

  it("the summary's byte and file counts match what is on disk", () => {
    const own = path.join(out, summary.buildId);
    const all = listFiles(own);
    assert.equal(summary.files, all.length, "files: every file written in the build's folder");
    const serverDir = path.join(own, "server");
    assert.equal(
      summary.serverBytes,
      listFiles(serverDir).reduce((sum, name) => sum + size(path.join(serverDir, name)), 0),
    );
    const browserDir = path.join(own, "browser");
    const plain = listFiles(browserDir).filter((name) => !/\.(br|gz)$/.test(name));
    assert.equal(
      summary.browserBytes,
      plain.reduce((sum, name) => sum + size(path.join(browserDir, name)), 0),
    );
    const brotli = plain.reduce(
      (sum, name) =>
        sum + size(path.join(browserDir, existsSync(path.join(browserDir, `${name}.br`)) ? `${name}.br` : name)),
      0,
    );
    assert.equal(summary.browserBrotliBytes, brotli);
  });

  it("every browser text file of 1 KiB or more has .br and .gz copies beside it, of the same bytes", () => {
    const browserDir = path.join(out, summary.buildId, "browser");
    const names = listFiles(browserDir);
    const large = names.filter((name) => /\.(js|css)$/.test(name) && size(path.join(browserDir, name)) >= 1024);
    assert.ok(large.length > 0, "the browser build has large text files (React)");
    for (const name of large) {
      const original = readFileSync(path.join(browserDir, name));
      assert.ok(names.includes(`${name}.br`), `${name}.br`);
      assert.ok(names.includes(`${name}.gz`), `${name}.gz`);
      assert.ok(
        zlib.brotliDecompressSync(readFileSync(path.join(browserDir, `${name}.br`))).equals(original),
        `${name}.br decompresses to ${name}`,
      );
      assert.ok(
        zlib.gunzipSync(readFileSync(path.join(browserDir, `${name}.gz`))).equals(original),
        `${name}.gz decompresses to ${name}`,
      );
    }
  });

  it("the prerendered HTML and page data carry the build id", () => {
    const own = path.join(out, summary.buildId);
    const html = readFileSync(path.join(own, "static", "about", "index.html"), "utf8");
    assert.equal(embeddedData(html).pageData.buildId, summary.buildId);
    const json = JSON.parse(readFileSync(path.join(own, "static", "page-data.json"), "utf8")) as {
      buildId?: string;
      componentChunkName: string;
    };
    assert.equal(json.componentChunkName, "index");
    assert.equal(json.buildId, summary.buildId);
  });
});

describe("build(): failures write nothing", () => {
  let tmp: string;
  before(() => {
    tmp = scratch("cli-fail");
  });
  after(() => removeScratch(tmp));

  it("rejects with BuildError naming each file that does not compile, and writes no manifest", async () => {
    const pages = writePages(path.join(tmp, "broken", "pages"), BROKEN_PAGES);
    const out = path.join(tmp, "broken-out");
    await assert.rejects(build(pages, { out }), (error: unknown) => {
      assert.ok(error instanceof BuildError, `a BuildError, got ${String(error)}`);
      assert.ok(Array.isArray(error.errors));
      const text = error.errors.map((one) => `${one.file ?? ""} ${one.message}`).join("\n");
      assert.ok(text.includes("bad-syntax.tsx"), text);
      assert.ok(text.includes("bad-import.tsx"), text);
      assert.ok(!error.errors.some((one) => (one.file ?? "").includes("good.tsx")), text);
      for (const one of error.errors) assert.equal(typeof one.message, "string");
      return true;
    });
    assert.ok(!existsSync(path.join(out, "ssr-pages.json")), "no ssr-pages.json for a failed build");
  });

  it("a failed build into the folder of a good one leaves the good one as it was", async () => {
    const pagesGood = writePages(path.join(tmp, "replace", "pages"), {
      "good.tsx": BROKEN_PAGES["good.tsx"] as string,
    });
    const out = path.join(tmp, "replace-out");
    const first = await build(pagesGood, { out });
    const manifestBefore = readFileSync(path.join(out, "ssr-pages.json"));
    writeFileSync(path.join(pagesGood, "bad-syntax.tsx"), BROKEN_PAGES["bad-syntax.tsx"] as string);
    await assert.rejects(build(pagesGood, { out }), BuildError);
    assert.ok(readFileSync(path.join(out, "ssr-pages.json")).equals(manifestBefore), "the manifest is unchanged");
    assert.deepEqual(readdirSync(out).sort(), [first.buildId, "ssr-pages.json"].sort());
  });

  it("rejects with BuildError naming a static page that throws while rendering at build time", async () => {
    const pages = writePages(path.join(tmp, "throws", "pages"), THROWING_PAGES);
    const out = path.join(tmp, "throws-out");
    await assert.rejects(build(pages, { out }), (error: unknown) => {
      assert.ok(error instanceof BuildError, `a BuildError, got ${String(error)}`);
      assert.equal(error.errors.length, 1, JSON.stringify(error.errors));
      const [one] = error.errors;
      assert.ok((one?.file ?? "").endsWith("boom.tsx"), JSON.stringify(one));
      assert.ok(one?.message.includes("boom while rendering at build time"), one?.message);
      return true;
    });
    assert.ok(!existsSync(path.join(out, "ssr-pages.json")));
  });

  it("rejects with a TypeError for an unknown option and a bad keepPrevious", async () => {
    await assert.rejects(build(SITE_PAGES, { out: path.join(tmp, "x"), nonsense: 1 } as never), TypeError);
    await assert.rejects(build(SITE_PAGES, { out: path.join(tmp, "x"), keepPrevious: -1 }), TypeError);
    await assert.rejects(build(SITE_PAGES, { out: path.join(tmp, "x"), keepPrevious: 1.5 }), TypeError);
    assert.ok(!existsSync(path.join(tmp, "x", "ssr-pages.json")));
  });

  it("without out, writes to <pagesDir>/../.ssr-pages", async () => {
    const root = path.join(tmp, "default-out");
    const pages = copyDir(SITE_PAGES, path.join(root, "pages"));
    const summary = await build(pages);
    assert.equal(summary.out, path.join(root, ".ssr-pages"));
    assert.equal(readManifest(path.join(root, ".ssr-pages")).buildId, summary.buildId);
  });
});

describe("ssr-pages build (command line)", () => {
  let tmp: string;
  before(() => {
    tmp = scratch("cli-main");
  });
  after(() => removeScratch(tmp));

  it("prints the pages, static pages, server and browser bytes and time, exit code 0", async () => {
    const out = path.join(tmp, "main-out");
    const { code, out: printed, err } = await runMain(["build", SITE_PAGES, "--out", out]);
    assert.equal(code, 0, err);
    assert.match(printed, /\b5 pages\b/);
    assert.match(printed, /\b2 static\b/);
    assert.match(printed, /server\s+[\d.]+ [kM]B/);
    assert.match(printed, /browser\s+[\d.]+ [kM]B/);
    assert.match(printed, /\bin [\d.]+ m?s\b/);
    const manifest = readManifest(out);
    assert.ok(printed.includes(manifest.buildId), "names the build id");
  });

  it("--base-path, --lang and --no-client reach the build", async () => {
    const out = path.join(tmp, "options-out");
    const { code, err } = await runMain([
      "build",
      SITE_PAGES,
      "--out",
      out,
      "--base-path",
      "/shop",
      "--lang",
      "fr",
      "--no-client",
    ]);
    assert.equal(code, 0, err);
    const manifest = readManifest(out);
    assert.equal(manifest.static.base, "/shop");
    assert.equal(manifest.static.lang, "fr");
    assert.equal(manifest.browser, null, "no browser build");
    const own = path.join(out, manifest.buildId);
    assert.ok(
      !existsSync(path.join(own, "browser")) || listFiles(path.join(own, "browser")).length === 0,
      "no browser files",
    );
    const html = readFileSync(path.join(own, "static", "about", "index.html"), "utf8");
    assert.match(html, /<html lang="fr"/);
    assert.ok(!html.includes("/shop/_ssr-pages/entry"), "no client entry script");
  });

  it("--keep-previous n keeps the previous build listed", async () => {
    const pages = copyDir(SITE_PAGES, path.join(tmp, "keep", "pages"));
    const out = path.join(tmp, "keep-out");
    assert.equal((await runMain(["build", pages, "--out", out])).code, 0);
    const first = readManifest(out).buildId;
    writeFileSync(
      path.join(pages, "index.tsx"),
      readFileSync(path.join(pages, "index.tsx"), "utf8").replace("static home page", "static home page, second"),
    );
    const second = await runMain(["build", pages, "--out", out, "--keep-previous", "1"]);
    assert.equal(second.code, 0, second.err);
    const manifest = readManifest(out);
    assert.notEqual(manifest.buildId, first);
    assert.deepEqual(
      manifest.previous.map((one) => one.buildId),
      [first],
    );
    assert.ok(existsSync(path.join(out, first, "browser")));
  });

  it("a compile error: exit code non-zero, each failing file named, no manifest", async () => {
    const pages = writePages(path.join(tmp, "broken", "pages"), BROKEN_PAGES);
    const out = path.join(tmp, "broken-out");
    const { code, err } = await runMain(["build", pages, "--out", out]);
    assert.notEqual(code, 0);
    assert.notEqual(code, 2, "not a usage error");
    assert.ok(err.includes("bad-syntax.tsx"), err);
    assert.ok(err.includes("bad-import.tsx"), err);
    assert.ok(!existsSync(path.join(out, "ssr-pages.json")));
  });

  for (const args of [
    [],
    ["build"],
    ["serve", "pages"],
    ["build", "a", "b"],
    ["build", "pages", "--keep-previous", "two"],
    ["build", "pages", "--keep-previous", "-1"],
    ["build", "pages", "--bogus"],
    ["build", "pages", "--out"],
  ]) {
    it(`usage error, exit code 2: ${JSON.stringify(args)}`, async () => {
      const { code, err } = await runMain(args);
      assert.equal(code, 2);
      assert.ok(err.length > 0, "says what is wrong");
    });
  }

  it("run as a process: builds and exits 0; a compile error exits non-zero naming the files on stderr", async () => {
    const goodOut = path.join(tmp, "process-out");
    const pages = writePages(path.join(tmp, "process-broken", "pages"), BROKEN_PAGES);
    const badOut = path.join(tmp, "process-broken-out");
    const [good, bad] = await Promise.all([
      runCli(["build", SITE_PAGES, "--out", goodOut]),
      runCli(["build", pages, "--out", badOut]),
    ]);
    assert.equal(good.code, 0, good.stderr);
    assert.match(good.stdout, /\b5 pages\b/);
    assert.ok(existsSync(path.join(goodOut, "ssr-pages.json")));
    assert.ok(bad.code !== 0 && bad.code !== null, `exit code ${String(bad.code)}`);
    assert.ok(bad.stderr.includes("bad-syntax.tsx") && bad.stderr.includes("bad-import.tsx"), bad.stderr);
    assert.ok(!existsSync(path.join(badOut, "ssr-pages.json")));
  });
});
