/**
 * `npm run bench:build` (`-- --quick` for a smoke run of a minute or two; `-- --only startup,build,requests,static`
 * for some parts): what a production build (`ssr-pages build`, served with `{ build }`) changes,
 * before (the pages compiled at start: `ssrMiddleware(pagesDir)` with NODE_ENV=production) → after
 * (served from a build), as ratios against baselines measured in the same run (absolute times drift
 * on these 2-core VMs), contestants taking turns over rounds, every server in a child process on
 * compiled JavaScript (bench/lib/build.ts compiles the package from the working tree), plain `node`:
 *
 * 1. Start-up: from spawn to the first 200 of `/products/1` among 10 / 1,000 / 10,000 generated pages
 *    (each a component and a `getServerData` returning props; bench/lib/scale.ts, kept between runs
 *    in .tmp/bench/kept-pages-N), Express 5 + ssrMiddleware. Baseline: Node importing express, react
 *    and react-dom/server and saying so (servers/import-baseline.ts). Target: from a build, ≤ 150 ms
 *    above the baseline at every size. Beside it the CPU time of the process tree by then, the peak
 *    RSS of the tree during the start (the server and esbuild's service process, sampled from /proc
 *    every few ms: lib/tree-rss.ts) and the tree's RSS right after the first 200: target peak ≤ 1.2×
 *    after.
 * 2. The build itself (`node dist/src/cli.js build`) of the same apps: wall time from spawn to exit
 *    and peak RSS of the process tree (node + esbuild's service). Target at 10,000 pages ≤ 1 GiB.
 * 3. Instructions per request under callgrind (lib/callgrind.ts, as bench/instructions.ts counts):
 *    the HTML and page data of `/products/1` of bench/pages (Express 5) from a build against compiled
 *    at start (should be equal within the batches' spread); and part 4's three servers.
 * 4. A static page (no getServerData, no params) served from a build, HTML with
 *    `accept-encoding: br`, on node:http (`createRequestListener`), under autocannon, against the
 *    HTTP ceiling of bench/cache.ts (servers/cache-ceiling.ts: node:http answering the same document
 *    as a precomputed string) and a stricter one answering the build's very brotli bytes
 *    (servers/file-ceiling.ts), in short slices taking turns, with the servers' CPU per request.
 *    Target ≥ 0.9 of the ceiling's req/s.
 *
 * A full run takes 7–10 minutes (more when the machine is busy) and writes bench/BUILD.md (its
 * "## Findings" section, written by hand, is kept). Builds go to .tmp/bench/build-out.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { once } from "node:events";
import { brotliDecompressSync } from "node:zlib";
import { buildServers, OUT, ROOT } from "./lib/build.js";
import { startCounted, type CountedServer } from "./lib/callgrind.js";
import { load } from "./lib/load.js";
import { generatePages } from "./lib/scale.js";
import { cpuSeconds, startServer, stopServer, type RunningServer } from "./lib/server.js";
import { TreeSampler, treeMiB, type ProcessRss } from "./lib/tree-rss.js";
import { renderBuildReport, FINDINGS_HEADING, type BuildResults } from "./lib/build-report.js";

const quick = process.argv.includes("--quick");
const onlyArg = process.argv.find((_arg, index) => process.argv[index - 1] === "--only");
const parts = new Set((onlyArg ?? "startup,build,requests,static").split(","));
const settings = quick
  ? {
      sizes: [10, 100],
      startRounds: { 10: 1, 100: 1 } as Record<number, number>,
      buildRounds: { 10: 1, 100: 1 } as Record<number, number>,
      slices: 2,
      seconds: 1,
      warmup: 0.5,
      counts: { warmup: 30, batches: 2, batch: 10 },
      staticCounts: { warmup: 30, batches: 2, batch: 10 },
    }
  : {
      sizes: [10, 1000, 10_000],
      // The 10,000-page start compiled at start takes 10–30 s a round: fewer rounds of it.
      startRounds: { 10: 5, 1000: 5, 10_000: 3 } as Record<number, number>,
      buildRounds: { 10: 1, 1000: 3, 10_000: 2 } as Record<number, number>,
      /** The static page and its ceilings take turns in this many slices of `seconds` each (A B C C B A …). */
      slices: 6,
      seconds: 2.5,
      warmup: 2,
      counts: { warmup: 3000, batches: 4, batch: 1000 },
      /** The static page and the ceilings cost a fraction of a rendered page: larger batches, so a major GC is spread over as many requests. */
      staticCounts: { warmup: 3000, batches: 4, batch: 2000 },
    };
/** The page every start-up asks for: a dynamic page with getServerData. */
const PROBE = "/products/1";
/** How often the process tree's memory is sampled. */
const SAMPLE_MS = 4;
const MiB = 1024;
const WORK = path.join(ROOT, ".tmp", "bench", "build-out");
const CLI = path.join(OUT, "..", "dist", "src", "cli.js");
const began = performance.now();
const loadAtStart = os.loadavg()[0] ?? 0;
const loadavg = () =>
  os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(" ");

// ---------------------------------------------------------------------------------------------
// Processes, timed and sampled

/**
 * One start: milliseconds from spawn to the first 200 (or, for the baseline, to its line), the CPU
 * time the process tree had used by then (reaped children included: esbuild's service), the tree's
 * peak RSS until then, and its RSS right after.
 */
interface Start {
  ms: number;
  cpuMs: number;
  peakMiB: number;
  afterMiB: number;
  atPeak: ProcessRss[];
}

/** Starts `servers/<name>` with `env`, timing and sampling it until the first 200 of {@link PROBE}; then stops it. */
async function startOnce(name: string, env: Record<string, string>): Promise<Start> {
  const sampler = new TreeSampler(SAMPLE_MS);
  await sampler.started();
  let server: RunningServer | undefined;
  try {
    server = await startServer(name, env, PROBE, [], (child) => sampler.attach(child.pid as number));
    const cpuMs = cpuSeconds(server.child) * 1000;
    const afterMiB = treeMiB(server.child.pid as number);
    const seen = await sampler.stop();
    return { ms: server.startupMs, cpuMs, peakMiB: seen.peakKib / MiB, afterMiB, atPeak: seen.atPeak };
  } finally {
    if (server) await stopServer(server);
    else await sampler.stop().catch(() => undefined);
  }
}

/** The baseline: Node importing express, react and react-dom/server (servers/import-baseline.ts), timed from spawn to its line. */
async function baselineOnce(): Promise<Start> {
  const sampler = new TreeSampler(SAMPLE_MS);
  await sampler.started();
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(OUT, "import-baseline.mjs")], {
    env: { ...process.env, NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  sampler.attach(child.pid as number);
  try {
    let output = "";
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("READY")) resolve();
      });
      child.once("exit", (code) => reject(new Error(`import-baseline exited with ${code}: ${output}`)));
    });
    const ms = performance.now() - started;
    const cpuMs = cpuSeconds(child) * 1000;
    const afterMiB = treeMiB(child.pid as number);
    const seen = await sampler.stop();
    return { ms, cpuMs, peakMiB: seen.peakKib / MiB, afterMiB, atPeak: seen.atPeak };
  } finally {
    if (child.exitCode === null) {
      const exited = once(child, "exit");
      child.kill();
      await exited;
    }
  }
}

/** One build: wall milliseconds from spawn to exit, the tree's peak RSS, which processes held it, and the CLI's summary. */
interface BuildRun {
  ms: number;
  peakMiB: number;
  atPeak: ProcessRss[];
  peakByName: Record<string, number>;
  summary: string;
}

/** Runs `ssr-pages build <dir> --out <out>` (the compiled CLI, plain node), timed and sampled. */
async function buildOnce(dir: string, out: string): Promise<BuildRun> {
  const sampler = new TreeSampler(SAMPLE_MS);
  await sampler.started();
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, "build", dir, "--out", out], {
    env: { ...process.env, NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  sampler.attach(child.pid as number);
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, "exit")) as [number | null];
  const ms = performance.now() - started;
  const seen = await sampler.stop();
  if (code !== 0) throw new Error(`ssr-pages build ${dir} exited with ${code}:\n${output}`);
  return { ms, peakMiB: seen.peakKib / MiB, atPeak: seen.atPeak, peakByName: seen.peakByName, summary: output.trim() };
}

/** The builds made in this run (by part 2): another part builds what it needs that is not among them (a build of an earlier package may be refused). */
const builtNow = new Set<string>();

/** A build of `dir` into `out`, unless this run made it already. */
async function ensureBuild(dir: string, out: string): Promise<void> {
  if (!builtNow.has(out)) await buildOnce(dir, out);
  builtNow.add(out);
}

// ---------------------------------------------------------------------------------------------
// The parts

const results: BuildResults = { startup: [], builds: [], counts: undefined, statics: undefined };
const outOf = (count: number) => path.join(WORK, `pages-${count}`);

/** Part 2: the builds, sizes taking turns (the largest first in odd rounds). */
async function measureBuilds(sizes: ReadonlyArray<{ count: number; dir: string }>): Promise<void> {
  const rounds = Math.max(...sizes.map(({ count }) => settings.buildRounds[count] ?? 1));
  console.log(
    `\n2. The build (node dist/src/cli.js build), ${rounds} rounds, sizes taking turns; load average ${loadavg()}`,
  );
  for (let round = 0; round < rounds; round++) {
    for (const { count, dir } of round % 2 === 0 ? sizes : [...sizes].reverse()) {
      if (round >= (settings.buildRounds[count] ?? 1)) continue;
      const run = await buildOnce(dir, outOf(count));
      builtNow.add(outOf(count));
      results.builds.push({ count, round, ...run });
      const held = run.atPeak.map((one) => `${one.name} ${(one.kib / MiB).toFixed(0)}`).join(" + ");
      console.log(
        `  round ${round + 1}  ${String(count).padStart(6)} pages  ${(run.ms / 1000).toFixed(2).padStart(6)} s  peak RSS ${run.peakMiB.toFixed(0).padStart(5)} MiB (${held})`,
      );
    }
  }
}

/** Part 1: start-ups; per size, in each round the baseline, compiled at start and from a build take turns. */
async function measureStartups(sizes: ReadonlyArray<{ count: number; dir: string }>): Promise<void> {
  console.log(
    `\n1. Start-up to the first 200 of ${PROBE} (spawn → 200), ${sizes.map(({ count }) => `${settings.startRounds[count] ?? 1} rounds at ${count}`).join(", ")}; load average ${loadavg()}`,
  );
  for (const { count, dir } of sizes) await ensureBuild(dir, outOf(count));
  const kinds = [
    { kind: "baseline" as const, run: () => baselineOnce() },
    { kind: "before" as const, run: (dir: string) => startOnce("express-ssr", { PAGES_DIR: dir }) },
    {
      kind: "after" as const,
      run: (dir: string, count: number) => startOnce("express-ssr", { PAGES_DIR: dir, BUILD: outOf(count) }),
    },
  ];
  for (const { count, dir } of sizes) {
    for (let round = 0; round < (settings.startRounds[count] ?? 1); round++) {
      const line: string[] = [];
      for (const { kind, run } of round % 2 === 0 ? kinds : [...kinds].reverse()) {
        const start = await run(dir, count);
        results.startup.push({ count, round, kind, ...start });
        line.push(
          `${kind} ${start.ms.toFixed(0)} ms (CPU ${start.cpuMs.toFixed(0)} ms, peak ${start.peakMiB.toFixed(0)} / after ${start.afterMiB.toFixed(0)} MiB)`,
        );
      }
      console.log(`  ${String(count).padStart(6)} pages, round ${round + 1}: ${line.join(", ")}`);
    }
  }
}

/** An answer's status, headers and raw bytes (fetch would decode brotli). */
function getRaw(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
        );
      })
      .on("error", reject);
  });
}

/** Writes the static page's pages folder: `/products/1` rendering the benchmark's product page with fixed data, no getServerData. */
function staticPages(): string {
  const dir = path.join(ROOT, ".tmp", "bench", "build-static-pages");
  mkdirSync(path.join(dir, "products"), { recursive: true });
  writeFileSync(
    path.join(dir, "products", "1.tsx"),
    `import { loadProduct, ProductPage } from ${JSON.stringify(path.join(ROOT, "bench", "baseline", "product.tsx"))};\n` +
      `const data = loadProduct("1");\n` +
      `export default function Product() { return <ProductPage serverData={data} />; }\n`,
  );
  return dir;
}

/** The static page's pages folder, its build, and the contestants of part 4 (their servers and the env they need). */
async function staticContestants(): Promise<
  Array<{ id: string; label: string; server: string; env: Record<string, string> }>
> {
  const dir = staticPages();
  const out = path.join(WORK, "static");
  await ensureBuild(dir, out);
  const manifest = JSON.parse(readFileSync(path.join(out, "ssr-pages.json"), "utf8")) as {
    buildId: string;
    static: { pages: Record<string, { html: { name: string } }> };
  };
  const stored = manifest.static.pages["products/1.tsx"];
  if (!stored) throw new Error(`the build in ${out} has no static products/1.tsx`);
  return [
    {
      id: "static",
      label: "static page from a build (node:http + createRequestListener, br)",
      server: "http-ssr",
      env: { PAGES_DIR: dir, BUILD: out },
    },
    {
      id: "ceiling",
      label: "HTTP ceiling of bench/cache.ts (the same document, a string)",
      server: "cache-ceiling",
      env: { PAGES_DIR: dir },
    },
    {
      id: "ceiling-br",
      label: "HTTP ceiling answering the build's very brotli bytes",
      server: "file-ceiling",
      env: { FILE: path.join(out, manifest.buildId, "static", `${stored.html.name}.br`), ENCODING: "br" },
    },
  ];
}

/** Asked with this header, the static page's answer is the build's brotli copy. */
const BROTLI = { "accept-encoding": "br" };

/** Part 4: a static page from a build against the HTTP ceilings, taking turns in short slices. */
async function measureStatic(): Promise<void> {
  const contestants = await staticContestants();
  console.log(
    `\n4. A static page from a build vs the HTTP ceiling: autocannon, 10 connections, ${settings.slices} slices of ${settings.seconds} s each, taking turns (A B C C B A …); load average ${loadavg()}`,
  );
  const running = new Map<string, RunningServer>();
  try {
    for (const contestant of contestants)
      running.set(contestant.id, await startServer(contestant.server, contestant.env, PROBE));
    const server = (id: string) => running.get(id) as RunningServer;
    // The answers are what they should be: the static page brotli'd with its ETag, the ceilings the same page.
    const fromBuild = await getRaw(server("static").origin + PROBE, BROTLI);
    const ceiling = await getRaw(server("ceiling").origin + PROBE, BROTLI);
    const ceilingBr = await getRaw(server("ceiling-br").origin + PROBE, BROTLI);
    if (fromBuild.headers["content-encoding"] !== "br" || fromBuild.headers.etag === undefined)
      throw new Error(`the static page was not served from the build: ${JSON.stringify(fromBuild.headers)}`);
    if (!fromBuild.body.equals(ceilingBr.body))
      throw new Error("the static page's bytes differ from the build's brotli file");
    // The ceiling's document is rendered by a compile at start, whose build id differs from the build's.
    const withoutBuildId = (bytes: Buffer) => bytes.toString().replace(/"buildId":"[^"]*"/g, '"buildId":""');
    const sameDocument = withoutBuildId(brotliDecompressSync(fromBuild.body)) === withoutBuildId(ceiling.body);
    results.statics = {
      rounds: [],
      bytes: {
        static: fromBuild.body.byteLength,
        ceiling: ceiling.body.byteLength,
        ceilingBr: ceilingBr.body.byteLength,
      },
      sameDocument,
      labels: Object.fromEntries(contestants.map((c) => [c.id, c.label])),
    };
    for (const { id } of contestants) await load(server(id).origin + PROBE, settings.warmup, 10, 200, BROTLI);
    for (let slice = 0; slice < settings.slices; slice++) {
      const measured: Record<string, { rps: number; p99: number; cpuUs: number }> = {};
      for (const { id } of slice % 2 === 0 ? contestants : [...contestants].reverse()) {
        const cpuBefore = cpuSeconds(server(id).child);
        const result = await load(server(id).origin + PROBE, settings.seconds, 10, 200, BROTLI);
        if (result.unexpected > 0) throw new Error(`${id}: ${result.unexpected} unexpected responses`);
        measured[id] = {
          rps: result.rps,
          p99: result.p99,
          cpuUs: ((cpuSeconds(server(id).child) - cpuBefore) * 1e6) / Math.max(1, result.requests),
        };
      }
      results.statics.rounds.push(measured);
      console.log(
        `  slice ${slice + 1}: ${contestants.map(({ id }) => `${id} ${measured[id]?.rps.toFixed(0)} req/s (${measured[id]?.cpuUs.toFixed(0)} µs CPU/req)`).join(", ")}`,
      );
    }
  } finally {
    await Promise.all([...running.values()].map(stopServer));
  }
}

/** Instructions per request of `urls` (already warmed up on each in turn): a short settle on each, then the count of each batch. */
async function countUrls(
  server: CountedServer,
  urls: ReadonlyArray<string>,
  counts: { warmup: number; batches: number; batch: number },
  headers?: Record<string, string>,
): Promise<number[][]> {
  for (const url of urls) await server.count(server.origin + url, counts.warmup, 200, headers);
  const per: number[][] = [];
  for (const url of urls) {
    await server.count(server.origin + url, Math.ceil(counts.warmup / 10), 200, headers);
    const batches: number[] = [];
    for (let i = 0; i < counts.batches; i++)
      batches.push((await server.count(server.origin + url, counts.batch, 200, headers)) / counts.batch);
    per.push(batches);
  }
  return per;
}

/**
 * Part 3: instructions per request under callgrind: the dynamic page compiled at start and from a
 * build; the static page from a build and the HTTP ceilings. Counts do not depend on timing, so the
 * servers run side by side, one per core.
 */
async function measureCounts(): Promise<void> {
  const pages = path.join(ROOT, "bench", "pages");
  const out = path.join(WORK, "bench-pages");
  await ensureBuild(pages, out);
  const statics = await staticContestants();
  const { warmup, batches, batch } = settings.counts;
  console.log(
    `\n3. Instructions per request under callgrind: Express 5 + ssrMiddleware on bench/pages, ${warmup} warm-up requests per URL in turn, then per URL ${Math.ceil(warmup / 10)} more and ${batches} × ${batch} measured; the static page and the ceilings ${settings.staticCounts.warmup} warm-up, ${settings.staticCounts.batches} × ${settings.staticCounts.batch}; ${os.cpus().length} servers at a time; load average ${loadavg()}`,
  );
  const dumps = path.join(ROOT, ".tmp", "bench", "callgrind");
  const urls = [PROBE, "/page-data/products/1/page-data.json"];
  const dynamic = async (id: "compiled" | "build", env: Record<string, string>) => {
    const server = await startCounted("express-ssr", env, PROBE, path.join(dumps, `build-${id}`));
    try {
      const [html = [], json = []] = await countUrls(server, urls, settings.counts);
      console.log(
        `  ${`dynamic page, ${id === "build" ? "from a build" : "compiled at start"}`.padEnd(34)} html ${html.map((n) => `${(n / 1000).toFixed(0)}k`).join(" ")}  json ${json.map((n) => `${(n / 1000).toFixed(0)}k`).join(" ")} instr/req`,
      );
      return { html, json };
    } finally {
      await stopServer(server);
    }
  };
  const counted: NonNullable<BuildResults["counts"]> = {
    compiled: { html: [], json: [] },
    build: { html: [], json: [] },
    settings: settings.counts,
    statics: {},
    staticSettings: settings.staticCounts,
  };
  const jobs: Array<() => Promise<void>> = [
    async () => void (counted.compiled = await dynamic("compiled", { PAGES_DIR: pages })),
    async () => void (counted.build = await dynamic("build", { PAGES_DIR: pages, BUILD: out })),
    ...statics.map((contestant) => async () => {
      const server = await startCounted(
        contestant.server,
        contestant.env,
        PROBE,
        path.join(dumps, `build-${contestant.id}`),
      );
      try {
        const [batchesOf = []] = await countUrls(server, [PROBE], settings.staticCounts, BROTLI);
        counted.statics[contestant.id] = batchesOf;
        console.log(
          `  ${contestant.id.padEnd(34)} ${batchesOf.map((n) => `${(n / 1000).toFixed(0)}k`).join(" ")} instr/req`,
        );
      } finally {
        await stopServer(server);
      }
    }),
  ];
  await inParallel(jobs, os.cpus().length);
  results.counts = counted;
}

/** Runs `jobs` with at most `width` at a time. */
async function inParallel(jobs: ReadonlyArray<() => Promise<void>>, width: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) await (jobs[next++] as () => Promise<void>)();
  };
  await Promise.all(Array.from({ length: Math.min(width, jobs.length) }, worker));
}

// ---------------------------------------------------------------------------------------------

console.log(
  `ssr-pages build bench${quick ? " (quick)" : ""}: Node ${process.version}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${new Date().toISOString()}; load average ${loadavg()}; parts ${[...parts].join(", ")}`,
);
await buildServers(["express-ssr", "http-ssr", "import-baseline", "cache-ceiling", "file-ceiling"]);
console.log(
  `  package compiled from the working tree into ${path.relative(ROOT, path.dirname(OUT))} (${((performance.now() - began) / 1000).toFixed(1)} s)`,
);
mkdirSync(WORK, { recursive: true });
const sizes = settings.sizes.map((count) => ({ count, dir: generatePages(count, { keep: true }) }));
console.log(
  `  pages generated or kept in ${path.relative(ROOT, path.dirname(sizes[0]?.dir ?? WORK))}/kept-pages-N (${((performance.now() - began) / 1000).toFixed(1)} s)`,
);

/** Runs one part and says how long it took. */
async function part(name: string, run: () => Promise<void>): Promise<void> {
  if (!parts.has(name)) return;
  const started = performance.now();
  await run();
  console.log(`  (${name}: ${((performance.now() - started) / 1000).toFixed(0)} s)`);
}
await part("build", () => measureBuilds(sizes));
await part("startup", () => measureStartups(sizes));
await part("static", measureStatic);
await part("requests", measureCounts);

const full = !quick && parts.size === 4;
const file = path.join(ROOT, "bench", "BUILD.md");
const kept = existsSync(file) ? readFileSync(file, "utf8") : "";
const findingsAt = kept.indexOf(FINDINGS_HEADING);
const report = renderBuildReport(results, {
  date: new Date().toISOString().slice(0, 10),
  node: process.version,
  machine: `${os.cpus().length} cores (${os.cpus()[0]?.model ?? "unknown"}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${os.release()}`,
  command: `npm run bench:build${quick ? " -- --quick" : ""}${onlyArg ? ` -- --only ${onlyArg}` : ""}`,
  settings,
  quick,
  seconds: (performance.now() - began) / 1000,
  load: `${loadAtStart.toFixed(1)} → ${(os.loadavg()[0] ?? 0).toFixed(1)} on ${os.cpus().length} cores`,
  findings: findingsAt === -1 ? undefined : kept.slice(findingsAt),
});
console.log(`\n${report}`);
if (full) writeFileSync(file, report);
console.log(
  `done in ${((performance.now() - began) / 1000).toFixed(0)} s; load average ${loadavg()}${full ? `; wrote ${path.relative(ROOT, file)}` : ""}`,
);
