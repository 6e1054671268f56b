/**
 * What the style pipeline (Sass, the app's PostCSS config, Tailwind v4 through @tailwindcss/postcss)
 * costs, as ratios against a baseline measured in the same run (absolute times drift on these VMs):
 *
 * 1. Start-up, production (`dev: false`): `ssrMiddleware(…)` created → `ready` resolved and the first
 *    page answered 200, in a fresh Node process per measurement running the package compiled to
 *    JavaScript (as a user's app would; Tailwind's modules load inside the measured span, as they
 *    would at a real start). Generated sites of 100 and 1,000 pages, each page with shared Tailwind
 *    utilities and page-specific arbitrary values (`w-[123px]`), `_app.tsx` importing a
 *    `global.css` with `@import "tailwindcss" source("../")` and a `postcss.config.mjs` naming
 *    `@tailwindcss/postcss`, against the same pages with a plain `global.css` and no PostCSS config
 *    (the baseline). Rounds interleave the two (ABBA order), medians over rounds; the ratio is
 *    tailwind / baseline (target ≤ 1.3×). The first page's stylesheets are read back to check that
 *    Tailwind made its classes (a fast start that generated nothing would be no figure). A counting
 *    PostCSS plugin in the generated config logs every file PostCSS processes, to show each
 *    stylesheet is processed once per build, not once per page.
 * 2. The dev loop (`dev: true`, in this process, a Chromium tab open): 100 pages import
 *    `components/card.module.scss`, which `@use`s `styles/_vars.scss` (outside the pages directory).
 *    Saving the partial (a new colour) → the open tab's computed style of the card changes, with no
 *    reload (a window marker must survive), p50/p95 over EDITS saves; the baseline, interleaved with
 *    it in the same site, is a save of the page's own text (.tsx) → the tab shows it. Each save is
 *    also timed to the dev loop's `build` event (a listener on the event stream in this process), so
 *    server and browser shares can be told apart. Four sites: `no styles` (no stylesheet at all, page
 *    saves only: what a rebuild costs without the style pipeline), `css` (the card is a plain
 *    `card.module.css`, saved itself: the reference without Sass), `sass`, and `sass+tailwind` (the
 *    Tailwind site of part 1 plus the Sass card). The four run side by side, a tab on each, and take
 *    turns save by save (the order rotating), so the machine's drift falls on all alike and sites can
 *    be compared too. Then, on the Tailwind site, saves that add a new Tailwind class to a component
 *    (interleaved with page saves): `_app`'s global.css must pick it up and the tab's computed style
 *    change (the entry stylesheet swapped in place).
 *
 * Everything is generated in .tmp/bench-styles-* inside the repository (so pages resolve its React,
 * PostCSS and Tailwind) and removed at the end.
 *
 * Run: npx tsx bench/styles.ts (about 2–3 minutes). ROUNDS=n start-up rounds per variant (4),
 * EDITS=n saves of each kind in the dev loop (24), TW_EDITS=n Tailwind-class saves (6),
 * SIZES=100,1000 the start-up sizes, ONLY=startup|dev one half.
 *
 * This file runs the two parts and prints the summary; they live in bench/styles/: `startup.ts`
 * (part 1), `dev-loop.ts` (part 2), `sites.ts` (the generated sites and the counting PostCSS plugin).
 */
import os from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { launchChromium } from "../test/browser/harness.js";
import { ROOT } from "./lib/build.js";
import { measureDev } from "./styles/dev-loop.js";
import { findings } from "./styles/findings.js";
import { measureStartup } from "./styles/startup.js";
import { createWorkspace } from "./styles/workspace.js";

const ROUNDS = Math.max(3, Number(process.env.ROUNDS ?? 4));
const EDITS = Math.max(1, Number(process.env.EDITS ?? 24));
const TW_EDITS = Math.max(0, Number(process.env.TW_EDITS ?? 6));
const SIZES = (process.env.SIZES ?? "100,1000")
  .split(",")
  .map(Number)
  .filter((n) => n > 0);
const ONLY = process.env.ONLY;
/** Whole-run watchdog: a stuck wait must never hold the machine. */
const RUN_LIMIT_MS = 9 * 60_000;

const work = createWorkspace();
const watchdog = setTimeout(() => {
  console.error(`bench/styles.ts: over ${RUN_LIMIT_MS / 60_000} minutes, giving up`);
  work.remove();
  process.exit(2);
}, RUN_LIMIT_MS);
watchdog.unref();
process.once("SIGINT", () => {
  work.remove();
  process.exit(130);
});

const load = () =>
  os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(" ");
console.log(
  `ssr-pages styles bench: Node ${process.version}, ${os.cpus().length} cores, ${new Date().toISOString()}; load average ${load()}; work in ${path.relative(ROOT, work.dir)}`,
);
const began = performance.now();
let browser: Browser | undefined;
try {
  if (ONLY !== "dev") await measureStartup(work, { rounds: ROUNDS, sizes: SIZES });
  if (ONLY !== "startup") {
    console.log(
      `\n2. Dev loop (dev: true, in this process), 100 pages, four sites side by side, a Chromium tab open on each; ${EDITS} saves of each kind per site, interleaved across kinds and sites, after 2 warm-up saves of each (load average ${load()})`,
    );
    browser = await launchChromium();
    await measureDev(
      work,
      browser,
      [
        { name: "no styles", sass: false, tailwind: false, none: true },
        { name: "css", sass: false, tailwind: false },
        { name: "sass", sass: true, tailwind: false },
        { name: "sass+tailwind", sass: true, tailwind: true },
      ],
      { edits: EDITS, twEdits: TW_EDITS },
    );
  }
} finally {
  await browser?.close().catch(() => undefined);
  work.remove();
  clearTimeout(watchdog);
}
console.log(`\nFindings (${findings.length}): ${findings.length === 0 ? "none" : ""}`);
for (const finding of findings) console.log(`  - ${finding}`);
console.log(
  `\ndone in ${((performance.now() - began) / 1000).toFixed(0)} s; load average ${load()} (other work on the machine moves absolute times; the ratios are within this run)`,
);
