/**
 * Serving a production build through each factory (Express, Koa, node:http, createSsrHandler): it is
 * served in production mode, and a build that is not for this server is refused when the factory is
 * called: another ssr-pages version, other pages, files missing, no manifest, other client/gatsbyRoot,
 * dev or watch.
 */
import assert from "node:assert/strict";
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import express from "express";
import Koa from "koa";
import request from "supertest";
import { ssrMiddleware as expressSsr } from "../../adapters/express.js";
import { ssrMiddleware as koaSsr } from "../../adapters/koa.js";
import { createRequestListener } from "../../adapters/http.js";
import { build, createSsrHandler, type BuildSummary, type SsrOptions } from "../../src/index.js";
import {
  OTHER_PAGES,
  REPO,
  SITE_PAGES,
  embeddedData,
  listFiles,
  readManifest,
  removeScratch,
  scratch,
} from "./helpers.js";

type Factory = (pagesDir: string, options: SsrOptions) => unknown;

const FACTORIES: ReadonlyArray<[string, Factory]> = [
  ["express", (dir, options) => expressSsr(dir, options)],
  ["koa", (dir, options) => koaSsr(dir, options)],
  ["http", (dir, options) => createRequestListener(dir, options)],
  ["createSsrHandler", (dir, options) => createSsrHandler(dir, options)],
];

const quiet = { onError: () => undefined };

describe("serving a production build", () => {
  let tmp: string;
  let out: string;
  let summary: BuildSummary;
  let noClientOut: string;
  let copies = 0;

  before(async () => {
    tmp = scratch("serve");
    out = path.join(tmp, "out");
    noClientOut = path.join(tmp, "no-client-out");
    [summary] = await Promise.all([build(SITE_PAGES, { out }), build(SITE_PAGES, { out: noClientOut, client: false })]);
  });
  after(() => removeScratch(tmp));

  /** A copy of the build, to damage. */
  function copyOfBuild(): string {
    const copy = path.join(tmp, `copy-${++copies}`);
    cpSync(out, copy, { recursive: true });
    return copy;
  }

  describe("each factory serves it", () => {
    it("express: pages answer from the build, with its build id", async () => {
      const app = express();
      const pages = expressSsr(SITE_PAGES, { build: out, ...quiet });
      app.use(pages);
      app.use((_req, res) => void res.status(404).send("host fallthrough"));
      await pages.ready;
      const html = await request(app).get("/stamp");
      assert.equal(html.status, 200);
      assert.match(html.text, /runs: \d+/);
      assert.equal(embeddedData(html.text).pageData.buildId, summary.buildId);
      const json = await request(app).get("/page-data/posts/7/page-data.json");
      assert.equal(json.status, 200);
      assert.equal((json.body as { buildId?: string }).buildId, summary.buildId);
      assert.equal((await request(app).get("/nowhere")).text, "host fallthrough");
      await pages.close();
    });

    it("koa: pages answer from the build", async () => {
      const app = new Koa();
      const pages = koaSsr(SITE_PAGES, { build: out, ...quiet });
      app.use(pages);
      await pages.ready;
      const html = await request(app.callback()).get("/about");
      assert.equal(html.status, 200);
      assert.match(html.text, /About the build/);
      const json = await request(app.callback()).get("/page-data/stamp/page-data.json");
      assert.equal((json.body as { buildId?: string }).buildId, summary.buildId);
      await pages.close();
    });

    it("node:http: pages answer from the build", async () => {
      const listener = createRequestListener(SITE_PAGES, { build: out, ...quiet });
      await listener.ready;
      const html = await request(listener).get("/posts/abc");
      assert.equal(html.status, 200);
      assert.match(html.text, /post abc/);
      await listener.close();
    });

    it("createSsrHandler: pages answer from the build", async () => {
      const handler = createSsrHandler(SITE_PAGES, { build: out, ...quiet });
      await handler.ready;
      const response = await handler.handle({
        method: "GET",
        url: "/page-data/index/page-data.json",
        base: "",
        headers: {},
      });
      assert.equal(response?.status, 200);
      assert.equal((JSON.parse(String(response?.body)) as { buildId?: string }).buildId, summary.buildId);
      await handler.close();
    });
  });

  it("dev defaults to false with build: a page's error message is not sent to the client", async () => {
    const handler = createSsrHandler(SITE_PAGES, { build: out, ...quiet });
    const json = await handler.handle({ method: "GET", url: "/page-data/fails/page-data.json", base: "", headers: {} });
    assert.equal(json?.status, 500);
    assert.ok(!String(json?.body).includes("secret-detail-of-fails"), String(json?.body));
    const html = await handler.handle({ method: "GET", url: "/fails", base: "", headers: {} });
    assert.equal(html?.status, 500);
    assert.ok(!String(html?.body).includes("secret-detail-of-fails"), "no error detail in production HTML");
  });

  it("(control) in development the same page's error message is sent: the check above can tell", async () => {
    const handler = createSsrHandler(SITE_PAGES, { dev: true, watch: false, ...quiet });
    await handler.ready;
    const json = await handler.handle({ method: "GET", url: "/page-data/fails/page-data.json", base: "", headers: {} });
    assert.equal(json?.status, 500);
    assert.ok(String(json?.body).includes("secret-detail-of-fails"), String(json?.body));
    await handler.close();
  });

  for (const [name, make] of FACTORIES) {
    describe(`refusals [${name}]`, () => {
      it("dev: true or watch: true with build is a TypeError", () => {
        assert.throws(() => make(SITE_PAGES, { build: out, dev: true, ...quiet }), TypeError);
        assert.throws(() => make(SITE_PAGES, { build: out, watch: true, ...quiet }), TypeError);
        assert.throws(() => make(SITE_PAGES, { build: out, dev: true, watch: true, ...quiet }), TypeError);
      });

      it("a build made by another ssr-pages version is refused, saying so", () => {
        const copy = copyOfBuild();
        const file = path.join(copy, "ssr-pages.json");
        const manifest = JSON.parse(readFileSync(file, "utf8")) as { ssrPages: string };
        assert.equal(typeof manifest.ssrPages, "string");
        manifest.ssrPages = "9.9.9";
        writeFileSync(file, JSON.stringify(manifest));
        assert.throws(
          () => make(SITE_PAGES, { build: copy, ...quiet }),
          (error: unknown) => {
            assert.ok(error instanceof Error);
            assert.match(error.message, /version|9\.9\.9/);
            assert.ok(error.message.includes("9.9.9"), error.message);
            return true;
          },
        );
      });

      it("a build of other pages is refused, saying so", () => {
        assert.throws(
          () => make(OTHER_PAGES, { build: out, ...quiet }),
          (error: unknown) => {
            assert.ok(error instanceof Error);
            assert.match(error.message, /pages/);
            assert.doesNotMatch(error.message, /version|incomplete/);
            assert.ok(
              /other\.tsx|about\.tsx|stamp\.tsx/.test(error.message),
              `names a page that differs: ${error.message}`,
            );
            return true;
          },
        );
      });

      for (const part of ["server", "browser", "static"] as const) {
        it(`an incomplete build (a file of ${part}/ deleted) is refused, naming the file`, () => {
          const copy = copyOfBuild();
          const dir = path.join(copy, summary.buildId, part);
          const victim = listFiles(dir).find((file) => !/\.(br|gz)$/.test(file)) as string;
          assert.ok(victim, `a file in ${part}/`);
          rmSync(path.join(dir, victim));
          assert.throws(
            () => make(SITE_PAGES, { build: copy, ...quiet }),
            (error: unknown) => {
              assert.ok(error instanceof Error);
              assert.match(error.message, /incomplete|missing/);
              assert.ok(error.message.includes(path.basename(victim)), `names ${victim}: ${error.message}`);
              return true;
            },
          );
        });
      }

      it("a precompressed copy deleted: refused as incomplete", () => {
        const copy = copyOfBuild();
        const dir = path.join(copy, summary.buildId, "browser");
        const victim = listFiles(dir).find((file) => file.endsWith(".br")) as string;
        rmSync(path.join(dir, victim));
        assert.throws(() => make(SITE_PAGES, { build: copy, ...quiet }), /incomplete|missing/);
      });

      it("a folder without ssr-pages.json is refused, saying so", () => {
        const copy = copyOfBuild();
        rmSync(path.join(copy, "ssr-pages.json"));
        assert.throws(
          () => make(SITE_PAGES, { build: copy, ...quiet }),
          (error: unknown) => {
            assert.ok(error instanceof Error);
            assert.match(error.message, /ssr-pages\.json|no production build/);
            return true;
          },
        );
        assert.throws(
          () => make(SITE_PAGES, { build: path.join(tmp, "never-built"), ...quiet }),
          /ssr-pages\.json|no production build/,
        );
      });

      it("client given differently from the build's is refused; the same value is accepted", () => {
        assert.throws(() => make(SITE_PAGES, { build: out, client: false, ...quiet }), /client/);
        assert.throws(() => make(SITE_PAGES, { build: noClientOut, client: true, ...quiet }), /client/);
        assert.doesNotThrow(() => make(SITE_PAGES, { build: out, client: true, ...quiet }));
        assert.doesNotThrow(() => make(SITE_PAGES, { build: noClientOut, client: false, ...quiet }));
        assert.doesNotThrow(() => make(SITE_PAGES, { build: noClientOut, ...quiet }));
      });

      it("gatsbyRoot given differently from the build's is refused", () => {
        assert.throws(
          () =>
            make(SITE_PAGES, { build: out, gatsbyRoot: path.join(REPO, "test", "gatsby-starter", "site"), ...quiet }),
          /gatsbyRoot/,
        );
      });
    });
  }

  it("gatsbyRoot: false for a build of pages that are no Gatsby site (made without gatsbyRoot) is the same setting, accepted", () => {
    // The build of a plain pages folder has no Gatsby site; `false` says just that.
    assert.doesNotThrow(() => createSsrHandler(SITE_PAGES, { build: out, gatsbyRoot: false, ...quiet }));
  });

  it("the manifest records the version it was made by", () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")) as { version: string };
    assert.equal(readManifest(out).ssrPages, pkg.version);
  });
});
