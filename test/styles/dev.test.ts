/**
 * Issue 19's dev loop in Chromium (`dev: true`, Express), on a copy of the styles fixture under the
 * repository's .tmp/ (so saves never touch the repository; .tmp is gitignored, so the copy's Tailwind
 * entry names its own folder with `source("../")`): saving a Sass partial, a stylesheet that PostCSS
 * processes, or a component that gains a new Tailwind class updates the open tab's styles with no
 * reload (a window marker survives); a Sass error in a partial fails only the pages that use it, and
 * the save that fixes it recovers the open tab; a page whose stylesheet was broken at start-up
 * serves once a save fixes it; a styled-components page saved and loaded again hydrates without a
 * mismatch warning.
 *
 * Run: node --import tsx --test test/styles/dev.test.ts (from the repository root).
 */
import assert from "node:assert/strict";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import type { Browser, Page } from "playwright-core";
import request from "supertest";
import { launchChromium, newTestPage, recordProblems, releaseTestPage } from "../browser/harness.js";
import {
  arbitrary,
  compileReports,
  FIXTURE,
  makeHost,
  removeDir,
  repoTempDir,
  serve,
  stylesheetHrefs,
  writeTree,
  type Host,
} from "./helpers.js";

const T = { timeout: 30_000 };
const SAVE_TIMEOUT = 10_000;

describe("styles in the dev loop (Chromium, dev: true)", () => {
  let root: string;
  let host: Host;
  let origin: string;
  let stop: () => Promise<void>;
  let browser: Browser;
  let tab: Page;
  let closeTab: () => Promise<void>;
  const problems: string[] = [];
  const documents: string[] = [];

  const file = (name: string) => path.join(root, name);
  const read = (name: string) => readFileSync(file(name), "utf8");
  const save = (name: string, text: string) => writeFileSync(file(name), text);

  const marker = () => tab.evaluate(() => (window as { __marker?: string }).__marker);
  const setMarker = () => tab.evaluate(() => ((window as { __marker?: string }).__marker = "same document"));

  /** Waits until `selector`'s computed `property` is `expected` in the open tab. */
  async function waitStyle(selector: string, property: string, expected: string, what: string): Promise<number> {
    const started = performance.now();
    try {
      await tab.waitForFunction(
        ([s, p, e]) => {
          const el = document.querySelector(s as string);
          return el !== null && getComputedStyle(el).getPropertyValue(p as string) === e;
        },
        [selector, property, expected],
        { timeout: SAVE_TIMEOUT, polling: 50 },
      );
    } catch {
      const actual = await tab
        .$eval(selector, (el, p) => getComputedStyle(el).getPropertyValue(p), property)
        .catch((error: unknown) => `<${(error as Error).message.split("\n")[0]}>`);
      assert.fail(
        `${what}: ${selector} ${property} is ${actual}, expected ${expected} (waited ${SAVE_TIMEOUT} ms; reload? marker: ${await marker().catch(() => "?")})`,
      );
    }
    return performance.now() - started;
  }

  before(
    async () => {
      root = repoTempDir("styles-dev-");
      for (const part of ["components", "pages", "styles", "postcss.config.mjs"])
        cpSync(path.join(FIXTURE, part), path.join(root, part), { recursive: true });
      // .tmp is gitignored: Tailwind's scan of the working directory skips it, so the entry names its root.
      const entry = read("styles/tailwind.css");
      assert.ok(entry.includes(`@import "tailwindcss";`));
      save("styles/tailwind.css", entry.replace(`@import "tailwindcss";`, `@import "tailwindcss" source("../");`));
      // A page whose stylesheet is broken at start-up.
      writeTree(root, {
        "pages/starts-broken.tsx": `import "./starts-broken.css";\nexport default function StartsBroken() {\n  return <h1 id="starts-broken">starts broken</h1>;\n}\n`,
        "pages/starts-broken.css": `@import "./not-there-yet.css";\n\n#starts-broken {\n  color: rgb(3, 2, 1);\n}\n`,
      });
      host = makeHost("express", path.join(root, "pages"), { dev: true });
      await host.ready;
      ({ origin, stop } = await serve(host.app));
      browser = await launchChromium();
    },
    { timeout: 60_000 },
  );

  after(async () => {
    await closeTab?.();
    await browser?.close();
    await stop?.();
    await host?.close();
    removeDir(root);
  });

  it(
    "a page whose stylesheet was broken at start-up serves once a save fixes the stylesheet (first: no other test runs beside a broken page)",
    T,
    async () => {
      const broken = await request(host.app).get("/starts-broken");
      assert.equal(broken.status, 500);
      assert.match(broken.text, /not-there-yet\.css/, "the error page says what failed");
      save("pages/starts-broken.css", read("pages/starts-broken.css").replace(`@import "./not-there-yet.css";\n`, ""));
      const deadline = Date.now() + SAVE_TIMEOUT;
      let status = 0;
      let html = "";
      while (Date.now() < deadline) {
        const response = await request(host.app).get("/starts-broken");
        status = response.status;
        html = response.text;
        if (status === 200) break;
        await delay(100);
      }
      assert.equal(status, 200, `still failing ${SAVE_TIMEOUT} ms after the fix: ${html.slice(0, 500)}`);
      let css = "";
      for (const href of stylesheetHrefs(html)) css += (await request(host.app).get(href)).text;
      assert.match(css, /#starts-broken\s*\{[^}]*color:\s*(rgb\(3,\s*2,\s*1\)|#030201)/);
    },
  );

  it("opens a tab on /sass (hydrated, a window marker set)", T, async () => {
    // Development compiles a page on its first request, and such a compile can move the chunks the
    // pages share: a tab of the build before then loads in full at its next update. The pages these
    // tests ask for are compiled first, so the tab's build has them all and updates in place.
    for (const page of ["/", "/sass", "/tailwind", "/styled", "/emotion"])
      assert.equal((await request(host.app).get(page)).status, 200, page);
    const opened = await newTestPage(browser);
    tab = opened;
    closeTab = () => releaseTestPage(opened);
    tab.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
    tab.on("request", (r) => {
      if (r.resourceType() === "document") documents.push(r.url());
    });
    await tab.goto(`${origin}/sass`);
    await tab.waitForSelector("header[data-hydrated]", { state: "attached" });
    await setMarker();
  });

  it("saving a Sass partial (styles/partials/_vars.scss) restyles the open tab with no reload", T, async () => {
    await waitStyle("#sass-box", "color", "rgb(101, 67, 33)", "before the save");
    const sheetsBefore = await tab.locator('link[rel="stylesheet"]').count();
    save("styles/partials/_vars.scss", read("styles/partials/_vars.scss").replace("#654321", "#3a5f0b"));
    const ms = await waitStyle("#sass-box", "color", "rgb(58, 95, 11)", "after saving _vars.scss");
    console.log(`  save → tab (Sass partial): ${ms.toFixed(0)} ms`);
    // The border comes from a mixin of another partial that uses the saved one.
    await waitStyle("#sass-box", "border-top-color", "rgb(58, 95, 11)", "the mixin's colour");
    assert.equal(await marker(), "same document", "no reload");
    assert.equal(documents.length, 1, `no document load: ${documents.join(", ")}`);
    await delay(200);
    assert.equal(
      await tab.locator('link[rel="stylesheet"]').count(),
      sheetsBefore,
      "the stylesheet was swapped, not added",
    );
  });

  it(
    "a Sass error in the partial fails only the pages using it (the overlay names the file); the save that fixes it recovers the tab",
    T,
    async () => {
      save("styles/partials/_vars.scss", `$accent: #3a5f0b\n$pad: 11px;\n`); // no semicolon after the first line
      const overlay = tab.locator("#___ssr-pages-error-overlay");
      await overlay.waitFor({ timeout: SAVE_TIMEOUT });
      const shown = (await overlay.evaluate(
        (hostEl) => hostEl.shadowRoot?.textContent ?? hostEl.textContent ?? "",
      )) as string;
      assert.match(shown, /_vars\.scss/, `the overlay names the partial: ${shown.slice(0, 500)}`);
      const sass = await request(host.app).get("/sass");
      assert.equal(sass.status, 500);
      assert.match(sass.text, /_vars\.scss/, "the error page names the partial");
      assert.ok(
        compileReports(host.errors).some((text) => text.includes("_vars.scss")),
        "onError, phase compile",
      );
      for (const good of ["/", "/tailwind", "/styled", "/emotion"]) {
        const response = await request(host.app).get(good);
        assert.equal(response.status, 200, `${good} does not use the partial: ${response.text.slice(0, 300)}`);
      }
      save("styles/partials/_vars.scss", `$accent: #0b3a5f;\n$pad: 11px;\n`);
      const ms = await waitStyle("#sass-box", "color", "rgb(11, 58, 95)", "after fixing _vars.scss");
      console.log(`  save → tab (fixed Sass error): ${ms.toFixed(0)} ms`);
      await overlay.waitFor({ state: "detached", timeout: SAVE_TIMEOUT });
      assert.equal(await marker(), "same document", "no reload");
      assert.equal((await request(host.app).get("/sass")).status, 200);
    },
  );

  it(
    "saving a stylesheet that PostCSS processes (@apply in pages/plain.css) restyles the open tab with no reload",
    T,
    async () => {
      await tab.click("#to-tailwind");
      await tab.locator("#tw-title").waitFor();
      await waitStyle("#plain", "text-decoration-line", "underline", "before the save");
      save("pages/plain.css", read("pages/plain.css").replace("@apply underline;", "@apply line-through;"));
      const ms = await waitStyle("#plain", "text-decoration-line", "line-through", "after saving plain.css");
      console.log(`  save → tab (PostCSS-processed stylesheet): ${ms.toFixed(0)} ms`);
      assert.equal(await marker(), "same document", "no reload");
    },
  );

  it(
    "saving a component outside the pages directory with a new Tailwind class restyles the open tab with no reload",
    T,
    async () => {
      await waitStyle("#tw-badge", "margin-top", "19px", "before the save");
      const fresh = arbitrary("mt", `${23}px`);
      save("components/TwBadge.tsx", read("components/TwBadge.tsx").replace(arbitrary("mt", "19px"), fresh));
      const ms = await waitStyle("#tw-badge", "margin-top", "23px", `after giving TwBadge ${fresh}`);
      console.log(`  save → tab (new Tailwind class in a component): ${ms.toFixed(0)} ms`);
      assert.equal(await marker(), "same document", "no reload");
      assert.equal(documents.length, 1, `no document load: ${documents.join(", ")}`);
    },
  );

  it(
    "styled-components: after a save of its page, a full load still hydrates with no mismatch warning",
    T,
    async () => {
      /** A tab of its own on /styled (newTestPage), its console errors and warnings recorded. */
      async function load(): Promise<{ page: Page; warnings: string[]; close: () => Promise<void> }> {
        const page = await newTestPage(browser);
        const warnings: string[] = [];
        recordProblems(warnings, { warnings: true })(page);
        try {
          await page.goto(`${origin}/styled`);
          await page.waitForSelector("header[data-hydrated]", { state: "attached" });
          await delay(200);
        } catch (error) {
          await releaseTestPage(page);
          throw error;
        }
        return { page, warnings, close: () => releaseTestPage(page) };
      }
      const first = await load();
      await first.close();
      assert.deepEqual(first.warnings, [], "the first load of /styled (after the saves of the tests before)");
      save("pages/styled.tsx", read("pages/styled.tsx").replace("letter-spacing: 2px;", "letter-spacing: 4px;"));
      const deadline = Date.now() + SAVE_TIMEOUT;
      while (Date.now() < deadline && !(await request(host.app).get("/styled")).text.includes("letter-spacing:4px"))
        await delay(100);
      const second = await load();
      try {
        assert.equal(
          await second.page.$eval("#sc-title", (el) => getComputedStyle(el).letterSpacing),
          "4px",
          "the saved style",
        );
        assert.deepEqual(
          second.warnings,
          [],
          "a full load after the save: console errors or warnings (a hydration mismatch of styled-components' class names, say)",
        );
      } finally {
        await second.close();
      }
    },
  );

  it("no uncaught error in the tab", () => {
    assert.deepEqual(problems, []);
  });
});
