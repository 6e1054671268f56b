/**
 * A server started from a production build loads no compiler: in a child process, with a resolve hook
 * recording every URL resolved (record-resolve.mjs), serve-build-child.ts serves a build with
 * Express, answers requests, closes and ends by itself (nothing watching). None of our compiler's
 * modules (src/compile/, src/gatsby-site/, src/dev/) nor esbuild, oxc-parser, graphql or postcss may
 * have been resolved. (tsx loads esbuild itself, through require: only what the app imports is checked.)
 * The same child compiling at start is the control: there the hook sees the compiler.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { build } from "../../src/index.js";
import { REPO, SITE_PAGES, removeScratch, scratch } from "./helpers.js";

const FORBIDDEN: ReadonlyArray<[string, RegExp]> = [
  ["src/compile/", /\/src\/compile\//],
  ["src/gatsby-site/", /\/src\/gatsby-site\//],
  ["src/dev/", /\/src\/dev\//],
  ["esbuild", /\/node_modules\/(@esbuild|esbuild)\//],
  ["oxc-parser", /\/node_modules\/(@oxc-parser|oxc-parser)\//],
  ["graphql", /\/node_modules\/graphql\//],
  ["postcss", /\/node_modules\/postcss[^/]*\//],
];

interface ChildRun {
  code: number | null;
  stdout: string;
  stderr: string;
  resolved: string[];
  timedOut: boolean;
}

function runChild(arg: string, recordTo: string): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--import", "./test/build/record-resolve.mjs", "test/build/serve-build-child.ts", arg],
      {
        cwd: REPO,
        env: { ...process.env, RECORD_RESOLVED_TO: recordTo, NODE_ENV: "production" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    // It must end by itself once it closed its server and middleware: a watcher left running would keep it alive.
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill();
    }, 25_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      const resolved = existsSync(recordTo) ? readFileSync(recordTo, "utf8").split("\n").filter(Boolean) : [];
      resolve({ code, stdout, stderr, resolved, timedOut });
    });
  });
}

function forbiddenIn(resolved: readonly string[]): string[] {
  return [...new Set(resolved.filter((url) => FORBIDDEN.some(([, pattern]) => pattern.test(url))))];
}

describe("serving a build loads no compiler", () => {
  let tmp: string;
  let fromBuild: ChildRun;
  let compiled: ChildRun;

  before(
    async () => {
      tmp = scratch("no-compiler");
      const out = path.join(tmp, "out");
      await build(SITE_PAGES, { out });
      [fromBuild, compiled] = await Promise.all([
        runChild(out, path.join(tmp, "from-build.txt")),
        runChild("--compile", path.join(tmp, "compiled.txt")),
      ]);
    },
    { timeout: 60_000 },
  );
  after(() => removeScratch(tmp));

  it("the server from the build answers its requests and the process ends by itself", () => {
    assert.equal(fromBuild.timedOut, false, "the process did not end by itself");
    assert.equal(fromBuild.code, 0, fromBuild.stderr);
    const { statuses } = JSON.parse(fromBuild.stdout.trim().split("\n").pop() as string) as {
      statuses: Record<string, number>;
    };
    assert.deepEqual(
      Object.values(statuses),
      Object.values(statuses).map(() => 200),
      JSON.stringify(statuses),
    );
  });

  it("the hook saw the modules that served (it records)", () => {
    for (const own of ["/adapters/express.ts", "/src/handler.ts", "/src/index.ts"]) {
      assert.ok(
        fromBuild.resolved.some((url) => url.endsWith(own)),
        `${own} recorded`,
      );
    }
  });

  it("no module of the compiler, nor esbuild, oxc-parser, graphql or postcss, was resolved", () => {
    assert.deepEqual(forbiddenIn(fromBuild.resolved), []);
  });

  it("(control) the same server compiling at start resolves the compiler: the check above can tell", () => {
    assert.equal(compiled.code, 0, compiled.stderr);
    const seen = forbiddenIn(compiled.resolved);
    assert.ok(
      seen.some((url) => url.includes("/src/compile/")),
      `compiler modules recorded: ${seen.slice(0, 5).join(", ")}`,
    );
  });
});
