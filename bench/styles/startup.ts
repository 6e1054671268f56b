/**
 * Part 1, start-up in production (`dev: false`): generated sites with and without Tailwind, each
 * start-up in a fresh process, rounds in ABBA order; the table of medians and ratios, then what
 * Tailwind's PostCSS costs apart from the compile.
 */
import path from "node:path";
import { fmt, median } from "../lib/stats.js";
import { compilePackage } from "./compile-package.js";
import { note } from "./findings.js";
import { breakdown, type Breakdown } from "./postcss-breakdown.js";
import { describeCounts, writeSite } from "./sites.js";
import { ratio } from "./stats.js";
import { startupOnce, type StartupResult } from "./startup-child.js";
import type { Workspace } from "./workspace.js";

/** When Tailwind's plugin first ran (after ssrMiddleware()), and how long it took on global.css. */
function tailwindTimes(result: StartupResult): string {
  const global = result.postcss.find((run) => run.file.endsWith(`${path.sep}global.css`));
  if (!global) return "";
  const first = Math.min(...result.postcss.map((run) => run.at));
  return ` (first at +${fmt(first - result.startedAt)} ms; Tailwind on global.css ${fmt(global.ms)} ms)`;
}

/** Runs part 1 and prints its lines and tables: `rounds` rounds per variant, on sites of each of `sizes` pages. */
export async function measureStartup(
  work: Workspace,
  { rounds, sizes }: { rounds: number; sizes: readonly number[] },
): Promise<void> {
  console.log(`\n1. Start-up, production (dev: false), fresh process each: ssrMiddleware() → ready → first 200`);
  const pkg = await compilePackage(work);
  const sites = sizes.flatMap((pages) =>
    (["baseline", "tailwind"] as const).map((variant) => {
      const dir = path.join(work.dir, `${variant}-${pages}`);
      const countLog = path.join(work.counts, `${variant}-${pages}.log`);
      const pagesDir = writeSite(dir, { pages, tailwind: variant === "tailwind", sass: false, countLog });
      return { variant, pages, dir, pagesDir, countLog };
    }),
  );
  console.log(`  running ${pkg.label}; ${rounds} rounds per variant (ABBA order), sizes ${sizes.join(", ")}`);
  // Untimed: file caches, and Tailwind's native modules read once from disk.
  for (const site of sites.filter((one) => one.pages === sizes[0])) await startupOnce(pkg, site, work);
  const results = new Map<string, StartupResult[]>();
  for (let round = 0; round < rounds; round++) {
    for (const pages of sizes) {
      const pair = sites.filter((site) => site.pages === pages);
      for (const site of round % 2 === 0 ? pair : [...pair].reverse()) {
        let result: StartupResult;
        try {
          result = await startupOnce(pkg, site, work);
        } catch (error) {
          note(`${site.variant} ${pages} pages, round ${round + 1}: ${(error as Error).message}`);
          continue;
        }
        const key = `${site.variant}-${pages}`;
        results.set(key, [...(results.get(key) ?? []), result]);
        console.log(
          `  round ${round + 1}  ${site.variant.padEnd(8)} ${String(pages).padStart(5)} pages: ready ${fmt(result.readyMs)} ms, first 200 ${fmt(result.firstMs)} ms (status ${result.status}), RSS ${fmt(result.rss)} MiB, CSS ${fmt(result.cssBytes / 1024, 1)} KiB, PostCSS runs: ${describeCounts(result.runs)}${tailwindTimes(result)}`,
        );
        if (result.status !== 200) note(`${key} first page answered ${result.status}: ${result.htmlHead}`);
        if (result.readyError) note(`${key} ready rejected: ${result.readyError}`);
        if (result.errors.length > 0) note(`${key} onError: ${result.errors.slice(0, 3).join(" | ")}`);
        if (site.variant === "tailwind" && !(result.hasPageClass && result.hasOtherPageClass && result.hasShared)) {
          note(
            `${key}: Tailwind's CSS lacks classes the pages use (page 1's w-[101px] ${result.hasPageClass}, page ${pages}'s ${result.hasOtherPageClass}, shadow ${result.hasShared})`,
          );
        }
        if (site.variant === "baseline" && result.hasPageClass)
          note(`${key}: the baseline's CSS has Tailwind classes (it should not)`);
        for (const [file, n] of result.runs)
          if (n !== 1) note(`${key}: PostCSS processed ${file} ${n} times in one production compile (expected once)`);
      }
    }
  }

  const parts = new Map<number, Breakdown[]>();
  for (let round = 0; round < 3; round++) {
    for (const site of sites.filter((one) => one.variant === "tailwind")) {
      try {
        parts.set(site.pages, [...(parts.get(site.pages) ?? []), await breakdown(site, work)]);
      } catch (error) {
        note(`breakdown ${site.pages} pages: ${(error as Error).message}`);
      }
    }
  }

  console.log(
    `\n  | pages | baseline first 200, median ms | tailwind first 200, median ms | tailwind / baseline (target ≤ 1.3×) | median of per-round ratios | ready only: tailwind / baseline | RSS MiB baseline → tailwind | PostCSS runs per file per build (tailwind) |`,
  );
  console.log(`  |---:|---:|---:|---:|---:|---:|---:|---|`);
  for (const pages of sizes) {
    const base = results.get(`baseline-${pages}`) ?? [];
    const tw = results.get(`tailwind-${pages}`) ?? [];
    const first = (list: StartupResult[]) => median(list.map((r) => r.firstMs));
    const ready = (list: StartupResult[]) => median(list.map((r) => r.readyMs));
    const perRound = median(
      tw.map((r, index) => (base[index] ? r.firstMs / base[index].firstMs : Number.NaN)).filter(Number.isFinite),
    );
    const runs = new Map<string, number[]>();
    for (const r of tw) for (const [file, n] of r.runs) runs.set(file, [...(runs.get(file) ?? []), n]);
    const runText = [...runs].map(([file, list]) => `${file}: ${[...new Set(list)].join("/")}`).join("; ") || "none";
    console.log(
      `  | ${pages} | ${fmt(first(base))} (n=${base.length}) | ${fmt(first(tw))} (n=${tw.length}) | **${ratio(first(tw), first(base))}** | ${Number.isFinite(perRound) ? `${perRound.toFixed(2)}×` : "–"} | ${ratio(ready(tw), ready(base))} | ${fmt(median(base.map((r) => r.rss)))} → ${fmt(median(tw.map((r) => r.rss)))} | ${runText} |`,
    );
  }
  console.log(
    `\n  What Tailwind adds, apart from the compile (fresh process, median of 3): loading the PostCSS config with @tailwindcss/postcss, then global.css through it (cold, then again)`,
  );
  console.log(`  | pages | config + plugin load ms | global.css, first ms | global.css, again ms | CSS KiB |`);
  console.log(`  |---:|---:|---:|---:|---:|`);
  for (const [pages, list] of parts) {
    console.log(
      `  | ${pages} | ${fmt(median(list.map((p) => p.loadMs)))} | ${fmt(median(list.map((p) => p.firstMs)))} | ${fmt(median(list.map((p) => p.againMs)))} | ${fmt(median(list.map((p) => p.bytes)) / 1024, 1)} |`,
    );
  }
}
