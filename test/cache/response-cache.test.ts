/**
 * The response cache through the core handler: what is stored (the page's headers decide), the key
 * (sorted query, tracking parameters left out, Vary), freshness (HIT, STALE by
 * stale-while-revalidate with one background run, stale-if-error), single flight, both variants
 * from one run, Cache-Status and x-ssr-pages-cache, ETag and 304, compression, tags and paths
 * invalidated hard and soft, a fill that started before an invalidation is not stored, and one
 * run per key while the store is away.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import zlib from "node:zlib";
import { createSsrHandler, type SsrHandler } from "../../src/handler.js";
import type { CacheStore } from "../../src/cache/store.js";
import type { SsrResponse } from "../../src/protocol.js";

type Counters = Record<string, number>;
const counters = (): Counters => ((globalThis as { __cacheRuns?: Counters }).__cacheRuns ??= {});
const runs = (page: string) => counters()[page] ?? 0;

/** A page that counts its runs and answers with `headers`; `body` is extra code in getServerData. */
const page = (name: string, headers: string, body = "") =>
  `export async function getServerData(context: any) {
     const runs = ((globalThis as any).__cacheRuns ??= {});
     runs[${JSON.stringify(name)}] = (runs[${JSON.stringify(name)}] ?? 0) + 1;
     ${body}
     return { props: { run: runs[${JSON.stringify(name)}], q: context.url }, headers: ${headers} };
   }
   export default function P({ serverData }: any) { return <p id="run">run {serverData.run} {serverData.q}</p>; }
`;

describe("the response cache", () => {
  let dir: string;
  let handler: SsrHandler;
  const get = (url: string, headers: Record<string, string> = {}, method = "GET"): Promise<SsrResponse> =>
    handler.handle({ method, url, base: "", headers }) as Promise<SsrResponse>;
  const text = (response: SsrResponse) => String(response.body).replaceAll("<!-- -->", "");

  before(
    async () => {
      mkdirSync(path.resolve(".tmp"), { recursive: true });
      dir = mkdtempSync(path.join(path.resolve(".tmp"), "cache-"));
      const files: Record<string, string> = {
        "shared.tsx": page("shared", `{ "Cache-Control": "public, s-maxage=60", "Cache-Tag": "product, featured" }`),
        "max-age.tsx": page("max-age", `{ "Cache-Control": "public, max-age=0600" }`),
        "no-public.tsx": page("no-public", `{ "Cache-Control": "max-age=600" }`),
        "private.tsx": page("private", `{}`),
        "cookie.tsx": page("cookie", `{ "Cache-Control": "public, s-maxage=60", "Set-Cookie": "a=1" }`),
        "vary.tsx": page("vary", `{ "Cache-Control": "public, s-maxage=60", "Vary": "Accept-Language" }`),
        "swr.tsx": page(
          "swr",
          `{ "Cache-Control": "public, s-maxage=1, stale-while-revalidate=60" }`,
          `await new Promise((r) => setTimeout(r, 50));`,
        ),
        "sie.tsx": page(
          "sie",
          `{ "Cache-Control": "public, s-maxage=1, stale-if-error=60" }`,
          `if ((globalThis as any).__cacheFail) throw new Error("upstream down");`,
        ),
        "strict.tsx": page(
          "strict",
          `{ "Cache-Control": "public, s-maxage=1, stale-while-revalidate=60, must-revalidate" }`,
        ),
        "slow.tsx": page(
          "slow",
          `{ "Cache-Control": "public, s-maxage=60" }`,
          `await new Promise((r) => setTimeout(r, 100));`,
        ),
        "private-slow.tsx": page("private-slow", `{}`, `await new Promise((r) => setTimeout(r, 50));`),
        "gone.tsx": page("gone", `{ "Cache-Control": "public, max-age=60" }`, `return { status: 404 };`),
        "swr-head.tsx": page(
          "swr-head",
          `{ "Cache-Control": "public, s-maxage=1, stale-while-revalidate=60" }`,
          `((globalThis as any).__cacheMethods ??= []).push(context.method);`,
        ),
        "gone-shared.tsx": page(
          "gone-shared",
          `{ "Cache-Control": "public, s-maxage=60" }`,
          `return { status: 404, headers: { "Cache-Control": "public, s-maxage=60" } };`,
        ),
        "linked.tsx": page(
          "linked",
          `{ "Cache-Control": "public, s-maxage=60", Link: ["</a.css>; rel=preload", "</b.css>; rel=preload"] }`,
        ),
        "held.tsx": page(
          "held",
          `{ "Cache-Control": "public, s-maxage=60" }`,
          `await (globalThis as any).__cacheHeld;`,
        ),
      };
      for (const [file, code] of Object.entries(files)) writeFileSync(path.join(dir, file), code);
      handler = createSsrHandler(dir, { dev: false, cache: true, onError: () => undefined });
      await handler.ready;
    },
    { timeout: 60_000 },
  );

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("stores what s-maxage, or public with max-age, allows, answers it without running the page, and says so", async () => {
    const first = await get("/shared");
    assert.equal(first.headers["x-ssr-pages-cache"], "MISS");
    assert.equal(first.headers["cache-status"], "ssr-pages; fwd=miss; stored");
    assert.equal(first.headers["cache-tag"], undefined, "Cache-Tag never goes out");
    const second = await get("/shared");
    assert.equal(second.headers["x-ssr-pages-cache"], "HIT");
    assert.match(second.headers["cache-status"] as string, /^ssr-pages; hit; ttl=(59|60)$/);
    assert.equal(second.headers["cache-control"], "public, s-maxage=60", "as the page set it");
    assert.equal(second.headers.age, "0");
    assert.equal(text(second), text(first));
    assert.equal(runs("shared"), 1);
    await get("/max-age");
    assert.equal((await get("/max-age")).headers["x-ssr-pages-cache"], "HIT", "max-age=0600 is 600 s, with public");
  });

  it("never stores without a shared lifetime: private default, max-age without public, Set-Cookie", async () => {
    for (const name of ["private", "no-public", "cookie"]) {
      await get(`/${name}`);
      const again = await get(`/${name}`);
      assert.equal(again.headers["x-ssr-pages-cache"], "MISS", name);
      assert.equal(again.headers["cache-status"], "ssr-pages; fwd=miss", name);
      assert.equal(runs(name), 2, name);
    }
    await get("/gone");
    assert.equal((await get("/gone")).headers["x-ssr-pages-cache"], "MISS", "a 404 needs an explicit s-maxage");
  });

  it("stores the page data from the same run as the HTML, and the other way round", async () => {
    await get("/max-age?x=1");
    const before = runs("max-age");
    const json = await get("/page-data/max-age/page-data.json?x=1");
    assert.equal(json.headers["x-ssr-pages-cache"], "HIT");
    assert.equal(runs("max-age"), before);
    assert.match(text(json), /"serverData":\{"run":\d+/);
  });

  it("keys on the sorted query, without tracking parameters, and on the headers the page varies on", async () => {
    await get("/shared?b=2&a=1&a=0");
    assert.equal((await get("/shared?a=1&a=0&utm_source=x&b=2&fbclid=y")).headers["x-ssr-pages-cache"], "HIT");
    assert.equal(
      (await get("/shared?a=0&a=1&b=2")).headers["x-ssr-pages-cache"],
      "MISS",
      "repeated names keep their order",
    );
    await get("/vary", { "accept-language": "de" });
    assert.equal((await get("/vary", { "accept-language": "de" })).headers["x-ssr-pages-cache"], "HIT");
    assert.equal((await get("/vary", { "accept-language": "fr" })).headers["x-ssr-pages-cache"], "MISS");
  });

  it("serves stale within stale-while-revalidate at once, with exactly one background run", async () => {
    await get("/swr");
    await delay(1100);
    const before = runs("swr");
    const stale = await Promise.all(Array.from({ length: 20 }, () => get("/swr")));
    assert.ok(stale.every((response) => response.headers["x-ssr-pages-cache"] === "STALE"));
    assert.match(
      stale[0]?.headers["cache-status"] as string,
      /^ssr-pages; hit; ttl=-\d+; detail=stale-while-revalidate$/,
    );
    await delay(150);
    assert.equal(runs("swr"), before + 1, "one revalidation for twenty stale answers");
    assert.equal((await get("/swr")).headers["x-ssr-pages-cache"], "HIT", "the revalidation stored a fresh entry");
  });

  it("must-revalidate turns the stale windows off", async () => {
    await get("/strict");
    await delay(1100);
    assert.equal((await get("/strict")).headers["x-ssr-pages-cache"], "MISS");
  });

  it("serves stale within stale-if-error when the page fails", async () => {
    await get("/sie");
    await delay(1100);
    (globalThis as { __cacheFail?: boolean }).__cacheFail = true;
    try {
      const stale = await get("/sie");
      assert.equal(stale.status, 200);
      assert.equal(stale.headers["x-ssr-pages-cache"], "STALE");
      assert.match(stale.headers["cache-status"] as string, /^ssr-pages; fwd=stale; ttl=-\d+; detail=stale-if-error$/);
    } finally {
      (globalThis as { __cacheFail?: boolean }).__cacheFail = false;
    }
  });

  it("runs a page once for 1,000 concurrent cold requests", async () => {
    const answers = await Promise.all(Array.from({ length: 1000 }, () => get("/slow")));
    assert.equal(runs("slow"), 1);
    assert.ok(answers.every((response) => response.status === 200 && /run 1/.test(text(response))));
  });

  it("never shares an answer it may not store: concurrent misses of a private page each run it", async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, () => get("/private-slow")));
    assert.equal(runs("private-slow"), 5);
    assert.ok(answers.every((response) => response.headers["cache-status"] === "ssr-pages; fwd=miss"));
  });

  it("still runs a page once for concurrent requests while the store is away, and shares only what it could have stored", async () => {
    // One store that never answers (each call times out), one that refuses at once.
    const silent: CacheStore = {
      get: () => new Promise(() => undefined),
      set: () => undefined,
      invalidatedAt: () => ({ hard: 0, soft: 0 }),
      invalidate: () => undefined,
    };
    const refusing: CacheStore = { ...silent, get: () => Promise.reject(new Error("connection refused")) };
    for (const [name, store] of [
      ["silent", silent],
      ["refusing", refusing],
    ] as const) {
      const away = createSsrHandler(dir, { dev: false, cache: { store, timeout: 30 }, onError: () => undefined });
      await away.ready;
      const ask = (url: string, headers: Record<string, string> = {}) =>
        away.handle({ method: "GET", url, base: "", headers }) as Promise<SsrResponse>;
      const before = { slow: runs("slow"), vary: runs("vary"), privateSlow: runs("private-slow") };
      const shared = await Promise.all(Array.from({ length: 50 }, () => ask(`/slow?away=${name}`)));
      assert.equal(runs("slow") - before.slow, 1, `${name}: one run for 50 requests`);
      assert.ok(
        shared.every((response) => response.status === 200 && response.headers["x-ssr-pages-cache"] === "BYPASS"),
      );
      assert.equal(new Set(shared.map((response) => response.headers)).size, 50, "each its own headers");
      const own = await Promise.all(Array.from({ length: 4 }, () => ask(`/private-slow?away=${name}`)));
      assert.equal(runs("private-slow") - before.privateSlow, 4, `${name}: a private answer is its client's alone`);
      assert.ok(own.every((response) => response.headers["x-ssr-pages-cache"] === "BYPASS"));
      const [fr, de] = await Promise.all([
        ask(`/vary?away=${name}`, { "accept-language": "fr" }),
        ask(`/vary?away=${name}`, { "accept-language": "de" }),
      ]);
      assert.equal(runs("vary") - before.vary, 2, `${name}: other Vary values run their own`);
      assert.ok(fr.status === 200 && de.status === 200);
      await away.close();
    }
  });

  it("answers a HEAD from a stored GET, and never fills from a HEAD", async () => {
    const head = await get("/shared", {}, "HEAD");
    assert.equal(head.headers["x-ssr-pages-cache"], "HIT");
    await get("/max-age?head=1", {}, "HEAD");
    assert.equal((await get("/max-age?head=1")).headers["x-ssr-pages-cache"], "MISS");
  });

  it("revalidates a stale entry a HEAD found with a GET run, whose answer is stored", async () => {
    assert.equal((await get("/swr-head")).headers["x-ssr-pages-cache"], "MISS");
    await delay(1_100);
    assert.equal((await get("/swr-head", {}, "HEAD")).headers["x-ssr-pages-cache"], "STALE");
    while (runs("swr-head") < 2) await delay(10);
    await delay(50);
    assert.deepEqual((globalThis as { __cacheMethods?: string[] }).__cacheMethods, ["GET", "GET"]);
    assert.equal((await get("/swr-head")).headers["x-ssr-pages-cache"], "HIT");
  });

  it("gives every hit its own headers, repeated ones too: what a host adds to one answer is not in the next", async () => {
    await get("/linked");
    const hit = await get("/linked");
    assert.equal(hit.headers["x-ssr-pages-cache"], "HIT");
    (hit.headers.link as string[]).push("</host.js>; rel=preload");
    hit.headers["x-host"] = "1";
    const next = await get("/linked");
    assert.deepEqual(next.headers.link, ["</a.css>; rel=preload", "</b.css>; rel=preload"]);
    assert.equal(next.headers["x-host"], undefined);
  });

  it("answers If-None-Match with 304 only for a stored 2xx: a stored 404 is sent as it is", async () => {
    const first = await get("/gone-shared");
    assert.equal(first.status, 404);
    assert.equal(first.headers["cache-status"], "ssr-pages; fwd=miss; stored");
    for (const tag of ["*", (await get("/gone-shared")).headers.etag as string]) {
      const conditional = await get("/gone-shared", { "if-none-match": tag });
      assert.equal(conditional.status, 404, `If-None-Match: ${tag}`);
      assert.equal(conditional.headers["x-ssr-pages-cache"], "HIT");
    }
  });

  it("gives a stored entry a weak ETag and answers If-None-Match with 304", async () => {
    const hit = await get("/shared");
    const etag = hit.headers.etag as string;
    assert.match(etag, /^W\/"[\w-]+"$/);
    const revalidated = await get("/shared", { "if-none-match": etag.slice(2) });
    assert.equal(revalidated.status, 304);
    assert.equal(revalidated.body, "");
    const br = await get("/shared", { "accept-encoding": "gzip, br" });
    assert.equal(br.headers.etag, etag, "the same ETag for every encoding");
  });

  it("answers a hit compressed by Accept-Encoding, with Vary: Accept-Encoding", async () => {
    const plain = text(await get("/shared"));
    const br = await get("/shared", { "accept-encoding": "gzip;q=0.5, br" });
    assert.equal(br.headers["content-encoding"], "br");
    assert.equal(br.headers.vary, "Accept-Encoding");
    assert.equal(
      zlib
        .brotliDecompressSync(br.body as Buffer)
        .toString()
        .replaceAll("<!-- -->", ""),
      plain,
    );
    const gz = await get("/shared", { "accept-encoding": "br;q=0, gzip" });
    assert.equal(gz.headers["content-encoding"], "gzip");
    assert.equal(
      zlib
        .gunzipSync(gz.body as Buffer)
        .toString()
        .replaceAll("<!-- -->", ""),
      plain,
    );
    assert.equal((await get("/shared", { "accept-encoding": "identity" })).headers["content-encoding"], undefined);
  });

  it("sends browser modules compressed once by Accept-Encoding, and byte ranges of the plain file", async () => {
    const entry = /<script type="module" src="([^"]+)"/.exec(String((await get("/private")).body))?.[1] ?? "";
    assert.ok(entry.startsWith("/_ssr-pages/"), entry);
    const plain = await get(entry);
    const br = await get(entry, { "accept-encoding": "br, gzip" });
    assert.equal(br.headers["content-encoding"], "br");
    assert.equal(br.headers.vary, "Accept-Encoding");
    assert.ok(zlib.brotliDecompressSync(br.body as Buffer).equals(plain.body as Buffer));
    assert.equal(await get(entry, { "accept-encoding": "br" }).then((again) => again.body), br.body, "compressed once");
    const gz = await get(entry, { "accept-encoding": "gzip" });
    assert.ok(zlib.gunzipSync(gz.body as Buffer).equals(plain.body as Buffer));
    const range = await get(entry, { "accept-encoding": "br", range: "bytes=0-9" });
    assert.equal(range.status, 206);
    assert.equal(range.headers["content-encoding"], undefined);
  });

  it("invalidates by tag and by path (both variants, every query) hard, and expires soft", async () => {
    await get("/shared");
    await handler.cache.invalidate({ tags: ["featured"] });
    assert.equal((await get("/shared")).headers["x-ssr-pages-cache"], "MISS");
    await get("/max-age?p=1");
    await handler.cache.invalidate({ paths: ["/max-age"] });
    assert.equal((await get("/page-data/max-age/page-data.json?p=1")).headers["x-ssr-pages-cache"], "MISS");
    await get("/swr?soft=1");
    await handler.cache.expire({ paths: ["/swr"] });
    assert.equal(
      (await get("/swr?soft=1")).headers["x-ssr-pages-cache"],
      "STALE",
      "stale within its stale-while-revalidate",
    );
    await get("/shared?soft=1");
    await handler.cache.expire({ tags: ["product"] });
    assert.equal((await get("/shared?soft=1")).headers["x-ssr-pages-cache"], "MISS", "no stale window: a miss");
  });

  it("does not store a fill that started before an invalidation", async () => {
    const filling = get("/slow?late=1");
    await delay(20);
    await handler.cache.invalidate({ paths: ["/slow"] });
    assert.equal((await filling).headers["cache-status"], "ssr-pages; fwd=miss");
    assert.equal((await get("/slow?late=1")).headers["x-ssr-pages-cache"], "MISS");
  });

  it("does not store a fill that took longer than a store keeps tag times for (ten minutes)", async () => {
    let release = () => {};
    (globalThis as { __cacheHeld?: Promise<void> }).__cacheHeld = new Promise<void>((resolve) => (release = resolve));
    const filling = get("/held");
    while (runs("held") === 0) await delay(5);
    const realNow = Date.now;
    Date.now = () => realNow() + 10 * 60_000 + 1_000;
    try {
      release();
      assert.equal((await filling).headers["cache-status"], "ssr-pages; fwd=miss");
    } finally {
      Date.now = realNow;
    }
    assert.equal((await get("/held")).headers["x-ssr-pages-cache"], "MISS");
    assert.equal((await get("/held")).headers["x-ssr-pages-cache"], "HIT", "a fill of the usual length is stored");
  });
});
