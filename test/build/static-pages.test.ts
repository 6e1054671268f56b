/**
 * A production build served by Express: static pages (no getServerData, no params) answered from the
 * build without rendering (render counters on globalThis prove it; the build itself runs in this
 * process), with a strong ETag, 304s and `public, max-age=0, must-revalidate`; pages with
 * getServerData or params rendered per request; browser files and static pages precompressed by the
 * build; the build id in every page-data answer and embedded page data.
 */
import assert from "node:assert/strict";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { after, before, describe, it } from "node:test";
import express from "express";
import { ssrMiddleware, type ExpressSsrMiddleware } from "../../adapters/express.js";
import { build, type BuildSummary } from "../../src/index.js";
import {
  SITE_PAGES,
  copyDir,
  embeddedData,
  listen,
  listFiles,
  rawGet,
  readManifest,
  removeScratch,
  renders,
  scratch,
  type RawResponse,
} from "./helpers.js";

const STATIC_CACHE_CONTROL = "public, max-age=0, must-revalidate";

/** An Express app serving the build in `out` (mounted at `mount`), on a free port. */
async function serve(
  out: string,
  mount = "",
): Promise<{ origin: string; pages: ExpressSsrMiddleware; close(): Promise<void> }> {
  const pages = ssrMiddleware(SITE_PAGES, { build: out, onError: () => undefined });
  const app = express();
  if (mount === "") app.use(pages);
  else app.use(mount, pages);
  app.use((_req, res) => void res.status(404).type("text/plain").send("host fallthrough"));
  await pages.ready;
  const served = await listen(app);
  return {
    origin: served.origin,
    pages,
    async close() {
      await served.close();
      await pages.close();
    },
  };
}

function json(response: RawResponse): Record<string, unknown> {
  return JSON.parse(response.body.toString("utf8")) as Record<string, unknown>;
}

describe("static pages served from the build", () => {
  let tmp: string;
  let out: string;
  let summary: BuildSummary;
  let rendersBefore: { index: number; about: number };
  let rendersAfterBuild: { index: number; about: number };
  let server: Awaited<ReturnType<typeof serve>>;

  before(async () => {
    tmp = scratch("static");
    out = path.join(tmp, "out");
    rendersBefore = { index: renders("index"), about: renders("about") };
    summary = await build(SITE_PAGES, { out });
    rendersAfterBuild = { index: renders("index"), about: renders("about") };
    server = await serve(out);
  });
  after(async () => {
    await server?.close();
    removeScratch(tmp);
  });

  it("the build rendered the static pages (in the build process)", () => {
    assert.ok(rendersAfterBuild.index > rendersBefore.index, "index rendered at build time");
    assert.ok(rendersAfterBuild.about > rendersBefore.about, "about rendered at build time");
    assert.equal(renders("stamp"), 0, "a getServerData page is not rendered at build time");
    assert.equal(renders("post"), 0, "a page with params is not rendered at build time");
  });

  it("a direct visit gets the stored HTML, without rendering, with a strong ETag and must-revalidate", async () => {
    const counts = { index: renders("index"), about: renders("about") };
    for (const [pathname, name, title] of [
      ["/", "index", "Build home"],
      ["/about", "about", "About the build"],
    ] as const) {
      for (let i = 0; i < 3; i++) {
        const response = await rawGet(server.origin, pathname);
        assert.equal(response.status, 200, pathname);
        assert.match(String(response.headers["content-type"]), /^text\/html/);
        assert.equal(response.headers["cache-control"], STATIC_CACHE_CONTROL, pathname);
        const etag = String(response.headers.etag);
        assert.match(etag, /^"[^"]+"$/, `a strong ETag: ${etag}`);
        const html = response.body.toString("utf8");
        assert.ok(html.includes(title), pathname);
        assert.equal(embeddedData(html).pageData.buildId, summary.buildId);
        assert.equal(embeddedData(html).pageData.componentChunkName, name);
      }
    }
    assert.equal(renders("index"), counts.index, "index was not rendered again");
    assert.equal(renders("about"), counts.about, "about was not rendered again");
  });

  it("the page data of a static page (the root's at /page-data/index/) is the stored one, with a strong ETag", async () => {
    const counts = { index: renders("index"), about: renders("about") };
    for (const [pathname, name] of [
      ["/page-data/index/page-data.json", "index"],
      ["/page-data/about/page-data.json", "about"],
    ] as const) {
      const response = await rawGet(server.origin, pathname);
      assert.equal(response.status, 200, pathname);
      assert.match(String(response.headers["content-type"]), /^application\/json/);
      assert.equal(response.headers["cache-control"], STATIC_CACHE_CONTROL, pathname);
      assert.match(String(response.headers.etag), /^"[^"]+"$/);
      const body = json(response);
      assert.equal(body.componentChunkName, name);
      assert.equal(body.buildId, summary.buildId);
      const own = path.join(out, summary.buildId, "static");
      const stored = readFileSync(path.join(own, name === "index" ? "page-data.json" : "about/page-data.json"));
      assert.ok(response.body.equals(stored), "the bytes the build stored");
    }
    assert.equal(renders("index"), counts.index);
    assert.equal(renders("about"), counts.about);
  });

  it("If-None-Match with the ETag gets a 304, for the HTML and the page data; another ETag gets the page", async () => {
    for (const pathname of ["/", "/about", "/page-data/index/page-data.json", "/page-data/about/page-data.json"]) {
      const first = await rawGet(server.origin, pathname);
      const etag = String(first.headers.etag);
      const again = await rawGet(server.origin, pathname, { "if-none-match": etag });
      assert.equal(again.status, 304, pathname);
      assert.equal(again.body.length, 0);
      assert.equal(again.headers.etag, etag);
      assert.equal(
        again.headers["cache-control"],
        STATIC_CACHE_CONTROL,
        `${pathname}: the 304 carries the Cache-Control`,
      );
      const listed = await rawGet(server.origin, pathname, { "if-none-match": `"something-else", ${etag}` });
      assert.equal(listed.status, 304, `${pathname}: an ETag in a list`);
      const weak = await rawGet(server.origin, pathname, { "if-none-match": `W/${etag}` });
      assert.equal(weak.status, 304, `${pathname}: If-None-Match compares weakly (RFC 9110)`);
      const other = await rawGet(server.origin, pathname, { "if-none-match": '"not-this-one"' });
      assert.equal(other.status, 200, pathname);
      assert.ok(other.body.length > 0);
    }
  });

  it("the HTML and page data of one page have different ETags, and each page its own", async () => {
    const etags = await Promise.all(
      ["/", "/about", "/page-data/index/page-data.json", "/page-data/about/page-data.json"].map(async (pathname) =>
        String((await rawGet(server.origin, pathname)).headers.etag),
      ),
    );
    assert.equal(new Set(etags).size, 4, etags.join(" "));
  });

  it("a static page is sent precompressed from the build's .br and .gz files", async () => {
    const dir = path.join(out, summary.buildId, "static", "about");
    const br = await rawGet(server.origin, "/about", { "accept-encoding": "br" });
    assert.equal(br.headers["content-encoding"], "br");
    assert.ok(br.body.equals(readFileSync(path.join(dir, "index.html.br"))), "the build's .br bytes");
    const gz = await rawGet(server.origin, "/about", { "accept-encoding": "gzip" });
    assert.equal(gz.headers["content-encoding"], "gzip");
    assert.ok(gz.body.equals(readFileSync(path.join(dir, "index.html.gz"))), "the build's .gz bytes");
    const plain = await rawGet(server.origin, "/about", { "accept-encoding": "identity" });
    assert.equal(plain.headers["content-encoding"], undefined);
    assert.ok(plain.body.equals(readFileSync(path.join(dir, "index.html"))));
    assert.match(String(br.headers.vary), /accept-encoding/i);
    assert.equal(br.headers.etag, plain.headers.etag, "one ETag for the page, whatever its encoding");
  });

  it("a HEAD of a static page: the headers, no body", async () => {
    const head = await rawGet(server.origin, "/about", {}, "HEAD");
    assert.equal(head.status, 200);
    assert.equal(head.headers["cache-control"], STATIC_CACHE_CONTROL);
    assert.match(String(head.headers.etag), /^"[^"]+"$/);
    assert.equal(head.body.length, 0);
  });

  it("a page with getServerData is rendered on every request, with its own Cache-Control", async () => {
    const before = renders("stamp");
    const first = await rawGet(server.origin, "/stamp");
    const second = await rawGet(server.origin, "/stamp");
    assert.equal(first.status, 200);
    assert.notEqual(first.headers["cache-control"], STATIC_CACHE_CONTROL);
    assert.equal(renders("stamp"), before + 2, "rendered once per request");
    const runs = (response: RawResponse) => Number(/runs: (\d+)/.exec(response.body.toString())?.[1]);
    assert.equal(runs(second), runs(first) + 1, "getServerData ran again");
    assert.equal(embeddedData(first.body.toString()).pageData.buildId, summary.buildId);
    const data = await rawGet(server.origin, "/page-data/stamp/page-data.json");
    assert.equal(json(data).buildId, summary.buildId);
  });

  it("a page with params is rendered on every request", async () => {
    const before = renders("post");
    const one = await rawGet(server.origin, "/posts/one");
    const two = await rawGet(server.origin, "/posts/two");
    assert.ok(one.body.toString().includes("post one"));
    assert.ok(two.body.toString().includes("post two"));
    assert.equal(renders("post"), before + 2);
    assert.notEqual(one.headers["cache-control"], STATIC_CACHE_CONTROL);
    const data = await rawGet(server.origin, "/page-data/posts/three/page-data.json");
    assert.equal(json(data).buildId, summary.buildId);
    assert.deepEqual((json(data).result as { params: unknown }).params, { id: "three" });
  });

  it("browser files (modules and stylesheets) are sent precompressed from the build's .br and .gz files", async () => {
    const dir = path.join(out, summary.buildId, "browser");
    const names = listFiles(dir);
    const compressed = names.filter((name) => !/\.(br|gz)$/.test(name) && names.includes(`${name}.br`));
    assert.ok(
      compressed.some((name) => name.endsWith(".js")),
      "a compressed module",
    );
    assert.ok(
      compressed.some((name) => name.endsWith(".css")),
      "a compressed stylesheet (about.css)",
    );
    for (const name of compressed) {
      const url = `/_ssr-pages/${name}`;
      const br = await rawGet(server.origin, url, { "accept-encoding": "br" });
      assert.equal(br.status, 200, url);
      assert.equal(br.headers["content-encoding"], "br", url);
      assert.ok(br.body.equals(readFileSync(path.join(dir, `${name}.br`))), `${url}: the build's .br bytes`);
      const gz = await rawGet(server.origin, url, { "accept-encoding": "gzip, deflate" });
      assert.equal(gz.headers["content-encoding"], "gzip", url);
      assert.ok(gz.body.equals(readFileSync(path.join(dir, `${name}.gz`))), `${url}: the build's .gz bytes`);
      const plain = await rawGet(server.origin, url);
      assert.equal(plain.headers["content-encoding"], undefined, url);
      assert.ok(plain.body.equals(readFileSync(path.join(dir, name))), url);
    }
  });

  it("a browser file the build did not compress (under 1 KiB) is sent as it is, not compressed at run time", async () => {
    const dir = path.join(out, summary.buildId, "browser");
    const names = listFiles(dir);
    const small = names.find((name) => name.endsWith(".js") && !names.includes(`${name}.br`));
    assert.ok(small, `a small browser file among ${names.join(", ")}`);
    const response = await rawGet(server.origin, `/_ssr-pages/${small}`, { "accept-encoding": "br, gzip" });
    assert.equal(response.status, 200);
    assert.equal(response.headers["content-encoding"], undefined);
    assert.ok(response.body.equals(readFileSync(path.join(dir, small))));
  });
});

describe("served from the build's files, not made again (a build whose files were changed after it was written)", () => {
  let tmp: string;
  let out: string;
  let buildId: string;
  let server: Awaited<ReturnType<typeof serve>>;
  const MARK = "/* changed-on-disk */";
  const HTML_MARK = "<!-- changed-on-disk -->";

  before(async () => {
    tmp = scratch("static-tamper");
    const original = path.join(tmp, "original");
    buildId = (await build(SITE_PAGES, { out: original })).buildId;
    out = path.join(tmp, "changed");
    cpSync(original, out, { recursive: true });
    const own = path.join(out, buildId);
    const entry = readManifest(out).browser?.entry as string;
    const file = path.join(own, "browser", entry);
    const changed = Buffer.concat([readFileSync(file), Buffer.from(`\n${MARK}\n`)]);
    writeFileSync(`${file}.br`, zlib.brotliCompressSync(changed));
    writeFileSync(`${file}.gz`, zlib.gzipSync(changed));
    for (const name of ["about/index.html", "about/page-data.json"]) {
      const page = path.join(own, "static", name);
      const text = readFileSync(page, "utf8");
      const edited = name.endsWith(".html")
        ? text.replace("About the build</h1>", `About the build</h1>${HTML_MARK}`)
        : text.replace('"componentChunkName"', '"changedOnDisk":true,"componentChunkName"');
      assert.notEqual(edited, text);
      writeFileSync(page, edited);
      writeFileSync(`${page}.br`, zlib.brotliCompressSync(edited));
      writeFileSync(`${page}.gz`, zlib.gzipSync(edited));
    }
    server = await serve(out);
  });
  after(async () => {
    await server?.close();
    removeScratch(tmp);
  });

  it("a browser file's br and gzip answers are the build's copies (no compression at run time)", async () => {
    const entry = readManifest(out).browser?.entry as string;
    const br = await rawGet(server.origin, `/_ssr-pages/${entry}`, { "accept-encoding": "br" });
    assert.equal(br.headers["content-encoding"], "br");
    assert.ok(
      zlib.brotliDecompressSync(br.body).toString().includes(MARK),
      "the .br file written by the build was sent",
    );
    const gz = await rawGet(server.origin, `/_ssr-pages/${entry}`, { "accept-encoding": "gzip" });
    assert.equal(gz.headers["content-encoding"], "gzip");
    assert.ok(zlib.gunzipSync(gz.body).toString().includes(MARK), "the .gz file written by the build was sent");
  });

  it("a static page's HTML and page data are the build's files, in every encoding", async () => {
    for (const encoding of ["br", "gzip", "identity"]) {
      const html = await rawGet(server.origin, "/about", { "accept-encoding": encoding });
      const htmlText =
        encoding === "br"
          ? zlib.brotliDecompressSync(html.body)
          : encoding === "gzip"
            ? zlib.gunzipSync(html.body)
            : html.body;
      assert.ok(htmlText.toString().includes(HTML_MARK), `HTML (${encoding}) from the build's file`);
      const data = await rawGet(server.origin, "/page-data/about/page-data.json", { "accept-encoding": encoding });
      const dataText =
        encoding === "br"
          ? zlib.brotliDecompressSync(data.body)
          : encoding === "gzip"
            ? zlib.gunzipSync(data.body)
            : data.body;
      assert.ok(dataText.toString().includes('"changedOnDisk":true'), `page data (${encoding}) from the build's file`);
    }
  });
});

describe("build ids and the mount path the static pages were built for", () => {
  let tmp: string;
  before(() => {
    tmp = scratch("static-ids");
  });
  after(() => removeScratch(tmp));

  it("two builds of different code have different ids, and each server answers with its own", async () => {
    const pages = copyDir(SITE_PAGES, path.join(tmp, "changed", "pages"));
    writeFileSync(
      path.join(pages, "stamp.tsx"),
      readFileSync(path.join(pages, "stamp.tsx"), "utf8").replace("`runs: ${", "`runs so far: ${"),
    );
    const [a, b] = await Promise.all([
      build(SITE_PAGES, { out: path.join(tmp, "a") }),
      build(pages, { out: path.join(tmp, "b") }),
    ]);
    assert.notEqual(a.buildId, b.buildId);
    const server = await serve(b.out);
    try {
      // SITE_PAGES and the copy hold the same page files: the server of b serves its own code.
      const page = await rawGet(server.origin, "/stamp");
      assert.ok(page.body.toString().includes("runs so far: "));
      assert.equal(embeddedData(page.body.toString()).pageData.buildId, b.buildId);
      assert.equal(json(await rawGet(server.origin, "/page-data/about/page-data.json")).buildId, b.buildId);
    } finally {
      await server.close();
    }
  });

  it("built with --base-path /shop and mounted at /shop: the static pages are the stored ones", async () => {
    const out = path.join(tmp, "shop");
    const summary = await build(SITE_PAGES, { out, basePath: "/shop" });
    const server = await serve(out, "/shop");
    try {
      const counts = renders("about");
      const html = await rawGet(server.origin, "/shop/about");
      assert.equal(html.status, 200);
      assert.equal(html.headers["cache-control"], STATIC_CACHE_CONTROL);
      assert.ok(html.body.toString().includes("/shop/_ssr-pages/"), "asset URLs carry the mount path");
      assert.equal(embeddedData(html.body.toString()).pageData.buildId, summary.buildId);
      const etag = String(html.headers.etag);
      assert.equal((await rawGet(server.origin, "/shop/about", { "if-none-match": etag })).status, 304);
      const data = await rawGet(server.origin, "/shop/page-data/index/page-data.json");
      assert.equal(data.status, 200);
      assert.equal(data.headers["cache-control"], STATIC_CACHE_CONTROL);
      assert.equal(renders("about"), counts, "not rendered again");
    } finally {
      await server.close();
    }
  });
});
