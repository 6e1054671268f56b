// examples/cluster/ as a deploy runs it: the shop built with the CLI, then served by two node:cluster
// workers sharing a private Redis; a worker that dies is replaced; SIGTERM lets a slow request finish
// and leaves no process behind.
import assert from "node:assert/strict";
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { startRedis, type RunningRedis } from "../../test/cache/redis-harness.js";
import { alive } from "../../test/examples/processes.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
// Under the repository (in .tmp/, ignored by git), not in the system's temp dir: the slow page's
// build imports react from the repository's node_modules. Each test run gets its own builds.
mkdirSync(path.join(ROOT, ".tmp"), { recursive: true });
const tmp = mkdtempSync(path.join(ROOT, ".tmp", "cluster-"));
const shopBuild = path.join(tmp, "shop-build");
const slowPages = path.join(tmp, "slow-pages");
const slowBuild = path.join(tmp, "slow-build");
/** How long the slow page's getServerData takes. */
const SLOW_MS = 500;
/** Written by the slow page when its getServerData starts: the request is then surely in a worker. */
const slowStarted = path.join(tmp, "slow-started");

let redis: RunningRedis;

/**
 * Every primary this file started: killed if the file ends without stopping one (a failed or timed
 * out test). SIGKILL: node:cluster exits a worker whose primary is gone.
 */
const primaries = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of primaries) child.kill("SIGKILL");
});

/** The cluster example's primary, as `npm run start:cluster` runs it. */
function spawnCluster(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "examples/cluster/server.ts"], {
    cwd: ROOT,
    // PORT=0: the first worker takes a free port and the others share it (node:cluster does that),
    // so nothing can take it between a probe and the bind.
    env: { ...process.env, NODE_ENV: "production", WORKERS: "2", PORT: "0", REDIS_URL: redis.url, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  primaries.add(child);
  child.once("exit", () => primaries.delete(child));
  return child;
}

before(async () => {
  mkdirSync(slowPages);
  writeFileSync(
    path.join(slowPages, "slow.tsx"),
    `import { writeFileSync } from "node:fs";
export async function getServerData() {
  writeFileSync(${JSON.stringify(slowStarted)}, "");
  await new Promise((resolve) => setTimeout(resolve, ${SLOW_MS}));
  return { props: { waited: ${SLOW_MS} } };
}
export default function Slow({ serverData }: { serverData: { waited: number } }) {
  return <h1>Waited {serverData.waited} ms</h1>;
}
`,
  );
  const cli = (pagesDir: string, out: string) =>
    promisify(execFile)(
      process.execPath,
      ["--import", "tsx", path.join(ROOT, "src/cli.ts"), "build", pagesDir, "--out", out],
      { cwd: ROOT },
    );
  [redis] = await Promise.all([
    startRedis(),
    cli(path.join(ROOT, "examples/pages"), shopBuild),
    cli(slowPages, slowBuild),
  ]);
});

after(async () => {
  await redis?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

/** The cluster example running as a child process, as `npm run start:cluster` runs it. */
interface Cluster {
  child: ChildProcess;
  origin: string;
  /** Every worker pid the primary reported listening, replacements included. */
  workers: number[];
  /** Everything printed so far, stdout and stderr. */
  output(): string;
  /** Waits for `pattern` in the output (from its start). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Settles when the primary has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function startCluster(env: Record<string, string>): Promise<Cluster> {
  const child = spawnCluster(env);
  let text = "";
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    for (const check of waiters) check();
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exited = once(child, "exit").then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  // Generous: three clusters start side by side, on a machine that may be busy with more.
  const waitFor = (pattern: RegExp, timeoutMs = 30_000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const found = text.match(pattern);
        if (!found) return;
        cleanup();
        resolve(found);
      };
      const timer = setTimeout(
        () => (cleanup(), reject(new Error(`no ${pattern} within ${timeoutMs} ms; output:\n${text}`))),
        timeoutMs,
      );
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      void exited.then(() =>
        setImmediate(
          () =>
            waiters.has(check) &&
            (cleanup(), reject(new Error(`the cluster exited before ${pattern}; output:\n${text}`))),
        ),
      );
      check();
    });
  const [, port] = await waitFor(/worker\(s\) serving http:\/\/localhost:(\d+)\//);
  return {
    child,
    origin: `http://127.0.0.1:${port}`,
    get workers() {
      return [...text.matchAll(/worker (\d+) listening/g)].map((match) => Number(match[1]));
    },
    output: () => text,
    waitFor,
    exited,
  };
}

/** A GET on a connection of its own (the primary hands each new connection to the next worker). */
function get(url: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false, timeout: 10_000 }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode as number, headers: res.headers, body }));
      })
      .on("timeout", function (this: http.ClientRequest) {
        this.destroy(new Error(`GET ${url}: no answer within 10 s`));
      })
      .on("error", reject);
  });
}

/** SIGTERM to the primary, then {@link stopped}. */
async function stopCluster(cluster: Cluster): Promise<void> {
  cluster.child.kill("SIGTERM");
  await stopped(cluster);
}

/** Resolves once the primary has exited 0 and no worker it ever had is left. */
async function stopped(cluster: Cluster): Promise<void> {
  const { code, signal } = await cluster.exited;
  assert.deepEqual({ code, signal }, { code: 0, signal: null }, cluster.output());
  // The primary exits after its workers' 'exit' events; their pids may take a moment to be reaped.
  const deadline = Date.now() + 2_000;
  while (cluster.workers.some(alive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepEqual(cluster.workers.filter(alive), [], "workers left behind");
}

// The three clusters run side by side: their start-up (Node, tsx, Express, React and node-redis in
// every worker) is most of the file's time. Each has its own port and build; they share Redis only.
describe("examples/cluster", { concurrency: true, timeout: 60_000 }, () => {
  it("serves the build from two workers that share the Redis cache, and replaces a worker that dies", async () => {
    const cluster = await startCluster({ BUILD_DIR: shopBuild });
    try {
      const { buildId } = JSON.parse(readFileSync(path.join(shopBuild, "ssr-pages.json"), "utf8")) as {
        buildId: string;
      };
      assert.equal(cluster.workers.length, 2);

      // /health from both workers (one connection each), once their Redis client is ready.
      const seen = new Map<number, unknown>();
      for (let attempt = 0; seen.size < 2 && attempt < 100; attempt++) {
        const health = await get(`${cluster.origin}/health`);
        assert.equal(health.status, 200);
        const body = JSON.parse(health.body) as { pid: number; redis: string };
        if (body.redis === "ready") seen.set(body.pid, body);
        else await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.deepEqual([...seen.keys()].sort(), [...cluster.workers].sort());
      for (const [pid, body] of seen) assert.deepEqual(body, { ok: true, pid, buildId, redis: "ready" });

      const product = await get(`${cluster.origin}/products/2`);
      assert.equal(product.status, 200);
      assert.match(product.body, /<h1>Pour-over kettle<\/h1>/);

      // The product list is `public, max-age=60`: stored by the worker that rendered it (a MISS),
      // then a HIT on the other, which never rendered it (neither keeps entries in memory). Each
      // attempt has a key of its own: on a busy machine a Redis call can outlast the cache's 50 ms
      // timeout, and that request is then answered uncached (BYPASS), which proves nothing.
      let sharedHit = false;
      const outcomes: string[] = [];
      for (let attempt = 0; attempt < 5 && !sharedHit; attempt++) {
        const url = `${cluster.origin}/?tag=coffee&attempt=${attempt}`;
        const first = await get(url);
        assert.equal(first.status, 200);
        outcomes.push(`${first.headers["x-served-by"]} ${first.headers["x-ssr-pages-cache"]}`);
        if (first.headers["x-ssr-pages-cache"] !== "MISS") continue;
        // The primary hands each new connection to the next worker in turn; a few tries, not one.
        for (let i = 0; i < 4; i++) {
          const again = await get(url);
          outcomes.push(`${again.headers["x-served-by"]} ${again.headers["x-ssr-pages-cache"]}`);
          if (again.headers["x-served-by"] === first.headers["x-served-by"]) continue;
          if (again.headers["x-ssr-pages-cache"] === "HIT") {
            assert.equal(again.body, first.body);
            sharedHit = true;
          }
          break;
        }
      }
      assert.ok(sharedHit, `no hit on the worker that did not render the page: ${outcomes.join(", ")}`);

      // A worker that dies unexpectedly is replaced; the other serves meanwhile.
      const [victim] = cluster.workers as [number];
      process.kill(victim, "SIGKILL");
      await cluster.waitFor(new RegExp(`worker ${victim} died unexpectedly[^]*worker (?!${victim}\\b)\\d+ listening`));
      assert.equal(cluster.workers.length, 3);
      assert.equal((await get(`${cluster.origin}/about`)).status, 200);
    } finally {
      await stopCluster(cluster);
    }
  });

  it("on SIGTERM, finishes the request in flight, then exits 0 with no worker left", async () => {
    const cluster = await startCluster({ PAGES_DIR: slowPages, BUILD_DIR: slowBuild });
    let signalled = false;
    try {
      const slow = get(`${cluster.origin}/slow`);
      // The page has started: the request is on a worker, its getServerData waiting 500 ms.
      for (
        const deadline = Date.now() + 10_000;
        !existsSync(slowStarted);
        await new Promise((resolve) => setTimeout(resolve, 5))
      ) {
        assert.ok(Date.now() < deadline, `the slow page never started; output:\n${cluster.output()}`);
      }
      const sent = Date.now();
      cluster.child.kill("SIGTERM");
      signalled = true;
      const response = await slow;
      assert.equal(response.status, 200);
      assert.match(response.body, /<h1>Waited <!-- -->500<!-- --> ms<\/h1>/);
      // The connection is not kept alive past the shutdown.
      assert.equal(response.headers.connection, "close");
      await cluster.waitFor(/SIGTERM: stopping, 1 request\(s\) in flight/);
      await stopped(cluster);
      // Well under the slow page plus Node's keep-alive timeout (5 s): no idle connection held the exit.
      assert.ok(Date.now() - sent < 4_000, `the shutdown took ${Date.now() - sent} ms`);
      // The port is closed with the cluster.
      await assert.rejects(get(`${cluster.origin}/health`), { code: "ECONNREFUSED" });
    } finally {
      // A second SIGTERM would mean "kill now": only one.
      if (!signalled) cluster.child.kill("SIGTERM");
      await cluster.exited;
    }
  });

  it("stops, exit code 1, when the workers cannot start (no build)", async () => {
    const empty = path.join(tmp, "no-build");
    mkdirSync(empty);
    const child = spawnCluster({ WORKERS: "1", BUILD_DIR: empty });
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const [code] = (await once(child, "exit")) as [number | null];
    assert.equal(code, 1, output);
    assert.match(output, /no production build in/);
    assert.match(output, /before it listened: stopping the cluster/);
  });
});
