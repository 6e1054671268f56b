/**
 * The response cache's figures, req/s with autocannon from this process (10 connections), the
 * contestants taking turns over 3 rounds: a memory hit against the HTTP ceiling (node:http answering
 * a precomputed string: the very document the hit sends; and a stricter one answering its bytes,
 * as a hit does) and against hand-written Express and Koa routes answering it; a Redis hit
 * (a redis-server this script starts on loopback) against a memory hit, with the p99 it adds.
 *
 * Run: npm run bench:cache (about 3 minutes).
 */
import path from "node:path";
import { buildServers, ROOT } from "./lib/build.js";
import { load, type LoadResult } from "./lib/load.js";
import { startServer, stopServer, type RunningServer } from "./lib/server.js";
import { startRedis } from "../test/cache/redis-harness.js";

const quick = process.argv.includes("--quick");
const SECONDS = quick ? 1 : 5;
const ROUNDS = quick ? 1 : 3;
const URL_PATH = "/products/1";
const PAGES_DIR = path.join(ROOT, "bench", "cache-pages");

const redis = await startRedis();
const contestants: Array<{ id: string; server: string; env: Record<string, string> }> = [
  { id: "ceiling", server: "cache-ceiling", env: { PAGES_DIR } },
  { id: "ceiling-bytes", server: "cache-ceiling", env: { PAGES_DIR, BYTES: "1" } },
  { id: "http-memory", server: "cache-ssr", env: { HOST: "http", PAGES_DIR } },
  { id: "express-hand", server: "cache-express-hand", env: { PAGES_DIR } },
  { id: "express-memory", server: "cache-ssr", env: { HOST: "express", PAGES_DIR } },
  { id: "koa-hand", server: "cache-koa-hand", env: { PAGES_DIR } },
  { id: "koa-memory", server: "cache-ssr", env: { HOST: "koa", PAGES_DIR } },
  { id: "http-redis", server: "cache-ssr", env: { HOST: "http", PAGES_DIR, STORE: "redis", REDIS_URL: redis.url } },
];
try {
  await buildServers([...new Set(contestants.map((c) => c.server))]);
  const running = new Map<string, RunningServer>();
  for (const contestant of contestants)
    running.set(contestant.id, await startServer(contestant.server, contestant.env, URL_PATH));
  const results = new Map<string, LoadResult[]>();
  try {
    for (const server of running.values()) await load(server.origin + URL_PATH, SECONDS, 10); // warm-up (and the first fill)
    for (let round = 0; round < ROUNDS; round++) {
      for (const contestant of round % 2 === 0 ? contestants : [...contestants].reverse()) {
        const result = await load((running.get(contestant.id) as RunningServer).origin + URL_PATH, SECONDS, 10);
        if (result.unexpected > 0) throw new Error(`${contestant.id}: ${result.unexpected} unexpected responses`);
        results.set(contestant.id, [...(results.get(contestant.id) ?? []), result]);
      }
    }
  } finally {
    await Promise.all([...running.values()].map(stopServer));
  }
  const median = (id: string, pick: (result: LoadResult) => number) => {
    const values = (results.get(id) ?? []).map(pick).sort((a, b) => a - b);
    return values[Math.floor(values.length / 2)] as number;
  };
  const rps = (id: string) => median(id, (result) => result.rps);
  const p99 = (id: string) => median(id, (result) => result.p99);
  console.log(
    `ssr-pages response cache: Node ${process.version}, ${ROUNDS} rounds of ${SECONDS} s, 10 connections, median of rounds`,
  );
  for (const { id } of contestants)
    console.log(`  ${id.padEnd(16)} ${rps(id).toFixed(0).padStart(7)} req/s  p99 ${p99(id)} ms`);
  console.log(
    `  memory hit on node:http vs the HTTP ceiling: ${(rps("http-memory") / rps("ceiling")).toFixed(2)} (target ≥ 0.7)`,
  );
  console.log(
    `  memory hit on node:http vs the ceiling sending bytes, not a string: ${(rps("http-memory") / rps("ceiling-bytes")).toFixed(2)}`,
  );
  console.log(
    `  memory hit through Express vs a hand-written Express route: ${(rps("express-memory") / rps("express-hand")).toFixed(2)} (target ≥ 0.9)`,
  );
  console.log(
    `  memory hit through Koa vs a hand-written Koa route: ${(rps("koa-memory") / rps("koa-hand")).toFixed(2)} (target ≥ 0.9)`,
  );
  console.log(
    `  Redis hit vs memory hit on node:http: ${(rps("http-redis") / rps("http-memory")).toFixed(2)} req/s, p99 +${(p99("http-redis") - p99("http-memory")).toFixed(1)} ms`,
  );
} finally {
  await redis.stop();
}
