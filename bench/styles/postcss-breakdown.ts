/**
 * Apart from the compile, in a fresh process: loading the app's PostCSS config (postcss-load-config
 * importing @tailwindcss/postcss and its native modules), then global.css through it once, as
 * ssr-pages does at start-up (and once again): what the difference between the two variants is made of.
 */
import { spawn } from "node:child_process";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "../lib/build.js";
import type { Workspace } from "./workspace.js";

/** One breakdown: config + plugin load, global.css cold and again (ms), and the CSS it made (bytes). */
export interface Breakdown {
  loadMs: number;
  firstMs: number;
  againMs: number;
  bytes: number;
}

const BREAKDOWN = `
import { readFileSync } from "node:fs";
const [pagesDir, globalCss] = process.argv.slice(2);
const t0 = performance.now();
const { default: loadConfig } = await import("postcss-load-config");
const config = await loadConfig({ env: "production", cwd: pagesDir }, pagesDir);
const { default: postcss } = await import("postcss");
const t1 = performance.now();
const processor = postcss(config.plugins);
const css = readFileSync(globalCss, "utf8");
const first = await processor.process(css, { from: globalCss, to: globalCss, map: false });
const t2 = performance.now();
await processor.process(css, { from: globalCss, to: globalCss, map: false });
const t3 = performance.now();
process.send({ loadMs: t1 - t0, firstMs: t2 - t1, againMs: t3 - t2, bytes: first.css.length });
`;

export async function breakdown(site: { pagesDir: string; countLog: string }, work: Workspace): Promise<Breakdown> {
  const file = path.join(work.dir, "breakdown-child.mjs");
  if (!existsSync(file)) writeFileSync(file, BREAKDOWN);
  const child = spawn(process.execPath, [file, site.pagesDir, path.join(site.pagesDir, "global.css")], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "production" },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the PostCSS breakdown took over 60 s")), 60_000);
      child.once("message", (message) => {
        clearTimeout(timer);
        resolve(message as Breakdown);
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`the PostCSS breakdown exited with ${code}`));
      });
    });
  } finally {
    if (child.exitCode === null) child.kill();
    rmSync(site.countLog, { force: true });
  }
}
