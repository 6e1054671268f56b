/**
 * Shared by the production-build tests: scratch folders inside the repository (git ignores `.tmp/`,
 * and pages copied there still resolve the repository's React), fixture copies, reading a build's
 * folder, and raw HTTP requests (bytes as sent, no decompression).
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import http, { type IncomingHttpHeaders, type RequestListener, type Server } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "../styles/helpers.js";

export const REPO = path.resolve(fileURLToPath(new URL("../..", import.meta.url)));
export const SITE_PAGES = path.join(REPO, "test", "fixtures", "build-site", "pages");
export const OTHER_PAGES = path.join(REPO, "test", "fixtures", "build-other", "pages");
export const SKEW_ROOT = path.join(REPO, "test", "fixtures", "build-skew");

/** A fresh scratch folder under `<repo>/.tmp` (test files run in parallel processes: each gets its own). */
export function scratch(prefix: string): string {
  const base = path.join(REPO, ".tmp");
  mkdirSync(base, { recursive: true });
  return mkdtempSync(path.join(base, `build-test-${prefix}-`));
}

export function removeScratch(dir: string | undefined): void {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
}

/** Copies a folder (a pages folder, or a fixture root with pages/ and components/) to `to`. */
export function copyDir(from: string, to: string): string {
  cpSync(from, to, { recursive: true });
  return to;
}

/** Every file under `dir`, relative, with forward slashes, sorted. */
export function listFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .map((name) => String(name))
    .filter((name) => statSync(path.join(dir, name)).isFile())
    .map((name) => name.split(path.sep).join("/"))
    .sort();
}

/** relative name → bytes of every file under `dir`. */
export function readTree(dir: string): Map<string, Buffer> {
  return new Map(listFiles(dir).map((name) => [name, readFileSync(path.join(dir, name))]));
}

/** The parsed `<out>/ssr-pages.json`. */
export interface Manifest {
  ssrPages: string;
  buildId: string;
  routes: Array<{ file: string }>;
  /** The served files: their names, and a digit per name for the copies beside it. */
  files: { names: string[]; encodings: string };
  previous: Array<{ buildId: string; files: { names: string[]; encodings: string } }>;
  static: {
    base: string;
    lang: string;
    pages: Record<string, { path: string; html: { name: string; etag: string }; json: { name: string; etag: string } }>;
  };
  browser: { entry: string; entryCss: string[] } | null;
  [key: string]: unknown;
}

export function readManifest(out: string): Manifest {
  return JSON.parse(readFileSync(path.join(out, "ssr-pages.json"), "utf8")) as Manifest;
}

/** The page data embedded in an HTML document (`<script id="__SSR_PAGES_DATA__" type="application/json">`). */
export function embeddedData(html: string): {
  pageData: { buildId?: string; componentChunkName: string; module?: string };
} {
  const match = /<script id="__SSR_PAGES_DATA__" type="application\/json">([\s\S]*?)<\/script>/.exec(html);
  if (!match?.[1]) throw new Error(`no __SSR_PAGES_DATA__ script in: ${html.slice(0, 300)}`);
  return JSON.parse(match[1]) as { pageData: { buildId?: string; componentChunkName: string } };
}

/** Serves `listener` on a free loopback port (the styles suite's helper, under the name these tests use). */
export async function listen(
  listener: RequestListener,
): Promise<{ server: Server; origin: string; close(): Promise<void> }> {
  const served = await serve(listener);
  return { server: served.server, origin: served.origin, close: served.stop };
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A GET (or HEAD) whose body is returned exactly as sent: nothing decompressed. */
export function rawGet(
  origin: string,
  pathname: string,
  headers: Record<string, string> = {},
  method = "GET",
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(origin + pathname, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

/** The render counters the fixture pages of build-site keep on globalThis (see its _renders.ts). */
export function renders(name: string): number {
  return (globalThis as unknown as { __buildSiteRenders?: Record<string, number> }).__buildSiteRenders?.[name] ?? 0;
}
