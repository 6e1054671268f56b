/**
 * Version skew in Chromium: a tab loaded from build A, the server switched to build B (other code,
 * built into the same out folder with keepPrevious: 1) while the tab is open. A lazily imported chunk
 * of A still loads from the new server; a `Link` navigation does a full page load and shows B's
 * page, never a broken one. One Express app whose middleware is swapped from A's to B's.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import express, { type NextFunction, type Request, type Response } from "express";
import type { Browser, Page } from "playwright-core";
import { ssrMiddleware, type ExpressSsrMiddleware } from "../../adapters/express.js";
import { build, type BuildSummary } from "../../src/index.js";
import {
  launchChromium,
  listen,
  openRecorded,
  readMarker,
  recordProblems,
  setMarker,
  text,
} from "../browser/harness.js";
import { SKEW_ROOT, copyDir, rawGet, readManifest, removeScratch, scratch } from "./helpers.js";

const T = { timeout: 20_000 };

async function hydrated(page: Page): Promise<void> {
  await page.waitForSelector("main[data-hydrated]", { state: "attached" });
}

/** Replaces `from` by `to` in `file`, which must hold it. */
function edit(file: string, from: string, to: string): void {
  const text = readFileSync(file, "utf8");
  assert.ok(text.includes(from), `${file} holds ${from}`);
  writeFileSync(file, text.replace(from, to));
}

async function heading(page: Page, title: string): Promise<void> {
  await page.locator("h1", { hasText: new RegExp(`^${title}$`) }).waitFor();
}

describe("a tab of build A after the server switched to build B", () => {
  let tmp: string;
  let pages: string;
  let out: string;
  let summaryA: BuildSummary;
  let browser: Browser;
  let origin: string;
  let closeServer: () => Promise<void>;
  const middlewares: ExpressSsrMiddleware[] = [];
  let current: ExpressSsrMiddleware;

  before(
    async () => {
      tmp = scratch("skew");
      const root = copyDir(SKEW_ROOT, path.join(tmp, "site"));
      pages = path.join(root, "pages");
      out = path.join(tmp, "out");
      summaryA = await build(pages, { out });
      current = ssrMiddleware(pages, { build: out, onError: () => undefined });
      middlewares.push(current);
      const app = express();
      app.use((req: Request, res: Response, next: NextFunction) => current(req, res, next));
      const served = await listen(app);
      origin = served.origin;
      closeServer = async () => {
        served.server.closeAllConnections();
        served.server.close();
      };
      browser = await launchChromium();
    },
    { timeout: 60_000 },
  );

  after(
    async () => {
      await browser?.close();
      await closeServer?.();
      for (const one of middlewares) await one.close();
      removeScratch(tmp);
    },
    { timeout: 15_000 },
  );

  it("(control) within build A, Link navigates without a document load", T, async () => {
    const problems: string[] = [];
    const opened = await openRecorded(browser, `${origin}/`, recordProblems(problems), hydrated);
    try {
      await heading(opened.page, "home A");
      await setMarker(opened.page);
      await opened.page.click("#to-about");
      await heading(opened.page, "about A");
      assert.equal(await readMarker(opened.page), "same document");
      assert.equal(opened.documents.length, 1, opened.documents.join(", "));
      assert.deepEqual(problems, []);
    } finally {
      await opened.close();
    }
  });

  it(
    "after the switch: A's lazy chunk still loads (keepPrevious), and Link does a full load showing B's page",
    T,
    async () => {
      const problems: string[] = [];
      const responses: Array<{ url: string; status: number }> = [];
      const opened = await openRecorded(
        browser,
        `${origin}/`,
        (page) => {
          recordProblems(problems)(page);
          page.on("response", (response) => responses.push({ url: response.url(), status: response.status() }));
        },
        hydrated,
      );
      const { page, documents } = opened;
      try {
        await heading(page, "home A");
        await setMarker(page);
        const filesA = [...readManifest(out).files.names];

        // Build B: other code, same pages, into the same folder keeping A's browser files; then switch.
        edit(path.join(pages, "_version.ts"), 'VERSION: string = "A"', 'VERSION: string = "B"');
        edit(path.join(pages, "..", "components", "lazy-panel.tsx"), '"panel A"', '"panel B"');
        const summaryB = await build(pages, { out, keepPrevious: 1 });
        assert.notEqual(summaryB.buildId, summaryA.buildId);
        const filesB = [...readManifest(out).files.names];
        current = ssrMiddleware(pages, { build: out, onError: () => undefined });
        middlewares.push(current);

        // The lazy chunk of A, asked of B's server.
        const before = responses.length;
        await page.click("#load");
        await page.locator("#panel", { hasText: "panel A" }).waitFor();
        const chunks = responses
          .slice(before)
          .filter((one) => one.url.includes("/_ssr-pages/") && one.url.endsWith(".js"));
        assert.ok(chunks.length > 0, "the button loaded a chunk");
        for (const chunk of chunks) {
          assert.equal(chunk.status, 200, chunk.url);
          const name = chunk.url.slice(chunk.url.lastIndexOf("/") + 1);
          assert.ok(filesA.includes(name), `${name} is a file of build A`);
          assert.ok(!filesB.includes(name), `${name} is not a file of build B: only keepPrevious serves it`);
        }

        // Link to /about: B's page data answers, the tab loads the page instead of rendering it.
        const served = await rawGet(origin, "/page-data/about/page-data.json");
        assert.equal(
          (JSON.parse(served.body.toString()) as { buildId?: string }).buildId,
          summaryB.buildId,
          "the server answers with build B",
        );
        const data = page.waitForResponse(
          (response) => new URL(response.url()).pathname === "/page-data/about/page-data.json",
        );
        await page.click("#to-about");
        assert.equal((await data).status(), 200, "the tab asked B's server for the page data");
        await heading(page, "about B");
        await hydrated(page);
        assert.equal(new URL(page.url()).pathname, "/about");
        assert.equal(documents.length, 2, `a full page load: ${documents.join(", ")}`);
        assert.equal(await readMarker(page), undefined, "a new document");
        assert.equal(await text(page, "h1"), "about B");
        // The new document runs B's code: its own client navigation works.
        await setMarker(page);
        await page.click("#to-home");
        await heading(page, "home B");
        assert.equal(await readMarker(page), "same document", "B's tab navigates on the client");
        assert.deepEqual(problems, []);
      } finally {
        await opened.close();
      }
    },
  );

  it("after the switch, Back to a page the tab showed from build A: a full load of B's page", T, async () => {
    // Serve build A again (its folder is still there: keepPrevious kept it), open a tab, navigate on the client.
    current = middlewares[0] as ExpressSsrMiddleware;
    const problems: string[] = [];
    const opened = await openRecorded(browser, `${origin}/`, recordProblems(problems), hydrated);
    const { page, documents } = opened;
    try {
      await heading(page, "home A");
      await page.click("#to-about");
      await heading(page, "about A");
      assert.equal(documents.length, 1);
      current = middlewares[1] as ExpressSsrMiddleware; // build B
      await page.goBack();
      await heading(page, "home B");
      assert.equal(new URL(page.url()).pathname, "/");
      assert.equal(documents.length, 2, `a full page load: ${documents.join(", ")}`);
      assert.deepEqual(problems, []);
    } finally {
      await opened.close();
    }
  });
});
