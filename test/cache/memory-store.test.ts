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
    assert.deepEqual(store.size, { entries: 0, bytes: 0, tags: 0 });
  });

  it("keeps the latest hard and soft time of each tag", () => {
    const store = new MemoryStore();
    store.invalidate(["a", "b"], "hard", 100);
    store.invalidate(["b"], "soft", 200);
    store.invalidate(["a"], "hard", 50);
    assert.deepEqual(store.invalidatedAt(["a"]), { hard: 100, soft: 0 });
    assert.deepEqual(store.invalidatedAt(["a", "b", "c"]), { hard: 100, soft: 200 });
  });

  it("evicts the least recently used first, however the uses are spread over the store", () => {
    const one = entryBytes("html /00", entry(1_000));
    const store = new MemoryStore(one * 10 + 100);
    const key = (i: number) => `html /${String(i).padStart(2, "0")}`;
    for (let i = 0; i < 10; i++) store.set(key(i), entry(1_000), 60_000);
    // The older half used, 4 first; then 9, by then among the older half again (five were moved past it).
    for (const i of [4, 3, 2, 1, 0, 9]) assert.ok(store.get(key(i)));
    for (let i = 10; i < 15; i++) store.set(key(i), entry(1_000), 60_000);
    const held = Array.from({ length: 15 }, (_, i) => i).filter((i) => store.get(key(i)) !== undefined);
    // Five went: 5–8, never used again, and 4, the least recently used of the rest.
    assert.deepEqual(held, [0, 1, 2, 3, 9, 10, 11, 12, 13, 14]);
  });

  it("forgets tag times no stored entry (nor a fill still running) can be concerned by, and keeps the others", () => {
    const store = new MemoryStore();
    const now = Date.now();
    // Held, and stored 30 minutes ago: what was invalidated after that still concerns it.
    store.set("html /a", { ...entry(10), storedAt: now - 30 * 60_000 }, 3_600_000);
    store.invalidate(["recent"], "hard", now);
    store.invalidate(["after-a"], "hard", now - 20 * 60_000);
    // Before the oldest entry held, and over ten minutes ago (no fill that started then still runs).
    store.invalidate(
      Array.from({ length: 2_000 }, (_, i) => `old-${i}`),
      "soft",
      now - 40 * 60_000,
    );
    assert.equal(store.size.tags, 2);
    assert.deepEqual(store.invalidatedAt(["recent", "old-1"]), { hard: now, soft: 0 });
    assert.equal(store.invalidatedAt(["after-a"]).hard, now - 20 * 60_000);
    // Within ten minutes: kept, however many, though no entry held was stored before them.
    store.invalidate(
      Array.from({ length: 5_000 }, (_, i) => `young-${i}`),
      "hard",
      now - 60_000,
    );
    assert.equal(store.size.tags, 5_002);
    assert.equal(store.invalidatedAt(["young-7"]).hard, now - 60_000);
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
      assert.ok(
        counted >= buffers && counted - buffers < Math.max(2_000, buffers * 0.05),
        `${size}: counted ${counted}, buffers ${buffers}`,
      );
    }
  });
});
