/**
 * Issue 19 in Chromium, over Express (at the root, in production) and Koa (koa-mount at /shop, in
 * development, where React reports hydration mismatches): the computed styles of the Tailwind, Sass,
 * Sass-module, styled-components and emotion pages on a direct visit, after a Link navigation and
 * with JavaScript off (styles in the server HTML: no flash of unstyled content); no console error or
 * warning; and good pages beside broken ones (in one pages directory) load their scripts, hydrate
 * and navigate, while the broken ones answer 500.
 *
 * Run: node --import tsx --test test/styles/browser.test.ts (from the repository root).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { launchChromium, newTestPage, releaseTestPage } from "../browser/harness.js";
import {
  ISOLATION_PAGES,
  MAIN_PAGES,
  makeHost,
  removeDir,
  repoTempDir,
  serve,
  writePackagesApp,
  errorText,
  type AdapterName,
  type Host,
} from "./helpers.js";

const T = { timeout: 30_000 };
const HOOK = { timeout: 60_000 };

interface Check {
  selector: string;
  property: string;
  expected: string | RegExp;
}

const c = (selector: string, property: string, expected: string | RegExp): Check => ({ selector, property, expected });

const INK = "rgb(12, 34, 56)";
const ACCENT = "rgb(101, 67, 33)";

/** What each page must look like, and the element that says it is on screen. */
const PAGES: { path: string; link: string; ready: string; checks: Check[] }[] = [
  {
    path: "/tailwind",
    link: "#to-tailwind",
    ready: "#tw-title",
    checks: [
      c("#tw-title", "color", INK),
      c("#tw-button", "background-color", INK),
      c("#tw-button", "border-top-left-radius", "7px"),
      c("#tw-badge", "margin-top", "19px"),
      c("#tw-badge", "letter-spacing", "3px"),
      c("#plain", "text-decoration-line", "underline"),
      c("#panel", "padding-top", "13px"),
      c("#panel", "border-top-style", "dotted"),
      c("#site-header", "border-bottom-width", "6px"),
    ],
  },
  {
    path: "/sass",
    link: "#to-sass",
    ready: "#sass-title",
    checks: [
      c("#sass-box", "color", ACCENT),
      c("#sass-box", "padding-top", "11px"),
      c("#sass-box", "border-top-width", "3px"),
      c("#sass-box .inner", "font-weight", "700"),
      c("#banner", "background-image", /url\("?[^")]*\/_ssr-pages\/[^")]*dot-[\w-]+\.png"?\)/),
      c("#indented", "font-style", "italic"),
      c("#indented", "margin-left", "22px"),
    ],
  },
  {
    path: "/sass-module",
    link: "#to-sass-module",
    ready: "#card-title",
    checks: [
      c("#card-title", "color", ACCENT),
      c("#card-title", "letter-spacing", "5px"),
      c("#card-body", "padding-left", "15px"),
      c("#note", "color", "rgb(33, 99, 66)"),
      c("#note", "text-transform", "uppercase"),
    ],
  },
  {
    path: "/styled",
    link: "#to-styled",
    ready: "#sc-title",
    checks: [
      c("#sc-title", "color", "rgb(150, 20, 90)"),
      c("#sc-title", "letter-spacing", "2px"),
      c("#sc-box", "width", "321px"),
    ],
  },
  {
    path: "/emotion",
    link: "#to-emotion",
    ready: "#em-title",
    checks: [c("#em-title", "color", "rgb(20, 140, 70)"), c("#em-title", "padding-top", "6px")],
  },
];

/** The checks that fail on `page`, as text. */
async function failedChecks(page: Page, checks: Check[]): Promise<string[]> {
  const failures: string[] = [];
  for (const check of checks) {
    const actual = await page
      .$eval(check.selector, (el, property) => getComputedStyle(el).getPropertyValue(property), check.property)
      .catch((error: unknown) => `<${(error as Error).message.split("\n")[0]}>`);
    const ok = typeof check.expected === "string" ? actual === check.expected : check.expected.test(actual);
    if (!ok) failures.push(`${check.selector} ${check.property}: ${actual} (expected ${check.expected})`);
  }
  return failures;
}

interface Tab {
  page: Page;
  /** Console errors and warnings, uncaught errors. */
  problems: string[];
  /** Responses with a status of 400 or more. */
  failed: string[];
  /** Document (full load) requests. */
  documents: string[];
  /** Every response. */
  responses: { url: string; status: number }[];
  close(): Promise<void>;
}

async function openTab(browser: Browser, { javaScript = true }: { javaScript?: boolean } = {}): Promise<Tab> {
  const page = await newTestPage(browser, { javaScript });
  const tab: Tab = { page, problems: [], failed: [], documents: [], responses: [], close: () => releaseTestPage(page) };
  page.on("console", (message) => {
    const type = message.type();
    if (type !== "error" && type !== "warning") return;
    if (message.location().url.endsWith("/favicon.ico")) return;
    tab.problems.push(`${type}: ${message.text()} (${message.location().url})`);
  });
  page.on("pageerror", (error) => tab.problems.push(`pageerror: ${error.message}`));
  page.on("request", (request) => {
    if (request.resourceType() === "document") tab.documents.push(request.url());
  });
  page.on("response", (response) => {
    tab.responses.push({ url: response.url(), status: response.status() });
    if (response.status() >= 400 && !response.url().endsWith("/favicon.ico"))
      tab.failed.push(`${response.status()} ${response.url()}`);
  });
  return tab;
}

async function waitHydrated(page: Page): Promise<void> {
  await page.waitForSelector("header[data-hydrated]", { state: "attached" });
}

/** The development error overlay's text, if one is shown. */
async function overlayText(page: Page): Promise<string | undefined> {
  const overlay = page.locator("#___ssr-pages-error-overlay");
  if ((await overlay.count()) === 0) return undefined;
  return overlay.evaluate((host) => {
    const root = host.shadowRoot ?? host;
    return (
      [...root.children]
        .filter((el) => el.tagName !== "STYLE")
        .map((el) => el.textContent)
        .join(" ") ||
      host.textContent ||
      ""
    ).slice(0, 400);
  });
}

interface Served {
  host: Host;
  origin: string;
  stop(): Promise<void>;
}

async function start(adapter: AdapterName, pagesDir: string, dev: boolean, base: string): Promise<Served> {
  const host = makeHost(adapter, pagesDir, { dev, base });
  await host.ready;
  const { origin, stop } = await serve(host.app);
  return {
    host,
    origin,
    async stop() {
      await stop();
      await host.close();
    },
  };
}

// Each adapter, each mode and each mount once (pairwise): what differs between the modes (minified CSS
// in production; React's hydration warnings, unminified CSS and the dev client in development) is
// the core's, not the adapter's, and what differs under a mount (every URL) is checked under /shop.
// (All four combinations took 50 s here against 40 s for these two, on a file the suite waits for.)
const MAIN_SERVERS: { adapter: AdapterName; dev: boolean; base: string }[] = [
  { adapter: "express", dev: false, base: "" },
  { adapter: "koa", dev: true, base: "/shop" },
];

let browser: Browser;
before(async () => {
  browser = await launchChromium();
}, HOOK);
after(async () => {
  await browser?.close();
});

for (const { adapter, dev, base } of MAIN_SERVERS) {
  describe(`styles in the browser: ${adapter}${base ? ` under ${base}` : ""}, ${dev ? "development" : "production"}`, () => {
    let served: Served;
    before(async () => {
      served = await start(adapter, MAIN_PAGES, dev, base);
    }, HOOK);
    after(() => served?.stop());

    it("a direct visit of each page is styled once hydrated, with no console error or warning", T, async () => {
      const tab = await openTab(browser);
      try {
        for (const target of PAGES) {
          const response = await tab.page.goto(`${served.origin}${base}${target.path}`);
          assert.equal(response?.status(), 200, target.path);
          await waitHydrated(tab.page);
          assert.deepEqual(await failedChecks(tab.page, target.checks), [], `${target.path} on a direct visit`);
        }
        assert.deepEqual(tab.problems, [], "console errors or warnings (a hydration mismatch, say)");
        assert.deepEqual(tab.failed, [], "failed requests");
        assert.deepEqual(
          served.host.errors.map((e) => errorText(e.error)),
          [],
        );
      } finally {
        await tab.close();
      }
    });

    it(
      "each page is styled as soon as a Link navigation shows it, with no reload and no console error or warning",
      T,
      async () => {
        const tab = await openTab(browser);
        try {
          await tab.page.goto(`${served.origin}${base}/`);
          await waitHydrated(tab.page);
          for (const target of PAGES) {
            await tab.page.click(target.link);
            await tab.page.locator(target.ready).waitFor();
            assert.equal(new URL(tab.page.url()).pathname, `${base}${target.path}`);
            assert.deepEqual(await failedChecks(tab.page, target.checks), [], `${target.path} after a Link navigation`);
          }
          // emotion once more, reached from another CSS-in-JS page and back from a stylesheet page.
          await tab.page.click("#to-sass");
          await tab.page.locator("#sass-title").waitFor();
          await tab.page.click("#to-emotion");
          await tab.page.locator("#em-title").waitFor();
          assert.deepEqual(await failedChecks(tab.page, PAGES[4]?.checks ?? []), [], "/emotion after /sass");
          assert.equal(tab.documents.length, 1, `client navigations only: ${tab.documents.join(", ")}`);
          assert.deepEqual(tab.problems, [], "console errors or warnings");
          assert.deepEqual(tab.failed, [], "failed requests");
        } finally {
          await tab.close();
        }
      },
    );

    // The server HTML is the same in development: checked in production only, and on the CSS-in-JS page
    // and a Sass one, to keep the suite short.
    if (!dev)
      it(
        "with JavaScript off, the server HTML alone is styled (styled-components' rules are in <head>)",
        T,
        async () => {
          const tab = await openTab(browser, { javaScript: false });
          try {
            for (const target of PAGES.filter((p) => p.path === "/styled" || p.path === "/sass")) {
              const response = await tab.page.goto(`${served.origin}${base}${target.path}`, { waitUntil: "load" });
              assert.equal(response?.status(), 200);
              assert.deepEqual(await failedChecks(tab.page, target.checks), [], `${target.path} without JavaScript`);
            }
          } finally {
            await tab.close();
          }
        },
      );
  });
}

const ISOLATION_SERVERS: { adapter: AdapterName; dev: boolean; base: string }[] = [
  { adapter: "express", dev: false, base: "" },
  { adapter: "koa", dev: true, base: "/shop" },
];

for (const { adapter, dev, base } of ISOLATION_SERVERS) {
  describe(`good pages beside broken ones, in the browser: ${adapter}${base ? ` under ${base}` : ""}, ${dev ? "development" : "production"}`, () => {
    let served: Served;
    before(async () => {
      served = await start(adapter, ISOLATION_PAGES, dev, base);
      // Development compiles a page when first asked for, which can name the client entry anew and
      // make an open tab's next navigation a full load: asked for here, the tab's build has them all.
      if (dev) for (const page of ["/", "/good"]) await fetch(`${served.origin}${base}${page}`);
    }, HOOK);
    after(() => served?.stop());

    it("the good pages load their scripts, hydrate, are styled and navigate with Links", T, async () => {
      const tab = await openTab(browser);
      try {
        const response = await tab.page.goto(`${served.origin}${base}/`);
        assert.equal(response?.status(), 200);
        await waitHydrated(tab.page);
        const scripts = tab.responses.filter((r) => /\.js(\?|$)/.test(r.url));
        assert.ok(scripts.length > 0, "scripts were loaded");
        assert.deepEqual(
          await failedChecks(tab.page, [c("#iso-home", "color", INK), c("#iso-home", "margin-top", "12px")]),
          [],
        );
        // A click on the link element itself: whether something covers the page is the next test's.
        await tab.page.$eval("#to-good", (a) => (a as HTMLAnchorElement).click());
        await tab.page.locator("#good").waitFor();
        assert.equal(new URL(tab.page.url()).pathname, `${base}/good`);
        assert.deepEqual(
          await failedChecks(tab.page, [c("#good", "color", ACCENT), c("#good-widget", "border-top-width", "3px")]),
          [],
        );
        await tab.page.$eval("#to-home", (a) => (a as HTMLAnchorElement).click());
        await tab.page.locator("#iso-home").waitFor();
        assert.equal(tab.documents.length, 1, `client navigations only: ${tab.documents.join(", ")}`);
        assert.deepEqual(tab.failed, [], "failed requests");
        assert.deepEqual(tab.problems, [], "console errors or warnings");
        // A direct visit of the other good page hydrates too.
        await tab.page.goto(`${served.origin}${base}/good`);
        await waitHydrated(tab.page);
        assert.deepEqual(tab.failed, [], "failed requests");
      } finally {
        await tab.close();
      }
    });

    it(
      "nothing covers a good page: another page's compile error is that page's (an overlay would take the user's clicks)",
      T,
      async () => {
        const tab = await openTab(browser);
        try {
          // In development, the tab's event stream says what the build holds once it is connected.
          const stream = dev ? tab.page.waitForResponse((r) => r.url().endsWith("/_ssr-pages/events")) : undefined;
          await tab.page.goto(`${served.origin}${base}/good`);
          await waitHydrated(tab.page);
          await stream;
          await tab.page.waitForTimeout(300); // its first event
          assert.equal(await overlayText(tab.page), undefined, "an error overlay covers a good page");
          await tab.page.click("#to-home", { timeout: 2_000 });
          await tab.page.locator("#iso-home").waitFor();
        } finally {
          await tab.close();
        }
      },
    );

    it("the broken pages answer 500", T, async () => {
      const tab = await openTab(browser);
      try {
        for (const page of ["/broken-import", "/broken-sass", "/broken-postcss", "/broken-url"]) {
          const response = await tab.page.goto(`${served.origin}${base}${page}`);
          assert.equal(response?.status(), 500, page);
        }
      } finally {
        await tab.close();
      }
    });
  });
}

describe("good pages beside one whose package fails only in the browser build (express, production)", () => {
  let root: string;
  let served: Served;
  before(async () => {
    root = repoTempDir("styles-browser-packages-");
    served = await start("express", writePackagesApp(root), false, "");
  }, HOOK);
  after(async () => {
    await served?.stop();
    removeDir(root);
  });

  it("the other pages hydrate and navigate", T, async () => {
    const tab = await openTab(browser);
    try {
      await tab.page.goto(`${served.origin}/`);
      await waitHydrated(tab.page);
      await tab.page.click("#to-plain");
      await tab.page.locator("#plain").waitFor();
      assert.equal(tab.documents.length, 1, `client navigations only: ${tab.documents.join(", ")}`);
      assert.deepEqual(tab.failed, [], "failed requests");
      assert.deepEqual(tab.problems, [], "console errors or warnings");
      const broken = await tab.page.goto(`${served.origin}/broken-browser`);
      assert.equal(broken?.status(), 500);
    } finally {
      await tab.close();
    }
  });
});
