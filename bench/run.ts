/**
 * `npm run bench` (`-- --quick` for a smoke run): ssr-pages against hand-written handlers, measured in
 * one run, alternating the order of contestants between rounds, medians over the rounds. Writes
 * bench/RESULTS.md on full runs. Everything runs on 127.0.0.1 with bounded durations.
 */
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildServers, ROOT } from "./lib/build.js";
import { contestants, selectFromArgs, serversFor, SCALE_SERVER, type Contestant } from "./lib/contestants.js";
import { load, type LoadLength, type LoadResult } from "./lib/load.js";
import { measureRenderPaths } from "./lib/render-paths.js";
import { renderReport, type Results } from "./lib/report.js";
import { generatePages } from "./lib/scale.js";
import { cpuSeconds, rssMiB, startServer, stopServer, type RunningServer } from "./lib/server.js";

const quick = process.argv.includes("--quick");
/** The number after `flag` in the arguments, if there is a positive one. */
function positive(flag: string): number | undefined {
  const at = process.argv.indexOf(flag);
  const value = at === -1 ? NaN : Number(process.argv[at + 1]);
  return value > 0 ? value : undefined;
}
/** `--seconds N` shortens every measurement. */
const seconds = positive("--seconds");
/**
 * `--requests N`: every measurement is N requests and every warm-up a quarter of that, however long
 * they take (the test suite's smoke run: it proves each path answers and is reported, and costs the
 * work of a few hundred requests instead of seconds of both cores).
 */
const requests = positive("--requests");
const defaults = quick
  ? { rounds: 1, seconds: 1, warmup: 0.3, connections: 10, sizes: [10, 100], renders: 200 }
  : { rounds: 3, seconds: 5, warmup: 1, connections: 10, sizes: [10, 1000, 10_000], renders: 5000 };
const settings = {
  ...defaults,
  ...(seconds !== undefined ? { seconds, warmup: Math.min(defaults.warmup, seconds / 2) } : {}),
  requests,
};
/** A measurement's load: `part` of the measured seconds, or the `--requests` count. */
const measurement = (part = 1): LoadLength => (requests ? { requests } : settings.seconds * part);
/** A warm-up's load: `times` the warm-up seconds, or a quarter of the `--requests` count. */
const warmup = (times = 1): LoadLength => (requests ? { requests: Math.ceil(requests / 4) } : settings.warmup * times);
/** The scale runs' servers take turns in this many slices of each measurement's duration. */
const SCALE_SLICES = 5;
/** `--only id,id` measures some contestants (and the scale runs with `scale`): for working on one figure. */
const { selected, scale, partial } = selectFromArgs(process.argv);

/** A load run (by default a whole measurement) that also measures the server's CPU time per request. */
async function measure(server: RunningServer, url: string, status = 200, length = measurement()): Promise<LoadResult> {
  const before = cpuSeconds(server.child);
  const result = await load(url, length, settings.connections, status);
  return { ...result, cpuUs: ((cpuSeconds(server.child) - before) * 1e6) / Math.max(1, result.requests) };
}

async function measureContestant(contestant: Contestant): Promise<Results["rounds"][number][string]> {
  const server = await startServer(contestant.server, contestant.env, contestant.html);
  try {
    const url = (p: string) => server.origin + p;
    await load(url(contestant.html), warmup(), settings.connections);
    const html = await measure(server, url(contestant.html));
    await load(url(contestant.json), warmup(), settings.connections);
    const json = await measure(server, url(contestant.json));
    const rss = rssMiB(server.child);
    let error: (LoadResult & { rssBefore: number; rssAfter: number }) | undefined;
    if (contestant.error) {
      const errorUrl = url(contestant.error);
      await load(errorUrl, warmup(), settings.connections, 500);
      const rssBefore = rssMiB(server.child);
      const result = await measure(server, errorUrl, 500);
      error = { ...result, rssBefore, rssAfter: rssMiB(server.child) };
    }
    return { html, json, rss, error, startupMs: server.startupMs };
  } finally {
    await stopServer(server);
  }
}

/**
 * One scale round: a server per size, started in the given order (start-up measured alone), then all
 * of them side by side, taking turns under load in short slices (A B C C B A …). The machine's drift,
 * which moves req/s by a quarter within a minute here, then falls on every size alike.
 */
async function runScaleRound(
  sizes: ReadonlyArray<{ count: number; dir: string }>,
): Promise<Array<Omit<Results["scale"][number], "round">>> {
  const running: Array<{
    count: number;
    server: RunningServer;
    requests: number;
    seconds: number;
    cpuUs: number;
    unexpected: number;
  }> = [];
  try {
    for (const { count, dir } of sizes) {
      const server = await startServer(SCALE_SERVER, { PAGES_DIR: dir }, "/products/1");
      running.push({ count, server, requests: 0, seconds: 0, cpuUs: 0, unexpected: 0 });
      // Longer warm-up: right after start-up the compile's garbage (thousands of outputs) is still
      // being collected, and the figure is about the steady state.
      await load(`${server.origin}/products/1`, warmup(3), settings.connections);
    }
    const slices = quick ? 1 : SCALE_SLICES;
    for (let slice = 0; slice < slices; slice++) {
      for (const turn of slice % 2 === 0 ? running : [...running].reverse()) {
        const result = await measure(turn.server, `${turn.server.origin}/products/1`, 200, measurement(1 / slices));
        turn.cpuUs += (result.cpuUs ?? 0) * result.requests;
        turn.requests += result.requests;
        turn.seconds += result.seconds;
        turn.unexpected += result.unexpected;
      }
    }
    return running.map(({ count, server, requests, seconds, cpuUs, unexpected }) => ({
      count,
      startupMs: server.startupMs,
      rps: requests / seconds,
      cpuUs: cpuUs / Math.max(1, requests),
      unexpected,
    }));
  } finally {
    await Promise.all(running.map(({ server }) => stopServer(server)));
  }
}

async function main(): Promise<void> {
  console.log(
    `ssr-pages bench${quick ? " (quick)" : ""}: Node ${process.version}, ${os.cpus().length} cores, ${settings.rounds} rounds of ${requests ? `${requests} requests` : `${settings.seconds} s`}, ${settings.connections} connections`,
  );
  await buildServers(serversFor(selected, scale));
  if (partial)
    console.log(`only: ${[...selected.map((c) => c.id), ...(scale ? ["scale"] : [])].join(", ")} (no RESULTS.md)`);
  const results: Results = { settings, rounds: [], scale: [], render: { stringUs: 0, streamUs: 0 } };

  for (let round = 0; round < settings.rounds; round++) {
    const order = round % 2 === 0 ? selected : [...selected].reverse();
    const measured: Results["rounds"][number] = {};
    for (const contestant of order) {
      measured[contestant.id] = await measureContestant(contestant);
      const m = measured[contestant.id];
      console.log(
        `  round ${round + 1}  ${contestant.label.padEnd(48)} html ${m?.html.rps.toFixed(0).padStart(6)} req/s  json ${m?.json.rps.toFixed(0).padStart(6)} req/s`,
      );
    }
    results.rounds.push(measured);
  }

  const sizes = !scale ? [] : settings.sizes.map((count) => ({ count, dir: generatePages(count) }));
  for (let round = 0; round < settings.rounds; round++) {
    for (const entry of await runScaleRound(round % 2 === 0 ? sizes : [...sizes].reverse())) {
      results.scale.push({ ...entry, round });
      console.log(
        `  scale ${String(entry.count).padStart(6)} pages: start-up ${entry.startupMs.toFixed(0)} ms, ${entry.rps.toFixed(0)} req/s`,
      );
    }
  }

  results.render = await measureRenderPaths(settings.renders);
  const report = renderReport(results, contestants, {
    date: new Date().toISOString().slice(0, 10),
    node: process.version,
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? "unknown",
    quick,
  });
  console.log(`\n${report}`);
  if (!quick && !partial) writeFileSync(path.join(ROOT, "bench", "RESULTS.md"), report);
  const broken = results.rounds.flatMap((round) =>
    Object.entries(round)
      .filter(([, m]) => m.html.unexpected + m.json.unexpected + (m.error?.unexpected ?? 0) > 0)
      .map(([id]) => id),
  );
  if (broken.length > 0 || results.scale.some((s) => s.unexpected > 0)) {
    console.error(`unexpected statuses or socket errors from: ${[...new Set(broken)].join(", ") || "scale runs"}`);
    process.exitCode = 1;
  }
}

await main();
