// docs/getting-started.md's Koa server (examples/docs/koa-server.ts): the pages under /shop through
// basePath, and koa-compress set to flush, so a streamed page's first chunk is not held until the end.
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import zlib from "node:zlib";
import request from "supertest";
import { createApp } from "../docs/koa-server.js";

describe("examples/docs/koa-server.ts: koa-compress flushes each chunk of a streamed page", () => {
  const app = createApp();
  const server = app.listen(0, "127.0.0.1");
  before(async () => {
    await app.pages.ready;
    if (!server.listening) await new Promise((resolve) => server.once("listening", resolve));
    await request(server).get("/shop/product?id=1").expect(200); // development compiles the page on its first request
  });
  after(async () => {
    server.close();
    await app.pages.close();
  });

  it("the fallback arrives, gzipped, before the reviews are there", async () => {
    const { port } = server.address() as AddressInfo;
    const started = performance.now();
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
      // A browser's User-Agent: a crawler's (or a library's) gets the page whole, not streamed.
      const headers = {
        "accept-encoding": "gzip",
        "user-agent":
          "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
      };
      http.get({ host: "127.0.0.1", port, path: "/shop/product?id=2", headers }, resolve).on("error", reject);
    });
    assert.equal(response.headers["content-encoding"], "gzip");
    const gunzip = response.pipe(zlib.createGunzip());
    let text = "";
    let fallbackAt = Infinity;
    for await (const chunk of gunzip) {
      text += (chunk as Buffer).toString();
      if (fallbackAt === Infinity && text.includes("Loading reviews…")) fallbackAt = performance.now() - started;
    }
    const endAt = performance.now() - started;
    assert.ok(fallbackAt < 400, `the fallback came after ${fallbackAt.toFixed(0)} ms: the chunk was held`);
    assert.ok(endAt >= 590, `ended after ${endAt.toFixed(0)} ms`);
    assert.match(text, /Product 2 is great/);
  });
});
