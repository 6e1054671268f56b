/**
 * The Redis store against a real redis-server the tests start on a free loopback port (see
 * redis-harness.ts; scripts/system-deps.sh installs it): entries with their TTL, two instances of an
 * app in separate processes sharing it (one getServerData run for 1,000 cold requests spread over
 * both; an invalidation on one seen by the other at once), and Redis going away mid-run (pages keep
 * serving uncached within the store timeout, with few log lines, and caching resumes when it is back).
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";
import { createClient } from "redis";
import { redisStore } from "../../src/cache/redis-store.js";
import { createSsrHandler, type SsrHandler } from "../../src/handler.js";
import type { SsrResponse } from "../../src/protocol.js";
import { fixture } from "../conformance/helpers.js";
import { startRedis, type RunningRedis } from "./redis-harness.js";

const PAGES = fixture("cache-redis");
const T = { timeout: 60_000 };

/** Starts test/cache/instance.ts in its own process; resolves its origin once it listens. */
function startInstance(redisUrl: string): Promise<{ origin: string; child: ChildProcess; output: string[] }> {
  const script = fileURLToPath(new URL("./instance.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    env: { ...process.env, REDIS_URL: redisUrl, PAGES_DIR: PAGES, NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      const port = /PORT=(\d+)/.exec(output.join(""))?.[1];
      if (port) resolve({ origin: `http://127.0.0.1:${port}`, child, output });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => reject(new Error(`instance exited with ${code}: ${output.join("")}`)));
    setTimeout(() => reject(new Error(`instance did not start: ${output.join("")}`)), 30_000).unref();
  });
}

describe("the Redis store", () => {
  let redis: RunningRedis;
  let client: ReturnType<typeof createClient>;
  let handler: SsrHandler;
  const errors: string[] = [];
  const get = (url: string) => handler.handle({ method: "GET", url, base: "", headers: {} }) as Promise<SsrResponse>;

  before(async () => {
    redis = await startRedis();
    client = createClient({ url: redis.url, disableOfflineQueue: true });
    client.on("error", () => undefined);
    await client.connect();
    handler = createSsrHandler(PAGES, {
      dev: false,
      cache: { store: redisStore(client, { prefix: "t1:" }), timeout: 100 },
      onError: (error) => errors.push((error as Error).message),
    });
    await handler.ready;
  }, T);

  after(async () => {
    await client?.close().catch(() => undefined);
    await redis?.stop();
  });

  it("stores an entry with its fresh and stale windows as TTL, and answers hits from it", T, async () => {
    assert.equal((await get("/slow?a=1")).headers["x-ssr-pages-cache"], "MISS");
    const hit = await get("/slow?a=1");
    assert.equal(hit.headers["x-ssr-pages-cache"], "HIT");
    const keys = await client.keys("t1:e:*");
    // The key names the build that answered (`html <build id> /slow?a=1`): the next build's servers never take it.
    const own = keys.find((key) => /^t1:e:html [\w-]{16} \/slow\?a=1$/.test(key));
    assert.ok(own, keys.join(", "));
    const ttl = await client.pTTL(own);
    assert.ok(ttl > 55_000 && ttl <= 60_000, `PTTL ${ttl}`);
  });

  it("answers a hit in one round trip (the entry and its tags' times together); a tag time has no TTL", T, async () => {
    const calls: string[] = [];
    const counted = redisStore(
      {
        set: (key, value, options) => (calls.push("set"), client.set(key, value, options)),
        mGet: (keys) => (calls.push("mGet"), client.mGet(keys)),
        eval: (script, options) => (calls.push("eval"), client.eval(script, options)),
      },
      { prefix: "t2:" },
    );
    const counting = createSsrHandler(PAGES, { dev: false, cache: { store: counted, timeout: 100 } });
    await counting.ready;
    const ask = () =>
      counting.handle({ method: "GET", url: "/slow?round=1", base: "", headers: {} }) as Promise<SsrResponse>;
    assert.equal((await ask()).headers["x-ssr-pages-cache"], "MISS");
    calls.length = 0;
    assert.equal((await ask()).headers["x-ssr-pages-cache"], "HIT");
    assert.deepEqual(calls, ["eval"]);
    // Invalidated: the next lookup sees the tag's time in that same call, and misses.
    await counting.cache.invalidate({ tags: ["slow"] });
    calls.length = 0;
    assert.equal((await ask()).headers["x-ssr-pages-cache"], "MISS");
    assert.equal(calls[0], "eval");
    // A tag time has no TTL: under a volatile-* eviction policy Redis evicts entries, never the
    // times that keep invalidated entries out.
    assert.equal(await client.pTTL("t2:h:slow"), -1);
  });

  it("honours an invalidation of an entry written by the version before (JSON alone, no tags line)", T, async () => {
    assert.equal((await get("/slow?old=1")).headers["x-ssr-pages-cache"], "MISS");
    const key = (await client.keys("t1:e:html * /slow?old=1"))[0] as string;
    const text = (await client.get(key)) as string;
    await client.set(key, text.slice(text.indexOf("\n\n") + 2), { PX: 60_000 });
    assert.equal((await get("/slow?old=1")).headers["x-ssr-pages-cache"], "HIT", "the older entry is read");
    await handler.cache.invalidate({ tags: ["slow"] });
    assert.equal((await get("/slow?old=1")).headers["x-ssr-pages-cache"], "MISS");
  });

  it(
    "gives a request waiting for another instance's run that run's entry, not the invalidated one it replaces",
    T,
    async () => {
      const other = createSsrHandler(PAGES, {
        dev: false,
        cache: { store: redisStore(client, { prefix: "t1:" }), timeout: 100 },
      });
      await other.ready;
      const ask = (on: SsrHandler) =>
        on.handle({ method: "GET", url: "/counted?wait=1", base: "", headers: {} }) as Promise<SsrResponse>;
      const body = (response: SsrResponse) => String(response.body).replaceAll("<!-- -->", "");
      assert.match(body(await ask(handler)), /run 1</);
      await handler.cache.invalidate({ paths: ["/counted"] });
      const answers = await Promise.all([ask(handler), ask(other)]);
      assert.deepEqual(answers.map((response) => response.headers["x-ssr-pages-cache"]).sort(), ["HIT", "MISS"]);
      for (const response of answers) assert.match(body(response), /run 2</);
    },
  );

  it(
    "answers each request waiting for another instance's run for itself: its Vary values, its encoding",
    T,
    async () => {
      const other = createSsrHandler(PAGES, {
        dev: false,
        cache: { store: redisStore(client, { prefix: "t1:" }), timeout: 100 },
      });
      await other.ready;
      const ask = (on: SsrHandler, headers: Record<string, string>) =>
        on.handle({ method: "GET", url: "/vary-cookie?w=1", base: "", headers }) as Promise<SsrResponse>;
      const holding = ask(other, { cookie: "u=a" });
      await delay(30);
      const [a, b] = await Promise.all([
        ask(handler, { cookie: "u=a", "accept-encoding": "br" }),
        ask(handler, { cookie: "u=b" }),
      ]);
      await holding;
      assert.equal(a.headers["content-encoding"], "br");
      assert.match(zlib.brotliDecompressSync(a.body as Buffer).toString(), /cookie <!-- -->u=a</);
      assert.equal(b.headers["content-encoding"], undefined);
      assert.match(String(b.body), /cookie <!-- -->u=b</, "not the page of u=a");
    },
  );

  it("lets concurrent misses of a page that cannot be stored run side by side, across instances too", T, async () => {
    const other = createSsrHandler(PAGES, {
      dev: false,
      cache: { store: redisStore(client, { prefix: "t1:" }), timeout: 100 },
    });
    await other.ready;
    const timed = async (on: SsrHandler) => {
      const started = performance.now();
      const response = (await on.handle({ method: "GET", url: "/private-slow", base: "", headers: {} })) as SsrResponse;
      assert.equal(response.status, 200);
      return performance.now() - started;
    };
    // The first time, an instance cannot know: the other waits for the holder's run to end (150 ms), then runs its own.
    const first = await Promise.all([timed(handler), timed(other)]);
    assert.ok(
      Math.max(...first) < 150 * 2 + 500,
      `first: ${first.map(Math.round).join(", ")} ms (the lock's expiry is ${10_000 + 1_000} ms)`,
    );
    // From then on it knows: every miss runs at once.
    const later = await Promise.all([timed(handler), timed(handler), timed(other), timed(other)]);
    assert.ok(Math.max(...later) < 150 + 250, `later: ${later.map(Math.round).join(", ")} ms`);
  });

  it(
    "shares one getServerData run between two instances for 1,000 cold requests, and an invalidation at once",
    T,
    async () => {
      const [one, two] = await Promise.all([startInstance(redis.url), startInstance(redis.url)]);
      try {
        const statuses = await Promise.all(
          Array.from({ length: 1000 }, (_, i) =>
            fetch(`${i % 2 ? one.origin : two.origin}/slow?cold=1`).then((response) => response.status),
          ),
        );
        assert.ok(statuses.every((status) => status === 200));
        const runs =
          Number(await (await fetch(`${one.origin}/runs`)).text()) +
          Number(await (await fetch(`${two.origin}/runs`)).text());
        assert.equal(runs, 1, `getServerData ran ${runs} times`);
        assert.equal((await fetch(`${two.origin}/slow?cold=1`)).headers.get("x-ssr-pages-cache"), "HIT");
        await fetch(`${one.origin}/invalidate`);
        assert.equal(
          (await fetch(`${two.origin}/slow?cold=1`)).headers.get("x-ssr-pages-cache"),
          "MISS",
          "the other instance sees it on its next request",
        );
      } finally {
        one.child.kill();
        two.child.kill();
      }
    },
  );

  it(
    "keeps serving uncached within the store timeout while Redis is away, logs little, and caches again when it is back",
    T,
    async () => {
      await get("/slow?down=1");
      redis.kill();
      await delay(50);
      const started = performance.now();
      const answers = await Promise.all(Array.from({ length: 20 }, () => get("/slow?down=1")));
      const took = performance.now() - started;
      assert.ok(
        answers.every((response) => response.status === 200 && response.headers["x-ssr-pages-cache"] === "BYPASS"),
      );
      // The page takes 150 ms; the store's timeout is 100 ms; allow the machine its noise.
      assert.ok(took < 150 + 100 + 400, `${took.toFixed(0)} ms`);
      assert.ok(errors.length <= 1, `one line per 10 s at most, got: ${errors.join(" | ")}`);
      await redis.restart();
      const deadline = Date.now() + 10_000;
      let cached = false;
      while (!cached && Date.now() < deadline) {
        await delay(200);
        await get("/slow?back=1");
        cached = (await get("/slow?back=1")).headers["x-ssr-pages-cache"] === "HIT";
      }
      assert.ok(cached, "caching resumed");
    },
  );
});
