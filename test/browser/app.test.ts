// End-to-end, in Chromium: the README's "A real app" promises (styles, CSS modules, imported assets and
// withPrefix, environment variables, the 404 page, _app's layout, accessible navigation, errors in the
// browser), against the real-app fixture test/fixtures/app served by Express at the root and under /shop.
// Each test opens its own browser context and is bounded by a timeout.

import assert from "node:assert/strict";
import { setTimeout as delay } from "node:timers/promises";
import { after, before, describe, it, type TestOptions } from "node:test";
import type { Browser, Page } from "playwright-core";
import {
  duplicates,
  ENV,
  launchChromium,
  nextFrame,
  openApp,
  readMarker,
  setMarker,
  startAppServer,
  stylesheetLinks,
  waitUntil,
} from "./app-harness.js";
import type { AppServer, OpenedApp, Problem } from "./app-harness.js";

const T = { timeout: 30_000 };
const RED = "rgb(200, 10, 20)";
const ENTRY_CSS = /\/_ssr-pages\/entry-[^/]*\.css$/;
/** How long a page is watched for reloads that should not happen. */
const LOOP_WINDOW_MS = 1_500;

const BASES = [
  { base: "", label: "at the root" },
  { base: "/shop", label: "under /shop" },
] as const;

/**
 * Where a case runs. Under /shop a URL the mount path should be in and is not fails; at the root it
 * would pass unseen, so a case about the app's behaviour (styles, crashes and the full loads they
 * cause, the 404 page, the dev overlay) runs there. A case whose URLs are its subject (images,
 * withPrefix) runs at both; one whose subject no URL touches (CSS module names, env, the layout's
 * state, announcements) runs at the root, where most apps are. test/browser/navigation.test.ts covers the router at the root, and
 * test/conformance every answer under both.
 */
const SHOP = ["/shop"];
const ROOT = [""];
const BOTH = ["", "/shop"];

function show(problems: Problem[]): string {
  return JSON.stringify(
    problems.map((p) => `${p.type}: ${p.text}${p.url ? ` (${p.url})` : ""}`),
    null,
    1,
  );
}

/** Chromium logs every 4xx response as a console error; a 404 page-data answer is expected in some tests. */
function withoutExpected404s(problems: Problem[]): Problem[] {
  return problems.filter((p) => !(/^Failed to load resource: .*404/.test(p.text) && p.url.includes("/page-data/")));
}

async function textOf(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).textContent()) ?? "";
}

async function h1(page: Page, name: string): Promise<void> {
  await page.locator("h1", { hasText: new RegExp(`^${name}$`) }).waitFor();
}

async function cssOf(page: Page, selector: string, props: string[]): Promise<Record<string, string>> {
  return page.$eval(
    selector,
    (el, names) => {
      const style = getComputedStyle(el);
      return Object.fromEntries(names.map((n) => [n, style.getPropertyValue(n)]));
    },
    props,
  );
}

async function assertStyledPage(page: Page): Promise<void> {
  assert.equal(
    (await cssOf(page, "#styled-title", ["color"])).color,
    RED,
    "#styled-title is not styled by styled.module.css",
  );
  assert.deepEqual(
    await cssOf(page, ".styled-page", ["border-left-width", "border-left-style", "border-left-color"]),
    { "border-left-width": "5px", "border-left-style": "solid", "border-left-color": "rgb(0, 128, 0)" },
    ".styled-page is not styled by styled.css",
  );
}

/**
 * Watch #styled-title from now on: on every DOM mutation (a microtask after the commit, before any
 * paint) and on every animation frame, record its computed style whenever it is in the document and
 * visible. A sample without styled.module.css's color or styled.css's border is a flash of unstyled
 * content.
 */
async function watchForUnstyledContent(page: Page): Promise<void> {
  // A string, not a function: tsx compiles this file with esbuild's keepNames, whose __name helper
  // does not exist in the page.
  await page.evaluate(`(() => {
    window.__samples = 0;
    window.__unstyled = [];
    const check = (when) => {
      const title = document.getElementById("styled-title");
      const main = document.querySelector(".styled-page");
      if (!title || !title.isConnected || !main) return;
      if (!title.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return;
      window.__samples++;
      const color = getComputedStyle(title).color;
      const border = getComputedStyle(main).borderLeftWidth;
      if (color !== "${RED}" || border !== "5px") window.__unstyled.push(when + ": color " + color + ", border-left " + border);
    };
    new MutationObserver(() => check("mutation")).observe(document, { subtree: true, childList: true, attributes: true });
    const frame = () => {
      check("frame");
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  })()`);
}

async function unstyledSamples(page: Page): Promise<{ samples: number; unstyled: string[] }> {
  return page.evaluate(() => {
    const w = window as unknown as { __samples: number; __unstyled: string[] };
    return { samples: w.__samples, unstyled: w.__unstyled };
  });
}

/** The pathname of the first url(...) in a computed background-image. */
async function backgroundUrl(page: Page, selector: string): Promise<string> {
  const value = (await cssOf(page, selector, ["background-image"]))["background-image"] ?? "";
  const match = /url\("?([^")]+)"?\)/.exec(value);
  assert.ok(match?.[1], `${selector} has no background image: ${value}`);
  return match[1];
}

async function fetchText(url: string): Promise<{ status: number; body: string; type: string }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.text(), type: response.headers.get("content-type") ?? "" };
}

/** The announcer's text and the focused element's id, for failure messages. */
async function a11yState(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      `announcer: ${JSON.stringify(document.getElementById("___ssr-pages-announcer")?.textContent ?? null)}, ` +
      `title: ${JSON.stringify(document.title)}, activeElement: <${document.activeElement?.tagName.toLowerCase()} id="${document.activeElement?.id ?? ""}">`,
  );
}

async function waitAnnounced(page: Page): Promise<void> {
  await waitUntil(
    page,
    () =>
      document.getElementById("___ssr-pages-announcer")?.textContent === `Navigated to ${document.title}` &&
      document.activeElement?.id === "___ssr-pages",
    undefined,
    async () => `expected "Navigated to <title>" and focus on #___ssr-pages; ${await a11yState(page)}`,
  );
}

describe("a real app in the browser (README: styles, assets, env, 404, _app, a11y, errors)", () => {
  let prod: AppServer;
  let dev: AppServer;
  let browser: Browser;

  before(
    async () => {
      // Sequentially: both compile the same pages with esbuild.
      prod = await startAppServer({ dev: false });
      dev = await startAppServer({ dev: true });
      browser = await launchChromium();
    },
    { timeout: 90_000 },
  );

  after(
    async () => {
      await browser?.close();
      await prod?.close();
      await dev?.close();
    },
    { timeout: 15_000 },
  );

  const open = (path: string, hydration?: Parameters<typeof openApp>[3]): Promise<OpenedApp> =>
    openApp(prod, browser, path, hydration);

  for (const { base, label } of BASES) {
    describe(label, () => {
      const itAt = (bases: readonly string[], name: string, options: TestOptions, fn: () => Promise<void>): void => {
        if (bases.includes(base)) void it(name, options, fn);
      };
      itAt(
        SHOP,
        "styles: a navigation overtaken while its stylesheets load leaves none of them behind, nor applies them meanwhile",
        T,
        async () => {
          const { page, problems, close } = await open(`${base}/`);
          try {
            const homeSheets = await stylesheetLinks(page);
            await page.route(
              (url) => url.pathname.endsWith(".css"),
              async (route) => {
                await delay(800);
                await route.continue();
              },
            );
            await page.click("#to-styled");
            // While /styled's stylesheet loads, it is in the document but applies to nothing.
            await waitUntil(
              page,
              (count) => document.querySelectorAll('link[rel="stylesheet"]').length > count,
              homeSheets.length,
              async () => `no stylesheet started loading: ${(await stylesheetLinks(page)).join(", ")}`,
            );
            const loading = await page.evaluate(
              () =>
                [...document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')].filter(
                  (l) => l.media === "not all",
                ).length,
            );
            assert.equal(loading, 1, "the loading stylesheet is switched off");
            // Overtaken: the user follows another link before /styled could show.
            await page.click("#to-product");
            await page.locator("#product").waitFor();
            await delay(1200); // past the stylesheet's slow answer
            assert.deepEqual(await stylesheetLinks(page), homeSheets, "only _app's stylesheet, as before");
            assert.equal(new URL(page.url()).pathname, `${base}/products/kettle`);
            assert.deepEqual(problems, [], show(problems));
          } finally {
            await close();
          }
        },
      );

      itAt(
        SHOP,
        "styles: a Link shows /styled only once its stylesheets apply, never links one twice, drops the old page's, keeps _app's",
        T,
        async () => {
          const { page, problems, documents, close } = await open(`${base}/`);
          try {
            const homeSheets = await stylesheetLinks(page);
            const entry = homeSheets.find((h) => ENTRY_CSS.test(h));
            assert.ok(entry, `no _app stylesheet (entry-*.css) on ${base}/: ${homeSheets.join(", ")}`);
            assert.ok(entry.startsWith(`${base}/_ssr-pages/`), entry);
            assert.equal(await textOf(page, ".site-note"), "a plain page, styled by _app's stylesheet only");
            assert.equal((await cssOf(page, ".site-note", ["color"])).color, "rgb(1, 2, 3)");
            await setMarker(page);

            // A slow network for stylesheets, so that showing the page before its CSS has loaded would be seen.
            await page.route(
              (url) => url.pathname.endsWith(".css"),
              async (route) => {
                await delay(300);
                await route.continue();
              },
            );
            await watchForUnstyledContent(page);
            await page.click("#to-styled");
            await page.locator("#styled-title").waitFor();
            await page.waitForURL((url) => url.pathname === `${base}/styled`);
            await assertStyledPage(page);
            await nextFrame(page);
            const first = await unstyledSamples(page);
            assert.ok(first.samples > 0, "#styled-title was never sampled");
            assert.deepEqual(first.unstyled, [], "the page was shown before its stylesheets applied");

            const styledSheets = await stylesheetLinks(page);
            assert.deepEqual(duplicates(styledSheets), [], `a stylesheet linked twice: ${styledSheets.join(", ")}`);
            const pageSheets = styledSheets.filter((h) => !homeSheets.includes(h));
            assert.ok(pageSheets.length >= 1, `no stylesheet of /styled's own: ${styledSheets.join(", ")}`);
            assert.ok(styledSheets.includes(entry), "_app's stylesheet left on /styled");

            // Away: the old page's stylesheet goes once the new page is on screen, _app's stays.
            await page.click("#to-home");
            await h1(page, "Home");
            await waitUntil(
              page,
              (gone) => {
                const hrefs = [...document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')].map(
                  (l) => new URL(l.href).pathname,
                );
                return gone.every((h) => !hrefs.includes(h));
              },
              pageSheets,
              async () =>
                `/styled's stylesheets still linked on the home page: ${(await stylesheetLinks(page)).join(", ")}`,
            );
            const backHome = await stylesheetLinks(page);
            assert.deepEqual(
              backHome.filter((h) => h === entry),
              [entry],
              `_app's stylesheet on / after leaving /styled: ${backHome.join(", ")}`,
            );
            assert.equal((await cssOf(page, ".site-note", ["color"])).color, "rgb(1, 2, 3)");

            // And back again, by Link, then by history: each stylesheet linked once, the page styled at once.
            await watchForUnstyledContent(page);
            await page.click("#to-styled");
            await page.locator("#styled-title").waitFor();
            await assertStyledPage(page);
            await nextFrame(page);
            assert.deepEqual(
              (await unstyledSamples(page)).unstyled,
              [],
              "second visit: shown before its stylesheets applied",
            );
            let sheets = await stylesheetLinks(page);
            assert.deepEqual(duplicates(sheets), [], `second visit: a stylesheet linked twice: ${sheets.join(", ")}`);
            for (const h of [entry, ...pageSheets])
              assert.ok(sheets.includes(h), `second visit: ${h} missing (${sheets.join(", ")})`);

            await page.goBack();
            await h1(page, "Home");
            await page.goForward();
            await page.locator("#styled-title").waitFor();
            await assertStyledPage(page);
            sheets = await stylesheetLinks(page);
            assert.deepEqual(
              duplicates(sheets),
              [],
              `after back and forward: a stylesheet linked twice: ${sheets.join(", ")}`,
            );

            assert.equal(await readMarker(page), "same document", "the document was reloaded");
            assert.equal(documents.length, 1, `document requests: ${documents.join(", ")}`);
            assert.deepEqual(problems, [], show(problems));
          } finally {
            await close();
          }
        },
      );

      itAt(
        ROOT,
        "CSS modules: <file>_<hash>_<class> names, the same from the server, matching the loaded rules; no hydration warning",
        T,
        async () => {
          const serverHtml = (await fetchText(`${prod.origin}${base}/styled`)).body;
          const serverTitle = /<h1 id="styled-title" class="([^"]+)"/.exec(serverHtml)?.[1];
          const serverBox = /<div id="box" class="([^"]+)"/.exec(serverHtml)?.[1];
          assert.ok(serverTitle && serverBox, "no #styled-title / #box in the server HTML");
          // Another start of the middleware (the dev server) renders the same names.
          const devHtml = (await fetchText(`${dev.origin}${base}/styled`)).body;
          assert.match(
            devHtml,
            new RegExp(`<h1 id="styled-title" class="${serverTitle}"`),
            "class names differ between two starts",
          );

          const { page, problems, close } = await open(`${base}/styled`);
          try {
            const title = await page.getAttribute("#styled-title", "class");
            const box = await page.getAttribute("#box", "class");
            assert.equal(title, serverTitle, "the browser's class name differs from the server's");
            assert.equal(box, serverBox);
            assert.match(title ?? "", /^styled_[0-9a-zA-Z]+_title$/);
            const boxClasses = (box ?? "").split(/\s+/);
            assert.ok(
              boxClasses.some((c) => /^styled_[0-9a-zA-Z]+_box$/.test(c)),
              `#box classes: ${box}`,
            );
            assert.ok(
              boxClasses.some((c) => /^styled_[0-9a-zA-Z]+_base$/.test(c)),
              `#box lacks the composed base class: ${box}`,
            );
            const header = (await page.getAttribute("header", "class")) ?? "";

            // Every class in the DOM has a rule in a loaded stylesheet.
            const unmatched = await page.evaluate(
              (classes) => {
                const selectors: string[] = [];
                for (const sheet of [...document.styleSheets]) {
                  for (const rule of [...sheet.cssRules])
                    if (rule instanceof CSSStyleRule) selectors.push(rule.selectorText);
                }
                return classes.filter(
                  (c) =>
                    !selectors.some((s) =>
                      s.split(/[\s,>+~]+/).some((part) => part.split(/(?=[.#:[])/).includes(`.${c}`)),
                    ),
                );
              },
              [title ?? "", ...boxClasses, header],
            );
            assert.deepEqual(unmatched, [], "class names with no rule in the loaded stylesheets");

            assert.equal((await cssOf(page, "#styled-title", ["color"])).color, RED);
            assert.equal(
              (await cssOf(page, "#box", ["padding-top"]))["padding-top"],
              "7px",
              "composes: base did not apply",
            );
            assert.equal(
              (await cssOf(page, "header", ["border-bottom-color"]))["border-bottom-color"],
              "rgb(12, 34, 56)",
            );
            assert.deepEqual(problems, [], `console errors or warnings on a direct visit: ${show(problems)}`);
          } finally {
            await close();
          }
        },
      );

      itAt(BOTH, "images: the layout's #logo, the page's #stripes and the CSS url() backgrounds load", T, async () => {
        const { page, problems, responses, close } = await open(`${base}/styled`);
        try {
          for (const id of ["#logo", "#stripes"]) {
            await waitUntil(
              page,
              (sel) => {
                const img = document.querySelector<HTMLImageElement>(sel);
                return Boolean(img?.complete && img.naturalWidth > 0);
              },
              id,
              async () =>
                `${id} did not load: ${await page.$eval(id, (img: HTMLImageElement) => `src ${img.src}, complete ${img.complete}, naturalWidth ${img.naturalWidth}`)}`,
            );
          }
          for (const selector of ["header", "#box"]) {
            const url = await backgroundUrl(page, selector);
            const { pathname } = new URL(url, prod.origin);
            assert.ok(
              pathname.startsWith(`${base}/_ssr-pages/`),
              `${selector}'s background is not under ${base}/_ssr-pages/: ${url}`,
            );
            assert.match(pathname, /\.png$/);
            // The browser fetched it (a resource entry: by the CSS, or shared with an <img> of the same file) ...
            await waitUntil(
              page,
              (u) => performance.getEntriesByName(new URL(u, location.href).href).length > 0,
              url,
              async () =>
                `${selector}'s background ${url} was never fetched; responses: ${responses.map((r) => `${r.status} ${r.url}`).join(", ")}`,
            );
            const seen = responses.filter((r) => new URL(r.url).pathname === pathname);
            for (const r of seen) assert.equal(r.status, 200, `${r.url}`);
            // ... and it is a real image.
            const width = await page.evaluate(async (u) => {
              const img = new Image();
              img.src = u;
              await img.decode();
              return img.naturalWidth;
            }, url);
            assert.ok(width > 0, `${selector}'s background ${url} is not an image`);
          }
          assert.deepEqual(problems, [], show(problems));
        } finally {
          await close();
        }
      });

      itAt(
        ROOT,
        "env: PUBLIC_ and GATSBY_ values in the HTML and after hydration, others undefined, the secret in no browser file",
        T,
        async () => {
          const html = await fetchText(`${prod.origin}${base}/env`);
          assert.equal(html.status, 200);
          const { page, problems, requests, close } = await open(`${base}/env`);
          try {
            const expected = {
              "#public": ENV.PUBLIC_FIXTURE_GREETING,
              "#gatsby": ENV.GATSBY_FIXTURE_FLAG,
              "#secret": "undefined",
              "#destructured": "undefined",
              "#node-env": "production",
              "#server-saw": "true",
            };
            for (const [selector, value] of Object.entries(expected)) {
              assert.match(
                html.body,
                new RegExp(`<p id="${selector.slice(1)}">${value}</p>`),
                `server HTML ${selector}`,
              );
              assert.equal(await textOf(page, selector), value, `after hydration ${selector}`);
            }
            assert.deepEqual(problems, [], `hydration of /env: ${show(problems)}`);

            // A client render of /env shows the same.
            await page.click("#to-home");
            await h1(page, "Home");
            await page.click("#to-env");
            await h1(page, "Env");
            for (const [selector, value] of Object.entries(expected))
              assert.equal(await textOf(page, selector), value, `after a Link ${selector}`);

            // The secret is in nothing the browser was sent.
            const assets = [...new Set(requests.filter((u) => new URL(u).pathname.startsWith(`${base}/_ssr-pages/`)))];
            assert.ok(
              assets.some((u) => u.endsWith(".js")),
              `no scripts loaded? ${assets.join(", ")}`,
            );
            const checked = [
              `${prod.origin}${base}/env`,
              `${prod.origin}${base}/page-data/env/page-data.json`,
              ...assets,
            ];
            for (const url of checked) {
              const { body } = await fetchText(url);
              assert.ok(!body.includes(ENV.FIXTURE_SECRET), `FIXTURE_SECRET's value is in ${url}`);
            }
            assert.ok(!html.body.includes(ENV.FIXTURE_SECRET));
            assert.deepEqual(problems, [], show(problems));
          } finally {
            await close();
          }
        },
      );

      itAt(
        SHOP,
        "crash while hydrating (production): the server's HTML stays, no reload loop, its links load in full",
        T,
        async () => {
          const { page, documents, close } = await open(`${base}/crash`, "none");
          try {
            // Hydration has run once the page's module (named in the embedded page data) has loaded.
            const moduleUrl = await page.$eval(
              "#__SSR_PAGES_DATA__",
              (el) => JSON.parse(el.textContent ?? "{}").pageData?.module as string,
            );
            assert.ok(moduleUrl, "no page module in the page data");
            await waitUntil(
              page,
              (u) => performance.getEntriesByName(new URL(u, location.href).href).length > 0,
              moduleUrl,
              async () => `the page module ${moduleUrl} never loaded`,
            );
            await page.waitForLoadState("load");
            await page.waitForTimeout(LOOP_WINDOW_MS); // a window in which a reload loop would show
            assert.deepEqual(
              documents.map((u) => new URL(u).pathname),
              [`${base}/crash`],
              "reloaded",
            );
            const crash = page.locator("#crash");
            assert.equal(await crash.textContent(), "Server-rendered crash page");
            assert.ok(await crash.isVisible(), "#crash is not visible");
            assert.ok(await page.locator("#logo").isVisible(), "the layout is gone");
            assert.equal(await page.getAttribute("#to-home", "href"), `${base}/`);

            // Its links are real <a href>s: a full load.
            await setMarker(page);
            await page.click("#to-home");
            await page.waitForURL((url) => url.pathname === `${base}/`);
            await h1(page, "Home");
            assert.equal(await readMarker(page), undefined, "expected a full document load from the crashed page");
            assert.equal(documents.length, 2, documents.join(", "));
          } finally {
            await close();
          }
        },
      );

      itAt(
        SHOP,
        "crash after a client navigation: a full load of the URL, the page still visible, no loop",
        T,
        async () => {
          const { page, documents, close } = await open(`${base}/crash-nav/`, "crash-nav");
          try {
            await setMarker(page);
            await page.click("#to-crash");
            await page.waitForURL((url) => url.pathname === `${base}/crash-nav/crash`);
            await page.locator("#crash").waitFor();
            await page.waitForLoadState("load");
            await page.waitForTimeout(LOOP_WINDOW_MS); // a window in which a reload loop would show
            assert.equal(new URL(page.url()).pathname, `${base}/crash-nav/crash`);
            assert.equal(await page.locator("#crash").textContent(), "Server-rendered crash page");
            assert.ok(await page.locator("#crash").isVisible());
            assert.equal(await readMarker(page), undefined, "expected a full load of /crash");
            assert.deepEqual(
              documents.map((u) => new URL(u).pathname),
              [`${base}/crash-nav/`, `${base}/crash-nav/crash`],
              "document requests",
            );
          } finally {
            await close();
          }
        },
      );

      itAt(
        SHOP,
        "crash while hydrating (development): an overlay shows the error and a stack over the server's HTML",
        T,
        async () => {
          const { page, documents, close } = await openApp(dev, browser, `${base}/crash`, "none");
          try {
            await waitUntil(
              page,
              () =>
                /crash\.tsx threw in the browser/.test(
                  document.getElementById("___ssr-pages-error-overlay")?.shadowRoot?.textContent ?? "",
                ),
              undefined,
              async () =>
                page.evaluate(() => {
                  const el = document.getElementById("___ssr-pages-error-overlay");
                  if (!el) return "no #___ssr-pages-error-overlay";
                  if (!el.shadowRoot)
                    return `#___ssr-pages-error-overlay has no open shadow root; light DOM: ${el.textContent}`;
                  return `overlay without the message: ${el.shadowRoot.textContent}`;
                }),
            );
            const overlay = await page.evaluate(() => {
              const el = document.getElementById("___ssr-pages-error-overlay")!;
              const box = el.getBoundingClientRect();
              return {
                text: el.shadowRoot?.textContent ?? "",
                visible: el.checkVisibility() && box.width > 0 && box.height > 0,
              };
            });
            assert.ok(overlay.visible, "the overlay is not visible");
            assert.match(overlay.text, /crash\.tsx threw in the browser/);
            // A stack, naming the component that threw (minified names are not the point: this is dev).
            assert.match(overlay.text, /\n\s*at Crash\b/, `no stack naming Crash in the overlay: ${overlay.text}`);
            assert.equal(
              await page.locator("#crash").textContent(),
              "Server-rendered crash page",
              "the server's HTML is gone",
            );
            await page.waitForTimeout(LOOP_WINDOW_MS); // a window in which a reload loop would show
            assert.equal(documents.length, 1, `document requests: ${documents.join(", ")}`);
          } finally {
            await close();
          }
        },
      );

      itAt(
        SHOP,
        "404 page through Link: rendered in place with the page data's 404, title 'Not found'",
        T,
        async () => {
          const { page, problems, documents, close } = await open(`${base}/`);
          try {
            await setMarker(page);
            for (const [link, path] of [
              ["#to-gone", "/products/gone"],
              ["#to-missing", "/products/missing"],
            ] as const) {
              const data = page.waitForResponse(
                (r) => new URL(r.url()).pathname === `${base}/page-data${path}/page-data.json`,
              );
              await page.click(link);
              const response = await data;
              assert.equal(response.status(), 404, `${path} page data`);
              if (path === "/products/missing")
                assert.equal(response.headers()["cache-control"], "public, max-age=30", "the page's own headers");
              await h1(page, "Page not found");
              await page.waitForURL((url) => url.pathname === `${base}${path}`);
              assert.equal(
                await textOf(page, "#missing-path"),
                `${base}${path}`,
                "the 404 page's location, with the mount path as the address bar has it",
              );
              await waitUntil(
                page,
                () => document.title === "Not found",
                undefined,
                async () => `title: ${await page.title()}`,
              );
              assert.equal(
                (await cssOf(page, ".not-found h1", ["color"])).color,
                "rgb(0, 0, 190)",
                "the 404 page's stylesheet",
              );
              assert.ok(await page.locator("#logo").isVisible(), "the 404 page is inside _app's layout");
              assert.equal(await readMarker(page), "same document", `${link}: the document was reloaded`);
            }
            assert.equal(documents.length, 1, `document requests: ${documents.join(", ")}`);
            const rest = withoutExpected404s(problems);
            assert.deepEqual(rest, [], show(rest));
          } finally {
            await close();
          }
        },
      );

      itAt(ROOT, "_app's layout keeps its state across Links and history.back()", T, async () => {
        const { page, problems, documents, close } = await open(`${base}/`);
        try {
          const cart = page.locator("#add");
          await cart.click();
          await cart.click();
          await page.locator("#add", { hasText: /^cart: 2$/ }).waitFor();
          await page.click("#to-styled");
          await page.locator("#styled-title").waitFor();
          assert.equal(await cart.textContent(), "cart: 2", "on /styled");
          await page.click("#to-env");
          await h1(page, "Env");
          assert.equal(await cart.textContent(), "cart: 2", "on /env");
          await page.evaluate(() => history.back());
          await page.locator("#styled-title").waitFor();
          await page.waitForURL((url) => url.pathname === `${base}/styled`);
          assert.equal(await cart.textContent(), "cart: 2", "back on /styled");
          await page.evaluate(() => history.back());
          await h1(page, "Home");
          assert.equal(await cart.textContent(), "cart: 2", "back on /");
          assert.equal(documents.length, 1, `document requests: ${documents.join(", ")}`);
          assert.deepEqual(problems, [], show(problems));
        } finally {
          await close();
        }
      });

      itAt(
        ROOT,
        "accessible navigation: 'Navigated to <title>' and focus on #___ssr-pages, after a Link and after back",
        T,
        async () => {
          const { page, problems, close } = await open(`${base}/`);
          try {
            await page.click("#to-styled");
            await page.locator("#styled-title").waitFor();
            await waitAnnounced(page);
            assert.equal(await textOf(page, "#___ssr-pages-announcer"), "Navigated to Styled page");
            assert.ok(
              await page.getAttribute("#___ssr-pages-announcer", "aria-live"),
              "the announcer is not an aria-live region",
            );

            await page.click("#to-env");
            await h1(page, "Env");
            await waitAnnounced(page);

            await page.evaluate(() => history.back());
            await page.locator("#styled-title").waitFor();
            await waitAnnounced(page);
            assert.equal(await textOf(page, "#___ssr-pages-announcer"), "Navigated to Styled page");

            await page.evaluate(() => history.back());
            await h1(page, "Home");
            await waitAnnounced(page);
            assert.equal(await textOf(page, "#___ssr-pages-announcer"), "Navigated to Fixture shop");

            await page.evaluate(() => history.forward());
            await page.locator("#styled-title").waitFor();
            await waitAnnounced(page);
            assert.deepEqual(problems, [], show(problems));
          } finally {
            await close();
          }
        },
      );

      itAt(
        BOTH,
        "withPrefix: imported asset URLs carry the mount path, in the server HTML and after a client render",
        T,
        async () => {
          const prefix = `${base}/_ssr-pages/`;
          const html = (await fetchText(`${prod.origin}${base}/styled`)).body;
          assert.match(html, new RegExp(`<img id="logo" src="${prefix}logo-[^"]+\\.png"`));
          assert.match(html, new RegExp(`<img id="stripes" src="${prefix}stripes-[^"]+\\.png"`));
          const { page, problems, close } = await open(`${base}/`);
          try {
            const logo = (await page.getAttribute("#logo", "src")) ?? "";
            assert.ok(logo.startsWith(prefix), `#logo src ${logo}`);
            const icon = (await page.getAttribute('link[rel="icon"]', "href")) ?? "";
            assert.ok(icon.startsWith(prefix), `_app's icon href ${icon}`);
            await page.click("#to-styled");
            await page.locator("#stripes").waitFor();
            const stripes = (await page.getAttribute("#stripes", "src")) ?? "";
            assert.ok(stripes.startsWith(prefix), `#stripes src after a Link: ${stripes}`);
            assert.ok(((await page.getAttribute("#logo", "src")) ?? "").startsWith(prefix));
            assert.deepEqual(problems, [], show(problems));
          } finally {
            await close();
          }
        },
      );
    });
  }

  it("development: the secret is in none of the browser files, source maps included", T, async () => {
    const { page, requests, close } = await openApp(dev, browser, "/env");
    try {
      assert.equal(await textOf(page, "#secret"), "undefined");
      assert.equal(await textOf(page, "#node-env"), "development");
      const assets = [
        ...new Set(
          requests.filter(
            (u) => new URL(u).pathname.startsWith("/_ssr-pages/") && new URL(u).pathname !== "/_ssr-pages/events",
          ),
        ),
      ]; // the dev event stream is no file: it never ends
      const maps: string[] = [];
      for (const url of [`${dev.origin}/env`, ...assets]) {
        const { body } = await fetchText(url);
        assert.ok(!body.includes(ENV.FIXTURE_SECRET), `FIXTURE_SECRET's value is in ${url}`);
        const map = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(body)?.[1];
        if (map && !map.startsWith("data:")) maps.push(new URL(map, url).href);
        if (map?.startsWith("data:"))
          assert.ok(
            !Buffer.from(map.split(",")[1] ?? "", "base64")
              .toString()
              .includes(ENV.FIXTURE_SECRET),
            `inline map of ${url}`,
          );
      }
      for (const url of maps) {
        const { status, body } = await fetchText(url);
        if (status === 200) assert.ok(!body.includes(ENV.FIXTURE_SECRET), `FIXTURE_SECRET's value is in ${url}`);
      }
    } finally {
      await close();
    }
  });
});
