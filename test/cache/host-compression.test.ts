/**
 * A host's `compression()` in front of the cache: a hit already carries `Content-Encoding`, so it
 * is sent as stored (compressed once), and a miss is compressed by the host as any response.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import compression from "compression";
import express from "express";
import request from "supertest";
import { ssrMiddleware } from "../../adapters/express.js";
import { fixture } from "../conformance/helpers.js";

describe("the cache behind compression()", () => {
  const app = express();
  before(async () => {
    const pages = ssrMiddleware(fixture("cache"), { dev: false, onError: () => undefined });
    app.use(compression({ threshold: 0 }));
    app.use(pages);
    await pages.ready;
  });

  it("sends a hit compressed once, and lets the host compress a miss", async () => {
    const miss = await request(app).get("/counted?id=host-compression").set("Accept-Encoding", "gzip").expect(200);
    assert.equal(miss.headers["x-ssr-pages-cache"], "MISS");
    assert.equal(miss.headers["content-encoding"], "gzip", "the host compressed the miss");
    const hit = await request(app).get("/counted?id=host-compression").set("Accept-Encoding", "gzip").expect(200);
    assert.equal(hit.headers["x-ssr-pages-cache"], "HIT");
    assert.equal(hit.headers["content-encoding"], "gzip");
    assert.equal(hit.text, miss.text, "one layer of gzip: supertest's one decoding gives the page");
  });
});
