/**
 * The starter fixture site in Chromium, through Express at the root and under /shop: pages hydrate
 * without a warning, gatsby-plugin-image's images load in the format the browser picks and every
 * variant decodes, placeholders fade out, a client navigation with Link reaches pages with a static
 * query, a page query and a queried GatsbyImage without a full load, plugins' browser APIs run with
 * their options in config order, `location.pathname` carries the mount path, and `process.env` in a
 * component is what the spec says.
 */
import assert from "node:assert/strict";
import type { Server } from "node:http";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { launchChromium, listen, openRecorded, recordProblems } from "../browser/harness.js";
import { BANNER_TEXT, GREETING, META, PAGES, expressApp, makeImages, srcset } from "./site/fixture.js";

process.env.GATSBY_GREETING = GREETING;

const T = { timeout: 30_000 };

interface PictureReport {
  currentSrc: string;
  complete: boolean;
  naturalWidth: number;
  sources: Array<{ type: string; urls: string[] }>;
  fallback: string[];
}

interface Decoded {
  type: string;
  url: string;
  descriptor: string;
  naturalWidth: number;
  error?: string;
}

describe("the starter site in Chromium", () => {
  let server: Server;
  let origin: string;
  let browser: Browser;
  const reports: string[] = [];

  before(
    async () => {
      await makeImages();
      const { app, pages } = expressApp(PAGES, {
        dev: false,
        onError: (error) => reports.push(error instanceof Error ? error.message : String(error)),
      });
      await pages.ready;
      ({ server, origin } = await listen(app));
      browser = await launchChromium();
    },
    { timeout: 120_000 },
  );

  after(async () => {
    await browser?.close();
    server?.closeAllConnections();
    server?.close();
  });

  /** Opens `path` in a page of its own and waits until the layout's effects ran (the page hydrated). */
  async function open(path: string) {
    const problems: string[] = [];
    const opened = await openRecorded(browser, origin + path, recordProblems(problems), (page) =>
      page.waitForSelector("nav[data-hydrated]", { state: "attached" }).then(() => undefined),
    );
    return { ...opened, problems };
  }

  /** Scrolls each image into view, waits until every one has loaded, and reports what the browser chose. */
  async function loadedPictures(page: Page, scope = "body"): Promise<PictureReport[]> {
    for (const wrapper of await page.$$(`${scope} [data-gatsby-image-wrapper]`)) await wrapper.scrollIntoViewIfNeeded();
    await page.waitForFunction(
      (selector) => {
        const images = [
          ...document.querySelectorAll<HTMLImageElement>(`${selector} [data-gatsby-image-wrapper] picture img`),
        ];
        return images.length > 0 && images.every((img) => img.complete && img.naturalWidth > 0);
      },
      scope,
      { timeout: 10_000 },
    );
    // No named functions inside evaluate: tsx's keepNames would wrap them in a `__name` the page does not have.
    const raw = await page.evaluate((selector) => {
      return [...document.querySelectorAll<HTMLPictureElement>(`${selector} [data-gatsby-image-wrapper] picture`)].map(
        (picture) => {
          const img = picture.querySelector("img") as HTMLImageElement;
          return {
            currentSrc: img.currentSrc,
            complete: img.complete,
            naturalWidth: img.naturalWidth,
            sources: [...picture.querySelectorAll("source")].map((source) => ({
              type: source.type,
              srcset: source.getAttribute("srcset") ?? "",
            })),
            srcset: img.getAttribute("srcset") ?? "",
            src: img.getAttribute("src") ?? "",
            href: location.href,
          };
        },
      );
    }, scope);
    const urls = (value: string, base: string) => srcset(value).map((candidate) => new URL(candidate.url, base).href);
    return raw.map((picture) => ({
      currentSrc: picture.currentSrc,
      complete: picture.complete,
      naturalWidth: picture.naturalWidth,
      sources: picture.sources.map((source) => ({ type: source.type, urls: urls(source.srcset, picture.href) })),
      fallback: urls(picture.srcset, picture.href).concat(picture.src ? [new URL(picture.src, picture.href).href] : []),
    }));
  }

  /** Chromium takes AVIF: the chosen candidate is one of the first source's. */
  function checkChosen(pictures: PictureReport[], label: string): void {
    assert.ok(pictures.length > 0, `${label}: no picture`);
    for (const picture of pictures) {
      assert.ok(picture.naturalWidth > 0, `${label}: ${picture.currentSrc} did not load`);
      const first = picture.sources[0];
      const expected = first ? first.urls : picture.fallback;
      assert.ok(
        expected.includes(picture.currentSrc),
        `${label}: chose ${picture.currentSrc}, not one of ${first?.type ?? "the fallback"}'s ${expected.join(", ")}`,
      );
    }
  }

  /** Waits until every placeholder on the page has faded to opacity 0. */
  async function placeholdersFaded(page: Page, scope = "body"): Promise<void> {
    await page.waitForFunction(
      (selector) => {
        const placeholders = [
          ...document.querySelectorAll(`${selector} [data-gatsby-image-wrapper] [data-placeholder-image]`),
        ];
        return placeholders.length > 0 && placeholders.every((element) => getComputedStyle(element).opacity === "0");
      },
      scope,
      { timeout: 10_000 },
    );
  }

  /** Loads every candidate of every <source> and fallback in the browser, and reads the size it decoded. */
  function decodeEveryVariant(page: Page): Promise<Decoded[]> {
    return page.evaluate(async () => {
      const out: Decoded[] = [];
      for (const picture of document.querySelectorAll("[data-gatsby-image-wrapper] picture")) {
        const sets = [...picture.querySelectorAll("source")].map((source) => ({
          type: source.type,
          srcset: source.getAttribute("srcset") ?? "",
        }));
        sets.push({ type: "fallback", srcset: picture.querySelector("img")?.getAttribute("srcset") ?? "" });
        for (const set of sets) {
          for (const part of set.srcset.split(/,\s+/).filter(Boolean)) {
            const [url = "", descriptor = ""] = part.trim().split(/\s+/);
            const image = new Image();
            image.src = url;
            try {
              await image.decode();
              out.push({ type: set.type, url, descriptor, naturalWidth: image.naturalWidth });
            } catch (error) {
              out.push({ type: set.type, url, descriptor, naturalWidth: 0, error: String(error) });
            }
          }
        }
      }
      return out;
    });
  }

  for (const base of ["", "/shop"]) {
    const where = base ? " under /shop" : "";

    it(
      `hydrates the home page without a warning (StaticImages load in the format Chromium takes, placeholders fade), then follows Link to a StaticQuery, a page query and a queried GatsbyImage without a full load${where}`,
      T,
      async () => {
        const { page, problems, documents, close } = await open(`${base}/`);
        try {
          checkChosen(await loadedPictures(page), "home");
          await placeholdersFaded(page);
          assert.deepEqual(problems, [], "hydration");
          await page.evaluate(() => ((window as { __sameDocument?: boolean }).__sameDocument = true));
          await page.click("#nav-static-query");
          await page
            .locator('[data-testid="static-query"]', { hasText: `${META.description} (by ${META.author})` })
            .waitFor();
          assert.equal(new URL(page.url()).pathname, `${base}/static-query/`);
          await page.click("#nav-page-query");
          await page.locator('[data-testid="pq-title"]', { hasText: META.title }).waitFor();
          assert.equal(await page.textContent('[data-testid="pq-twitter"]'), META.twitter);
          await page.click("#nav-photo");
          await page.locator('[data-testid="queried"] [data-gatsby-image-wrapper]').waitFor();
          checkChosen(await loadedPictures(page, '[data-testid="queried"]'), "the photo after a client navigation");
          await placeholdersFaded(page, '[data-testid="queried"]');
          assert.equal(
            await page.evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument),
            true,
            "the same document",
          );
          assert.deepEqual(documents, [`${origin}${base}/`], "no full load");
          assert.deepEqual(problems, []);
        } finally {
          await close();
        }
      },
    );

    it(
      `decodes every variant of the photo page in each format (AVIF, WebP, JPEG) at its advertised width${where}`,
      T,
      async () => {
        const { page, problems, close } = await open(`${base}/photo/`);
        try {
          checkChosen(await loadedPictures(page), "photo");
          await placeholdersFaded(page);
          const decoded = await decodeEveryVariant(page);
          const types = new Set(decoded.map((entry) => entry.type));
          for (const type of ["image/avif", "image/webp", "fallback"])
            assert.ok(types.has(type), `variants of ${type}: ${[...types].join(", ")}`);
          for (const entry of decoded) {
            assert.equal(entry.error, undefined, `${entry.type} ${entry.url} did not decode: ${entry.error}`);
            const width = /^(\d+)w$/.exec(entry.descriptor)?.[1];
            if (width) assert.equal(entry.naturalWidth, Number(width), `${entry.url} is ${entry.descriptor}`);
            else assert.ok(entry.naturalWidth > 0, `${entry.url}`);
          }
          assert.deepEqual(problems, []);
        } finally {
          await close();
        }
      },
    );

    it(
      `gives pages and wrapPageElement location.pathname with the mount (a direct visit hydrates without a mismatch; a client navigation too), and runs the plugin's and the site's onRouteUpdate in config order with the plugin's options${where}`,
      T,
      async () => {
        const { page, problems, documents, close } = await open(`${base}/page-2/`);
        try {
          assert.equal(await page.textContent('[data-testid="location"]'), `${base}/page-2/`);
          assert.equal(await page.getAttribute("[data-banner-path]", "data-banner-path"), `${base}/page-2/`);
          assert.deepEqual(problems, [], "hydration of a direct visit");
          await page.click("#nav-home");
          await page.locator('[data-testid="hero"]').waitFor();
          assert.equal(await page.getAttribute("[data-site-path]", "data-site-path"), `${base}/`);
          await page.click("#nav-page-2");
          await page.locator('[data-testid="location"]', { hasText: `${base}/page-2/` }).waitFor();
          assert.equal(await page.textContent('[data-testid="location"]'), `${base}/page-2/`);
          assert.equal(
            await page.getAttribute("[data-banner-path]", "data-banner-path"),
            `${base}/page-2/`,
            "the plugin's wrapPageElement",
          );
          assert.equal(
            await page.getAttribute("[data-site-path]", "data-site-path"),
            `${base}/page-2/`,
            "the site's wrapPageElement",
          );
          assert.match((await page.textContent('[data-testid="path"]')) ?? "", /^\/page-2\/?$/, "path stays the route");
          await page.waitForFunction(
            () =>
              ((window as { __hookOrder?: string[] }).__hookOrder ?? []).filter((entry) => entry.endsWith("/page-2/"))
                .length >= 4,
          );
          const hooks = await page.evaluate(() => {
            const w = window as { __routes?: string[]; __bannerText?: string; __hookOrder?: string[] };
            return { routes: w.__routes ?? [], text: w.__bannerText, order: w.__hookOrder ?? [] };
          });
          assert.equal(hooks.text, BANNER_TEXT, "the plugin's options reach gatsby-browser");
          assert.equal(hooks.routes.length, 3, `one onRouteUpdate per page shown: ${hooks.routes.join(", ")}`);
          assert.ok(
            hooks.routes[0]?.endsWith("/page-2/") &&
              hooks.routes[1]?.endsWith("/") &&
              hooks.routes[2]?.endsWith("/page-2/"),
            `window.__routes: ${hooks.routes.join(", ")}`,
          );
          assert.equal(hooks.order.length, 6, `hooks: ${hooks.order.join(", ")}`);
          for (let i = 0; i < 6; i += 2) {
            assert.match(
              hooks.order[i] ?? "",
              /^banner /,
              `the plugin's onRouteUpdate first: ${hooks.order.join(", ")}`,
            );
            assert.equal(
              hooks.order[i + 1],
              hooks.order[i]?.replace(/^banner /, "site "),
              `then the site's, for the same location: ${hooks.order.join(", ")}`,
            );
          }
          assert.equal(documents.length, 1, `full loads: ${documents.join(", ")}`);
          assert.deepEqual(problems, []);
        } finally {
          await close();
        }
      },
    );

    it(
      `shows process.env as {} and GATSBY_GREETING's value in the browser, with no hydration mismatch${where}`,
      T,
      async () => {
        const { page, problems, close } = await open(`${base}/env/`);
        try {
          assert.equal(await page.textContent('[data-testid="env-json"]'), "{}");
          assert.equal(await page.textContent('[data-testid="env-greeting"]'), GREETING);
          assert.equal(
            await page.textContent('[data-testid="env-destructured"]'),
            GREETING,
            "const { GATSBY_X } = process.env reads the same value on both sides",
          );
          assert.deepEqual(problems, []);
        } finally {
          await close();
        }
      },
    );
  }
});
