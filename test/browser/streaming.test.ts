/**
 * Streaming in Chromium under a strict CSP (`script-src 'self'`, no nonce; and with the `nonce`
 * option): a streamed page shows its fallback, then its deferred content, hydrates with no CSP
 * violation and no hydration error; a `Link` navigation to a deferred page shows the fallback, then
 * the content; a rejected value shows the error boundary; rich props arrive as themselves.
 */
import assert from "node:assert/strict";
import type { Server } from "node:http";
import { after, before, describe, it } from "node:test";
import express from "express";
import type { Browser, Page } from "playwright-core";
import { ssrMiddleware } from "../../adapters/express.js";
import { fixture } from "../conformance/helpers.js";
import {
  launchChromium,
  listen,
  newTestPage,
  recordProblems,
  releaseTestPage,
  reportCspViolations,
} from "./harness.js";

const PAGES = fixture("streaming");
const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

interface Opened {
  page: Page;
  /** Console errors and warnings, page errors, and CSP violations, as they happen. */
  problems: string[];
}

/** A tab recording what went wrong, CSP violations included (reported by the document's own event, see reportCspViolations). */
async function open(browser: Browser, url: string, until: "commit" | "load" = "load"): Promise<Opened> {
  // A desktop Chrome's User-Agent: headless Chromium's own names it "HeadlessChrome", which isbot counts among crawlers (whole documents).
  const page = await newTestPage(browser, { userAgent: CHROME, initScripts: [reportCspViolations] });
  const problems: string[] = [];
  recordProblems(problems, { warnings: true })(page);
  await page.goto(url, { waitUntil: until });
  return { page, problems };
}

/** Hydrated: the button's handler counts. */
async function clickCounts(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const button = document.getElementById("count");
    button?.click();
    return button !== null && button.textContent !== "0";
  });
}

for (const [label, csp, nonce] of [
  ["script-src 'self', no nonce", "script-src 'self'", undefined],
  ["the nonce option, script-src 'nonce-…' 'strict-dynamic'", "script-src 'nonce-N0NCE' 'strict-dynamic'", "N0NCE"],
] as const) {
  describe(`streaming in Chromium under a strict CSP [${label}]`, () => {
    let server: Server;
    let origin: string;
    let browser: Browser;
    before(async () => {
      const app = express();
      app.use((_req, res, next) => {
        res.setHeader("Content-Security-Policy", csp);
        next();
      });
      const pages = ssrMiddleware(PAGES, {
        dev: false,
        onError: () => undefined,
        ...(nonce ? { nonce: () => nonce } : {}),
      });
      app.use(pages);
      await pages.ready;
      ({ server, origin } = await listen(app));
      browser = await launchChromium();
    });
    after(async () => {
      await browser?.close();
      server?.close();
    });

    it("shows the fallback first, then the deferred content, hydrated, with no violation", async () => {
      // 1.5 s: time enough, on a loaded machine, to look at the page before the value arrives.
      const { page, problems } = await open(browser, `${origin}/deferred?wait=1500`, "commit");
      await page.waitForSelector("#title");
      assert.equal(await page.locator("#fallback").count(), 1, "the fallback is on screen while the value is pending");
      assert.equal(await page.locator("#reviews").isVisible(), false);
      await page.waitForSelector("#reviews li:nth-child(2)");
      assert.equal(await page.locator("#fallback").count(), 0);
      assert.equal(await page.locator("#reviews li:nth-child(2)").textContent(), "great </script><!-- \u2028");
      await clickCounts(page);
      await page.waitForLoadState("load");
      assert.deepEqual(problems, []);
      await releaseTestPage(page);
    });

    it("fills the boundary of a Link navigation to a deferred page when its value arrives", async () => {
      const { page, problems } = await open(browser, `${origin}/`);
      await page.waitForSelector("body[data-hydrated=index]");
      await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
      await page.click("#to-deferred");
      await page.waitForSelector("#fallback");
      assert.equal(await page.locator("#reviews").count(), 0, "shown before the value is in");
      await page.waitForSelector("#reviews li:nth-child(2)");
      assert.equal(await page.evaluate(() => (window as unknown as { marker?: number }).marker), 1, "no full load");
      assert.match(page.url(), /\/deferred\?wait=1500$/);
      await clickCounts(page);
      assert.deepEqual(problems, []);
      await releaseTestPage(page);
    });

    it("shows the nearest error boundary for a rejected value, on a visit and through a Link", async () => {
      const visit = await open(browser, `${origin}/rejected`);
      await visit.page.waitForSelector("#failed");
      assert.match(
        (await visit.page.locator("#failed").textContent()) ?? "",
        /A deferred value of this page failed on the server/,
      );
      await releaseTestPage(visit.page);
      const { page } = await open(browser, `${origin}/`);
      await page.waitForSelector("body[data-hydrated=index]");
      await page.click("#to-rejected");
      await page.waitForSelector("#failed");
      await releaseTestPage(page);
    });

    it("hydrates rich props as the server rendered them, and a lazy page, with no warning", async () => {
      const rich = await open(browser, `${origin}/rich`);
      await rich.page.waitForLoadState("load");
      await rich.page.waitForTimeout(300);
      assert.equal(await rich.page.locator("#rich").textContent(), "111111111");
      assert.deepEqual(rich.problems, [], "no hydration mismatch");
      await releaseTestPage(rich.page);
      const { page, problems } = await open(browser, `${origin}/`);
      await page.waitForSelector("body[data-hydrated=index]");
      await page.click("#to-rich");
      await page.waitForSelector("#rich");
      assert.equal(await page.locator("#rich").textContent(), "111111111");
      const lazy = await open(browser, `${origin}/lazy`);
      await lazy.page.waitForSelector("#lazy");
      assert.deepEqual([...problems, ...lazy.problems], []);
      await releaseTestPage(page);
      await releaseTestPage(lazy.page);
    });
  });
}
