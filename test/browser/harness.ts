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
import type { Browser, BrowserContext, Page, Response } from "playwright-core";
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

const contexts = new WeakMap<Browser, Map<boolean, Promise<BrowserContext>>>();

/**
 * A page of its own for a test, in the one browser context this browser keeps (one with JavaScript,
 * one without): Chromium's first page in a new context costs about 1.5 s of CPU here, the next ones
 * a fifth of that, and the browser tests opened hundreds. Nothing the tests use outlives a page
 * (history, session storage, routes, listeners); the HTTP cache, which would, is emptied for each
 * new page; no fixture sets a cookie or local storage. Close the page (and any it opened), not its
 * context.
 */
export async function newTestPage(
  browser: Browser,
  { javaScript = true }: { javaScript?: boolean } = {},
): Promise<Page> {
  let kept = contexts.get(browser);
  if (kept === undefined) contexts.set(browser, (kept = new Map()));
  let context = kept.get(javaScript);
  if (context === undefined) kept.set(javaScript, (context = browser.newContext({ javaScriptEnabled: javaScript })));
  const page = await (await context).newPage();
  // Each test starts with an empty HTTP cache, as in a fresh context. (Network.setCacheDisabled does
  // nothing on a session that has not enabled the Network domain: checked, a page then took its
  // scripts from the last test's cache.)
  await (await page.context().newCDPSession(page)).send("Network.clearBrowserCache");
  page.setDefaultTimeout(10_000);
  page.setDefaultNavigationTimeout(10_000);
  return page;
}

/**
 * Opens a fresh page (bounded timeouts, requests recorded), lets `watch` attach listeners
 * of its own, goes to `url`, and waits with `ready`; the context is closed if any of it fails.
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
    return { page, response, requests, documents, close: () => page.close() };
  } catch (error) {
    await page.close();
    throw error;
  }
}

/** Open `path` in a page of its own ({@link newTestPage}) and wait until React has hydrated the page. */
export async function openPage(harness: Harness, path: string): Promise<OpenedPage> {
  const problems: string[] = [];
  const opened = await openRecorded(harness.browser, harness.origin + path, recordProblems(problems), waitHydrated);
  return { ...opened, problems };
}

/** A page watcher (for {@link openRecorded}) that adds the page's console errors and uncaught errors to `problems`. */
export function recordProblems(problems: string[]): (page: Page) => void {
  return (page) => {
    page.on("console", (message) => {
      // Chromium asks for /favicon.ico on its own; the fixture apps have none.
      if (message.type() === "error" && !message.location().url.endsWith("/favicon.ico")) problems.push(message.text());
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
