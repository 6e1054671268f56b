/**
 * One dev site of part 2, opened: the site generated, `ssrMiddleware(…, { dev: true })` in this
 * process behind Express, a Chromium tab on page 1, a listener on its event stream, warmed up with two
 * saves of each kind. Its saves are timed to the build event and to the tab showing them (in place:
 * a window marker must survive).
 */
import { once } from "node:events";
import { rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import express from "express";
import type { Browser, Page } from "playwright-core";
import { ssrMiddleware } from "../../adapters/express.js";
import { fmt } from "../lib/stats.js";
import { listenBuilds, type BuildEvent } from "./build-events.js";
import { note } from "./findings.js";
import { STARTUP_LIMIT_MS, TAB_LIMIT_MS, withTimeout } from "./limits.js";
import {
  badgeSource,
  cardCss,
  colour,
  hex,
  pageFile,
  pageSource,
  pageUrl,
  rgb,
  varsSource,
  writeSite,
  type SiteOptions,
} from "./sites.js";
import type { Workspace } from "./workspace.js";

/** After a tab has shown a save: let the dev loop go quiet before the next one. */
const SETTLE_MS = 120;

export interface DevSite {
  name: string;
  tailwind: boolean;
  /** The card is `card.module.scss` with `styles/_vars.scss` (the style save edits the partial); else `card.module.css` (the save edits it). */
  sass: boolean;
  /** No stylesheets in the site: page saves only. */
  none?: boolean;
}

/** One timed save: save → the build event reached a listener in this process, and save → the tab showed it. */
export interface Timed {
  build: number;
  tab: number;
}

/** One dev site, running: its middleware and server, a tab on page 1, a listener on its event stream. */
export interface DevRun {
  spec: DevSite;
  dir: string;
  countLog: string;
  tab: Page;
  builds: BuildEvent[];
  /** Build events and saves since the warm-up ended (one build per save expected). */
  buildsAtStart: number;
  saves: number;
  style: Timed[];
  page: Timed[];
  /** Saves of each kind, as a function of the site. */
  styleSave(): Promise<Timed>;
  pageSave(): Promise<Timed>;
  /** A save that adds a new Tailwind class to the Badge component (Tailwind sites). */
  classSave(k: number): Promise<Timed>;
  consoleErrors: string[];
  reported: string[];
  close(): Promise<void>;
}

export async function openDev(browser: Browser, spec: DevSite, work: Workspace): Promise<DevRun> {
  const pages = 100;
  const slug = spec.name.replace(/\W+/g, "-");
  const dir = path.join(work.dir, `dev-${slug}`);
  const countLog = path.join(work.counts, `dev-${slug}.log`);
  const site: SiteOptions = { pages, tailwind: spec.tailwind, sass: spec.sass, countLog, none: spec.none };
  const pagesDir = writeSite(dir, site);
  const page1 = path.join(pagesDir, pageFile(1, pages));
  const styleFile = spec.sass
    ? path.join(dir, "styles", "_vars.scss")
    : path.join(dir, "components", "card.module.css");
  const styleSource = (n: number) => (spec.sass ? varsSource(n) : cardCss(n));
  const badge = path.join(dir, "components", "Badge.tsx");
  const reported: string[] = [];
  const consoleErrors: string[] = [];
  const started = performance.now();
  const middleware = ssrMiddleware(pagesDir, {
    dev: true,
    onError: (error, info) =>
      void reported.push(`${info.phase}: ${String((error as Error)?.message ?? error).slice(0, 300)}`),
  });
  const app = express();
  app.use(middleware);
  const server: Server = app.listen(0, "127.0.0.1");
  let context: Awaited<ReturnType<Browser["newContext"]>> | undefined;
  let stream: ReturnType<typeof listenBuilds> | undefined;
  const close = async () => {
    stream?.close();
    await context?.close().catch(() => undefined);
    server.closeAllConnections();
    server.close();
    await withTimeout(middleware.close(), 20_000, `${spec.name}: pages.close()`).catch((error: Error) =>
      note(error.message),
    );
  };
  try {
    await once(server, "listening");
    await withTimeout(middleware.ready, STARTUP_LIMIT_MS, `${spec.name}: the dev middleware's ready`);
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    console.log(`  ${spec.name.padEnd(13)} 100 pages, dev middleware ready in ${fmt(performance.now() - started)} ms`);
    context = await browser.newContext();
    const tab = await context.newPage();
    tab.setDefaultTimeout(TAB_LIMIT_MS);
    tab.on("console", (message) => {
      if (message.type() === "error" && !/Failed to load resource/.test(message.text()))
        consoleErrors.push(message.text().slice(0, 300));
    });
    tab.on("pageerror", (error) => consoleErrors.push(`pageerror: ${error.message.slice(0, 300)}`));
    tab.on("response", (response) => {
      // The browser's own favicon request is the host's 404, not the product's.
      if (response.status() >= 400 && !response.url().endsWith("/favicon.ico"))
        consoleErrors.push(`${response.status()} ${response.url()}`);
    });
    // Full loads only (the router's own history updates are not counted).
    let loads = 0;
    tab.on("load", () => loads++);
    const eventsRequested = tab.waitForRequest((request) => request.url().includes("/_ssr-pages/events"), {
      timeout: TAB_LIMIT_MS,
    });
    await tab.goto(`${origin}${pageUrl(1, pages)}`, { timeout: TAB_LIMIT_MS });
    await tab.locator("#card").waitFor();
    // The tab's event stream must be open before a save can reach it (and rebuilds are incremental from then on).
    await eventsRequested.catch(() => note(`${spec.name}: the tab never opened the event stream`));
    stream = listenBuilds(`${origin}/_ssr-pages/events`);
    await withTimeout(stream.ready, TAB_LIMIT_MS, `${spec.name}: the event stream`);
    await delay(300);
    const builds = stream.builds;
    const marker = `m${Date.now()}`;
    const setMarker = () =>
      tab.evaluate((value) => ((window as unknown as { __stylesBench: string }).__stylesBench = value), marker);
    await setMarker();
    const initial = await tab.evaluate(() => getComputedStyle(document.getElementById("card") as HTMLElement).color);
    if (!spec.none && initial !== rgb(colour(0)))
      note(`${spec.name}: the card's initial colour is ${initial}, expected ${rgb(colour(0))}`);

    let n = 0;
    let edit = 0;
    /** One save and the waits; NaN where the tab never showed it. */
    const timed = async (kind: string, save: () => void, shown: () => Promise<unknown>): Promise<Timed> => {
      const before = loads;
      const buildsBefore = builds.length;
      const t0 = performance.now();
      save();
      run.saves++;
      try {
        await shown();
      } catch (error) {
        const server =
          builds.length > buildsBefore
            ? `a build event came ${fmt((builds[buildsBefore]?.at ?? 0) - t0)} ms after the save`
            : "no build event came";
        note(
          `${spec.name}: ${kind}: the tab did not show the save within ${TAB_LIMIT_MS / 1000} s; ${server} (${(error as Error).message.split("\n")[0]})`,
        );
        await tab.reload({ timeout: TAB_LIMIT_MS }).catch(() => undefined);
        await delay(500);
        await setMarker();
        return { build: Number.NaN, tab: Number.NaN };
      }
      const tabMs = performance.now() - t0;
      const build = builds[buildsBefore];
      const kept = await tab.evaluate(() => (window as unknown as { __stylesBench?: string }).__stylesBench);
      if (kept !== marker || loads !== before) {
        note(
          `${spec.name}: ${kind}: the tab was reloaded (marker ${kept === marker ? "kept" : "lost"}, ${loads - before} load event(s)), not updated in place`,
        );
        await setMarker();
      }
      if (build && build.errors > 0) note(`${spec.name}: ${kind}: the build event carried ${build.errors} error(s)`);
      await delay(SETTLE_MS);
      return { build: build ? build.at - t0 : Number.NaN, tab: tabMs };
    };
    const run: DevRun = {
      spec,
      dir,
      countLog,
      tab,
      builds,
      buildsAtStart: builds.length,
      saves: 0,
      style: [],
      page: [],
      consoleErrors,
      reported,
      close,
      styleSave: () =>
        timed(
          "style save",
          () => writeFileSync(styleFile, styleSource(++n)),
          () =>
            tab.waitForFunction(
              (expected) => getComputedStyle(document.getElementById("card") as HTMLElement).color === expected,
              rgb(colour(n)),
              { polling: "raf", timeout: TAB_LIMIT_MS },
            ),
        ),
      pageSave: () =>
        timed(
          "page save",
          () => writeFileSync(page1, pageSource(1, site, ++edit)),
          () =>
            tab.waitForFunction(
              (expected) => document.getElementById("edit")?.textContent === expected,
              `edit ${edit}`,
              { polling: "raf", timeout: TAB_LIMIT_MS },
            ),
        ),
      classSave: (k) => {
        const c = colour(1000 + k);
        return timed(
          "Tailwind class added",
          () => writeFileSync(badge, badgeSource(`bg-[#${hex(c)}]`)),
          () =>
            tab.waitForFunction(
              (expected) =>
                getComputedStyle(document.getElementById("badge") as HTMLElement).backgroundColor === expected,
              rgb(c),
              { polling: "raf", timeout: TAB_LIMIT_MS },
            ),
        );
      },
    };
    // Two warm-up saves of each: the first rebuilds with a tab create the incremental contexts.
    for (let warm = 0; warm < 2; warm++) {
      if (!spec.none) await run.styleSave();
      await run.pageSave();
    }
    rmSync(countLog, { force: true });
    run.buildsAtStart = builds.length;
    run.saves = 0;
    return run;
  } catch (error) {
    await close();
    throw error;
  }
}
