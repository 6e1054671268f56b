/**
 * The response cache on every adapter, at the root and under a mount path: a page's shared cache
 * header makes the second request a hit that does not run the page, with Cache-Status, Age and
 * x-ssr-pages-cache; the page-data variant comes from the HTML's run; a HEAD is answered from the
 * stored GET; If-None-Match gets 304; a hit goes out compressed once for Accept-Encoding; Cache-Tag
 * never goes out; with the cache off neither cache header is sent.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import request from "supertest";
import { MOUNT, targets, type MadeApp } from "./targets.js";
import { fixture } from "./helpers.js";

const CACHE = fixture("cache");
const runs = (id: string) =>
  (globalThis as { __conformanceRuns?: Record<string, number> }).__conformanceRuns?.[id] ?? 0;

/** Asks `url` twice of a fresh app: a miss that stores, then a hit (both 200). */
async function missThenHit(made: MadeApp, url: string): Promise<[request.Response, request.Response]> {
  await made.ready;
  const first = await request(made.app).get(url).expect(200);
  assert.equal(first.headers["x-ssr-pages-cache"], "MISS");
  const second = await request(made.app).get(url).expect(200);
  assert.equal(second.headers["x-ssr-pages-cache"], "HIT");
  return [first, second];
}

for (const target of targets) {
  for (const mount of [undefined, MOUNT]) {
    const at = mount ?? "";
    // Unique per target and set: the run counters live on globalThis, shared by both sets.
    const id = (name: string) => `${target.name}${target.fromBuild ? "-build" : ""}${mount ? "-shop" : ""}-${name}`;
    describe(`response cache [${target.label}]${mount ? ` mounted at ${mount}` : ""}`, () => {
      let made: MadeApp;
      let off: MadeApp;
      before(async () => {
        made = target.makeApp(CACHE, { dev: false, onError: () => {} }, mount);
        off = target.makeApp(CACHE, { dev: false, onError: () => {}, extra: { cache: false } }, mount);
        await Promise.all([made.ready, off.ready]);
      });

      it("answers the second request from the store, without running the page", async () => {
        const first = await request(made.app)
          .get(`${at}/counted?id=${id("hit")}`)
          .expect(200);
        assert.equal(first.headers["x-ssr-pages-cache"], "MISS");
        assert.equal(first.headers["cache-status"], "ssr-pages; fwd=miss; stored");
        assert.equal(first.headers["cache-tag"], undefined);
        const second = await request(made.app)
          .get(`${at}/counted?id=${id("hit")}`)
          .expect(200);
        assert.equal(second.headers["x-ssr-pages-cache"], "HIT");
        assert.match(second.headers["cache-status"] ?? "", /^ssr-pages; hit; ttl=\d+$/);
        assert.match(second.headers.age ?? "", /^\d+$/);
        assert.equal(second.headers["cache-tag"], undefined);
        assert.equal(second.text, first.text);
        assert.equal(runs(id("hit")), 1);
        assert.deepEqual(made.hostErrors, []);
      });

      it("stores what the page answered, not the host's own Set-Cookie: each answer, hit or miss, carries the host's cookie of its request", async () => {
        const host = target.makeApp(CACHE, { dev: false, onError: () => {}, hostCookie: true }, mount);
        const [first, second] = await missThenHit(host, `${at}/counted?id=${id("host-cookie")}`);
        assert.equal(first.headers["cache-status"], "ssr-pages; fwd=miss; stored");
        assert.deepEqual(first.headers["set-cookie"], ["host=1; Path=/"]);
        assert.deepEqual(second.headers["set-cookie"], ["host=2; Path=/"]);
        assert.equal(runs(id("host-cookie")), 1);
        assert.deepEqual(host.hostErrors, []);
      });

      it("keeps a Vary the host set (cors() sets Vary: Origin) on a miss and a hit, joined to the cache's own", async () => {
        const host = target.makeApp(CACHE, { dev: false, onError: () => {}, hostVary: true }, mount);
        const [first, second] = await missThenHit(host, `${at}/counted?id=${id("host-vary")}`);
        assert.equal(first.headers.vary, "Origin");
        assert.equal(second.headers.vary, "Origin, Accept-Encoding");
        assert.deepEqual(host.hostErrors, []);
      });

      it("stores the page data from the HTML's run, answers HEAD from the stored GET, and 304 for its ETag", async () => {
        await request(made.app)
          .get(`${at}/counted?id=${id("variants")}`)
          .expect(200);
        const json = await request(made.app)
          .get(`${at}/page-data/counted/page-data.json?id=${id("variants")}`)
          .expect(200);
        assert.equal(json.headers["x-ssr-pages-cache"], "HIT");
        assert.equal((json.body as { result: { serverData: { run: number } } }).result.serverData.run, 1);
        const head = await request(made.app)
          .head(`${at}/counted?id=${id("variants")}`)
          .expect(200);
        assert.equal(head.headers["x-ssr-pages-cache"], "HIT");
        const etag = head.headers.etag ?? "";
        assert.match(etag, /^W\//);
        await request(made.app)
          .get(`${at}/counted?id=${id("variants")}`)
          .set("If-None-Match", etag)
          .expect(304);
        assert.equal(runs(id("variants")), 1);
      });

      it("sends a hit compressed once, by Accept-Encoding", async () => {
        const plain = await request(made.app)
          .get(`${at}/counted?id=${id("gzip")}`)
          .expect(200);
        const gzipped = await request(made.app)
          .get(`${at}/counted?id=${id("gzip")}`)
          .set("Accept-Encoding", "gzip")
          .expect(200);
        assert.equal(gzipped.headers["content-encoding"], "gzip");
        assert.match(gzipped.headers.vary ?? "", /Accept-Encoding/);
        assert.equal(gzipped.text, plain.text, "supertest decodes it: one layer of gzip");
      });

      it("sends neither cache header with the cache off, and runs the page every time", async () => {
        await request(off.app)
          .get(`${at}/counted?id=${id("off")}`)
          .expect(200);
        const again = await request(off.app)
          .get(`${at}/counted?id=${id("off")}`)
          .expect(200);
        assert.equal(again.headers["x-ssr-pages-cache"], undefined);
        assert.equal(again.headers["cache-status"], undefined);
        assert.equal(runs(id("off")), 2);
      });

      it("never stores a page with the default private, no-store", async () => {
        const first = await request(made.app).get(`${at}/private`).expect(200);
        const second = await request(made.app).get(`${at}/private`).expect(200);
        assert.equal(second.headers["x-ssr-pages-cache"], "MISS");
        assert.equal(first.headers["cache-control"], "private, no-store");
      });
    });
  }
}
