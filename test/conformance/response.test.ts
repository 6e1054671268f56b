/** Status, headers, redirects and Cache-Control from getServerData, on HTML and page-data alike. */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import request from "supertest";
import { targets, type MadeApp } from "./targets.js";
import {
  PAGES,
  STATIC_CACHE_CONTROL,
  STRONG_ETAG,
  embedded,
  html,
  json,
  noUnhandledRejections,
  pd,
  raw,
  rootHtml,
  type PageData,
} from "./helpers.js";

for (const target of targets) {
  describe(`status, headers, cache-control [${target.label}]`, () => {
    let made: MadeApp;
    before(async () => {
      // Development mode where it can be: a build is production code (dev: true is refused with it).
      made = target.makeApp(PAGES, { dev: !target.fromBuild, onError: () => {} });
      await made.ready;
    });

    it("default Cache-Control is 'private, no-store' on HTML and page-data", async () => {
      const a = await request(made.app).get("/about");
      assert.equal(a.headers["cache-control"], "private, no-store");
      const b = await request(made.app).get(pd("/about"));
      assert.equal(b.headers["cache-control"], "private, no-store");
      // Also for a page without getServerData, unless it is served from a build (the next case).
      if (!target.fromBuild) {
        const c = await request(made.app).get("/no-data");
        assert.equal(c.headers["cache-control"], "private, no-store");
      }
    });

    if (target.fromBuild) {
      it("a static page (no getServerData, no params) comes from the build: public, max-age=0, must-revalidate, a strong ETag, 304 when it matches", async () => {
        for (const url of ["/no-data", pd("/no-data")]) {
          const res = await raw(made.app, url);
          assert.equal(res.status, 200, url);
          assert.equal(res.headers["cache-control"], STATIC_CACHE_CONTROL, url);
          const etag = String(res.headers["etag"]);
          assert.match(etag, STRONG_ETAG, url);
          const head = await raw(made.app, url, { method: "HEAD" });
          assert.equal(head.status, 200, url);
          assert.equal(head.bodyBytes, 0, url);
          assert.equal(head.headers["etag"], etag, url);
          assert.equal(head.headers["cache-control"], STATIC_CACHE_CONTROL, url);
          const again = await raw(made.app, url, { headers: { "if-none-match": etag } });
          assert.equal(again.status, 304, url);
          assert.equal(again.bodyBytes, 0, url);
          assert.equal(again.headers["etag"], etag, url);
          assert.equal(again.headers["cache-control"], STATIC_CACHE_CONTROL, url);
        }
        // The HTML and the page data are two answers, with two tags.
        assert.notEqual(
          (await raw(made.app, "/no-data")).headers["etag"],
          (await raw(made.app, pd("/no-data"))).headers["etag"],
        );
      });

      it("a static page from the build goes out precompressed for Accept-Encoding, with the host's own Vary and Set-Cookie kept", async () => {
        const host = target.makeApp(PAGES, { onError: () => {}, hostVary: true, hostCookie: true });
        for (const url of ["/no-data", pd("/no-data")]) {
          const plain = await raw(host.app, url);
          for (const [encoding, decode] of [
            ["br", brotliDecompressSync],
            ["gzip", gunzipSync],
          ] as const) {
            const res = await raw(host.app, url, { headers: { "accept-encoding": encoding } });
            assert.equal(res.status, 200, url);
            assert.equal(res.headers["content-encoding"], encoding, url);
            assert.equal(res.headers["vary"], "Origin, Accept-Encoding", url);
            assert.equal(res.headers["cache-control"], STATIC_CACHE_CONTROL, url);
            assert.equal(res.headers["etag"], plain.headers["etag"], `${url}: one entity, whatever its encoding`);
            assert.equal(res.headers["set-cookie"]?.length, 1, url);
            assert.match(String(res.headers["set-cookie"]), /^host=\d+; Path=\/$/, url);
            assert.equal(decode(res.bytes).toString("utf8"), plain.body, url);
            if (res.headers["content-length"] !== undefined)
              assert.equal(Number(res.headers["content-length"]), res.bodyBytes, url);
          }
        }
        assert.deepEqual(host.hostErrors, []);
      });
    }

    it("status + headers from the page: HTML renders the page with that status", async () => {
      const res = await request(made.app).get("/status/teapot");
      assert.equal(res.status, 418);
      html(res);
      assert.equal(res.headers["x-page"], "teapot");
      assert.equal(res.headers["cache-control"], "public, max-age=60");
      assert.equal(rootHtml(res.text), '<p id="teapot">brewed:false</p>');
      assert.deepEqual(embedded(res.text).pageData.result.serverData, { brewed: false });
    });

    it("status + headers from the page: page-data gets the same status and headers", async () => {
      const res = await request(made.app).get(pd("/status/teapot"));
      assert.equal(res.status, 418);
      json(res);
      assert.equal(res.headers["x-page"], "teapot");
      assert.equal(res.headers["cache-control"], "public, max-age=60");
      assert.deepEqual((res.body as PageData).result, { serverData: { brewed: false }, params: {} });
    });

    it("headers.status sets the status and is not sent as a header", async () => {
      for (const url of ["/status/header-status", pd("/status/header-status")]) {
        const res = await request(made.app).get(url);
        assert.equal(res.status, 201, url);
        assert.equal(res.headers["status"], undefined, `${url}: no 'status' header`);
        assert.equal(res.headers["x-created"], "yes");
      }
    });

    it("top-level status wins over headers.status", async () => {
      for (const url of ["/status/both", pd("/status/both")]) {
        const res = await request(made.app).get(url);
        assert.equal(res.status, 202, url);
        assert.equal(res.headers["status"], undefined);
      }
    });

    it("a 404 from getServerData still renders the page (HTML) and returns its data (JSON)", async () => {
      const a = await request(made.app).get("/status/not-found");
      assert.equal(a.status, 404);
      html(a);
      assert.equal(rootHtml(a.text), '<p id="reason">no such thing</p>');
      const b = await request(made.app).get(pd("/status/not-found"));
      assert.equal(b.status, 404);
      assert.deepEqual((b.body as PageData).result.serverData, { reason: "no such thing" });
    });

    it("a 503 with Retry-After on both; a lower-case cache-control from the page replaces the default", async () => {
      for (const url of ["/status/service-unavailable", pd("/status/service-unavailable")]) {
        const res = await request(made.app).get(url);
        assert.equal(res.status, 503);
        assert.equal(res.headers["retry-after"], "120");
        assert.equal(res.headers["cache-control"], "no-cache", "exactly the page's value, no default added");
      }
    });

    it("several Set-Cookie values are sent as separate headers; numeric header values are sent", async () => {
      for (const url of ["/cookies", pd("/cookies")]) {
        const res = await request(made.app).get(url);
        assert.equal(res.status, 200, url);
        assert.deepEqual(res.headers["set-cookie"], ["a=1; Path=/", "b=2; Path=/; HttpOnly"]);
        assert.equal(res.headers["x-number"], "7");
      }
    });

    it("the host error handler is never reached by these pages", () => {
      assert.deepEqual(made.hostErrors, []);
    });
  });

  describe(`redirects at the root [${target.label}]`, () => {
    let made: MadeApp;
    before(async () => {
      made = target.makeApp(PAGES, { dev: !target.fromBuild, onError: () => {} });
      await made.ready;
    });

    const cases: { page: string; status: number; htmlLocation: string; jsonLocation: string }[] = [
      {
        page: "/redirect/relative",
        status: 302,
        htmlLocation: "/about",
        jsonLocation: "/page-data/about/page-data.json",
      },
      { page: "/redirect/to-index", status: 303, htmlLocation: "/", jsonLocation: "/page-data/index/page-data.json" },
      {
        page: "/redirect/to-dynamic",
        status: 302,
        htmlLocation: "/blog/7?ref=r",
        jsonLocation: "/page-data/blog/7/page-data.json?ref=r",
      },
      {
        page: "/redirect/query",
        status: 302,
        htmlLocation: "/echo?from=redirect&x=1",
        jsonLocation: "/page-data/echo/page-data.json?from=redirect&x=1",
      },
      {
        page: "/redirect/header-status",
        status: 307,
        htmlLocation: "/about",
        jsonLocation: "/page-data/about/page-data.json",
      },
      {
        page: "/redirect/absolute",
        status: 301,
        htmlLocation: "https://example.com/elsewhere?a=1",
        jsonLocation: "https://example.com/elsewhere?a=1",
      },
      {
        page: "/redirect/protocol-relative",
        status: 302,
        htmlLocation: "//other.example/path",
        jsonLocation: "//other.example/path",
      },
      {
        page: "/redirect/not-a-page",
        status: 302,
        htmlLocation: "/outside/route?x=1",
        jsonLocation: "/outside/route?x=1",
      },
    ];

    for (const c of cases) {
      it(`${c.page}: HTML ${c.status} -> ${c.htmlLocation}`, async () => {
        const res = await request(made.app).get(c.page).redirects(0);
        assert.equal(res.status, c.status);
        assert.equal(res.headers["location"], c.htmlLocation);
        assert.equal(res.headers["status"], undefined);
      });
      it(`${c.page}: page-data ${c.status} -> ${c.jsonLocation}`, async () => {
        const res = await request(made.app).get(pd(c.page)).redirects(0);
        assert.equal(res.status, c.status);
        assert.equal(res.headers["location"], c.jsonLocation);
      });
    }

    it("following a page-data redirect lands on JSON of the target page", async () => {
      const res = await request(made.app).get(pd("/redirect/query")).redirects(1);
      assert.equal(res.status, 200);
      json(res);
      assert.equal((res.body as PageData).componentChunkName, "echo");
      assert.equal((res.body as PageData).path, "/echo?from=redirect&x=1");
    });

    it("redirect responses carry the default Cache-Control", async () => {
      const res = await request(made.app).get("/redirect/relative").redirects(0);
      assert.equal(res.headers["cache-control"], "private, no-store");
    });
  });
}

noUnhandledRejections();
