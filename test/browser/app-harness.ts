// Set-up for app.test.ts: the real-app fixture (test/fixtures/app) served by the Express adapter at the
// root and under /shop (one middleware, two mounts), in production (`dev: false`) or development
// (`dev: true`), and a page opener that knows when that app has hydrated.
//
// The production server also mounts test/browser/fixtures/app-crash at /crash-nav and /shop/crash-nav:
// a start page whose Link leads, by client navigation, to the main app's crash page.

import { once } from "node:events";
import { fileURLToPath } from "node:url";
import express from "express";
import type { Browser, ConsoleMessage, Page, Response } from "playwright-core";
import { ssrMiddleware } from "../../adapters/express.js";
import { listen, openRecorded } from "./harness.js";

export { launchChromium } from "./harness.js";
import type { ReportedError } from "./harness.js";

export const APP_PAGES_DIR = fileURLToPath(new URL("../fixtures/app/pages", import.meta.url));
export const CRASH_PAGES_DIR = fileURLToPath(new URL("./fixtures/app-crash/pages", import.meta.url));

/** The environment the /env page reads. Set before any middleware is created (read at compile). */
export const ENV = {
  PUBLIC_FIXTURE_GREETING: "hello-from-PUBLIC-9d41",
  GATSBY_FIXTURE_FLAG: "gatsby-flag-7c2e",
  FIXTURE_SECRET: "fixture-secret-e5b3a1f07c-never-in-the-browser",
} as const;

export function setFixtureEnv(): void {
  Object.assign(process.env, ENV);
  // #destructured reads this one: it must be unset, so the page shows "undefined".
  delete process.env.PUBLIC_ONLY_DESTRUCTURED;
}

export interface AppServer {
  origin: string;
  dev: boolean;
  errors: ReportedError[];
  close(): Promise<void>;
}

export async function startAppServer({ dev }: { dev: boolean }): Promise<AppServer> {
  setFixtureEnv();
  const errors: ReportedError[] = [];
  const onError = (error: unknown, info: ReportedError["info"]) => {
    errors.push({ error, info });
  };
  const pages = ssrMiddleware(APP_PAGES_DIR, { dev, onError });
  const app = express();
  if (!dev) {
    const crashNav = ssrMiddleware(CRASH_PAGES_DIR, { dev, onError });
    app.use("/shop/crash-nav", crashNav);
    app.use("/crash-nav", crashNav);
    await crashNav.ready;
  }
  app.use("/shop", pages);
  app.use(pages);
  await pages.ready;
  const { server, origin } = await listen(app);
  return {
    origin,
    dev,
    errors,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}

export interface Problem {
  text: string;
  /** The console message's source URL (for "Failed to load resource", the resource). */
  url: string;
  type: string;
}

export interface OpenedApp {
  page: Page;
  response: Response | null;
  /** Console errors and warnings, and uncaught page errors. */
  problems: Problem[];
  /** Every request URL, in order. */
  requests: string[];
  /** Every response: URL and status. */
  responses: { url: string; status: number }[];
  /** Document (full page load) requests, the first one included. */
  documents: string[];
  close(): Promise<void>;
}

export type Hydration = "app" | "crash-nav" | "none";

/**
 * Open `path` in a page of its own (harness.ts's `newTestPage`). `hydration` says what to wait for: the main app's React root
 * to have committed ("app"), the crash-nav fixture's marker ("crash-nav"), or nothing ("none": pages
 * that throw while hydrating).
 */
export async function openApp(
  server: AppServer,
  browser: Browser,
  path: string,
  hydration: Hydration = "app",
): Promise<OpenedApp> {
  const problems: Problem[] = [];
  const responses: { url: string; status: number }[] = [];
  const opened = await openRecorded(
    browser,
    server.origin + path,
    (page) => {
      page.on("console", (message: ConsoleMessage) => {
        const type = message.type();
        if (type !== "error" && type !== "warning") return;
        const url = message.location().url;
        // Chromium asks for /favicon.ico on its own.
        if (url.endsWith("/favicon.ico")) return;
        // The fixture's font.woff2 is a 64-byte placeholder: Chromium fetches it (the url() resolved) and
        // warns that it is no font. Not the package's doing.
        if (
          type === "warning" &&
          /^(Failed to decode downloaded font: .*\/font-[^/]*\.woff2|OTS parsing error: )/.test(message.text())
        )
          return;
        problems.push({ text: message.text(), url, type });
      });
      page.on("pageerror", (error) =>
        problems.push({ text: `pageerror: ${error.message}`, url: "", type: "pageerror" }),
      );
      page.on("response", (response) => responses.push({ url: response.url(), status: response.status() }));
    },
    async (page) => {
      if (hydration === "app") await waitAppHydrated(page);
      else if (hydration === "crash-nav") await page.waitForSelector("nav[data-hydrated]", { state: "attached" });
    },
  );
  return { ...opened, problems, responses };
}

/** The fixture app's layout marks its header once React has hydrated it (its effects have run). */
export async function waitAppHydrated(page: Page): Promise<void> {
  await page.waitForSelector("header[data-hydrated]", { state: "attached" });
}

export async function nextFrame(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
}

/** Pathnames of the `<link rel=stylesheet>` elements, in document order (duplicates kept). */
export async function stylesheetLinks(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')].map((l) => new URL(l.href).pathname),
  );
}

export function duplicates(list: string[]): string[] {
  return list.filter((item, i) => list.indexOf(item) !== i);
}

export async function setMarker(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { __marker?: string }).__marker = "same document";
  });
}

export async function readMarker(page: Page): Promise<string | undefined> {
  return page.evaluate(() => (window as unknown as { __marker?: string }).__marker);
}

/** Wait for `fn` to be true in the page; on timeout, fail with `describe()`'s view of the page. */
export async function waitUntil<A>(
  page: Page,
  fn: (arg: A) => unknown,
  arg: A,
  describe: () => Promise<string>,
  timeout = 5_000,
): Promise<void> {
  try {
    await page.waitForFunction(fn as (arg: unknown) => unknown, arg as unknown, { timeout });
  } catch (error) {
    if (page.isClosed()) throw error;
    throw new Error(`${await describe()} (waited ${timeout} ms)`, { cause: error });
  }
}
