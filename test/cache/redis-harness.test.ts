/**
 * The Redis harness the cache tests stand on: a private redis-server that node-redis can use, that
 * can be killed (Redis going away) and restarted on the same port, and that leaves no process
 * behind.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { createClient } from "redis";
import { pingRedis, startRedis, type RunningRedis } from "./redis-harness.js";

/** True while a process with this pid exists (signal 0 only checks). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
    throw error;
  }
}

/** A node-redis client on `url` that gives up quickly, so a broken server fails the test rather than hanging it. */
function client(url: string, options: { disableOfflineQueue?: boolean } = {}) {
  const redis = createClient({ url, socket: { connectTimeout: 2_000, reconnectStrategy: 50 }, ...options });
  redis.on("error", () => {}); // reconnect errors after kill() are expected; unhandled ones would throw
  return redis;
}

describe("redis harness", { timeout: 30_000 }, () => {
  let redis: RunningRedis;
  const pids = new Set<number>();
  after(() => redis?.stop());

  it("starts redis-server on a loopback port and answers PING", { timeout: 12_000 }, async () => {
    redis = await startRedis();
    assert.equal(redis.url, `redis://127.0.0.1:${redis.port}`);
    assert.ok(redis.pid && alive(redis.pid));
    pids.add(redis.pid);
    assert.equal(await pingRedis(redis.port), true);
  });

  it("serves node-redis at url: SET then GET", { timeout: 5_000 }, async () => {
    const c = client(redis.url);
    await c.connect();
    try {
      assert.equal(await c.set("harness:key", "value"), "OK");
      assert.equal(await c.get("harness:key"), "value");
    } finally {
      c.destroy();
    }
  });

  it(
    "kill() takes it away at once: PING fails, an offline-queue-less client rejects quickly",
    { timeout: 5_000 },
    async () => {
      const c = client(redis.url, { disableOfflineQueue: true });
      await c.connect();
      try {
        redis.kill();
        // SIGKILL is asynchronous: give the kernel a moment to close the listening socket.
        let down = false;
        for (let i = 0; i < 40 && !down; i++) {
          down = !(await pingRedis(redis.port, 200));
          if (!down) await new Promise((resolve) => setTimeout(resolve, 25));
        }
        assert.ok(down, "PING still answered after kill()");
        const started = Date.now();
        await assert.rejects(c.get("harness:key"));
        assert.ok(Date.now() - started < 1_000, `GET took ${Date.now() - started} ms to reject`);
      } finally {
        c.destroy();
      }
    },
  );

  it("restart() brings it back, empty, on the same port", { timeout: 12_000 }, async () => {
    const port = redis.port;
    await redis.restart();
    assert.equal(redis.port, port);
    assert.ok(redis.pid && alive(redis.pid));
    pids.add(redis.pid);
    assert.equal(await pingRedis(port), true);
    const c = client(redis.url);
    await c.connect();
    try {
      assert.equal(await c.get("harness:key"), null, "no persistence: nothing survives a restart");
    } finally {
      c.destroy();
    }
  });

  it("stop() leaves no redis-server process behind, and can be called again", { timeout: 8_000 }, async () => {
    await redis.stop();
    assert.equal(redis.pid, undefined);
    for (const pid of pids) assert.equal(alive(pid), false, `redis-server ${pid} still running`);
    assert.equal(await pingRedis(redis.port, 200), false);
    await redis.stop();
  });
});
