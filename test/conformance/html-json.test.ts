/** The HTML document, the page-data JSON, embedding/escaping, HEAD, Accept, assets. */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { parse as devalueParse } from "devalue";
import request from "supertest";
import { version as REACT_VERSION } from "react";
import { targets, type MadeApp } from "./targets.js";
import {
  DOC_START,
  PAGES,
  embedded,
  headHtml,
  html,
  json,
  moduleScriptSrc,
  noUnhandledRejections,
  pd,
  raw,
  rawData,
  rootHtml,
  serverDataOf,
  ROOT_OPEN,
  type PageData,
} from "./helpers.js";
import { hostile } from "../fixtures/pages/escape.js";

for (const target of targets) {
  describe(`HTML document and page-data JSON [${target.label}]`, () => {
    let made: MadeApp;
    before(async () => {
      // Development mode where it can be: a build is production code (dev: true is refused with it).
      made = target.makeApp(PAGES, { dev: !target.fromBuild, onError: () => {} });
      await made.ready;
    });

    /**
     * Every page data carries the id of the build that made it: the served build's; in development
     * one of its browser build (`dev-…`, load-pages.ts): the entry's hash (with Fast Refresh, which
     * these suites do not run, the key of React's chunk and a dot before it).
     */
    const buildId = (body: { buildId?: string }): string => {
      if (target.fromBuild) return made.buildId as string;
      assert.match(body.buildId ?? "", /^dev-([\w-]+\.)?\w+$/);
      return body.buildId as string;
    };

    it("GET a page: 200 text/html, the full document in the contract's order", async () => {
      const res = await request(made.app).get("/about");
      assert.equal(res.status, 200);
      html(res);
      const doc = res.text;
      assert.ok(doc.startsWith(DOC_START), doc.slice(0, 200));
      assert.ok(headHtml(doc).includes("<title>About</title>"));
      assert.ok(
        doc.includes(
          `</head><body>${ROOT_OPEN}<main class="layout"><h1>About</h1></main></div><script id="__SSR_PAGES_DATA__" type="application/json">`,
        ),
        doc,
      );
      const src = moduleScriptSrc(doc);
      assert.match(src, /^\/_ssr-pages\/[^/]+\.js$/);
      assert.ok(doc.endsWith(`</script><script type="module" src="${src}"></script></body></html>`));
    });

    it("<head> holds charset, viewport, the Head output between the router's markers, then the preloads of the framework file (React) and the page module", async () => {
      const res = await request(made.app).get("/about");
      const module = (embedded(res.text).pageData as PageData).module;
      const framework = /<link rel="modulepreload" href="(\/_ssr-pages\/framework-\w+\.js)">/.exec(
        headHtml(res.text),
      )?.[1];
      assert.ok(framework, headHtml(res.text));
      assert.equal(
        headHtml(res.text),
        `<!--ssr-pages-head--><title>About</title><!--/ssr-pages-head--><link rel="modulepreload" href="${framework}"><link rel="modulepreload" href="${module}">`,
      );
      const served = await request(made.app).get(framework);
      assert.equal(served.status, 200);
      assert.match(String(served.headers["content-type"]), /^text\/javascript/);
      assert.ok(served.text.includes(`"${REACT_VERSION}"`), "React's version, from the framework file");
    });

    it("embedded data: {base, pageData} with base '' at the root and the page-data object", async () => {
      const res = await request(made.app).get("/about");
      const data = embedded(res.text);
      assert.deepEqual(Object.keys(data).sort(), ["base", "pageData"]);
      assert.equal(data.base, "");
      const j = await request(made.app).get(pd("/about"));
      assert.deepEqual(data.pageData, j.body);
    });

    it("page-data for a static page: exact Gatsby shape plus buildId and module, no matchPath", async () => {
      const res = await request(made.app).get(pd("/about"));
      assert.equal(res.status, 200);
      json(res);
      const body = res.body as PageData;
      assert.match(body.module, /^\/_ssr-pages\/[^/]+\.js$/);
      assert.deepEqual(body, {
        componentChunkName: "about",
        buildId: buildId(body),
        path: "/about",
        result: { serverData: { title: "About" }, params: {} },
        staticQueryHashes: [],
        module: body.module,
      });
      // A page without getServerData: from a build, its page data is the one stored at build time.
      const stored = await request(made.app).get(pd("/no-data"));
      assert.equal(stored.status, 200);
      json(stored);
      assert.deepEqual(stored.body, {
        componentChunkName: "no-data",
        buildId: buildId(stored.body as PageData),
        path: "/no-data",
        result: { params: {} },
        staticQueryHashes: [],
        module: (stored.body as PageData).module,
      });
    });

    it("page-data for a dynamic page carries matchPath and the params", async () => {
      const res = await request(made.app).get(pd("/blog/7"));
      assert.equal(res.status, 200);
      const body = res.body as PageData;
      assert.equal(typeof body.matchPath, "string");
      assert.deepEqual(body, {
        componentChunkName: "blog/[id]",
        buildId: buildId(body),
        path: "/blog/7",
        matchPath: body.matchPath,
        result: { serverData: { id: "7" }, params: { id: "7" } },
        staticQueryHashes: [],
        module: body.module,
      });
    });

    it("page-data for / is /page-data/index/page-data.json", async () => {
      const res = await request(made.app).get("/page-data/index/page-data.json");
      assert.equal(res.status, 200);
      const body = res.body as PageData;
      assert.equal(body.componentChunkName, "index");
      assert.equal(body.path, "/");
      assert.deepEqual(body.result, { params: {} });
    });

    it("page-data path includes the query", async () => {
      const res = await request(made.app).get(pd("/echo", "?x=1&y=two"));
      assert.equal(res.status, 200);
      assert.equal((res.body as PageData).path, "/echo?x=1&y=two");
      const page = await request(made.app).get("/echo?x=1&y=two");
      assert.equal(embedded(page.text).pageData.path, "/echo?x=1&y=two");
    });

    it(
      target.fromBuild
        ? "no getServerData: the build's stored page, the same for every query string (docs/deploying.md), its path without the query"
        : "no getServerData: the page's path includes the query",
      async () => {
        const expected = target.fromBuild ? "/no-data" : "/no-data?x=1";
        const page = await request(made.app).get("/no-data?x=1");
        assert.equal(page.status, 200);
        assert.equal(embedded(page.text).pageData.path, expected);
        const j = await request(made.app).get(pd("/no-data", "?x=1"));
        assert.equal(j.status, 200);
        assert.equal((j.body as PageData).path, expected);
        if (target.fromBuild) {
          assert.equal(page.text, (await request(made.app).get("/no-data")).text);
          assert.deepEqual(j.body, (await request(made.app).get(pd("/no-data"))).body);
        }
      },
    );

    it("no getServerData: serverData undefined, absent from result", async () => {
      const res = await request(made.app).get("/no-data");
      assert.equal(res.status, 200);
      assert.equal(rootHtml(res.text), '<p id="no-data">serverData:undefined params:{}</p>');
      assert.deepEqual(embedded(res.text).pageData.result, { params: {} });
      const j = await request(made.app).get(pd("/no-data"));
      assert.deepEqual((j.body as PageData).result, { params: {} });
    });

    it("getServerData returning undefined: 200 with serverData undefined", async () => {
      const res = await request(made.app).get("/returns-undefined");
      assert.equal(res.status, 200);
      assert.equal(rootHtml(res.text), "<p>serverData:undefined</p>");
      const j = await request(made.app).get(pd("/returns-undefined"));
      assert.equal(j.status, 200);
      assert.deepEqual((j.body as PageData).result, { params: {} });
    });

    it("Head output goes into <head>, escaped by React", async () => {
      const res = await request(made.app).get("/head");
      assert.equal(res.status, 200);
      assert.ok(
        headHtml(res.text).includes(
          '<title>Head &amp; &lt;Title&gt;</title><meta name="description" content="He said &quot;hi&quot;"/>',
        ),
        headHtml(res.text),
      );
    });

    it("a page without Head renders no title/meta of its own", async () => {
      const res = await request(made.app).get("/");
      assert.doesNotMatch(headHtml(res.text), /<title|<meta/);
      assert.equal(rootHtml(res.text), "<h1>Home page</h1>");
    });

    it("</script>, <!--, U+2028/2029, & and > in props cannot break out of the data script", async () => {
      const res = await request(made.app).get("/escape");
      assert.equal(res.status, 200);
      const text = rawData(res.text);
      for (const bad of ["<", ">", "&", "\u2028", "\u2029"]) {
        assert.equal(text.includes(bad), false, `raw ${JSON.stringify(bad)} inside the data script`);
      }
      assert.ok(text.includes("\\u003c/script\\u003e"), "< and > written as \\u003c \\u003e");
      assert.ok(text.includes("\\u2028") && text.includes("\\u2029"));
      assert.ok(text.includes("\\u0026"));
      // Exactly two </script> in the document: the data script's and the module script's.
      assert.equal(res.text.split(/<\/script/i).length - 1, 2);
      assert.equal(res.text.includes("<!-- <script>"), false);
      assert.deepEqual(embedded(res.text).pageData.result.serverData, hostile);
      // The rendered text is escaped by React.
      assert.equal(
        rootHtml(res.text),
        '<p id="escape">&lt;/script&gt;&lt;script&gt;window.__pwned = 1&lt;/script&gt;</p>',
      );
    });

    it("page-data JSON carries the same hostile props intact", async () => {
      const res = await request(made.app).get(pd("/escape"));
      assert.equal(res.status, 200);
      assert.deepEqual((res.body as PageData).result.serverData, hostile);
    });

    it("props with shared refs, null-prototype context objects and toJSON arrive as the server rendered them", async () => {
      const res = await request(made.app).get("/props-ok?a=1&a=2").set("x-probe", "1");
      assert.equal(res.status, 200, res.text.slice(0, 400));
      assert.equal(rootHtml(res.text), '<p id="props-ok">12.34 EUR</p>');
      const result = embedded(res.text).pageData.result;
      assert.equal(result.serverDataFormat, "devalue", "a shared object is a repeated reference: devalue keeps it one");
      const data = serverDataOf(result) as Record<string, unknown>;
      assert.deepEqual(data["first"], { x: 1 });
      assert.equal(data["first"], data["second"], "one object, as on the server");
      assert.deepEqual(data["list"], [{ x: 1 }, { x: 1 }]);
      assert.deepEqual({ ...(data["query"] as object) }, { a: ["1", "2"] });
      assert.equal(data["headerNames"], "has-probe");
      assert.equal((data["rawHeaders"] as Record<string, string>)["x-probe"], "1");
      assert.equal(data["price"], "12.34 EUR");
      assert.equal(data["nothing"], null);
      assert.deepEqual(data["nested"], { deep: { deeper: [1, "two", true, null] } });
      const j = await request(made.app).get(pd("/props-ok", "?a=1&a=2")).set("x-probe", "1");
      assert.equal(j.status, 200);
      const viaJson = serverDataOf((j.body as PageData).result) as Record<string, Record<string, unknown>>;
      // supertest uses a new ephemeral port per request: the Host header differs
      delete viaJson["rawHeaders"]?.["host"];
      delete (data["rawHeaders"] as Record<string, unknown>)["host"];
      assert.deepEqual(viaJson, data);
    });

    it("Dates arrive as Dates (devalue's form, said in the page data), and the server renders with them", async () => {
      const res = await request(made.app).get("/dates");
      assert.equal(res.status, 200);
      assert.equal(rootHtml(res.text), '<p id="dates">Date:2020-01-02T03:04:05.000Z</p>');
      const result = embedded(res.text).pageData.result as { serverData: unknown; serverDataFormat?: string };
      assert.equal(result.serverDataFormat, "devalue");
      const back = devalueParse(JSON.stringify(result.serverData)) as { when: Date; nested: Array<{ at: Date }> };
      assert.equal(back.when.toISOString(), "2020-01-02T03:04:05.000Z");
      assert.equal(back.nested[0]?.at.getTime(), 0);
      const j = await request(made.app).get(pd("/dates"));
      assert.deepEqual((j.body as PageData).result, result);
    });

    it("no Accept-header switching: the page URL answers HTML even for Accept: application/json", async () => {
      const res = await request(made.app).get("/about").set("Accept", "application/json");
      assert.equal(res.status, 200);
      html(res);
      assert.ok(res.text.startsWith("<!DOCTYPE html>"));
    });

    it("page-data answers JSON whatever the Accept header", async () => {
      const res = await request(made.app).get(pd("/about")).set("Accept", "text/html");
      assert.equal(res.status, 200);
      json(res);
    });

    it("HEAD on a page: same status and headers as GET, no body", async () => {
      const get = await raw(made.app, "/about");
      const head = await raw(made.app, "/about", { method: "HEAD" });
      assert.equal(head.status, 200);
      assert.equal(head.bodyBytes, 0);
      assert.equal(head.headers["content-type"], "text/html; charset=utf-8");
      assert.equal(head.headers["cache-control"], get.headers["cache-control"]);
      if (head.headers["content-length"] !== undefined) {
        assert.equal(head.headers["content-length"], get.headers["content-length"]);
      }
    });

    it("HEAD on page-data: same status and headers as GET, no body", async () => {
      const head = await raw(made.app, pd("/about"), { method: "HEAD" });
      assert.equal(head.status, 200);
      assert.equal(head.bodyBytes, 0);
      assert.equal(head.headers["content-type"], "application/json; charset=utf-8");
    });

    it("HEAD on a status/header page keeps the page's status and headers", async () => {
      const head = await raw(made.app, "/status/teapot", { method: "HEAD" });
      assert.equal(head.status, 418);
      assert.equal(head.headers["x-page"], "teapot");
      assert.equal(head.bodyBytes, 0);
    });

    it("HEAD on an unknown page-data path: 404 with no body", async () => {
      const head = await raw(made.app, pd("/nope"), { method: "HEAD" });
      assert.equal(head.status, 404);
      assert.equal(head.bodyBytes, 0);
    });

    it("HEAD on a non-page falls through to the host", async () => {
      const head = await raw(made.app, "/nope", { method: "HEAD" });
      assert.equal(head.status, 404);
      assert.equal(head.headers["content-type"], "text/plain; charset=utf-8");
    });

    it("browser entry asset: text/javascript, immutable cache", async () => {
      const page = await request(made.app).get("/about");
      const src = moduleScriptSrc(page.text);
      const res = await request(made.app).get(src);
      assert.equal(res.status, 200);
      assert.equal(res.headers["content-type"], "text/javascript; charset=utf-8");
      assert.equal(res.headers["cache-control"], "public, max-age=31536000, immutable");
      assert.ok(res.text.length > 0);
    });

    it("page chunk from page-data `module`: text/javascript, immutable cache", async () => {
      const j = await request(made.app).get(pd("/blog/1"));
      const mod = (j.body as PageData).module;
      const res = await request(made.app).get(mod);
      assert.equal(res.status, 200);
      assert.equal(res.headers["content-type"], "text/javascript; charset=utf-8");
      assert.equal(res.headers["cache-control"], "public, max-age=31536000, immutable");
    });

    it("different pages have different page chunks", async () => {
      const a = (await request(made.app).get(pd("/about"))).body as PageData;
      const b = (await request(made.app).get(pd("/blog/1"))).body as PageData;
      assert.notEqual(a.module, b.module);
    });

    it("unknown asset under /_ssr-pages/: 404, never 500", async () => {
      const res = await request(made.app).get("/_ssr-pages/does-not-exist.js");
      assert.equal(res.status, 404);
    });

    it('unknown page-data: 404 application/json {"error":"Not Found"}', async () => {
      const res = await request(made.app).get(pd("/nope/deeper"));
      assert.equal(res.status, 404);
      json(res);
      assert.deepEqual(res.body, { error: "Not Found" });
    });
  });

  describe(`lang and cacheControl options [${target.label}]`, () => {
    let made: MadeApp;
    before(async () => {
      // From a build: the build made with lang "fr", so its static pages are served as stored.
      made = target.makeApp(PAGES, {
        dev: !target.fromBuild,
        onError: () => {},
        lang: "fr",
        cacheControl: "private, max-age=5",
      });
      await made.ready;
    });

    it("lang sets <html lang>", async () => {
      // A page rendered per request, and one without getServerData (from a build, the stored one).
      for (const url of ["/about", "/no-data"]) {
        const res = await request(made.app).get(url);
        assert.equal(res.status, 200, url);
        assert.ok(res.text.startsWith(DOC_START.replace('lang="en"', 'lang="fr"')), res.text.slice(0, 120));
      }
    });

    it("cacheControl replaces the default on HTML and JSON", async () => {
      const a = await request(made.app).get("/about");
      assert.equal(a.headers["cache-control"], "private, max-age=5");
      const b = await request(made.app).get(pd("/about"));
      assert.equal(b.headers["cache-control"], "private, max-age=5");
    });

    it("a page's own Cache-Control still wins over the option", async () => {
      const a = await request(made.app).get("/status/teapot");
      assert.equal(a.headers["cache-control"], "public, max-age=60");
    });
  });
}

noUnhandledRejections();
