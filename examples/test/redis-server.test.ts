// docs/caching.md's Redis server (examples/docs/redis-server.ts), run as a reader runs it, against a
// private redis-server: the page is stored in Redis under the app's prefix and answered from there.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createClient } from "redis";
import request from "supertest";
import { startRedis, type RunningRedis } from "../../test/cache/redis-harness.js";
import { spawnServer, type SpawnedServer } from "./spawn-server.js";

describe("examples/docs/redis-server.ts: the response cache in Redis", () => {
  let redis: RunningRedis;
  let server: SpawnedServer;
  before(async () => {
    redis = await startRedis();
    server = await spawnServer("examples/docs/redis-server.ts", { REDIS_URL: redis.url, NODE_ENV: "production" });
  });
  after(async () => {
    await server?.stop();
    await redis?.stop();
  });

  it("stores the page in Redis under the prefix, and answers the next request from there", async () => {
    const miss = await request(server.origin).get("/products").expect(200);
    assert.equal(miss.headers["x-ssr-pages-cache"], "MISS");
    const client = createClient({ url: redis.url });
    await client.connect();
    try {
      // The entry is written once the answer is sent: wait for it.
      let keys: string[] = [];
      for (
        const deadline = Date.now() + 5_000;
        !keys.some((key) => key.startsWith("shop:e:")) && Date.now() < deadline;
      ) {
        keys = await client.keys("shop:*");
        if (!keys.some((key) => key.startsWith("shop:e:"))) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.ok(
        keys.some((key) => key.startsWith("shop:e:")),
        `an entry under the prefix: ${keys.join(", ")}`,
      );
    } finally {
      client.destroy();
    }
    const hit = await request(server.origin).get("/products").expect(200);
    assert.equal(hit.headers["x-ssr-pages-cache"], "HIT");
    assert.equal(hit.text, miss.text);
  });
});
