import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import request from "supertest";
import { createApp as createExpressApp } from "../../examples/express/server.js";
import { createApp as createKoaApp } from "../../examples/koa/server.js";

const apps = [
  {
    name: "express example (root)",
    base: "",
    create: () => {
      const app = createExpressApp();
      return { ready: app.ready, target: app };
    },
  },
  {
    name: "koa example (under /shop)",
    base: "/shop",
    create: () => {
      const app = createKoaApp();
      return { ready: app.ready, target: app.callback() };
    },
  },
];

for (const { name, base, create } of apps) {
  describe(name, () => {
    const { ready, target } = create();
    before(() => ready);

    it("renders the product list filtered by the query, with its cache header", async () => {
      const response = await request(target).get(`${base}/?tag=desk`).expect(200);
      assert.match(String(response.headers["content-type"]), /^text\/html; charset=utf-8/);
      assert.equal(response.headers["cache-control"], "public, max-age=60");
      assert.match(response.text, /<title>Products tagged desk<\/title>/);
      assert.match(response.text, new RegExp(`<a href="${base}/products/4">Notebook</a>`));
      assert.doesNotMatch(response.text, /Espresso cup/);
    });

    it("serves a product with params and a header, as HTML and as page-data JSON", async () => {
      const html = await request(target).get(`${base}/products/2`).set("User-Agent", "example-test").expect(200);
      assert.equal(html.headers["x-product-id"], "2");
      assert.match(html.text, /<h1>Pour-over kettle<\/h1>/);
      const json = await request(target)
        .get(`${base}/page-data/products/2/page-data.json`)
        .set("User-Agent", "example-test")
        .expect(200);
      assert.equal(json.headers["x-product-id"], "2");
      assert.equal(json.body.path, "/products/2");
      assert.equal(json.body.result.serverData.viewer, "example-test");
      assert.deepEqual(json.body.result.params, { id: "2" });
    });

    it("answers 404 for an unknown product with the 404 page, inside the shop's layout", async () => {
      const response = await request(target).get(`${base}/products/99`).expect(404);
      // The address bar's path, mount path included.
      assert.ok(
        response.text.includes(`<h1>Not found</h1><p>Nothing at <code>${base}/products/99</code>`),
        response.text,
      );
      assert.match(
        response.text,
        new RegExp(`<a class="layout_[0-9a-f]{8}_brand" href="${base}/"><img src="${base}/_ssr-pages/logo-`),
      );
    });

    it("styles every page with the site's stylesheet and the page's CSS module, and serves the logo", async () => {
      const response = await request(target).get(`${base}/`).expect(200);
      const sheets = [...response.text.matchAll(/<link rel="stylesheet" href="([^"]+)">/g)].map(
        (match) => match[1] as string,
      );
      assert.equal(sheets.length, 2);
      const css = (await Promise.all(sheets.map((href) => request(target).get(href).expect(200))))
        .map((sheet) => sheet.text)
        .join("\n");
      assert.match(css, /--coffee:/);
      const card = /<li class="(product_[0-9a-f]{8}_card)">/.exec(response.text)?.[1];
      assert.ok(card && new RegExp(`\\.${card}\\s*\\{`).test(css), "the page's CSS module styles its cards");
      const logo = /<img src="([^"]+)"/.exec(response.text)?.[1] ?? "";
      const image = await request(target).get(logo).expect(200);
      assert.equal(image.headers["content-type"], "image/png");
    });

    it("redirects old URLs relative to the mount point", async () => {
      const response = await request(target).get(`${base}/old-products/3`).expect(301);
      assert.equal(response.headers.location, `${base}/products/3`);
    });

    it("answers other paths under the pages with the 404 page, after the host's own routes", async () => {
      const response = await request(target).get(`${base}/no-such-page`).expect(404);
      assert.ok(response.text.includes(`Nothing at <code>${base}/no-such-page</code>`), response.text);
    });
  });
}
