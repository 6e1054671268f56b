/**
 * Run by no-compiler.test.ts in a child process: serves the pages of build-site with Express, from
 * the production build in argv[2] (and starts the node:http, Koa and core factories from it too) (or, with "--compile", compiled at start), answers a few requests,
 * prints their statuses as JSON, closes everything and lets the process end by itself.
 */
import { once } from "node:events";
import { createServer, get } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { ssrMiddleware } from "../../adapters/express.js";
import { createRequestListener } from "../../adapters/http.js";
import { ssrMiddleware as koaSsr } from "../../adapters/koa.js";
import * as entry from "../../src/index.js";
import { SITE_PAGES } from "./helpers.js";

const [target] = process.argv.slice(2);
if (target === undefined) throw new Error("usage: serve-build-child.ts <out> | --compile");
const pages =
  target === "--compile"
    ? ssrMiddleware(SITE_PAGES, { dev: false, onError: () => undefined })
    : ssrMiddleware(SITE_PAGES, { build: target, onError: () => undefined });
// The other factories, started the same way (their start is where a compile would begin).
const others =
  target === "--compile"
    ? []
    : [
        createRequestListener(SITE_PAGES, { build: target }),
        koaSsr(SITE_PAGES, { build: target }),
        entry.createSsrHandler(SITE_PAGES, { build: target }),
      ];
await Promise.all(others.map((one) => one.ready));
const app = express();
app.use(pages);
await pages.ready;
const server = createServer(app);
server.listen(0, "127.0.0.1");
await once(server, "listening");
const { port } = server.address() as AddressInfo;

function status(pathname: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(`http://127.0.0.1:${port}${pathname}`, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    }).on("error", reject);
  });
}

const statuses: Record<string, number> = {};
for (const pathname of [
  "/",
  "/about",
  "/stamp",
  "/posts/1",
  "/page-data/index/page-data.json",
  "/page-data/stamp/page-data.json",
])
  statuses[pathname] = await status(pathname);
server.close();
await once(server, "close");
await pages.close();
for (const one of others) await one.close();
console.log(JSON.stringify({ statuses, entryExports: Object.keys(entry).sort() }));
