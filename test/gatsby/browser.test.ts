/**
 * The Gatsby-style site in Chromium: it hydrates without an error, Gatsby's `Link` moves its
 * `activeClassName` with the page, `window.___navigate` (which Gatsby's own e2e tests drive) changes
 * the query and the page's data follows, gatsby-browser.js's wrappers and hooks run, an inline
 * `Script` runs once, and `Link`'s `state` reaches `location.state`.
 */
import assert from "node:assert/strict";
import type { Server } from "node:http";
import { after, before, describe, it } from "node:test";
import express from "express";
import type { Browser, Page } from "playwright-core";
import { ssrMiddleware } from "../../adapters/express.js";
import { launchChromium, listen, openRecorded, recordProblems } from "../browser/harness.js";
import { installPackages, PAGES, SECRET } from "./site.js";

installPackages();
process.env.VERY_SECRET_VAR = SECRET;

const T = { timeout: 20_000 };

describe("Gatsby pages in the browser", () => {
  let server: Server;
  let origin: string;
  let browser: Browser;

  before(
    async () => {
      const pages = ssrMiddleware(PAGES, { dev: false, onError: () => undefined });
      const app = express();
      app.use("/shop", pages);
      app.use(pages);
      await pages.ready;
      ({ server, origin } = await listen(app));
      browser = await launchChromium();
    },
    { timeout: 90_000 },
  );

  after(async () => {
    await browser?.close();
    server?.closeAllConnections();
    server?.close();
  });

  /** Opens `path`, waits for gatsby-browser's onInitialClientRender (the page has hydrated). */
  async function open(path: string) {
    const problems: string[] = [];
    const opened = await openRecorded(browser, origin + path, recordProblems(problems), (page) =>
      page
        .waitForFunction(() =>
          (window as { __gatsbyHooks?: string[] }).__gatsbyHooks?.includes("onInitialClientRender"),
        )
        .then(() => undefined),
    );
    return { ...opened, problems };
  }

  const documentAttributes = (page: Page): Promise<[string, string]> =>
    page.evaluate(() => [document.documentElement.lang, document.body.className]);
  const hooks = (page: Page): Promise<string[]> =>
    page.evaluate(() => [...((window as { __gatsbyHooks?: string[] }).__gatsbyHooks ?? [])]);

  for (const base of ["", "/shop"]) {
    it(
      `hydrates without an error, with gatsby-browser's wrappers and hooks${base ? " under /shop" : ""}`,
      T,
      async () => {
        const { page, problems, close } = await open(`${base}/`);
        try {
          assert.equal(await page.getAttribute("[data-theme]", "data-theme"), "dark", "wrapRootElement");
          // The hooks get the browser's location, the mount path included, as Gatsby's get its path prefix.
          assert.deepEqual(await hooks(page), [
            "onClientEntry",
            "onInitialClientRender",
            `onRouteUpdate ${base}/ from null`,
          ]);
          // The page is live: a state update through the layout.
          await page.click("#layout-clicks");
          await page.locator("#layout-clicks", { hasText: "clicks: 1" }).waitFor();
          assert.deepEqual(problems, []);
        } finally {
          await close();
        }
      },
    );

    it(
      `moves Link's activeClassName with the page, keeps the layout's state, and runs an inline Script once${base ? " under /shop" : ""}`,
      T,
      async () => {
        const { page, problems, documents, close } = await open(`${base}/`);
        try {
          assert.equal(await page.getAttribute("#nav-home", "class"), "active");
          assert.equal(
            await page.evaluate(() => (window as { __inlineRuns?: number }).__inlineRuns),
            1,
            "the inline Script ran after hydration",
          );
          await page.click("#layout-clicks");
          await page.click("#nav-static");
          await page.waitForURL((url) => url.pathname === `${base}/ssr/static-path/`);
          await page.locator("#nav-static.active").waitFor();
          assert.equal(await page.getAttribute("#nav-home", "class"), null);
          assert.equal(await page.getAttribute("#nav-ssr", "class"), "active", "partiallyActive");
          assert.equal(
            await page.evaluate(() => getComputedStyle(document.querySelector("#nav-static") as Element).fontWeight),
            "700",
            "activeStyle",
          );
          assert.equal(await page.textContent("#layout-clicks"), "clicks: 1", "the layout kept its state");
          assert.deepEqual(
            await documentAttributes(page),
            ["de", "static-body"],
            "the Head's <html lang> and <body className>",
          );
          await page.click("#nav-home");
          await page.locator("#nav-home.active").waitFor();
          assert.deepEqual(await documentAttributes(page), ["fr", "gatsby-body"], "onRenderBody's again");
          assert.equal(
            await page.evaluate(() => (window as { __inlineRuns?: number }).__inlineRuns),
            1,
            "the inline Script ran once, though its page was shown again",
          );
          assert.deepEqual((await hooks(page)).slice(-2), [
            `onRouteUpdate ${base}/ssr/static-path/ from ${base}/`,
            `onRouteUpdate ${base}/ from ${base}/ssr/static-path/`,
          ]);
          assert.equal(documents.length, 1, `full loads: ${documents.join(", ")}`);
          assert.deepEqual(problems, []);
        } finally {
          await close();
        }
      },
    );

    it(
      `window.___navigate changes the query and the page shows the data of each${base ? " under /shop" : ""}`,
      T,
      async () => {
        const { page, problems, documents, close } = await open(`${base}/ssr/static-path/`);
        try {
          const query = () => page.textContent('[data-testid="query"]');
          assert.equal(await query(), "{}");
          assert.deepEqual(await documentAttributes(page), ["de", "static-body"]);
          for (const [to, expected] of [
            ["/ssr/static-path/?foo=bar", '{"foo":"bar"}'],
            ["/ssr/static-path/?foo=baz", '{"foo":"baz"}'],
            ["/ssr/static-path/", "{}"],
          ] as const) {
            await page.evaluate(
              (target) => (window as unknown as { ___navigate: (to: string) => Promise<void> }).___navigate(target),
              to,
            );
            await page.locator('[data-testid="query"]', { hasText: expected }).waitFor();
            assert.equal(new URL(page.url()).search, new URL(to, "http://x").search);
          }
          await page.click("#nav-home");
          await page.locator("#nav-home.active").waitFor();
          assert.deepEqual(
            await documentAttributes(page),
            ["fr", "gatsby-body"],
            "put back from what the server said they were",
          );
          assert.equal(documents.length, 1);
          assert.deepEqual(problems, []);
        } finally {
          await close();
        }
      },
    );
  }

  it("gives the page Link's state as location.state, and navigate() from a button works", T, async () => {
    const { page, problems, close } = await open("/");
    try {
      await page.click("#nav-styled");
      await page.locator("#carousel").waitFor();
      assert.equal(await page.textContent("#state"), '{"from":"nav"}');
      assert.equal(
        await page.evaluate(() => getComputedStyle(document.querySelector("#carousel") as Element).color),
        "rgb(1, 122, 1)",
        "the package's stylesheet applies after a client navigation",
      );
      await page.goBack();
      await page.locator("#navigate").click();
      await page.locator('[data-testid="params"]', { hasText: '{"param":"from-navigate"}' }).waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });
});
