// examples/docs/redis-server.ts
// The response cache in Redis, shared by every instance of the app:
// REDIS_URL=redis://127.0.0.1:6379 node --import tsx examples/docs/redis-server.ts
import path from "node:path";
import express from "express";
import { createClient } from "redis";
import { ssrMiddleware } from "ssr-pages/express";
import { redisStore } from "ssr-pages/redis";

// disableOfflineQueue: while Redis is away, node-redis would otherwise hold every command until
// it is back; with it, a call fails at once and the page is served uncached.
const client = createClient({ url: process.env.REDIS_URL, disableOfflineQueue: true });
client.on("error", (error) => console.error("redis", error.message)); // node-redis needs a listener
await client.connect();

const app = express();
const pagesDir = path.join(import.meta.dirname, "pages");
app.use(ssrMiddleware(pagesDir, { cache: { store: redisStore(client, { prefix: "shop:" }) } }));
app.listen(Number(process.env.PORT ?? 3000));
