/**
 * What a second node:cluster worker buys: the cluster example (examples/cluster/server.ts, as
 * `npm run start:cluster` runs it) with 1 worker and with 2, serving the same build of the example
 * shop with the same Redis (a redis-server this script starts on loopback), req/s with autocannon
 * from this process (10 keep-alive connections, spread over the workers when they connect) on:
 *
 * - render: /products/2, whose getServerData runs and whose page renders on every request (it sets
 *   no shared Cache-Control, so it is never stored);
 * - cached: /, `public, max-age=60`, answered from Redis (a hit) after the first request.
 *
 * Both clusters run side by side and take turns, ROUNDS times, so a change in the machine's load
 * weighs on both; the figure is the median of the rounds. autocannon, the primary (it accepts every
 * connection and hands it to a worker), Redis and the workers share the machine's cores: on a
 * machine with 2, the second worker cannot get a core of its own, and the ratio says so.
 *
 * Run: npm run bench:cluster (about 1 minute), or `npm run bench:cluster -- --quick`.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { load, type LoadResult } from "./lib/load.js";
import { startRedis } from "../test/cache/redis-harness.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const quick = process.argv.includes("--quick");
const SECONDS = quick ? 1 : 5;
const ROUNDS = quick ? 1 : 3;
const CONNECTIONS = 10;
const PAGES = [
  { id: "render", path: "/products/2", note: "getServerData and render per request" },
  { id: "cached", path: "/", note: "a Redis hit" },
] as const;
const WORKER_COUNTS = [1, 2] as const;

interface Cluster {
  workers: number;
  child: ChildProcess;
  origin: string;
  /**
   * Store calls that failed or took longer than the cache's timeout (50 ms) so far, as the workers
   * report them on stderr (one line per 10 s, with the count since the last): each is a request
   * answered uncached. On a loaded machine Redis round trips can take that long.
   */
  storeFailures(): number;
  /** The last of the workers' stderr, for an error message. */
  stderr(): string;
}

/** Starts the example with `workers` workers on a free port; resolves once they all listen. */
async function startCluster(workers: number, env: Record<string, string>): Promise<Cluster> {
  const child = spawn(process.execPath, ["--import", "tsx", "examples/cluster/server.ts"], {
    cwd: ROOT,
    env: { ...process.env, ...env, NODE_ENV: "production", WORKERS: String(workers), PORT: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let failures = 0;
  let errors = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    const text = chunk.toString();
    errors = (errors + text).slice(-4_096);
    for (const match of text.matchAll(
      /the store failed, pages are served uncached meanwhile: [^\n]*?(?:\(and (\d+) more store failures|\n)/g,
    ))
      failures += 1 + Number(match[1] ?? 0);
  });
  let output = "";
  const port = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the cluster with ${workers} worker(s) did not start: ${output}`)),
      60_000,
    );
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const found = /worker\(s\) serving http:\/\/localhost:(\d+)\//.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(found[1] as string);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the cluster with ${workers} worker(s) exited with ${code}: ${output}${errors}`));
    });
  });
  return { workers, child, origin: `http://127.0.0.1:${port}`, storeFailures: () => failures, stderr: () => errors };
}

/** CPU seconds a process has used so far (user + system), from /proc; 0 where there is none. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ, 100 on Linux)
  } catch {
    return 0;
  }
}

async function stopCluster(cluster: Cluster): Promise<void> {
  if (cluster.child.exitCode !== null) return;
  const exited = once(cluster.child, "exit");
  cluster.child.kill("SIGTERM");
  const [code] = (await exited) as [number | null];
  if (code !== 0) console.error(`the cluster with ${cluster.workers} worker(s) exited with ${code}`);
}

/** Before this script adds its own: what else the machine is busy with (1-minute average). */
const loadAtStart = os.loadavg()[0]!;
const tmp =
  (mkdirSync(path.join(ROOT, ".tmp"), { recursive: true }), mkdtempSync(path.join(ROOT, ".tmp", "bench-cluster-")));
const build = path.join(tmp, "build");
const redis = await startRedis();
const clusters: Cluster[] = [];
try {
  await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", "src/cli.ts", "build", "examples/pages", "--out", build],
    { cwd: ROOT },
  );
  for (const workers of WORKER_COUNTS)
    clusters.push(await startCluster(workers, { BUILD_DIR: build, REDIS_URL: redis.url }));

  // Warm-up: every worker's modules and JIT, the first fill of the cached page; then check that
  // the cached page is what it should be.
  for (const cluster of clusters)
    for (const page of PAGES) await load(cluster.origin + page.path, quick ? 1 : 2, CONNECTIONS);
  for (const cluster of clusters) {
    const outcome = (await fetch(`${cluster.origin}/`)).headers.get("x-ssr-pages-cache");
    if (outcome !== "HIT")
      throw new Error(`/ with ${cluster.workers} worker(s) is a ${outcome}, not a HIT: is Redis in use?`);
    const rendered = (await fetch(`${cluster.origin}/products/2`)).headers.get("x-ssr-pages-cache");
    if (rendered === "HIT") throw new Error("/products/2 was a cache hit: it should render per request");
  }

  const results = new Map<string, LoadResult[]>();
  const uncached = new Map<string, number>();
  const requests = new Map<string, number>();
  /** The cores autocannon (this process) and the primary kept busy, per run. */
  const cores = new Map<string, number[]>([
    ["autocannon", []],
    ["primary", []],
  ]);
  for (let round = 0; round < ROUNDS; round++) {
    for (const page of PAGES) {
      for (const cluster of round % 2 === 0 ? clusters : [...clusters].reverse()) {
        const failuresBefore = cluster.storeFailures();
        const ownBefore = process.cpuUsage();
        const primaryBefore = cpuSeconds(cluster.child.pid);
        const started = performance.now();
        const result = await load(cluster.origin + page.path, SECONDS, CONNECTIONS);
        const elapsed = (performance.now() - started) / 1000;
        const own = process.cpuUsage(ownBefore);
        cores.get("autocannon")!.push((own.user + own.system) / 1e6 / elapsed);
        cores.get("primary")!.push((cpuSeconds(cluster.child.pid) - primaryBefore) / elapsed);
        if (result.unexpected > 0)
          throw new Error(
            `${page.id} with ${cluster.workers} worker(s): ${result.unexpected} unexpected responses; the workers' stderr ends with:\n${cluster.stderr()}`,
          );
        const key = `${page.id}/${cluster.workers}`;
        results.set(key, [...(results.get(key) ?? []), result]);
        // The reports come at most every 10 s per worker: a failure is counted for the run it is
        // reported in, a little late at worst.
        uncached.set(key, (uncached.get(key) ?? 0) + cluster.storeFailures() - failuresBefore);
        requests.set(key, (requests.get(key) ?? 0) + result.requests);
      }
    }
  }

  const median = (key: string, pick: (result: LoadResult) => number) => {
    const values = (results.get(key) ?? []).map(pick).sort((a, b) => a - b);
    return values[Math.floor(values.length / 2)] as number;
  };
  const cpus = os.cpus();
  const available = os.availableParallelism();
  console.log(
    `ssr-pages on node:cluster (examples/cluster): Node ${process.version}, ${ROUNDS} round(s) of ${SECONDS} s, ${CONNECTIONS} connections, median of rounds`,
  );
  console.log(
    `  machine: ${available} CPU(s) available (${cpus.length} listed: ${cpus[0]?.model ?? "unknown"}), load average ${loadAtStart.toFixed(1)} when the script started`,
  );
  for (const page of PAGES) {
    const one = median(`${page.id}/1`, (result) => result.rps);
    const two = median(`${page.id}/2`, (result) => result.rps);
    const p99 = (workers: number) => median(`${page.id}/${workers}`, (result) => result.p99);
    console.log(
      `  ${page.id.padEnd(7)} ${page.path.padEnd(12)} 1 worker ${one.toFixed(0).padStart(6)} req/s (p99 ${p99(1)} ms)   2 workers ${two.toFixed(0).padStart(6)} req/s (p99 ${p99(2)} ms)   2/1 ${(two / one).toFixed(2)}   (${page.note})`,
    );
  }
  const failed = [...uncached].filter(([, count]) => count > 0);
  if (failed.length > 0) {
    const list = failed
      .map(([key, count]) => `${key.replace("/", " with ")} worker(s): ${count} of ${requests.get(key)}`)
      .join("; ");
    console.log(`  requests answered uncached (a Redis call past the cache's 50 ms timeout): ${list}`);
  }
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  console.log(
    `  CPU besides the workers, on average over the runs: autocannon ${mean(cores.get("autocannon")!).toFixed(2)} of a core, the primary (accepting and handing over connections) ${mean(cores.get("primary")!).toFixed(2)}`,
  );
  if (loadAtStart > available / 2) {
    console.log(
      `  note: the machine was already busy (load average ${loadAtStart.toFixed(1)} on ${available} CPU(s)) before the clusters started: the figures are noisy.`,
    );
  }
  if (available <= 2) {
    console.log(
      `  note: ${available} CPU(s) here, shared by autocannon, the primary, Redis and the workers: a second worker has no core of its own, so 2/1 stays well under 2.`,
    );
  }
} finally {
  await Promise.all(clusters.map(stopCluster));
  await redis.stop();
  rmSync(tmp, { recursive: true, force: true });
}
