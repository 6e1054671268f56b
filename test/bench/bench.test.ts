import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import path from "node:path";
import { it } from "node:test";
import { promisify } from "node:util";
import { contestants } from "../../bench/lib/contestants.js";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");

// Proves the benchmark harness still works end to end (build, servers, load, report). No figure is
// asserted: performance is measured by `npm run bench`, not by tests. One contestant of each server
// file (a hand-written baseline and ssr-pages on each of node:http, Express and Koa, one of them
// mounted) and the scale runs: the others are the same server files under other mounts, and each
// costs a server's start (a compile of the pages) for nothing more this smoke run could find. Loads
// of 200 requests, not of a time: a second of load costs both cores a second, and loads of a fraction
// of one, beside the suite's other files, sometimes saw no answer of a slow path at all.
const SMOKE = ["limit", "express-hand", "express-ssr-shop", "koa-hand", "koa-ssr", "http-ssr", "scale"];

it(
  "npm run bench -- --quick runs a contestant of each server and prints the report",
  { timeout: 180_000 },
  async () => {
    const { stdout } = await run(
      process.execPath,
      ["--import", "tsx", "bench/run.ts", "--quick", "--requests", "200", "--only", SMOKE.join(",")],
      { cwd: root, maxBuffer: 16 << 20 },
    );
    for (const heading of ["| contestant |", "## Error path", "## Scale", "## Render path", "## Floors (issue 3)"])
      assert.ok(stdout.includes(heading), heading);
    // Each one run has its row in the results table, with a figure in every column.
    for (const { id, label } of contestants.filter((contestant) => SMOKE.includes(contestant.id))) {
      const row = stdout.split("\n").find((line) => line.startsWith(`| ${label} |`));
      assert.ok(row, `a row for ${id}`);
      assert.doesNotMatch(row, /NaN|–/, `${id} was measured: ${row}`);
    }
    assert.doesNotMatch(stdout, /\| NaN/, "no figure is NaN");
  },
);

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
    assert.match(stdout, /\| node:http \+ createRequestListener \| \d+k/, stdout);
    // Any ratio, two digits too: after 5 warm-up requests V8 is still compiling, and a compile that
    // lands in the 3 measured ones moves a count by a million instructions or more (the limit's JSON
    // count was 1.1M on one run and 2.1M on the next here).
    assert.match(stdout, /\| Core on node:http vs the limit \(JSON\) \| \d+\.\d\d \|/, stdout);
  },
);
