/**
 * One production start-up, measured in a fresh Node process: `ssrMiddleware(…)` created → `ready`
 * resolved → the first page answered, then that page's stylesheets read back (untimed) to check what
 * Tailwind made; the process's RSS and the counting PostCSS plugin's log are read in this process.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "../lib/build.js";
import { rssMiB } from "../lib/server.js";
import type { PackageRun } from "./compile-package.js";
import { STARTUP_LIMIT_MS } from "./limits.js";
import { pageUrl, readCounts, readRuns, type PostcssRun } from "./sites.js";
import type { Workspace } from "./workspace.js";

/** The start-up child: its own code, one measurement, the result over IPC, then it waits to be told to close. */
const CHILD = `
import { once } from "node:events";
const [adapter, pagesDir, probe, expectClass, otherClass] = process.argv.slice(2);
const { ssrMiddleware } = await import(adapter);
const { default: express } = await import("express");
const errors = [];
const app = express();
const started = performance.now();
const pages = ssrMiddleware(pagesDir, { dev: false, onError: (error, info) => errors.push(info.phase + ": " + String(error?.message ?? error).slice(0, 300)) });
app.use(pages);
const server = app.listen(0, "127.0.0.1");
await once(server, "listening");
const origin = "http://127.0.0.1:" + server.address().port;
let readyError;
await pages.ready.catch((error) => { readyError = String(error?.message ?? error); });
const readyMs = performance.now() - started;
const response = await fetch(origin + probe);
const html = await response.text();
const firstMs = performance.now() - started;
// Not timed: the page's stylesheets, read back to check what Tailwind made.
const hrefs = [...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)].map((m) => m[1]);
let css = "";
for (const href of hrefs) css += await (await fetch(new URL(href, origin))).text();
const has = (cls) => css.includes("." + cls.replace(/[\\[\\]#().:/%]/g, (c) => "\\\\" + c));
process.send({ startedAt: started, readyMs, firstMs, status: response.status, readyError, errors, stylesheets: hrefs.length, cssBytes: css.length, hasPageClass: has(expectClass), hasOtherPageClass: has(otherClass), hasShared: /\\.shadow\\b/.test(css), htmlHead: response.status === 200 ? "" : html.slice(0, 300) });
process.once("message", async () => {
  server.closeAllConnections();
  server.close();
  await pages.close();
  process.exit(0);
});
`;

export interface StartupResult {
  /** The child's performance.now() when ssrMiddleware() was called. */
  startedAt: number;
  readyMs: number;
  firstMs: number;
  status: number;
  readyError?: string;
  errors: string[];
  stylesheets: number;
  cssBytes: number;
  hasPageClass: boolean;
  hasOtherPageClass: boolean;
  hasShared: boolean;
  htmlHead: string;
  rss: number;
  runs: Map<string, number>;
  postcss: PostcssRun[];
}

export async function startupOnce(
  pkg: PackageRun,
  site: { pagesDir: string; pages: number; countLog: string; dir: string },
  work: Workspace,
): Promise<StartupResult> {
  rmSync(site.countLog, { force: true });
  const childFile = path.join(work.dir, "startup-child.mjs");
  if (!existsSync(childFile)) writeFileSync(childFile, CHILD);
  const last = site.pages;
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...pkg.nodeArgs,
      childFile,
      pkg.adapter,
      site.pagesDir,
      pageUrl(1, site.pages),
      `w-[101px]`,
      `w-[${100 + last}px]`,
    ],
    {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: "production" },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    },
  );
  try {
    const result = await new Promise<Omit<StartupResult, "rss" | "runs" | "postcss">>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`start-up of ${site.pagesDir} took over ${STARTUP_LIMIT_MS / 1000} s`)),
        STARTUP_LIMIT_MS,
      );
      child.once("message", (message) => {
        clearTimeout(timer);
        resolve(message as Omit<StartupResult, "rss" | "runs" | "postcss">);
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`the start-up child exited with ${code} before answering`));
      });
    });
    const rss = rssMiB(child);
    return { ...result, rss, runs: readCounts(site.countLog, site.dir), postcss: readRuns(site.countLog) };
  } finally {
    if (child.exitCode === null) {
      const exited = once(child, "exit");
      child.send?.("close");
      const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(killer);
    }
  }
}
