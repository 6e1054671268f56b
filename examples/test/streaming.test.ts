// docs/streaming.md's example: the product page's HTML arrives at once with its fallback, the reviews
// stream into the same response 600 ms later, all under a strict CSP with no inline script.
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { createApp } from "../streaming/server.js";

const app = createApp();
const server = app.listen(0, "127.0.0.1");
// Development compiles a page on its first request: one request first, so the times below are the stream's.
before(async () => {
  await app.pages.ready;
  if (!server.listening) await new Promise((resolve) => server.once("listening", resolve));
  await (await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/product?id=1`)).text();
});
after(async () => {
  server.close();
  await app.pages.close();
});

test("the page, then its deferred reviews, in one response", async () => {
  const started = performance.now();
  const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/product?id=2`, {
    headers: {
      "user-agent":
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    },
  });
  assert.match(response.headers.get("content-security-policy") ?? "", /script-src 'self'/);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const first = await reader.read();
  const firstAt = performance.now() - started;
  const shell = decoder.decode(first.value);
  assert.match(shell, /<h1>Product 2<\/h1>/);
  assert.match(shell, /Loading reviews…/);
  let rest = "";
  for (let read = await reader.read(); !read.done; read = await reader.read())
    rest += decoder.decode(read.value, { stream: true });
  const endAt = performance.now() - started;
  assert.ok(firstAt < 400, `first bytes after ${firstAt.toFixed(0)} ms`);
  assert.ok(endAt >= 590, `ended after ${endAt.toFixed(0)} ms`);
  assert.match(
    rest,
    /<ul id="reviews"><li>Product 2 is great<!-- -->, <!-- -->Ada<!-- -->, <!-- -->2026-01-05<\/li><\/ul>/,
  );
  assert.ok(
    ![...(shell + rest).matchAll(/<script\b([^>]*)>/g)].some(
      (match) => !/type="application\/json"|src=/.test(match[1] as string),
    ),
    "no inline script",
  );
});
