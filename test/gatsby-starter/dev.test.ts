/**
 * The starter fixture in development (`dev: true`), on a copy of the site in .tmp/ (the tests edit
 * it): a page querying a type the site does not have answers the dev error page naming the type and
 * pointing at getServerData while the other pages serve; adding a PNG to src/images and editing
 * siteMetadata in gatsby-config.js re-run the queries, so a later request shows the new data.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { get as httpGet, type ClientRequest, type Server } from "node:http";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import express from "express";
import request from "supertest";
import { listen } from "../browser/harness.js";
import { poll } from "../conformance/helpers.js";
import { ssrMiddleware, type ExpressSsrMiddleware } from "../../adapters/express.js";
import {
  GREETING,
  META,
  PNG_NAMES,
  copySite,
  errorReport,
  imageBytes,
  removeSite,
  testId,
  writeAtomically,
  type ErrorReport,
} from "./site/fixture.js";

process.env.GATSBY_GREETING = GREETING;

const T = { timeout: 40_000 };

interface PngData {
  result: { data: { allFile: { totalCount: number; nodes: Array<{ name: string; publicURL: string }> } } };
}

describe("the starter site in development", () => {
  let root: string;
  let pages: ExpressSsrMiddleware;
  let server: Server;
  let origin: string;
  let tab: ClientRequest | undefined;
  /** What the listening tab heard so far. */
  let heard = "";
  const reports: ErrorReport[] = [];

  before(
    async () => {
      root = await copySite("gatsby-starter-dev-");
      pages = ssrMiddleware(path.join(root, "src", "pages"), {
        dev: true,
        onError: (error, info) => reports.push(errorReport(error, info)),
      });
      const app = express();
      app.use(pages);
      await pages.ready;
      ({ server, origin } = await listen(app as unknown as Parameters<typeof listen>[0]));
      // A tab listening, as in real use: rebuilds are then incremental (esbuild keeps its contexts),
      // and must still see the new config, query results and images.
      await new Promise<void>((resolve, reject) => {
        tab = httpGet(`${origin}/_ssr-pages/events`, (response) => {
          response.setEncoding("utf8");
          response.on("data", (chunk: string) => (heard += chunk));
          resolve();
        }).on("error", reject);
      });
    },
    { timeout: 120_000 },
  );

  after(async () => {
    tab?.destroy();
    await pages?.close();
    server?.closeAllConnections();
    server?.close();
    removeSite(root);
  });

  const get = (url: string) => request(origin).get(url);
  const pngData = async (): Promise<PngData["result"]["data"]["allFile"] | undefined> => {
    const res = await get("/page-data/png-files/page-data.json");
    return res.status === 200 ? (JSON.parse(res.text) as PngData).result.data.allFile : undefined;
  };

  it(
    "answers a page that queries allMarkdownRemark with a 500 naming the type and pointing at getServerData; every other page serves",
    T,
    async () => {
      const res = await get("/markdown/");
      assert.equal(res.status, 500);
      assert.match(res.text, /allMarkdownRemark/, "the dev error page names the type");
      assert.match(res.text, /getServerData/, "and says to use getServerData");
      for (const pagePath of ["/", "/page-2/", "/png-files/", "/page-query/", "/static-query/", "/using-typescript/"]) {
        const page = await get(pagePath);
        assert.equal(page.status, 200, `${pagePath}: ${page.text.slice(0, 300)}`);
      }
      assert.ok(
        reports.some((report) => report.message.includes("allMarkdownRemark")),
        "onError heard of it",
      );
    },
  );

  it("re-runs the queries when a PNG is added to src/images: the next requests list it", T, async () => {
    const first = await pngData();
    assert.ok(first, "the PNG page's data");
    assert.equal(first.totalCount, 3);
    assert.deepEqual(
      first.nodes.map((node) => node.name),
      [...PNG_NAMES],
    );
    writeAtomically(
      path.join(root, "src", "images", "added.png"),
      await imageBytes({ width: 24, height: 24, background: "#09f", format: "png" }),
    );
    const after = await poll(pngData, (value) => value?.totalCount === 4);
    assert.equal(after?.totalCount, 4, "allFile.totalCount within 10 s of the new file");
    assert.deepEqual(
      after?.nodes.map((node) => node.name),
      ["added", ...PNG_NAMES],
    );
    const html = await get("/png-files/");
    assert.equal(html.status, 200);
    assert.equal(testId(html.text, "png-count"), "4", "the HTML too");
    const added = after?.nodes.find((node) => node.name === "added");
    assert.ok(added?.publicURL, "the new file's publicURL");
    const file = await get(added.publicURL);
    assert.equal(file.status, 200, `GET ${added.publicURL}`);
    assert.match(String(file.headers["content-type"]), /^image\/png/);
  });

  it(
    "re-runs the queries when siteMetadata changes in gatsby-config.js: static and page queries show the new value",
    T,
    async () => {
      const before = await get("/page-2/");
      assert.equal(testId(before.text, "site-title"), META.title);
      const config = path.join(root, "gatsby-config.js");
      const text = readFileSync(config, "utf8");
      assert.ok(text.includes("title: `Starter Fixture`"), "the fixture's config has the title to edit");
      writeFileSync(config, text.replace("title: `Starter Fixture`", "title: `Starter Fixture, edited`"));
      const page = await poll(
        async () => testId((await get("/page-2/")).text, "site-title"),
        (title) => title === "Starter Fixture, edited",
      );
      assert.equal(page, "Starter Fixture, edited", "useStaticQuery's data within 10 s of the save");
      // The images of the new build are served too (each build plans its own variants).
      const home = await get("/");
      const image = /<img data-main-image=""[^>]*src="([^"]+)"/.exec(home.text)?.[1];
      assert.ok(image !== undefined, "the home page's StaticImage");
      assert.equal((await get(image.replace(/&amp;/g, "&"))).status, 200, `GET ${image} after the rebuild`);
      const query = await get("/page-data/page-query/page-data.json");
      assert.equal(query.status, 200);
      assert.equal(
        (JSON.parse(query.text) as { result: { data: { site: { siteMetadata: { title: string } } } } }).result.data.site
          .siteMetadata.title,
        "Starter Fixture, edited",
        "the page query's too",
      );
    },
  );

  it(
    "does not rebuild for a file the app writes into the site's root (a log, a database): only its gatsby-* files, configs and what the build read",
    T,
    async () => {
      const builds = () => heard.split("event: build").length - 1;
      await new Promise((resolve) => setTimeout(resolve, 500));
      const before = builds();
      writeFileSync(path.join(root, "server.log"), "a line the server logged\n");
      writeFileSync(path.join(root, "data.sqlite"), "not code");
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.equal(builds(), before, "no build for server.log or data.sqlite");
      assert.equal((await get("/page-2/")).status, 200);
    },
  );
});
