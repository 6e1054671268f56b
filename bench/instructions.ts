/**
 * `npm run bench:instructions` (`-- --quick` for a smoke run, `-- --only id,id` for some
 * contestants, with `scale` among the ids for the scale sizes): instructions per request for every
 * contestant, counted by valgrind's callgrind, which the machine's noise cannot move. Writes
 * bench/INSTRUCTIONS.md on full runs.
 *
 * Each server is warmed up on every URL it answers, in turn, before any is measured (so V8 has
 * optimised the hot code with the type feedback of all its paths, as it would have under mixed load:
 * warmed up on one URL at a time, a function shared by the HTML and the page-data path was
 * deoptimised by the other path's first requests and re-optimised inside a measured batch) and then
 * measured over several batches of sequential requests; the figure is the mean over them. Counts do
 * not depend on timing, so contestants run in parallel, one per core.
 */
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildServers, ROOT } from "./lib/build.js";
import { startCounted, type CountedServer } from "./lib/callgrind.js";
import { contestants, selectFromArgs, serversFor, SCALE_SERVER, type Contestant } from "./lib/contestants.js";
import {
  countSettings,
  renderInstructionsReport,
  settleRequests,
  type Counts,
  type CountsFor,
} from "./lib/instructions-report.js";
import { generatePages } from "./lib/scale.js";
import { stopServer } from "./lib/server.js";

const quick = process.argv.includes("--quick");
const settings = countSettings(quick);
const { selected, scale: withScale, partial } = selectFromArgs(process.argv);
const DUMPS = path.join(ROOT, ".tmp", "bench", "callgrind");

/** Instructions per request on `url` (already warmed up): a short settle on it, then the count of each batch (the report takes their mean). */
async function perRequest(server: CountedServer, url: string, status: number): Promise<CountsFor> {
  await server.count(server.origin + url, settleRequests(settings), status);
  const batches: number[] = [];
  for (let i = 0; i < settings.batches; i++)
    batches.push((await server.count(server.origin + url, settings.batch, status)) / settings.batch);
  return { batches };
}

/** Warms `server` up on each of `urls` in turn, `settings.warmup` requests each. */
async function warmUp(server: CountedServer, urls: ReadonlyArray<[url: string, status: number]>): Promise<void> {
  for (const [url, status] of urls) await server.count(server.origin + url, settings.warmup, status);
}

async function countContestant(contestant: Contestant): Promise<Counts> {
  const server = await startCounted(
    contestant.server,
    contestant.env,
    contestant.html,
    path.join(DUMPS, contestant.id),
  );
  try {
    await warmUp(server, [
      [contestant.html, 200],
      [contestant.json, 200],
      ...(contestant.error ? [[contestant.error, 500] as [string, number]] : []),
    ]);
    const html = await perRequest(server, contestant.html, 200);
    const json = await perRequest(server, contestant.json, 200);
    const error = contestant.error ? await perRequest(server, contestant.error, 500) : undefined;
    return { html, json, error };
  } finally {
    await stopServer(server);
  }
}

async function countScale(count: number, dir: string): Promise<CountsFor> {
  const server = await startCounted(
    SCALE_SERVER,
    { PAGES_DIR: dir },
    "/products/1",
    path.join(DUMPS, `scale-${count}`),
  );
  try {
    await warmUp(server, [["/products/1", 200]]);
    return await perRequest(server, "/products/1", 200);
  } finally {
    await stopServer(server);
  }
}

/** Runs `jobs` with at most `width` at a time, keeping their order in the results. */
async function inParallel<T>(jobs: ReadonlyArray<() => Promise<T>>, width: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const index = next++;
      results[index] = await (jobs[index] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, jobs.length) }, worker));
  return results;
}

async function main(): Promise<void> {
  const width = os.cpus().length;
  console.log(
    `ssr-pages instruction counts${quick ? " (quick)" : ""}: Node ${process.version}, ${settings.warmup} warm-up requests, ${settings.batches} × ${settings.batch} measured, ${width} servers at a time under callgrind`,
  );
  await buildServers(serversFor(selected, withScale));
  const sizes = withScale ? settings.sizes : [];
  const jobs: Array<() => Promise<void>> = [];
  const counts: Record<string, Counts> = {};
  const scale: Array<{ count: number } & CountsFor> = [];
  for (const contestant of selected) {
    jobs.push(async () => {
      counts[contestant.id] = await countContestant(contestant);
      console.log(
        `  ${contestant.label.padEnd(48)} html ${perLine(counts[contestant.id]?.html)}  json ${perLine(counts[contestant.id]?.json)}`,
      );
    });
  }
  for (const count of sizes) {
    jobs.push(async () => {
      const result = await countScale(count, generatePages(count));
      scale.push({ count, ...result });
      console.log(`  scale ${String(count).padStart(6)} pages  ${perLine(result)}`);
    });
  }
  await inParallel(jobs, width);
  const report = renderInstructionsReport({ counts, scale, settings }, contestants, {
    date: new Date().toISOString().slice(0, 10),
    node: process.version,
    quick,
  });
  console.log(`\n${report}`);
  if (!quick && !partial) writeFileSync(path.join(ROOT, "bench", "INSTRUCTIONS.md"), report);
}

const perLine = (counts: CountsFor | undefined) =>
  counts
    ? `${(Math.min(...counts.batches) / 1000).toFixed(0)}k–${(Math.max(...counts.batches) / 1000).toFixed(0)}k instr/req`
    : "–";

await main();
