// examples/test/shop.test.ts
// The example shop's pages, tested in-process with supertest (docs/testing.md shows this file).
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import express from "express";
import request from "supertest";
import { ssrMiddleware } from "ssr-pages/express";

test("product page", async () => {
  const app = express();
  const pages = ssrMiddleware(path.join(import.meta.dirname, "../pages"), { dev: false });
  app.use(pages);
  await pages.ready; // optional: a request sent earlier just waits for the compile

  const html = await request(app).get("/products/2").expect(200);
  assert.match(html.text, /<h1>Pour-over kettle<\/h1>/);

  const json = await request(app).get("/page-data/products/2/page-data.json").expect(200);
  assert.equal(json.body.result.serverData.product.id, "2");

  await request(app).get("/products/99").expect(404); // the 404 page
});
