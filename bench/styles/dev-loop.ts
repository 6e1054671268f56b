/**
 * Part 2, the dev loop: the dev sites open side by side, their saves interleaved (site order
 * rotating) so the machine's drift falls on all alike; the table of save → build event and
 * save → tab times, the PostCSS runs per rebuild, then the Tailwind-class saves.
 */
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { fmt } from "../lib/stats.js";
import { openDev, type DevRun, type DevSite, type Timed } from "./dev-site.js";
import { note } from "./findings.js";
import { describeCounts, readCounts, readRuns } from "./sites.js";
import { quantile, ratio } from "./stats.js";
import type { Workspace } from "./workspace.js";

/** All dev sites side by side, their saves interleaved (site order rotating), so drift falls on all alike. */
export async function measureDev(
  work: Workspace,
  browser: Browser,
  specs: readonly DevSite[],
  { edits, twEdits }: { edits: number; twEdits: number },
): Promise<void> {
  const runs: DevRun[] = [];
  try {
    for (const spec of specs) {
      try {
        runs.push(await openDev(browser, spec, work));
      } catch (error) {
        note(`dev loop on ${spec.name}: ${(error as Error).stack?.split("\n").slice(0, 3).join(" ")}`);
      }
    }
    for (let k = 0; k < edits; k++) {
      for (let i = 0; i < runs.length; i++) {
        const run = runs[(i + k) % runs.length] as DevRun;
        if (run.spec.none) run.page.push(await run.pageSave());
        else if (k % 2 === 0) {
          run.style.push(await run.styleSave());
          run.page.push(await run.pageSave());
        } else {
          run.page.push(await run.pageSave());
          run.style.push(await run.styleSave());
        }
      }
    }
    const p50 = (values: Timed[], pick: (v: Timed) => number) => quantile(values.map(pick), 0.5);
    const cell = (values: Timed[], pick: (v: Timed) => number) =>
      `${fmt(p50(values, pick))} / ${fmt(quantile(values.map(pick), 0.95))}`;
    const reference = runs.find((run) => run.spec.none);
    console.log(
      `\n  | site | save | save → tab shows it, p50 / p95 ms | save → build event, p50 / p95 ms | shown / saves | vs page save, same site (tab p50) | vs page save, no-styles site (tab p50) |`,
    );
    console.log(`  |---|---|---:|---:|---:|---:|---:|`);
    const row = (run: DevRun, what: string, values: Timed[]) =>
      console.log(
        `  | ${run.spec.name} | ${what} | **${cell(values, (v) => v.tab)}** | ${cell(values, (v) => v.build)} | ${values.filter((v) => Number.isFinite(v.tab)).length}/${values.length} | ${ratio(
          p50(values, (v) => v.tab),
          p50(run.page, (v) => v.tab),
        )} | ${
          reference
            ? ratio(
                p50(values, (v) => v.tab),
                p50(reference.page, (v) => v.tab),
              )
            : "–"
        } |`,
      );
    for (const run of runs) {
      if (!run.spec.none)
        row(
          run,
          `${run.spec.sass ? "styles/_vars.scss (Sass partial)" : "components/card.module.css"} → card's computed colour`,
          run.style,
        );
      row(run, "page1.tsx text (baseline) → text", run.page);
    }
    for (const run of runs.filter((one) => one.spec.sass)) {
      const partial = p50(run.style, (v) => v.tab);
      console.log(
        `  ${run.spec.name}: partial save → tab p50 ${fmt(partial)} ms, target ≤ 250 ms: ${partial <= 250 ? "met" : "**missed**"}`,
      );
    }
    for (const run of runs) {
      const rebuilds = run.builds.length - run.buildsAtStart;
      if (rebuilds !== run.saves)
        note(`${run.spec.name}: ${rebuilds} build events for ${run.saves} saves (expected one each)`);
    }
    console.log(
      `  build events per save: ${runs.map((run) => `${run.spec.name} ${run.builds.length - run.buildsAtStart}/${run.saves}`).join(", ")}`,
    );
    for (const run of runs.filter((one) => one.spec.tailwind)) {
      const runsPerFile = readCounts(run.countLog, run.dir);
      const byFile = new Map<string, number[]>();
      for (const one of readRuns(run.countLog))
        byFile.set(path.relative(run.dir, one.file), [...(byFile.get(path.relative(run.dir, one.file)) ?? []), one.ms]);
      const times = [...byFile].map(([file, list]) => `${file} p50 ${fmt(quantile(list, 0.5))} ms`).join(", ");
      console.log(
        `  ${run.spec.name}: PostCSS runs over ${run.saves} rebuilds (half of them .tsx saves): ${describeCounts(runsPerFile)}; Tailwind's plugin per run: ${times}`,
      );
      for (const [file, count] of runsPerFile)
        if (count > run.saves)
          note(
            `${run.spec.name}: PostCSS processed ${file} ${count} times over ${run.saves} rebuilds (more than once per rebuild)`,
          );
    }

    for (const run of runs.filter((one) => one.spec.tailwind && twEdits > 0)) {
      // A class new to the whole site in a component: Tailwind must see it and _app's stylesheet change.
      const added: Timed[] = [];
      const page: Timed[] = [];
      const entryCssBefore = await entryStylesheets(run.tab);
      for (let k = 0; k < twEdits; k++) {
        added.push(await run.classSave(k));
        page.push(await run.pageSave());
      }
      const entryCssAfter = await entryStylesheets(run.tab);
      console.log(
        `\n  | site | save | save → tab shows it, p50 / p95 ms | save → build event, p50 / p95 ms | shown / saves | vs page save, same site (tab p50) |`,
      );
      console.log(`  |---|---|---:|---:|---:|---:|`);
      console.log(
        `  | ${run.spec.name} | components/Badge.tsx gains a new bg-[#…] → badge's computed background | **${cell(added, (v) => v.tab)}** | ${cell(added, (v) => v.build)} | ${added.filter((v) => Number.isFinite(v.tab)).length}/${added.length} | ${ratio(
          p50(added, (v) => v.tab),
          p50(page, (v) => v.tab),
        )} |`,
      );
      console.log(
        `  | ${run.spec.name} | page1.tsx text, interleaved with those | ${cell(page, (v) => v.tab)} | ${cell(page, (v) => v.build)} | ${page.filter((v) => Number.isFinite(v.tab)).length}/${page.length} | |`,
      );
      console.log(
        `  _app's stylesheets on the tab: ${entryCssBefore.join(", ")} → ${entryCssAfter.join(", ")} (${entryCssAfter.length} linked)`,
      );
      if (entryCssAfter.length !== 1)
        note(
          `${run.spec.name}: the tab links ${entryCssAfter.length} entry stylesheets after the Tailwind saves (old ones not removed?)`,
        );
      if (entryCssAfter.join() === entryCssBefore.join())
        note(`${run.spec.name}: _app's stylesheet did not change after a new Tailwind class`);
    }
    for (const run of runs) {
      if (run.consoleErrors.length > 0)
        note(`${run.spec.name}: browser errors: ${run.consoleErrors.slice(0, 3).join(" | ")}`);
      if (run.reported.length > 0) note(`${run.spec.name}: onError: ${run.reported.slice(0, 3).join(" | ")}`);
    }
  } finally {
    for (const run of runs) await run.close();
  }
}

/** The `entry-*.css` stylesheets the tab links (what `_app` imports). */
function entryStylesheets(tab: Page): Promise<string[]> {
  return tab.evaluate(() =>
    [...document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')]
      .map((link) => link.href.split("/").pop() ?? "")
      .filter((name) => /^entry-/.test(name)),
  );
}
