// One instance of an app sharing a Redis response cache, for the cross-instance tests: serves the
// pages of PAGES_DIR with a Redis store at REDIS_URL, answers GET /runs with how many times its
// pages ran getServerData, and prints PORT=… once it listens.
import http from "node:http";
import { createClient } from "redis";
import { createRequestListener } from "../../adapters/http.js";
import { redisStore } from "../../src/cache/redis-store.js";

const client = createClient({ url: process.env.REDIS_URL, disableOfflineQueue: true });
client.on("error", () => undefined); // reconnects by itself; the cache reports failed calls
await client.connect();
// A store timeout of a second: the tests here are about sharing runs across instances, and a burst of
// 1,000 requests on a loaded machine can hold a reply past a shorter one (the timeout's own tests are
// in-process, in redis-store.test.ts and response-cache.test.ts).
const pages = createRequestListener(process.env.PAGES_DIR as string, {
  dev: false,
  cache: { store: redisStore(client), timeout: 1_000 },
  onError: (error) => console.error(String((error as Error).message)),
});
await pages.ready;
const server = http.createServer((req, res) => {
  if (req.url === "/runs")
    return res.end(String((globalThis as { __instanceRuns?: { n: number } }).__instanceRuns?.n ?? 0));
  if (req.url === "/invalidate") return void pages.cache.invalidate({ tags: ["slow"] }).then(() => res.end("ok"));
  pages(req, res);
});
server.listen(0, "127.0.0.1", () => console.log(`PORT=${(server.address() as { port: number }).port}`));
