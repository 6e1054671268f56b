/**
 * The memory store's accounting and its memory under churn: what `maxBytes` counts against what
 * the entries really hold (JS heap + Buffer memory after a GC, over an empty store as the baseline),
 * and RSS while 10,000 distinct keys (then 10,000 more, several times) pass through a store bounded
 * at 16 MiB: it must stay flat once the store is full.
 *
 * Run: npm run bench:cache-memory (seconds). Needs --expose-gc (the script sets it).
 */
import { setTimeout as delay } from "node:timers/promises";
import zlib from "node:zlib";
import { MemoryStore, type StoredResponse } from "../src/cache/store.js";

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc (npm run bench:cache-memory does)");
const settle = async () => {
  for (let i = 0; i < 4; i++) {
    gc();
    await delay(10);
  }
  const usage = process.memoryUsage();
  return { held: usage.heapUsed + usage.arrayBuffers, rss: usage.rss };
};

/** An entry like a product page's: ~12 kB of HTML, compressed as the cache compresses it. */
function entry(i: number): StoredResponse {
  const body = Buffer.from(`<!DOCTYPE html><html><body>${`<li>item ${i} `.repeat(900)}</body></html>`);
  return {
    kind: "response",
    status: 200,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "public, s-maxage=60",
      vary: "Accept-Language",
    },
    body,
    // Copies, as the cache stores them: zlib's own output is a view of a larger chunk.
    br: Buffer.from(zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } })),
    gzip: Buffer.from(zlib.gzipSync(body)),
    etag: `W/"${i.toString(36).padStart(22, "0")}"`,
    storedAt: Date.now(),
    lifetime: { fresh: 60, staleWhileRevalidate: 600, staleIfError: 0 },
    tags: ["products", `path:/products/${i}`],
  };
}

entry(0); // warm the code that makes entries, so the baseline holds what it compiled
const empty = await settle();
const store = new MemoryStore(1024 * 1024 * 1024);
for (let i = 0; i < 2_000; i++) store.set(`html /products/${i}?color=red`, entry(i), 60_000);
const full = await settle();
const real = full.held - empty.held;
const counted = store.size.bytes;
console.log(`ssr-pages memory store: Node ${process.version}`);
console.log(
  `  2,000 entries: counted ${(counted / 1e6).toFixed(2)} MB, held ${(real / 1e6).toFixed(2)} MB (heap + Buffers after GC): counted / held ${(counted / real).toFixed(3)}`,
);

const bounded = new MemoryStore(16 * 1024 * 1024);
const template = entry(0);
const ROUNDS = 10;
const rounds: Array<{ held: number; rss: number }> = [];
for (let round = 0; round < ROUNDS; round++) {
  for (let i = 0; i < 10_000; i++)
    bounded.set(
      `html /p/${round}-${i}`,
      { ...template, body: Buffer.from(template.body), etag: `W/"${round}-${i}"` },
      60_000,
    );
  rounds.push(await settle());
}
const mb = (pick: (round: { held: number; rss: number }) => number) =>
  rounds.map((round) => (pick(round) / 1e6).toFixed(0)).join(" ");
console.log(
  `  churn, ${ROUNDS} × 10,000 keys through a 16 MiB store: ${bounded.size.entries} entries, ${(bounded.size.bytes / 1048576).toFixed(1)} MiB counted`,
);
// Held (heap + Buffers) is what the store keeps; RSS also holds what the allocator has not given back yet.
console.log(`  after each round (MB): held ${mb((round) => round.held)}, RSS ${mb((round) => round.rss)}`);
