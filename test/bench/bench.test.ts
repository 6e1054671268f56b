import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import path from "node:path";
import { it } from "node:test";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");

// Proves the benchmark harness still works end to end (build, servers, load, report). No figure is
// asserted: performance is measured by `npm run bench`, not by tests.
it("npm run bench -- --quick runs every contestant and prints the report", { timeout: 180_000 }, async () => {
  const { stdout } = await run(process.execPath, ["--import", "tsx", "bench/run.ts", "--quick", "--seconds", "0.2"], {
    cwd: root,
    maxBuffer: 16 << 20,
  });
  for (const heading of ["| contestant |", "## Error path", "## Scale", "## Render path", "## Floors (issue 3)"])
    assert.ok(stdout.includes(heading), heading);
  for (const label of [
    "the limit",
    "Express 5 + ssrMiddleware under /shop",
    "Koa 3 + ssrMiddleware",
    "node:http + createRequestListener",
  ])
    assert.ok(stdout.includes(label), label);
  assert.doesNotMatch(stdout, /\| NaN|–× /, "every contestant was measured");
});

// The same for the instruction counts: two servers under callgrind, a handful of requests.
it(
  "npm run bench:instructions -- --quick counts instructions per request under callgrind",
  { timeout: 300_000 },
  async () => {
    const { stdout } = await run(
      process.execPath,
      ["--import", "tsx", "bench/instructions.ts", "--quick", "--only", "limit,http-ssr"],
      { cwd: root, maxBuffer: 16 << 20 },
    );
    assert.match(stdout, /\| node:http \+ createRequestListener \| \d+k/);
    assert.match(stdout, /\| Core on node:http vs the limit \(JSON\) \| \d\.\d\d \|/);
  },
);
