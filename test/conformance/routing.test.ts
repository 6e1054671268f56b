/** Routes from file names, precedence, hostile names, what is not a page, fall-through. */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import request from "supertest";
import { targets, type MadeApp } from "./targets.js";
import { PAGES, embedded, fixture, html, json, noUnhandledRejections, pd, rootHtml, type PageData } from "./helpers.js";

for (const target of targets) {
  describe(`routing [${target.label}]`, () => {
    let made: MadeApp;
    before(async () => {
      // Development mode where it can be: a build is production code (dev: true is refused with it).
      made = target.makeApp(PAGES, { dev: !target.fromBuild, onError: () => {} });
      await made.ready;
    });

    /** GET the page HTML and its page-data; both must agree. Returns the page-data. */
    async function page(pagePath: string, query = ""): Promise<{ data: PageData; root: string }> {
      const res = await request(made.app).get(pagePath + query);
      assert.equal(res.status, 200, `${pagePath}${query}: ${res.text.slice(0, 300)}`);
      html(res);
      const data = embedded(res.text).pageData;
      return { data, root: rootHtml(res.text) };
    }

    async function pageData(pagePath: string, query = ""): Promise<PageData> {
      const res = await request(made.app).get(pd(pagePath, query));
      assert.equal(res.status, 200, `${pd(pagePath, query)}: ${res.text.slice(0, 300)}`);
      json(res);
      return res.body as PageData;
    }

    const cases: {
      url: string;
      pageData: string;
      id: string;
      params: Record<string, string>;
      text: string;
      dynamic: boolean;
    }[] = [
      { url: "/", pageData: "/", id: "index", params: {}, text: "Home page", dynamic: false },
      { url: "/about", pageData: "/about", id: "about", params: {}, text: "About", dynamic: false },
      { url: "/blog", pageData: "/blog", id: "blog/index", params: {}, text: "Blog index", dynamic: false },
      { url: "/blog/42", pageData: "/blog/42", id: "blog/[id]", params: { id: "42" }, text: "post 42", dynamic: true },
      {
        url: "/blog/caf%C3%A9",
        pageData: "/blog/caf%C3%A9",
        id: "blog/[id]",
        params: { id: "café" },
        text: "post café",
        dynamic: true,
      },
      {
        url: "/blog/a%20b",
        pageData: "/blog/a%20b",
        id: "blog/[id]",
        params: { id: "a b" },
        text: "post a b",
        dynamic: true,
      },
      { url: "/app/new", pageData: "/app/new", id: "app/new", params: {}, text: "app new", dynamic: false },
      { url: "/app/123", pageData: "/app/123", id: "app/[id]", params: { id: "123" }, text: "app 123", dynamic: true },
      {
        url: "/nest/x/page",
        pageData: "/nest/x/page",
        id: "nest/[p1]/page",
        params: { p1: "x" },
        text: "nest page x",
        dynamic: true,
      },
      {
        url: "/nest/x/y",
        pageData: "/nest/x/y",
        id: "nest/[p1]/[p2]",
        params: { p1: "x", p2: "y" },
        text: "nest x y",
        dynamic: true,
      },
      {
        url: "/products/shoe",
        pageData: "/products/shoe",
        id: "products/{Product.name}",
        params: { name: "shoe" },
        text: "product shoe",
        dynamic: true,
      },
      {
        url: "/products/shoe-123",
        pageData: "/products/shoe-123",
        id: "products/{Product.name}-{Product.sku}",
        params: { name: "shoe", sku: "123" },
        text: "product shoe sku 123",
        dynamic: true,
      },
      {
        url: "/docs/a/b/c",
        pageData: "/docs/a/b/c",
        id: "docs/[...slug]",
        params: { slug: "a/b/c" },
        text: "docs [a/b/c]",
        dynamic: true,
      },
      {
        url: "/docs/one",
        pageData: "/docs/one",
        id: "docs/[...slug]",
        params: { slug: "one" },
        text: "docs [one]",
        dynamic: true,
      },
      {
        url: "/docs/a%20b/c",
        pageData: "/docs/a%20b/c",
        id: "docs/[...slug]",
        params: { slug: "a b/c" },
        text: "docs [a b/c]",
        dynamic: true,
      },
      { url: "/docs", pageData: "/docs", id: "docs/[...slug]", params: { slug: "" }, text: "docs []", dynamic: true },
      {
        url: "/files/x/y",
        pageData: "/files/x/y",
        id: "files/[...]",
        params: { "*": "x/y" },
        text: "files [x/y]",
        dynamic: true,
      },
      { url: "/files", pageData: "/files", id: "files/[...]", params: { "*": "" }, text: "files []", dynamic: true },
      {
        url: "/hello%20world",
        pageData: "/hello%20world",
        id: "hello world",
        params: {},
        text: "hello world page",
        dynamic: false,
      },
      { url: "/caf%C3%A9", pageData: "/caf%C3%A9", id: "café", params: {}, text: "café page", dynamic: false },
      { url: "/v1.2", pageData: "/v1.2", id: "v1.2", params: {}, text: "v1.2 page", dynamic: false },
      { url: "/a..b", pageData: "/a..b", id: "a..b", params: {}, text: "a..b page", dynamic: false },
    ];

    for (const c of cases) {
      it(`GET ${c.url} -> ${c.id} ${JSON.stringify(c.params)}`, async () => {
        const { data, root } = await page(c.url);
        assert.equal(data.componentChunkName, c.id);
        assert.deepEqual(data.result.params, c.params);
        assert.ok(root.includes(c.text), `rendered ${root}`);
        const viaJson = await pageData(c.pageData);
        assert.equal(viaJson.componentChunkName, c.id);
        assert.deepEqual(viaJson.result.params, c.params);
        if (c.dynamic) assert.equal(typeof viaJson.matchPath, "string", "dynamic pages carry matchPath");
        else assert.equal("matchPath" in viaJson, false, "static pages have no matchPath");
      });
    }

    for (const [withSlash, id] of [
      ["/about/", "about"],
      ["/blog/", "blog/index"],
      ["/blog/42/", "blog/[id]"],
      ["/docs/a/b/", "docs/[...slug]"],
    ] as const) {
      it(`trailing slash: GET ${withSlash} reaches ${id}`, async () => {
        const { data } = await page(withSlash);
        assert.equal(data.componentChunkName, id);
      });
    }

    for (const ext of ["ts", "js", "mjs", "jsx"] as const) {
      const url = { ts: "/ext/plain-ts", js: "/ext/plain-js", mjs: "/ext/plain-mjs", jsx: "/ext/with-jsx" }[ext];
      it(`a .${ext} page serves (${url})`, async () => {
        const { data, root } = await page(url);
        assert.equal(data.componentChunkName, url.slice(1));
        assert.equal(root, `<p id="ext">ext:${ext}</p>`);
        assert.deepEqual((await pageData(url)).result.serverData, { ext });
      });
    }

    it("hooks and context work: pages share the renderer's React instance", async () => {
      const { root } = await page("/hooks");
      assert.equal(root, '<p id="hooks" data-has-id="yes">theme:dark count:3</p>');
    });

    it("/page-data/blog/index/page-data.json is the page /blog/index (only / maps to index)", async () => {
      const data = await pageData("/blog/index");
      assert.equal(data.componentChunkName, "blog/[id]");
      assert.deepEqual(data.result.params, { id: "index" });
      assert.equal(data.path, "/blog/index");
    });

    it("a page that imports a helper's component never runs the helper's getServerData", async () => {
      const { root } = await page("/about");
      assert.ok(root.includes('<main class="layout"><h1>About</h1></main>'), root);
      const g = globalThis as unknown as Record<symbol, unknown>;
      const calls = (g[Symbol.for("ssr-pages.conformance.calls")] as string[] | undefined) ?? [];
      assert.deepEqual(calls, []);
    });

    for (const notPage of [
      "/_helper",
      "/_lib",
      "/.hidden",
      "/__tests__/x",
      "/x.test",
      "/x.spec",
      "/x",
      "/types",
      "/types.d",
      "/index",
      "/nope",
      "/about/extra",
      "/blog/1/2",
      "/app",
      "/nest/x",
      "/products",
      "/products/a/b",
    ]) {
      it(`GET ${notPage} is not a page: falls through to the host`, async () => {
        const res = await request(made.app).get(notPage);
        assert.equal(res.status, 404);
        assert.equal(res.text, "host fallthrough");
      });
    }

    for (const notPage of ["_helper", ".hidden", "__tests__/x", "x.test", "types", "nope", "about/extra"]) {
      it(`page-data for ${notPage} (not a page): 404 {"error":"Not Found"}`, async () => {
        const res = await request(made.app).get(`/page-data/${notPage}/page-data.json`);
        assert.equal(res.status, 404);
        json(res);
        assert.deepEqual(res.body, { error: "Not Found" });
      });
    }

    for (const method of ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"] as const) {
      it(`${method} /about falls through to the host`, async () => {
        const res = await request(made.app)[method.toLowerCase() as "post"]("/about");
        assert.equal(res.status, 404);
        assert.equal(res.text, "host fallthrough");
      });
    }

    it("POST to a page-data URL falls through to the host", async () => {
      const res = await request(made.app).post(pd("/about"));
      assert.equal(res.status, 404);
      assert.equal(res.text, "host fallthrough");
    });
  });

  describe(`routing: root splat and precedence [${target.label}]`, () => {
    let made: MadeApp;
    before(async () => {
      made = target.makeApp(fixture("catchall"), { dev: !target.fromBuild, onError: () => {} });
      await made.ready;
    });

    const cases: [string, string, Record<string, string>][] = [
      ["/", "index", {}],
      ["/about", "about", {}],
      ["/about/", "about", {}],
      ["/blog/1", "blog/[id]", { id: "1" }],
      ["/blog/1/2", "blog/[...rest]", { rest: "1/2" }],
      ["/blog", "blog/[...rest]", { rest: "" }],
      ["/anything", "[...]", { "*": "anything" }],
      ["/anything/deep/er", "[...]", { "*": "anything/deep/er" }],
      ["/about/more", "[...]", { "*": "about/more" }],
      ["/caf%C3%A9/x", "[...]", { "*": "café/x" }],
    ];
    for (const [url, id, params] of cases) {
      it(`GET ${url} -> ${id}`, async () => {
        const res = await request(made.app).get(url);
        assert.equal(res.status, 200);
        const data = embedded(res.text).pageData;
        assert.equal(data.componentChunkName, id);
        assert.deepEqual(data.result.params, params);
        const viaJson = await request(made.app).get(pd(url.replace(/\/$/, "") || "/"));
        assert.equal(viaJson.status, 200);
        assert.equal((viaJson.body as PageData).componentChunkName, id);
        assert.deepEqual((viaJson.body as PageData).result.params, params);
      });
    }

    it("the root splat does not swallow POST: falls through", async () => {
      const res = await request(made.app).post("/anything");
      assert.equal(res.status, 404);
      assert.equal(res.text, "host fallthrough");
    });

    it("asset URLs are not taken by the root splat", async () => {
      const res = await request(made.app).get("/");
      const src = /<script type="module" src="([^"]+)">/.exec(res.text)?.[1] ?? "";
      assert.ok(src.startsWith("/_ssr-pages/"), src);
      const asset = await request(made.app).get(src);
      assert.equal(asset.status, 200);
      assert.equal(asset.headers["content-type"], "text/javascript; charset=utf-8");
    });
  });
}

noUnhandledRejections();
