/**
 * 103 Early Hints in Chromium: a self-signed certificate made at run time, Chromium from
 * playwright-core, one navigation per fresh browser context (its own HTTP cache and connection), and
 * what both sides saw of it: the page's Navigation and Resource Timing, and when each request
 * reached the server.
 */
import { execFile } from "node:child_process";
import { createHash, X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { chromium, type Browser } from "playwright-core";
import { CHROME_UA, type StreamingServer } from "./streaming-server.js";

const run = promisify(execFile);

/** Debian's Chromium, as the browser tests use it. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** The browser tests' flags, with `--ignore-certificate-errors` for the self-signed certificate. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--ignore-certificate-errors",
];

/** A key and a self-signed certificate for CN=localhost, valid one day, and the certificate's SPKI hash (base64 SHA-256). */
export interface Tls {
  key: string;
  cert: string;
  spki: string;
}

/** Makes the key and certificate in `dir` with the `openssl` CLI; throws when it is missing. */
export async function selfSignedCertificate(dir: string): Promise<Tls> {
  mkdirSync(dir, { recursive: true });
  const key = path.join(dir, "key.pem");
  const cert = path.join(dir, "cert.pem");
  await run("openssl", [
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-subj",
    "/CN=localhost",
    "-days",
    "1",
    "-keyout",
    key,
    "-out",
    cert,
  ]);
  const spkiDer = new X509Certificate(readFileSync(cert)).publicKey.export({ type: "spki", format: "der" });
  return { key, cert, spki: createHash("sha256").update(spkiDer).digest("base64") };
}

/** Launches Chromium with {@link CHROMIUM_ARGS} and `extra`. */
export async function launchChromium(extra: readonly string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: set CHROMIUM_PATH`);
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...extra], timeout: 20_000 });
}

/** What one navigation showed, in ms from its start (Chromium's clock) or from the page request's arrival (the server's). */
export interface HintedNavigation {
  /** The navigation's protocol (`h2`). */
  protocol: string;
  /** Navigation Timing `responseStart`: in Chromium, the first interim response (the 103) when there was one. */
  responseStart: number;
  /** Navigation Timing `firstInterimResponseStart` (0 without a 1xx). */
  firstInterim: number;
  /** Navigation Timing `finalResponseHeadersStart`: when the HTML's own head arrived. */
  finalHeaders: number;
  /** The entry module's Resource Timing: `startTime`, `responseEnd`, `initiatorType`, `transferSize`. */
  entry: { startTime: number; responseEnd: number; initiator: string; transferSize: number };
  /** When the first request for the entry module reached the server, after the page's request (NaN if none came). */
  serverEntryAt: number;
  /** How many requests for the entry module the server got (2: the hinted one, then the document's own). */
  serverEntryRequests: number;
}

/** Navigates a fresh context of `browser` to `server`'s `pagePath` (until `load`) and collects the timings. */
export async function navigate(browser: Browser, server: StreamingServer, pagePath: string): Promise<HintedNavigation> {
  const context = await browser.newContext({ userAgent: CHROME_UA });
  try {
    const page = await context.newPage();
    await server.arrivals(); // forget what came before
    await page.goto(server.origin + pagePath, { waitUntil: "load" });
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming & {
        firstInterimResponseStart?: number;
        finalResponseHeadersStart?: number;
      };
      const entry = performance.getEntriesByType("resource").find((e) => /\/entry-[^/]*\.js$/.test(e.name)) as
        PerformanceResourceTiming | undefined;
      return {
        protocol: nav.nextHopProtocol,
        responseStart: nav.responseStart,
        firstInterim: nav.firstInterimResponseStart ?? Number.NaN,
        finalHeaders: nav.finalResponseHeadersStart ?? Number.NaN,
        entry: entry
          ? {
              startTime: entry.startTime,
              responseEnd: entry.responseEnd,
              initiator: entry.initiatorType,
              transferSize: entry.transferSize,
            }
          : { startTime: Number.NaN, responseEnd: Number.NaN, initiator: "none", transferSize: 0 },
      };
    });
    const arrivals = await server.arrivals();
    const pageAt = arrivals.find((a) => a.url === pagePath)?.at ?? Number.NaN;
    const entries = arrivals.filter((a) => /\/entry-[^/]*\.js$/.test(a.url));
    return { ...timing, serverEntryAt: (entries[0]?.at ?? Number.NaN) - pageAt, serverEntryRequests: entries.length };
  } finally {
    await context.close();
  }
}
