// ssr-pages with its response cache, on HOST=http|express|koa, with STORE=memory|redis (REDIS_URL).
import http from "node:http";
import express from "express";
import Koa from "koa";
import { createClient } from "redis";
import { ssrMiddleware as expressSsr } from "ssr-pages/express";
import { createRequestListener } from "ssr-pages/http";
import { ssrMiddleware as koaSsr } from "ssr-pages/koa";
import { redisStore } from "ssr-pages/redis";
import { announce } from "../baseline/hand-written.js";

const pagesDir = process.env.PAGES_DIR as string;
let cache: { store?: ReturnType<typeof redisStore> } = {};
if (process.env.STORE === "redis") {
  const client = createClient({ url: process.env.REDIS_URL, disableOfflineQueue: true });
  client.on("error", () => undefined);
  await client.connect();
  cache = { store: redisStore(client) };
}
const options = { cache, onError: () => undefined };
let server: http.Server;
if (process.env.HOST === "express") {
  const app = express();
  app.use(expressSsr(pagesDir, options));
  server = app.listen(0, "127.0.0.1", () => announce(server));
} else if (process.env.HOST === "koa") {
  const app = new Koa();
  app.use(koaSsr(pagesDir, options));
  server = app.listen(0, "127.0.0.1", () => announce(server));
} else {
  server = http.createServer(createRequestListener(pagesDir, options));
  server.listen(0, "127.0.0.1", () => announce(server));
}
