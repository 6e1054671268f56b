/**
 * What may be stored, as parsed directives: the rules of the cache against `http-cache-semantics`
 * (a shared-cache implementation of RFC 9111, as a test oracle) over a fuzz of header
 * combinations: whatever ssr-pages stores, the oracle calls storable, with the same lifetime. The
 * cache is stricter on purpose (it stores only with `s-maxage` or `public` + `max-age`, never
 * `no-cache`, never a `Set-Cookie`), so the other direction holds only for those.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import CachePolicy from "http-cache-semantics";
import { parseCacheControl, sharedLifetime } from "../../src/cache/cache-control.js";

/** A small deterministic generator (mulberry32), so a failure prints a seed that reproduces it. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DIRECTIVES = [
  "public",
  "private",
  "no-store",
  "no-cache",
  "must-revalidate",
  "proxy-revalidate",
  "max-age=60",
  "max-age=0",
  "max-age=0600",
  "s-maxage=30",
  "s-maxage=0",
  "stale-while-revalidate=10",
  "stale-if-error=20",
  'private="set-cookie"',
  "immutable",
];
const STATUSES = [200, 203, 204, 206, 301, 302, 304, 308, 404, 410, 500, 503];

describe("Cache-Control, parsed", () => {
  it("reads delta-seconds and quoted strings as the RFC writes them; a lifetime given twice differently stores nothing", () => {
    const directives = parseCacheControl(
      'public, max-age=0600, private="set-cookie, x", s-maxage=5, s-maxage=5, junk=="x", no-cache',
    );
    assert.equal(directives.get("max-age"), "0600");
    assert.equal(directives.get("private"), "set-cookie, x");
    assert.equal(directives.get("s-maxage"), "5");
    assert.equal(directives.get("no-cache"), true);
    assert.match(
      (sharedLifetime(200, { "cache-control": "public, max-age=60, max-age=0" }) as { reason: string }).reason,
      /max-age given twice/,
    );
    assert.deepEqual(sharedLifetime(200, { "cache-control": "public, max-age=0600" }), {
      fresh: 600,
      staleWhileRevalidate: 0,
      staleIfError: 0,
    });
    assert.deepEqual(sharedLifetime(200, { "cache-control": ["public", "s-maxage=10, stale-while-revalidate=5"] }), {
      fresh: 10,
      staleWhileRevalidate: 5,
      staleIfError: 0,
    });
  });

  it("never stores what a shared cache may not, and gives what it stores the oracle's lifetime (2,000 combinations)", () => {
    const next = random(20261201);
    let stored = 0;
    for (let round = 0; round < 2000; round++) {
      const picked = DIRECTIVES.filter(() => next() < 0.25);
      const status = STATUSES[Math.floor(next() * STATUSES.length)] as number;
      const headers: Record<string, string> = { "cache-control": picked.join(", "), date: new Date().toUTCString() };
      if (next() < 0.15) headers["set-cookie"] = "a=1";
      if (next() < 0.1) headers.vary = next() < 0.5 ? "*" : "Accept-Language";
      const ours = sharedLifetime(status, headers);
      const oracle = new CachePolicy({ method: "GET", url: "/p", headers: {} }, { status, headers }, { shared: true });
      const label = `seed round ${round}: ${status} ${JSON.stringify(headers)}`;
      if ("reason" in ours) {
        // Stricter than the RFC only where we say so.
        const directives = parseCacheControl(headers["cache-control"]);
        const explicit = directives.has("s-maxage") || (directives.has("public") && directives.has("max-age"));
        if (
          explicit &&
          oracle.storable() &&
          oracle.maxAge() > 0 &&
          !headers["set-cookie"] &&
          headers.vary !== "*" &&
          !picked.includes("no-cache") &&
          [200, 203, 301, 308].includes(status)
        ) {
          assert.fail(`${label}: refused (${ours.reason}) though the oracle stores it with a lifetime`);
        }
        continue;
      }
      stored++;
      assert.ok(oracle.storable(), `${label}: stored, but a shared cache may not`);
      // The oracle gives `proxy-revalidate` no freshness at all in a shared cache; RFC 9111 §5.2.2.8
      // makes it must-revalidate for shared caches (fresh for its lifetime, never served stale), as here.
      if (!picked.includes("proxy-revalidate"))
        assert.equal(oracle.maxAge(), ours.fresh, `${label}: freshness lifetime`);
    }
    assert.ok(stored > 50, `only ${stored} storable combinations: the fuzz tests little`);
  });

  it("refuses 404 and 410 without an explicit s-maxage, and 204, 206, 304 and 5xx always", () => {
    assert.ok("reason" in sharedLifetime(404, { "cache-control": "public, max-age=60" }));
    assert.ok(!("reason" in sharedLifetime(404, { "cache-control": "s-maxage=60" })));
    for (const status of [204, 206, 304, 500, 503])
      assert.ok("reason" in sharedLifetime(status, { "cache-control": "public, s-maxage=60" }), String(status));
  });
});
