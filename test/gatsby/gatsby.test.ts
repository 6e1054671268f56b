/**
 * Gatsby pages moved over unchanged: a Gatsby-style site (./site: JSX in .js, `from "gatsby"`, the
 * context returned in props, package CSS, a missing and a throwing package beside good pages, page
 * and static queries, `process.env` in a component, gatsby-ssr.js and gatsby-browser.js), served
 * through Express (at the root and under /shop) and Koa, over HTTP.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import express from "express";
import Koa from "koa";
import mount from "koa-mount";
import request from "supertest";
import type { RequestListener } from "node:http";
import { ssrMiddleware as expressSsr } from "../../adapters/express.js";
import { ssrMiddleware as koaSsr } from "../../adapters/koa.js";
import { installPackages, PAGES, SECRET } from "./site.js";

installPackages();
process.env.VERY_SECRET_VAR = SECRET;
process.env.GATSBY_PREFIXED_FROM_COMMAND_LINE = "from-the-command-line";

interface Host {
  name: string;
  base: string;
  make(onError: (error: unknown, info: { page?: string | undefined }) => void): {
    app: RequestListener;
    ready: Promise<void>;
  };
}

const hosts: Host[] = [
  {
    name: "Express",
    base: "",
    make: (onError) => {
      const pages = expressSsr(PAGES, { dev: false, onError });
      const app = express();
      app.use(pages);
      return { app: app as unknown as RequestListener, ready: pages.ready };
    },
  },
  {
    name: "Express under /shop",
    base: "/shop",
    make: (onError) => {
      const pages = expressSsr(PAGES, { dev: false, onError });
      const app = express();
      app.use("/shop", pages);
      return { app: app as unknown as RequestListener, ready: pages.ready };
    },
  },
  {
    name: "Koa under /shop (koa-mount)",
    base: "/shop",
    make: (onError) => {
      const pages = koaSsr(PAGES, { dev: false, onError });
      const app = new Koa();
      app.use(mount("/shop", pages));
      return { app: app.callback(), ready: pages.ready };
    },
  },
];

/** The data embedded for hydration. */
function embedded(html: string): {
  base: string;
  pageData: { path: string; result: { serverData?: Record<string, unknown>; params?: unknown }; css?: string[] };
} {
  const text = /<script id="__SSR_PAGES_DATA__" type="application\/json">([\s\S]*?)<\/script>/.exec(html)?.[1];
  assert.ok(text, "no embedded page data (no browser build?)");
  return JSON.parse(text);
}

const decode = (text: string): string =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&amp;/g, "&");
const testId = (html: string, id: string): string | undefined => {
  const match = new RegExp(`data-testid="${id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}">([^<]*)<`).exec(html);
  return match ? decode(match[1] as string) : undefined;
};

for (const host of hosts) {
  describe(`Gatsby pages through ${host.name}`, () => {
    /** What onError received: each error's message and the page it names. */
    const errors: string[] = [];
    let app: RequestListener;
    before(async () => {
      const made = host.make((error, info) =>
        errors.push(`${error instanceof Error ? error.message : String(error)} [${info.page ?? ""}]`),
      );
      app = made.app;
      await made.ready;
    });
    const at = host.base;

    it("serves JSX in .js pages and components, with gatsby-ssr.js's wrappers and onRenderBody applied", async () => {
      const res = await request(app).get(`${at}/`).expect(200);
      assert.match(res.text, /<h1>Gatsby home<\/h1>/);
      assert.match(res.text, /^<!DOCTYPE html><html lang="fr"><head>/, "setHtmlAttributes");
      assert.match(res.text, /<meta name="generator" content="ssr-pages-gatsby-fixture"\/>/, "setHeadComponents");
      // onRenderBody's pathname is the page's, without the mount path; a page's location has it, as the address bar does.
      assert.match(
        res.text,
        /<body class="gatsby-body"><div id="pre-body" data-pathname="\/"><\/div><div id="___ssr-pages">/,
        "setBodyAttributes, setPreBodyComponents",
      );
      assert.match(
        res.text,
        /<\/div><div id="post-body"><\/div><script id="__SSR_PAGES_DATA__"/,
        "setPostBodyComponents",
      );
      assert.match(
        res.text,
        new RegExp(`<div class="layout_[0-9a-f]{8}_layout" data-theme="dark" data-path="${at}/">`),
        "wrapRootElement's theme, wrapPageElement's layout",
      );
    });

    it("lets a Head give <html> and <body> attributes, over onRenderBody's, and tells the client what they were before", async () => {
      const res = await request(app).get(`${at}/ssr/static-path/`).expect(200);
      assert.match(res.text, /^<!DOCTYPE html><html lang="de"><head>/);
      assert.match(res.text, /<body class="static-body"><div id="pre-body"/);
      assert.match(
        res.text,
        /<!--ssr-pages-head--><title>Static path<\/title><!--\/ssr-pages-head-->/,
        "the elements themselves are not in <head>",
      );
      assert.deepEqual((embedded(res.text) as { shellAttributes?: unknown }).shellAttributes, {
        html: { lang: "fr" },
        body: { class: "gatsby-body" },
      });
      const home = await request(app).get(`${at}/`).expect(200);
      assert.equal(
        (embedded(home.text) as { shellAttributes?: unknown }).shellAttributes,
        undefined,
        "nothing for a page whose Head sets none",
      );
    });

    it("gives pages Gatsby's Link (with the mount path and the active-link props), withPrefix, Script and Slice", async () => {
      const res = await request(app).get(`${at}/ssr/static-path/`).expect(200);
      assert.ok(
        res.text.includes(
          `<a class="active" style="font-weight:700" aria-current="page" id="nav-static" href="${at}/ssr/static-path/">Static</a>`,
        ),
        "activeClassName and activeStyle",
      );
      assert.ok(
        res.text.includes(`<a class="active" id="nav-ssr" href="${at}/ssr/">SSR section</a>`),
        "partiallyActive",
      );
      assert.ok(res.text.includes(`<a id="nav-home" href="${at}/">Home</a>`), "not active elsewhere");
      const home = await request(app).get(`${at}/`).expect(200);
      assert.ok(home.text.includes(`<a id="prefixed" href="${at}/ssr/static-path/">`), "withPrefix");
      assert.doesNotMatch(home.text, /inline-once|__inlineRuns/, "Script renders nothing on the server");
    });

    it("serialises the context returned in props as Gatsby does: method, url, query, params, and headers as {}", async () => {
      const res = await request(app)
        .get(`${at}/ssr/static-path/?foo=bar`)
        .set("Cookie", "session=do-not-leak")
        .set("User-Agent", "gatsby-test")
        .expect(200);
      assert.equal(testId(res.text, "query"), '{"foo":"bar"}');
      assert.equal(testId(res.text, "params"), "{}");
      assert.equal(
        testId(res.text, "headers-type"),
        "object:string",
        "context.headers read directly is the plain object",
      );
      const data = embedded(res.text).pageData.result.serverData as { arg: unknown };
      assert.deepEqual(data.arg, {
        method: "GET",
        url: "/ssr/static-path/?foo=bar",
        query: { foo: "bar" },
        params: {},
        headers: {},
      });
      assert.doesNotMatch(res.text, /do-not-leak/, "no cookie in the HTML");
      const param = await request(app).get(`${at}/page-data/ssr/param-path/foo/page-data.json`).expect(200);
      assert.deepEqual(
        (param.body as { result: { serverData: { arg: { params: unknown } } } }).result.serverData.arg.params,
        { param: "foo" },
      );
      const wildcard = await request(app).get(`${at}/ssr/wildcard-path/foo/nested`).expect(200);
      assert.equal(testId(wildcard.text, "params"), '{"wildcard":"foo/nested"}');
    });

    it("components read NODE_ENV and the public variables by name, and JSON.stringify(process.env) is {} as in Gatsby; getServerData sees the rest", async () => {
      const res = await request(app).get(`${at}/ssr/static-path/`).expect(200);
      assert.deepEqual(JSON.parse(testId(res.text, "process.env") ?? "null"), {});
      assert.equal(testId(res.text, "process.env.VERY_SECRET_VAR"), "");
      assert.equal(testId(res.text, "process.env.GATSBY_PREFIXED_FROM_COMMAND_LINE"), '"from-the-command-line"');
      assert.equal(
        testId(res.text, "serverData.envVars.VERY_SECRET_ALIAS_VAR"),
        '"set"',
        "getServerData reads the real environment",
      );
      // No response carries the secret: the HTML, the page data, any file the pages load.
      const bodies = [res.text, (await request(app).get(`${at}/page-data/ssr/static-path/page-data.json`)).text];
      for (const src of new Set(res.text.match(/\/_ssr-pages\/[^"]+/g) ?? []))
        bodies.push((await request(app).get(src.startsWith(at) ? src : `${at}${src}`)).text);
      assert.ok(bodies.length > 3);
      for (const body of bodies) assert.doesNotMatch(body, new RegExp(SECRET));
    });

    it("puts a package's CSS into the page's stylesheet, and serves pages that use a gatsby-* package requiring gatsby", async () => {
      const res = await request(app).get(`${at}/styled`).expect(200);
      assert.match(res.text, /<div class="fake-carousel" id="carousel">carousel<\/div>/);
      assert.ok(
        res.text.includes(`<a id="i18n-link" href="${at}/ssr/param-path/i18n?lang=de">Deutsch</a>`),
        "gatsby-plugin-fake-i18n's Link, from ssr-pages' gatsby",
      );
      const sheets = embedded(res.text).pageData.css ?? [];
      const css = (await Promise.all(sheets.map((href) => request(app).get(href).expect(200))))
        .map((sheet) => sheet.text)
        .join("\n");
      assert.match(css, /\.fake-carousel\{color:(rgb\(1, ?122, ?1\)|#017a01)/);
      assert.match(css, /url\(\.\/carousel-[A-Za-z0-9]{10}\.woff2\)/, "the package's font travels with it");
    });

    it("fails only the pages that import a missing or a throwing package, each naming it; its neighbours serve", async () => {
      errors.length = 0;
      await request(app).get(`${at}/broken-missing`).expect(500);
      await request(app).get(`${at}/broken-throws`).expect(500);
      const messages = errors;
      assert.ok(
        messages.some((message) =>
          /broken-missing\.js imports the package "ssr-pages-gatsby-fixture-not-installed", which is not installed/.test(
            message,
          ),
        ),
        messages.join("\n"),
      );
      assert.ok(
        messages.some((message) =>
          /broken-throws\.js imports the package "fake-throws-at-load", which threw while loading: fake-throws-at-load refuses to load/.test(
            message,
          ),
        ),
        messages.join("\n"),
      );
      for (const path of ["/", "/styled", "/ssr/static-path/", "/ssr/param-path/x"])
        await request(app).get(`${at}${path}`).expect(200);
    });

    it("answers a page query, useStaticQuery and StaticQuery from the site's gatsby-config, run at compile time; a page query's page still redirects", async () => {
      const page = await request(app).get(`${at}/page-query`).expect(200);
      assert.match(page.text, /<h1>Gatsby fixture<\/h1>/);
      const data = JSON.parse(
        (await request(app).get(`${at}/page-data/page-query/page-data.json`).expect(200)).text,
      ) as { result: { data?: unknown } };
      assert.deepEqual(data.result.data, { site: { siteMetadata: { title: "Gatsby fixture" } } });
      const statics = await request(app).get(`${at}/static-query`).expect(200);
      assert.match(statics.text, /<h1>Gatsby fixture<\/h1><p>[\w-]+<\/p>/);
      // The redirect getServerData returns still counts.
      const redirect = await request(app).get(`${at}/page-query-redirect`).expect(302);
      assert.equal(redirect.headers.location, `${at}/ssr/static-path/`);
      // And the server keeps serving.
      await request(app).get(`${at}/`).expect(200);
    });

    it("answers a page whose getServerData throws with a 500, and an unknown page with the 404 page", async () => {
      await request(app).get(`${at}/ssr/error-path`).expect(500);
      const data = await request(app).get(`${at}/page-data/ssr/error-path/page-data.json`).expect(500);
      assert.deepEqual(data.body, { error: "Internal Server Error" });
    });
  });
}

describe("the same pages without their Gatsby site (gatsbyRoot: false)", () => {
  const errors: string[] = [];
  const pages = expressSsr(PAGES, {
    dev: false,
    gatsbyRoot: false,
    onError: (error, info) => errors.push(`${(error as Error).message} [${info.page}]`),
  });
  const app = express();
  app.use(pages);
  before(() => pages.ready);

  it("answers a page query and useStaticQuery with a 500 that names the page and the missing data layer, after getServerData", async () => {
    await request(app).get("/page-query").expect(500);
    await request(app).get("/static-query").expect(500);
    assert.ok(
      errors.some((message) =>
        /^page-query\.js exports a page query .*no GraphQL data layer.*\[page-query\.js\]$/.test(message),
      ),
      errors.join("\n"),
    );
    assert.ok(
      errors.some((message) =>
        /^useStaticQuery: ssr-pages has no GraphQL data layer.*\[static-query\.js\]$/.test(message),
      ),
      errors.join("\n"),
    );
    const redirect = await request(app).get("/page-query-redirect").expect(302);
    assert.equal(redirect.headers.location, "/ssr/static-path/");
  });
});
