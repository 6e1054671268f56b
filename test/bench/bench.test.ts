import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import path from "node:path";
import { it } from "node:test";
import { promisify } from "node:util";
import { contestants } from "../../bench/lib/contestants.js";
import { countSettings, renderInstructionsReport } from "../../bench/lib/instructions-report.js";

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

// The same for the instruction counts: one server under callgrind, a handful of requests. (The limit
// beside it cost 7 s of CPU more, most of it Node's start-up under valgrind; the ratios and floors it
// would give are the report's arithmetic, checked below on counts of known size.)
it(
  "npm run bench:instructions -- --quick counts instructions per request under callgrind",
  { timeout: 300_000 },
  async () => {
    const { stdout } = await run(
      process.execPath,
      ["--import", "tsx", "bench/instructions.ts", "--quick", "--only", "http-ssr"],
      { cwd: root, maxBuffer: 16 << 20 },
    );
    // A count of each URL: the page's HTML, its page data and the error page.
    assert.match(
      stdout,
      /\| node:http \+ createRequestListener \| \d+k[^|]*\| .+ \| \d+k[^|]*\| .+ \| \d+k[^|]*\|$/m,
      stdout,
    );
  },
);

it("the instruction report divides the baselines' counts by each contestant's, and judges the floors", () => {
  const counts = (html: number[], json: number[]) => ({
    html: { batches: html },
    json: { batches: json },
    error: undefined,
  });
  const report = renderInstructionsReport(
    {
      counts: {
        limit: counts([2_000_000], [1_000_000]),
        // Batches averaging 2,500k and 800k: 0.80× the limit's HTML, 1.25× its JSON.
        "http-ssr": counts([2_400_000, 2_600_000], [800_000, 800_000]),
        // Its own baseline (hand-written Koa) not measured: a ratio to the limit only.
        "koa-ssr": counts([4_000_000], [2_000_000]),
      },
      scale: [],
      settings: countSettings(true),
    },
    contestants,
    { date: "2026-12-07", node: "v20", quick: true },
  );
  assert.match(
    report,
    /^\| node:http \+ createRequestListener \| 2500k ±4\.0% \| 0\.80× \| 0\.80× \| 800k ±0\.0% \| 1\.25× \| 1\.25× \| {2}\|$/m,
  );
  assert.match(report, /^\| Koa 3 \+ ssrMiddleware \| 4000k {2}\| –× \| 0\.50× \| 2000k {2}\| –× \| 0\.50× \| {2}\|$/m);
  assert.match(report, /^\| Core on node:http vs the limit \(HTML\) \| 0\.80 \| ≥ 0\.9 \| \*\*missed\*\* \|$/m);
  assert.match(report, /^\| Core on node:http vs the limit \(JSON\) \| 1\.25 \| ≥ 0\.9 \| met \|$/m);
  // A floor whose contestants were not both measured has no row.
  assert.doesNotMatch(report, /Express adapter/);
});
