// The app the guides in docs/ quote (examples/docs): each promise the guides make of its files,
// asked of the running app. In-process with supertest, production mode (the response cache on).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import request from "supertest";
import { createApp } from "../docs/server.js";

describe("examples/docs/server.ts: the pages under /shop", () => {
  const app = createApp({ dev: false });
  before(() => app.pages.ready);
  after(() => app.pages.close());

  it("wraps every page in _app's provider and layout, with _app's Head (docs/app-404-head.md)", async () => {
    const page = await request(app).get("/shop/").expect(200);
    assert.match(page.text, /<title>My shop<\/title>/);
    assert.match(
      page.text,
      /<div data-path="\/shop\/">/,
      "wrapPageElement gets location.pathname, the mount path included",
    );
    assert.match(page.text, /Cart: <!-- -->0/, "the layout reads the cart from wrapRootElement's provider");
  });

  it("writes Link's href with the mount path (docs/client-navigation.md)", async () => {
    const page = await request(app).get("/shop/").expect(200);
    assert.match(page.text, /<a href="\/shop\/products\?color=red">Red products<\/a>/);
  });

  it("serves an imported image under the mount path through withPrefix (docs/assets.md)", async () => {
    const page = await request(app).get("/shop/").expect(200);
    const src = /<img src="(\/shop\/_ssr-pages\/logo-[^"]+\.png)" alt="Shop"\/>/.exec(page.text)?.[1];
    assert.ok(src, page.text);
    const image = await request(app).get(src).expect(200);
    assert.equal(image.headers["content-type"], "image/png");
    assert.equal(image.headers["cache-control"], "public, max-age=31536000, immutable");
  });

  it("links the page's stylesheet and _app's, and scopes the CSS module's class (docs/styles.md)", async () => {
    const page = await request(app).get("/shop/kettle").expect(200);
    assert.match(page.text, /<h1 class="product_[0-9a-f]{8}_title">Kettle<\/h1>/);
    const sheets = [...page.text.matchAll(/<link rel="stylesheet" href="([^"]+)">/g)].map(
      (match) => match[1] as string,
    );
    assert.equal(sheets.length, 2);
    const css = (await Promise.all(sheets.map((href) => request(app).get(href).expect(200))))
      .map((sheet) => sheet.text)
      .join("\n");
    assert.match(css, /letter-spacing/);
    assert.match(css, /\.product_[0-9a-f]{8}_title/);
  });

  it("stores the product list, answers from the store, and runs it again once invalidated (docs/caching.md)", async () => {
    const first = await request(app).get("/shop/products").expect(200);
    assert.match(first.text, /<li>Pour-over kettle<\/li>/);
    assert.equal(first.headers["x-ssr-pages-cache"], "MISS");
    const second = await request(app).get("/shop/products").expect(200);
    assert.equal(second.headers["x-ssr-pages-cache"], "HIT");
    assert.equal(second.headers["cache-tag"], undefined, "Cache-Tag never goes out");
    await request(app).post("/admin/products-changed").expect(204);
    const third = await request(app).get("/shop/products").expect(200);
    assert.equal(third.headers["x-ssr-pages-cache"], "MISS");
  });

  it("answers the rest of /shop with the 404 page, inside the layout; the host's own route still answers", async () => {
    const missing = await request(app).get("/shop/no-such-page").expect(404);
    assert.match(missing.text, /Nothing at <code>\/shop\/no-such-page<\/code>/);
    assert.match(missing.text, /<title>Not found<\/title>/);
    assert.match(missing.text, /data-path=/);
    await request(app).get("/health").expect(200, { ok: true });
  });
});
