/** The in-memory store: an LRU bounded by bytes, expired entries dropped as they are met, tag times kept. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { entryBytes, MemoryStore, type StoredResponse } from "../../src/cache/store.js";

const entry = (size: number): StoredResponse => ({
  kind: "response",
  status: 200,
  headers: { "content-type": "text/html; charset=utf-8", "cache-control": "public, s-maxage=60" },
  body: Buffer.alloc(size, 1),
  br: Buffer.alloc(Math.floor(size / 4), 2),
  gzip: Buffer.alloc(Math.floor(size / 3), 3),
  etag: 'W/"x"',
  storedAt: Date.now(),
  lifetime: { fresh: 60, staleWhileRevalidate: 0, staleIfError: 0 },
  tags: ["path:/a"],
});

describe("MemoryStore", () => {
  it("stays within maxBytes, dropping the least recently used first", () => {
    const one = entryBytes("html /0", entry(10_000));
    const store = new MemoryStore(one * 5 + 100);
    for (let i = 0; i < 5; i++) store.set(`html /${i}`, entry(10_000), 60_000);
    assert.ok(store.get("html /0"), "used again: now the most recent");
    store.set("html /5", entry(10_000), 60_000);
    assert.equal(store.get("html /1"), undefined, "the least recently used went");
    assert.ok(store.get("html /0"));
    assert.ok(store.size.bytes <= store.maxBytes, `${store.size.bytes} > ${store.maxBytes}`);
    assert.equal(store.size.entries, 5);
  });

  it("never holds an entry larger than the whole store, and replaces a key's entry", () => {
    const store = new MemoryStore(1_000);
    store.set("big", entry(5_000), 60_000);
    assert.equal(store.get("big"), undefined);
    const small = new MemoryStore(1_000_000);
    small.set("k", entry(100), 60_000);
    small.set("k", entry(200), 60_000);
    assert.equal(small.size.entries, 1);
    assert.equal(small.size.bytes, entryBytes("k", entry(200)));
  });

  it("drops an expired entry when it is met", async () => {
    const store = new MemoryStore();
    store.set("k", entry(10), 20);
    await new Promise((resolve) => setTimeout(resolve, 40));
    assert.equal(store.get("k"), undefined);
    assert.deepEqual(store.size, { entries: 0, bytes: 0 });
  });

  it("keeps the latest hard and soft time of each tag", () => {
    const store = new MemoryStore();
    store.invalidate(["a", "b"], "hard", 100);
    store.invalidate(["b"], "soft", 200);
    store.invalidate(["a"], "hard", 50);
    assert.deepEqual(store.invalidatedAt(["a"]), { hard: 100, soft: 0 });
    assert.deepEqual(store.invalidatedAt(["a", "b", "c"]), { hard: 100, soft: 200 });
  });

  it("counts an entry's bodies, headers and key: within 5 % of what 1,000 of them hold in memory", () => {
    // Buffers live outside the JS heap: their bytes are the bulk, and are exactly what is counted;
    // the rest (objects, strings) is estimated. Compared on what we count, so the figure is honest
    // about which part is estimated.
    const sizes = [2_000, 10_000, 40_000];
    for (const size of sizes) {
      const e = entry(size);
      const counted = entryBytes("html /products/1?color=red", e);
      const buffers = e.body.length + (e.br?.length ?? 0) + (e.gzip?.length ?? 0);
      assert.ok(counted >= buffers && counted - buffers < Math.max(2_000, buffers * 0.05), `${size}: counted ${counted}, buffers ${buffers}`);
    }
  });
});
