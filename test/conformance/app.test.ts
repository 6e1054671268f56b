/**
 * A real app's pieces, through every adapter, at the root and under a mount path: `_app`'s wrappers
 * and head, stylesheets in the HTML and in the page data, asset imports and their files, the 404
 * page (thrown, returned, and as the final handler), and the plain 404 without a 404 page.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import request from "supertest";
import { MOUNT, targets, type MadeApp } from "./targets.js";
import {
  PAGES,
  embedded,
  fixture,
  headHtml,
  html,
  json,
  noUnhandledRejections,
  pd,
  rootHtml,
  type PageData,
} from "./helpers.js";

const APP = fixture("app/pages");

interface AppPageData extends PageData {
  css?: string[];
}

const ASSET_URL = /^\/_ssr-pages\/[\w-]+-[A-Za-z0-9]{10}\.(png|svg|pdf|txt|mp4|woff2)$/;

for (const target of targets) {
  for (const mount of [undefined, MOUNT]) {
    const at = mount ?? "";
    describe(`a real app [${target.label}]${mount ? ` mounted at ${mount}` : ""}`, () => {
      let made: MadeApp;
      let withNotFound: MadeApp;
      before(async () => {
        made = target.makeApp(APP, { dev: false, onError: () => {} }, mount);
        withNotFound = target.makeApp(APP, { dev: false, onError: () => {}, finalNotFound: true }, mount);
        await Promise.all([made.ready, withNotFound.ready]);
      });

      it("_app wraps every page: the root wrapper (layout) outside, the page wrapper with the page's location inside", async () => {
        const res = await request(made.app).get(`${at}/styled?x=1`);
        assert.equal(res.status, 200);
        const root = rootHtml(res.text);
        assert.match(
          root,
          /^(<link rel="preload"[^>]*>)*<div class="layout_[0-9a-f]{8}_shell"><header class="layout_[0-9a-f]{8}_header">/,
        );
        // The location as the address bar has it: the mount path included, as Gatsby's includes its path prefix.
        assert.ok(
          root.includes(
            `<section id="page" data-pathname="${at}/styled" data-search="?x=1"><main class="styled-page">`,
          ),
          root,
        );
        assert.ok(
          root.includes(`<a id="to-product" href="${at}/products/kettle">Kettle</a>`),
          "links in the layout carry the mount path",
        );
      });

      it("_app's Head goes first; the page's <title> replaces _app's", async () => {
        const styled = headHtml((await request(made.app).get(`${at}/styled`)).text);
        assert.match(
          styled,
          /^<!--ssr-pages-head--><link rel="icon" href="[^"]+"\/><meta name="site" content="fixture"\/><title>Styled page<\/title><!--\/ssr-pages-head-->/,
        );
        const home = headHtml((await request(made.app).get(`${at}/`)).text);
        assert.match(home, /^<!--ssr-pages-head--><title>Fixture shop<\/title><link rel="icon"/);
      });

      it("links _app's stylesheet and the page's own in <head>, _app's first, and lists the page's in its page data", async () => {
        const res = await request(made.app).get(`${at}/styled`);
        const links = [...res.text.matchAll(/<link rel="stylesheet" href="([^"]+)">/g)].map((m) => m[1] as string);
        assert.equal(links.length, 2, String(links));
        assert.match(links[0] as string, new RegExp(`^${at}/_ssr-pages/entry-\\w+\\.css$`));
        const data = embedded(res.text).pageData as AppPageData;
        assert.deepEqual(data.css, [links[1]]);
        const page = await request(made.app).get(`${at}${pd("/styled")}`);
        assert.deepEqual((page.body as AppPageData).css, [links[1]]);
        // A page without stylesheets of its own gets _app's only, and no css in its page data.
        const plain = await request(made.app).get(`${at}${pd("/")}`);
        assert.equal((plain.body as AppPageData).css, undefined);
      });

      it("serves the stylesheets: CSS-module classes match the server's class names, url()s are relative, so they work under any mount", async () => {
        const res = await request(made.app).get(`${at}/styled`);
        const title = /<h1 id="styled-title" class="([^"]+)">/.exec(res.text)?.[1] ?? "";
        const box = /<div id="box" class="([^"]+)">/.exec(res.text)?.[1] ?? "";
        assert.match(title, /^styled_[0-9a-f]{8}_title$/);
        assert.match(box, /^styled_[0-9a-f]{8}_base styled_[0-9a-f]{8}_box$/, "composes gives both names");
        const css = (embedded(res.text).pageData as AppPageData).css?.[0] ?? "";
        const sheet = await request(made.app).get(css);
        assert.equal(sheet.status, 200);
        assert.equal(sheet.headers["content-type"], "text/css; charset=utf-8");
        assert.equal(sheet.headers["cache-control"], "public, max-age=31536000, immutable");
        assert.ok(sheet.text.includes(`.${title}{color:`), `the stylesheet styles .${title}`);
        assert.ok(sheet.text.includes(".styled-page{"), "the page's plain CSS is in its stylesheet");
        const image = /url\(([^)]+)\)/.exec(sheet.text)?.[1] ?? "";
        assert.match(image, /^\.\/stripes-[A-Za-z0-9]{10}\.png$/, "relative to the stylesheet");
        const png = await request(made.app).get(`${at}/_ssr-pages/${image.slice(2)}`);
        assert.equal(png.status, 200);
        assert.equal(png.headers["content-type"], "image/png");
      });

      it("an imported asset is a mount-relative URL, the same in server and browser code; withPrefix adds the mount path", async () => {
        const res = await request(made.app).get(`${at}/media`);
        const urls = embedded(res.text).pageData.result.serverData as Record<string, string>;
        for (const [name, url] of Object.entries(urls)) assert.match(url, ASSET_URL, name);
        assert.ok(res.text.includes(`<img id="icon" src="${at}${urls.icon}"`), "withPrefix on the server");
        const expected: Record<string, string> = {
          clip: "video/mp4",
          doc: "application/pdf",
          icon: "image/svg+xml",
          tiny: "text/plain; charset=utf-8",
        };
        for (const [name, type] of Object.entries(expected)) {
          const file = await request(made.app)
            .get(`${at}${urls[name]}`)
            .buffer(true)
            .parse((r, done) => {
              const chunks: Buffer[] = [];
              r.on("data", (chunk: Buffer) => chunks.push(chunk));
              r.on("end", () => done(null, Buffer.concat(chunks)));
            });
          assert.equal(file.status, 200, name);
          assert.equal(file.headers["content-type"], type, name);
          assert.equal(file.headers["cache-control"], "public, max-age=31536000, immutable", name);
          assert.equal(file.headers["x-content-type-options"], "nosniff", name);
          assert.ok((file.body as Buffer).length > 0, name);
        }
        const logo = /<img id="logo" src="([^"]+)"/.exec(res.text)?.[1] ?? "";
        assert.ok(logo.startsWith(`${at}/_ssr-pages/logo-`), logo);
      });

      it("answers a byte range of an asset with 206, and an unsatisfiable one with 416", async () => {
        const urls = embedded((await request(made.app).get(`${at}/media`)).text).pageData.result.serverData as Record<
          string,
          string
        >;
        const part = await request(made.app)
          .get(`${at}${urls.clip}`)
          .set("Range", "bytes=256-511")
          .buffer(true)
          .parse((r, done) => {
            const chunks: Buffer[] = [];
            r.on("data", (chunk: Buffer) => chunks.push(chunk));
            r.on("end", () => done(null, Buffer.concat(chunks)));
          });
        assert.equal(part.status, 206);
        assert.equal(part.headers["content-range"], "bytes 256-511/2048");
        assert.equal(part.headers["accept-ranges"], "bytes");
        assert.deepEqual(
          [...(part.body as Buffer)],
          Array.from({ length: 256 }, (_, i) => i),
        );
        const tail = await request(made.app).get(`${at}${urls.clip}`).set("Range", "bytes=-16");
        assert.equal(tail.status, 206);
        assert.equal(tail.headers["content-range"], "bytes 2032-2047/2048");
        const past = await request(made.app).get(`${at}${urls.clip}`).set("Range", "bytes=4096-");
        assert.equal(past.status, 416);
        assert.equal(past.headers["content-range"], "bytes */2048");
        const many = await request(made.app).get(`${at}${urls.clip}`).set("Range", "bytes=0-1,5-6");
        assert.equal(many.status, 200, "several ranges: the whole file");
      });

      for (const [what, id] of [
        ["throws SsrError(404)", "gone"],
        ["returns { status: 404 } without props", "missing"],
      ] as const) {
        it(`a page that ${what} gets the 404 page, status 404, in HTML and as page data`, async () => {
          const page = await request(made.app).get(`${at}/products/${id}?q=1`);
          assert.equal(page.status, 404);
          html(page);
          assert.match(
            rootHtml(page.text),
            new RegExp(`<h1>Page not found</h1><p id="missing-path">${at}/products/${id}</p>`),
          );
          assert.match(headHtml(page.text), /<title>Not found<\/title>/);
          const data = embedded(page.text).pageData as AppPageData;
          assert.equal(data.componentChunkName, "404");
          assert.equal(data.path, `/products/${id}?q=1`);
          assert.equal((data.css ?? []).length, 1);
          const pageData = await request(made.app).get(`${at}${pd(`/products/${id}`, "?q=1")}`);
          assert.equal(pageData.status, 404);
          json(pageData);
          assert.deepEqual(pageData.body, data, "the router renders the same 404 page in place");
          const expectedCache = id === "missing" ? "public, max-age=30" : "no-store";
          assert.equal(page.headers["cache-control"], expectedCache, "a returned 404 keeps the page's own headers");
          assert.equal(pageData.headers["cache-control"], expectedCache);
          const head = await request(made.app).head(`${at}/products/${id}`);
          assert.equal(head.status, 404);
        });
      }

      it("a path that names no page still falls through to the host", async () => {
        const res = await request(made.app).get(`${at}/no/such/page`);
        assert.equal(res.status, 404);
        assert.equal(res.text, "host fallthrough");
        const data = await request(made.app).get(`${at}${pd("/no/such/page")}`);
        assert.deepEqual(data.body, { error: "Not Found" }, "page data for no page: the router loads the URL in full");
      });

      it("the notFound final handler answers whatever reaches it with the 404 page, for any method", async () => {
        const page = await request(withNotFound.app).get(`${at}/no/such/page?x=2`);
        assert.equal(page.status, 404);
        html(page);
        assert.match(rootHtml(page.text), new RegExp(`<p id="missing-path">${at}/no/such/page</p>`));
        assert.ok(rootHtml(page.text).includes(`href="${at}/products/kettle"`), "its links carry the mount path");
        assert.equal(embedded(page.text).base, at);
        // Page data for no page is still the middleware's own `{ error }`: the router then loads the
        // URL in full, which a host route, or this final handler, answers.
        const data = await request(withNotFound.app).get(`${at}${pd("/no/such/page")}`);
        assert.equal(data.status, 404);
        assert.deepEqual(data.body, { error: "Not Found" });
        const post = await request(withNotFound.app).post(`${at}/no/such/page`);
        assert.equal(post.status, 404);
        assert.match(post.text, /Page not found/);
        // The host's own routes and the pages are untouched.
        assert.equal((await request(withNotFound.app).get(`${at}/styled`)).status, 200);
      });

      it("the production 500 page is styled by its own stylesheet and _app's, and carries no script", async () => {
        const res = await request(made.app).get(`${at}/boom`);
        assert.equal(res.status, 500);
        assert.match(res.text, /<h1 class="server-error">Something went wrong<\/h1>/);
        assert.equal([...res.text.matchAll(/<link rel="stylesheet" href="[^"]+">/g)].length, 2);
        assert.doesNotMatch(res.text, /<script/);
      });
    });
  }

  describe(`no 404 page [${target.label}]`, () => {
    let made: MadeApp;
    before(async () => {
      made = target.makeApp(PAGES, { dev: false, onError: () => {}, finalNotFound: true });
      await made.ready;
    });

    it("a thrown 404 and the final handler answer a small HTML document, and page data JSON", async () => {
      for (const url of ["/status/gone", "/no/such/page"]) {
        const res = await request(made.app).get(url);
        assert.equal(res.status, 404, url);
        html(res);
        assert.match(res.text, /^<!DOCTYPE html>.*<title>404 Not Found<\/title>.*<h1>404 Not Found<\/h1>/s, url);
      }
      const data = await request(made.app).get(pd("/status/gone"));
      assert.equal(data.status, 404);
      json(data);
      assert.deepEqual(data.body, { error: "Not Found" });
      const returned = await request(made.app).get("/status/missing");
      assert.equal(returned.status, 404);
      assert.match(returned.text, /<h1>404 Not Found<\/h1>/);
    });
  });
}

noUnhandledRejections();
