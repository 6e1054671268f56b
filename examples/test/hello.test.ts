// The README's two-file example (examples/hello): its server run as the README runs it, in a process
// of its own, and its page asked for as HTML, as page data, and for a product it does not have.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import request from "supertest";
import { spawnServer } from "./spawn-server.js";

const server = await spawnServer("examples/hello/server.ts", { NODE_ENV: "production" });
after(() => server.stop());

test("the page's HTML, with its header and its CSS module's class", async () => {
  const html = await request(server.origin).get("/products/1").expect(200);
  assert.equal(html.headers["cache-control"], "public, max-age=60");
  assert.match(html.text, /<h1 class="product_[0-9a-f]{8}_title">Pour-over kettle<\/h1>/);
});

test("the same page as page data, for a client navigation", async () => {
  const json = await request(server.origin).get("/page-data/products/1/page-data.json").expect(200);
  assert.deepEqual(json.body.result.serverData, { product: { name: "Pour-over kettle", price: 42 } });
  assert.deepEqual(json.body.result.params, { id: "1" });
});

test("a product it does not have, and a path no page takes: 404", async () => {
  await request(server.origin).get("/products/2").expect(404);
  await request(server.origin).get("/nowhere").expect(404);
});
