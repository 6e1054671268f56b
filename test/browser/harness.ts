// Shared set-up for the browser tests: one Express 5 app serving the fixture pages at the root and
// under /shop (one middleware, two mounts: the mount path is taken per request), one headless Chromium.

import { existsSync } from "node:fs";
import { once } from "node:events";
import { createServer } from "node:http";
import type { RequestListener, Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import express from "express";
import { chromium } from "playwright-core";
import type { Browser, BrowserContext, CDPSession, Page, Response } from "playwright-core";
import { ssrMiddleware } from "../../adapters/express.js";

export const PAGES_DIR = fileURLToPath(new URL("./fixtures/pages", import.meta.url));
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** A missing browser fails the suite with the fix in the message: these tests are never skipped. */
export function assertChromium(): void {
  if (!existsSync(CHROMIUM))
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (as .ci/run does), or set CHROMIUM_PATH`);
}

/** Debian's Chromium, headless, with the flags this machine needs (no background networking: it is refused here). */
export async function launchChromium(): Promise<Browser> {
  assertChromium();
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    timeout: 20_000,
  });
}

/** Serves `app` on a free loopback port. */
export async function listen(app: RequestListener): Promise<{ server: Server; origin: string }> {
  const server: Server = createServer(app);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return { server, origin: `http://127.0.0.1:${port}` };
}

export interface ReportedError {
  error: unknown;
  info: { page?: string; url: string; method: string; phase: string };
}

export interface Harness {
  origin: string;
  browser: Browser;
  /** What the middleware's onError received (kept out of the test output). */
  errors: ReportedError[];
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const errors: ReportedError[] = [];
  const pages = ssrMiddleware(PAGES_DIR, {
    dev: false,
    onError: (error, info) => {
      errors.push({ error, info });
    },
  });
  const app = express();
  app.use("/shop", pages);
  app.use(pages);
  await pages.ready;
  const { server, origin } = await listen(app);
  let browser: Browser;
  try {
    browser = await launchChromium();
  } catch (error) {
    server.close();
    throw error;
  }
  return {
    origin,
    browser,
    errors,
    async close() {
      await browser.close();
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}

export interface OpenedPage {
  page: Page;
  /** The first document response. */
  response: Response | null;
  /** Console errors and uncaught page errors (hydration mismatches land here). */
  problems: string[];
  /** Every request URL, in order. */
  requests: string[];
  /** Document (full page load) requests, the first one included. */
  documents: string[];
  close(): Promise<void>;
}

/** A page of its own, recording every request and every document (full page load) request. */
export interface RecordedPage {
  page: Page;
  requests: string[];
  documents: string[];
  close(): Promise<void>;
}

/** A context the browser keeps for one set of {@link TestPageOptions}, and its pages free for the next test. */
interface Kept {
  context: Promise<BrowserContext>;
  free: Page[];
}

/** What a test page is opened with. Pages are kept per set of options: each set has a context of its own. */
export interface TestPageOptions {
  /** false: JavaScript off (a context option). */
  javaScript?: boolean;
  /** The User-Agent the page sends (a context option; Chromium's own by default). */
  userAgent?: string;
  /**
   * Run, in order, in every document of the page before its own scripts. Installed once per page,
   * which is kept with them for the next test asking for the same: they hold no state of one test.
   */
  initScripts?: Array<() => void>;
}

const kept = new WeakMap<Browser, Map<string, Kept>>();
/** Where a page goes back to, and the CDP session that resets it. */
const owners = new WeakMap<Page, { pool: Kept; cdp: CDPSession }>();

/**
 * A page for one test, in the one browser context this browser keeps for `options`, reused from an
 * earlier test where one was handed back with {@link releaseTestPage}. Chromium's cost here is in new
 * tabs, not in loads: a test's open, load, hydrate and click cost about 2.1 s of CPU in a new page
 * (1.5 s more for the first page of a new context) and 0.6 s in a reused one, and the browser tests
 * open hundreds. What a test could see of an earlier one is reset on release (listeners, routes, the
 * document, history, the mouse) or here (the HTTP cache, emptied as in a fresh context; timeouts);
 * no fixture sets a cookie, local or session storage.
 */
export async function newTestPage(browser: Browser, options: TestPageOptions = {}): Promise<Page> {
  const { javaScript = true, userAgent, initScripts = [] } = options;
  let pools = kept.get(browser);
  if (pools === undefined) kept.set(browser, (pools = new Map()));
  const key = JSON.stringify([javaScript, userAgent, ...initScripts.map(String)]);
  let pool = pools.get(key);
  if (pool === undefined)
    pools.set(key, (pool = { context: browser.newContext({ javaScriptEnabled: javaScript, userAgent }), free: [] }));
  let page = pool.free.pop();
  if (page === undefined) {
    page = await (await pool.context).newPage();
    owners.set(page, { pool, cdp: await page.context().newCDPSession(page) });
    for (const script of initScripts) await page.addInitScript(script);
  }
  // Network.setCacheDisabled would do nothing on a session that has not enabled the Network domain
  // (checked: a page then took its scripts from the last test's cache).
  await owners.get(page)?.cdp.send("Network.clearBrowserCache");
  page.setDefaultTimeout(10_000);
  page.setDefaultNavigationTimeout(10_000);
  return page;
}

/**
 * An init script ({@link TestPageOptions.initScripts}): each CSP violation in the document is a console
 * error, "csp: <directive> <blocked URI> <sample>", which a test's console listener records with the
 * page's other errors.
 */
export function reportCspViolations(): void {
  document.addEventListener("securitypolicyviolation", (event) =>
    console.error(`csp: ${event.violatedDirective} ${event.blockedURI} ${event.sample}`),
  );
}

/**
 * The page events a test listens to, whose listeners {@link releaseTestPage} removes: every event of a
 * page but `close` and `crash`, which Playwright listens to itself (its pending calls fail with the
 * page through them).
 */
const TEST_EVENTS = [
  "console",
  "dialog",
  "domcontentloaded",
  "download",
  "filechooser",
  "frameattached",
  "framedetached",
  "framenavigated",
  "load",
  "pageerror",
  "popup",
  "request",
  "requestfailed",
  "requestfinished",
  "response",
  "websocket",
  "worker",
] as const;

/**
 * Hands a page from {@link newTestPage} back for the next test: the test's listeners and routes
 * removed, the page on about:blank (which ends its requests, streams and event source), the mouse
 * moved off anything the next document could hover, and its history down to that blank entry (so a
 * next test's first page is the second entry, where a new tab's would be the first: no test goes back
 * past its own first page). A page that is not reset within 5 s (a renderer busy in a loop, a crash)
 * is closed instead. A test that wants its page seen by no later test closes it (`page.close()`)
 * instead of handing it back.
 */
export async function releaseTestPage(page: Page): Promise<void> {
  const owner = owners.get(page);
  if (owner === undefined || page.isClosed()) return page.close();
  if (owner.pool.free.includes(page)) return; // handed back already
  const reset = async () => {
    for (const event of TEST_EVENTS) page.removeAllListeners(event);
    await page.unrouteAll({ behavior: "ignoreErrors" });
    await page.goto("about:blank");
    await page.mouse.move(0, 0);
    await owner.cdp.send("Page.resetNavigationHistory");
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      reset(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error("page not reset in 5 s")), 5_000))),
    ]);
    owner.pool.free.push(page);
  } catch {
    await page.close().catch(() => {});
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Opens a test page ({@link newTestPage}: bounded timeouts) recording its requests, lets `watch`
 * attach listeners of its own, goes to `url`, and waits with `ready`; the page is handed back
 * ({@link releaseTestPage}) if any of it fails, and by the `close` it returns.
 */
export async function openRecorded(
  browser: Browser,
  url: string,
  watch: (page: Page) => void,
  ready: (page: Page) => Promise<void>,
): Promise<RecordedPage & { response: Response | null }> {
  const page = await newTestPage(browser);
  const requests: string[] = [];
  const documents: string[] = [];
  page.on("request", (request) => {
    requests.push(request.url());
    if (request.resourceType() === "document") documents.push(request.url());
  });
  watch(page);
  try {
    const response = await page.goto(url);
    await ready(page);
    return { page, response, requests, documents, close: () => releaseTestPage(page) };
  } catch (error) {
    await releaseTestPage(page);
    throw error;
  }
}

/** Open `path` in a page of its own ({@link newTestPage}) and wait until React has hydrated the page. */
export async function openPage(harness: Harness, path: string): Promise<OpenedPage> {
  const problems: string[] = [];
  const opened = await openRecorded(harness.browser, harness.origin + path, recordProblems(problems), waitHydrated);
  return { ...opened, problems };
}

/** What {@link recordProblems} records besides console errors and uncaught errors. */
export interface ProblemOptions {
  /** Console warnings too (a hydration mismatch is one). */
  warnings?: boolean;
  /** Leaves out what is logged about these URLs (as /favicon.ico always is: Chromium asks for it on its own, and the fixture apps have none). */
  ignore?: (url: string) => boolean;
}

/**
 * A page watcher (for {@link openRecorded}, or to call on a page) that adds the page's console errors
 * (and warnings, if asked) as "<type>: <text> (<the URL it is about>)" to `problems`, and its uncaught
 * errors as "pageerror: <message>".
 */
export function recordProblems(
  problems: string[],
  { warnings = false, ignore }: ProblemOptions = {},
): (page: Page) => void {
  return (page) => {
    page.on("console", (message) => {
      const type = message.type();
      if (type !== "error" && !(warnings && type === "warning")) return;
      const from = message.location().url;
      if (from.endsWith("/favicon.ico") || ignore?.(from)) return;
      problems.push(from ? `${type}: ${message.text()} (${from})` : `${type}: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  };
}

/** The fixture `Nav` marks itself once its effects have run, i.e. after hydration or a client render. */
export async function waitHydrated(page: Page): Promise<void> {
  await page.waitForSelector("nav[data-hydrated]", { state: "attached" });
}

/** Set a value on window that only survives if the document is not reloaded. */
export async function setMarker(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { __marker?: string }).__marker = "same document";
  });
}

export async function readMarker(page: Page): Promise<string | undefined> {
  return page.evaluate(() => (window as unknown as { __marker?: string }).__marker);
}

export async function text(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).textContent()) ?? "";
}

/** The number in "<name> visits: N". */
export async function visits(page: Page): Promise<number> {
  const match = /visits: (\d+)/.exec(await text(page, "#visits"));
  if (!match?.[1]) throw new Error("no visit counter on the page");
  return Number(match[1]);
}
