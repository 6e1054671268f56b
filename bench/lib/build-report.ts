/** bench/build.ts's report: the production build's figures, before (compiled at start) → after (from a build), as markdown. */
import { fmt, median, verdict } from "./stats.js";
import type { ProcessRss } from "./tree-rss.js";

/** The heading of BUILD.md's hand-written section, kept when the report is written again. */
export const FINDINGS_HEADING = "## Findings";

/** Everything bench/build.ts measured. */
export interface BuildResults {
  startup: Array<{
    count: number;
    round: number;
    kind: "baseline" | "before" | "after";
    ms: number;
    cpuMs: number;
    peakMiB: number;
    afterMiB: number;
    atPeak: ProcessRss[];
  }>;
  builds: Array<{
    count: number;
    round: number;
    ms: number;
    peakMiB: number;
    atPeak: ProcessRss[];
    peakByName: Record<string, number>;
    summary: string;
  }>;
  counts:
    | {
        compiled: Record<"html" | "json", number[]>;
        build: Record<"html" | "json", number[]>;
        settings: CountSettings;
        /** The static page and the ceilings (part 4's contestants): per-request counts of each batch. */
        statics: Record<string, number[]>;
        staticSettings: CountSettings;
      }
    | undefined;
  statics:
    | {
        /** Each slice's figures per contestant (server CPU per request from /proc). */
        rounds: Array<Record<string, { rps: number; p99: number; cpuUs: number }>>;
        bytes: { static: number; ceiling: number; ceilingBr: number };
        /** Whether the build's page, decompressed, is the very document the ceiling answers. */
        sameDocument: boolean;
        labels: Record<string, string>;
      }
    | undefined;
}

/** Requests under callgrind: warm-up per URL, then batches. */
interface CountSettings {
  warmup: number;
  batches: number;
  batch: number;
}

/** What the report says about the run. */
export interface RunInfo {
  date: string;
  node: string;
  machine: string;
  command: string;
  settings: {
    sizes: number[];
    startRounds: Record<number, number>;
    buildRounds: Record<number, number>;
    slices: number;
    seconds: number;
  };
  quick: boolean;
  seconds: number;
  /** The machine's load average (1 minute) when the run began and ended: other work moves wall times. */
  load: string;
  /** BUILD.md's findings section, kept from the last report. */
  findings: string | undefined;
}

/** Targets of the production build. */
export const TARGETS = { startAboveBaselineMs: 150, peakOverAfter: 1.2, buildPeakMiB: 1024, staticVsCeiling: 0.9 };

const mean = (values: readonly number[]) => values.reduce((sum, x) => sum + x, 0) / Math.max(1, values.length);
/** Half the range of the batches around their mean, in per cent. */
const spread = (values: readonly number[]) =>
  values.length > 1 ? ((Math.max(...values) - Math.min(...values)) / 2 / mean(values)) * 100 : 0;
const k = (n: number) => (Number.isFinite(n) ? `${fmt(n / 1000)}k` : "–");
const pages = (count: number) => count.toLocaleString("en-US");
/** A difference with its sign: +12, −3. */
const signed = (n: number) => (Number.isFinite(n) ? `${n < 0 ? "−" : "+"}${fmt(Math.abs(n))}` : "–");
const NONE = { ms: Number.NaN, cpuMs: Number.NaN } as BuildResults["startup"][number];

/** Renders the markdown report. */
export function renderBuildReport(results: BuildResults, info: RunInfo): string {
  const lines: string[] = [];
  const summary: string[] = [];
  lines.push(
    `# ssr-pages production build: compiled at start → served from a build${info.quick ? " (quick smoke run: figures are not meaningful)" : ""}`,
    "",
  );
  lines.push(
    `${info.date} · Node ${info.node} · ${info.machine} · \`${info.command}\` (${fmt(info.seconds)} s, load average ${info.load}) · servers and builds run with plain \`node\` on the package compiled from the working tree, NODE_ENV=production, in child processes, one at a time`,
    "",
  );
  lines.push(
    "Before: `ssrMiddleware(pagesDir)` in production, which compiles every page with esbuild when the process starts. After: `ssr-pages build <pagesDir> --out <dir>` once, then `ssrMiddleware(pagesDir, { build: dir })`, which compiles nothing. Times drift by tens of per cent on this machine, so every figure is judged against a baseline measured in the same run, the contestants taking turns over rounds; medians over rounds.",
    "",
  );
  lines.push(
    "To reproduce: `npm run bench:build` (`-- --quick` for a smoke run, `-- --only startup,build,requests,static` for some parts; only a full run writes this file). The generated apps are kept in `.tmp/bench/kept-pages-N`, the builds in `.tmp/bench/build-out`.",
    "",
  );

  const summaryAt = lines.length;

  // 1. Start-up
  const sizes = [...new Set(results.startup.map((s) => s.count))].sort((a, b) => a - b);
  if (sizes.length > 0) {
    lines.push(
      `## 1. Start-up: spawn → first 200 of \`/products/1\` (Express 5), ${sizes.map((count) => `${info.settings.startRounds[count] ?? 1} rounds at ${pages(count)}`).join(", ")}`,
      "",
    );
    lines.push(
      'Generated apps of N pages (bench/lib/scale.ts: static, `[param]` and `[...splat]` routes, each page a component and a `getServerData` returning props, plus `/products/[id]`). Baseline: a Node process importing express, react and react-dom/server and printing a line (bench/servers/import-baseline.ts), timed from spawn to that line. "− baseline" is the median over rounds of the difference within each round. CPU is the process tree\'s user + system time at the first 200 (esbuild\'s service included), from /proc in 10 ms ticks: less moved by other work on the machine than the wall clock. RSS is the sum over the process tree, sampled every 4 ms from /proc; "after" is the tree\'s RSS right after the first 200.',
      "",
    );
    lines.push(
      "| pages | baseline ms (CPU) | compiled at start ms (CPU) | from a build ms (CPU) | before − baseline, wall (CPU) | after − baseline, wall (CPU) | target | compiled at start: peak / after-200 MiB | from a build: peak / after-200 MiB | target |",
      "|---:|---:|---:|---:|---:|---:|---|---:|---:|---|",
    );
    for (const count of sizes) {
      const of = (kind: string) => results.startup.filter((s) => s.count === count && s.kind === kind);
      const rounds = [...new Set(of("baseline").map((s) => s.round))];
      const byRound = (kind: string, round: number) => of(kind).find((s) => s.round === round);
      const above = (kind: string, pick: (s: BuildResults["startup"][number]) => number) =>
        median(rounds.map((round) => pick(byRound(kind, round) ?? NONE) - pick(byRound("baseline", round) ?? NONE)));
      const ms = (kind: string) =>
        `${fmt(median(of(kind).map((s) => s.ms)))} (${fmt(median(of(kind).map((s) => s.cpuMs)))})`;
      const diff = (kind: string) => `${signed(above(kind, (s) => s.ms))} (${signed(above(kind, (s) => s.cpuMs))})`;
      const peakRatio = (kind: string) => median(of(kind).map((s) => s.peakMiB / s.afterMiB));
      const memory = (kind: string) =>
        `${fmt(median(of(kind).map((s) => s.peakMiB)))} / ${fmt(median(of(kind).map((s) => s.afterMiB)))} (${fmt(peakRatio(kind), 2)}×)`;
      const afterAbove = above("after", (s) => s.ms);
      lines.push(
        `| ${pages(count)} | ${ms("baseline")} | ${ms("before")} | ${ms("after")} | ${diff("before")} | ${diff("after")} | ≤ +${TARGETS.startAboveBaselineMs}: ${verdict(afterAbove, TARGETS.startAboveBaselineMs, "≤")} | ${memory("before")} | ${memory("after")} | ≤ ${TARGETS.peakOverAfter}×: ${verdict(peakRatio("after"), TARGETS.peakOverAfter, "≤")} |`,
      );
      summary.push(
        `| start-up, ${pages(count)} pages: spawn → first 200, above the import baseline (${fmt(median(of("baseline").map((s) => s.ms)))} ms); CPU in brackets | ${diff("before")} ms | ${diff("after")} ms | ≤ +${TARGETS.startAboveBaselineMs} ms | ${verdict(afterAbove, TARGETS.startAboveBaselineMs, "≤")} |`,
      );
      summary.push(
        `| start-up, ${pages(count)} pages: peak RSS of the tree / RSS after the first 200, MiB | ${memory("before")} | ${memory("after")} | ≤ ${TARGETS.peakOverAfter}× | ${verdict(peakRatio("after"), TARGETS.peakOverAfter, "≤")} |`,
      );
    }
    const heaviest = [...results.startup].filter((s) => s.kind === "before").sort((a, b) => b.peakMiB - a.peakMiB)[0];
    if (heaviest)
      lines.push(
        "",
        `The largest start compiled at start (${pages(heaviest.count)} pages) peaked with ${heaviest.atPeak.map((one) => `${one.name} ${fmt(one.kib / 1024)} MiB`).join(" + ")}.`,
      );
    lines.push("");
  }

  // 2. The build
  const buildSizes = [...new Set(results.builds.map((b) => b.count))].sort((a, b) => a - b);
  if (buildSizes.length > 0) {
    lines.push("## 2. The build: `node dist/src/cli.js build <pagesDir> --out <dir>`", "");
    lines.push(
      "Wall time from spawn to exit; peak RSS of the process tree (node and esbuild's service process), sampled every 4 ms; which processes held it at that instant, and each one's own peak (not at the same instant).",
      "",
    );
    lines.push(
      "| pages | rounds | wall s (median, range) | peak RSS MiB (median, max) | at the peak | each process's own peak MiB | target |",
      "|---:|---:|---:|---:|---|---|---|",
    );
    for (const count of buildSizes) {
      const runs = results.builds.filter((b) => b.count === count);
      const worst = [...runs].sort((a, b) => b.peakMiB - a.peakMiB)[0] as (typeof runs)[number];
      const peak = median(runs.map((r) => r.peakMiB));
      const held = worst.atPeak.map((one) => `${one.name} ${fmt(one.kib / 1024)}`).join(" + ");
      const own = Object.entries(worst.peakByName)
        .map(([name, kib]) => `${name} ${fmt(kib / 1024)}`)
        .join(", ");
      const target =
        count === 10_000
          ? `≤ ${TARGETS.buildPeakMiB} MiB: ${verdict(Math.max(...runs.map((r) => r.peakMiB)), TARGETS.buildPeakMiB, "≤")}`
          : "";
      lines.push(
        `| ${pages(count)} | ${runs.length} | ${fmt(median(runs.map((r) => r.ms)) / 1000, 1)} (${fmt(Math.min(...runs.map((r) => r.ms)) / 1000, 1)}–${fmt(Math.max(...runs.map((r) => r.ms)) / 1000, 1)}) | ${fmt(peak)} (${fmt(Math.max(...runs.map((r) => r.peakMiB)))}) | ${held} | ${own} | ${target} |`,
      );
      if (count >= 1000)
        summary.push(
          `| the build, ${pages(count)} pages: wall time, peak RSS of node + esbuild | (compiled in every process at start) | ${fmt(median(runs.map((r) => r.ms)) / 1000, 1)} s, ${fmt(peak)} MiB (max ${fmt(Math.max(...runs.map((r) => r.peakMiB)))}) | ${count === 10_000 ? `≤ ${TARGETS.buildPeakMiB} MiB` : ""} | ${count === 10_000 ? verdict(Math.max(...runs.map((r) => r.peakMiB)), TARGETS.buildPeakMiB, "≤") : ""} |`,
        );
    }
    const last = results.builds[results.builds.length - 1];
    if (last) lines.push("", "The CLI's own report of the last build:", "", "```", last.summary, "```");
    lines.push("");
  }

  // 3. Instructions
  const counts = results.counts;
  if (counts) {
    const { warmup, batches, batch } = counts.settings;
    lines.push("## 3. The request path under callgrind: from a build vs compiled at start", "");
    lines.push(
      `Express 5 + ssrMiddleware on bench/pages (the page of \`npm run bench\`), both servers side by side under valgrind --tool=callgrind: ${warmup} warm-up requests on each URL in turn, then per URL ${Math.ceil(warmup / 10)} more and ${batches} batches of ${batch} sequential requests over one keep-alive connection; instructions per request are the mean over the batches, ± half their range (bench/lib/callgrind.ts, as \`npm run bench:instructions\`). "Equal" means the difference is within the two spreads together.`,
      "",
    );
    lines.push(
      "| URL | compiled at start instr/req | from a build instr/req | from a build / compiled | equal within noise? |",
      "|---|---:|---:|---:|---|",
    );
    for (const [kind, url] of [
      ["html", "/products/1"],
      ["json", "/page-data/products/1/page-data.json"],
    ] as const) {
      const a = counts.compiled[kind];
      const b = counts.build[kind];
      const ratio = mean(b) / mean(a);
      const equal = Math.abs(ratio - 1) * 100 <= spread(a) + spread(b) ? "yes" : "**no**";
      lines.push(
        `| ${kind.toUpperCase()} \`${url}\` | ${k(mean(a))} ±${fmt(spread(a), 1)}% | ${k(mean(b))} ±${fmt(spread(b), 1)}% | ${fmt(ratio, 3)} | ${equal} |`,
      );
      summary.push(
        `| instructions per request, ${kind.toUpperCase()} of \`/products/1\` (callgrind) | ${k(mean(a))} ±${fmt(spread(a), 1)}% | ${k(mean(b))} ±${fmt(spread(b), 1)}% (${fmt(ratio, 3)}×) | equal within noise | ${equal === "yes" ? "met" : "**missed**"} |`,
      );
    }
    lines.push("");
  }

  // 4. Static page
  const statics = results.statics;
  const staticCounts = counts?.statics ?? {};
  if (statics || Object.keys(staticCounts).length > 0) {
    const ids = statics ? Object.keys(statics.labels) : Object.keys(staticCounts);
    const slices = statics?.rounds ?? [];
    const rps = (id: string) => median(slices.map((round) => round[id]?.rps ?? Number.NaN));
    const p99 = (id: string) => median(slices.map((round) => round[id]?.p99 ?? Number.NaN));
    const cpu = (id: string) => median(slices.map((round) => round[id]?.cpuUs ?? Number.NaN));
    const ratio = (a: string, b: string) =>
      median(slices.map((round) => (round[a]?.rps ?? Number.NaN) / (round[b]?.rps ?? Number.NaN)));
    const cpuRatio = (a: string, b: string) =>
      median(slices.map((round) => (round[b]?.cpuUs ?? Number.NaN) / (round[a]?.cpuUs ?? Number.NaN)));
    const instr = (id: string) => (staticCounts[id] ? mean(staticCounts[id]) : Number.NaN);
    const instrRatio = (a: string, b: string) => instr(b) / instr(a);
    const bytes: Record<string, number> = statics
      ? { static: statics.bytes.static, ceiling: statics.bytes.ceiling, "ceiling-br": statics.bytes.ceilingBr }
      : {};
    lines.push(
      `## 4. A static page served from a build vs the HTTP ceiling${statics ? `, ${slices.length} slices of ${info.settings.seconds} s each` : ""}`,
      "",
    );
    lines.push(
      `\`/products/1\` as a static page (the product page with fixed data, no getServerData), built and served by \`createRequestListener(pagesDir, { build })\` on node:http, asked with \`accept-encoding: br\`: the build's brotli copy, with its ETag. The ceilings: bench/cache.ts's (servers/cache-ceiling.ts, node:http answering the same document as a precomputed string, uncompressed) and a stricter one answering the build's very brotli bytes (servers/file-ceiling.ts). autocannon from the bench process, 10 connections, the servers taking turns in short slices (A B C C B A …); req/s and server CPU µs per request are medians over slices, ratios medians of the ratios within each slice (CPU and instruction ratios are the ceiling's cost over the static page's: higher is better, like req/s). Instructions per request under callgrind: ${counts ? `${counts.staticSettings.warmup} warm-up requests, then ${Math.ceil(counts.staticSettings.warmup / 10)} more and ${counts.staticSettings.batches} batches of ${counts.staticSettings.batch}` : "not measured"}.${statics ? ` The page from the build, decompressed, is ${statics.sameDocument ? "the document the ceiling answers, byte for byte but for the build id in its page data" : "**not** the document the ceiling answers"}.` : ""}`,
      "",
    );
    lines.push(
      "| contestant | body bytes | req/s | p99 ms | server CPU µs/req | instr/req | static page / it: req/s | CPU | instructions |",
      "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    );
    for (const id of ids) {
      const vs =
        id === "static"
          ? " |  |  | "
          : ` | ${fmt(ratio("static", id), 2)} | ${fmt(cpuRatio("static", id), 2)} | ${fmt(instrRatio("static", id), 2)}`;
      lines.push(
        `| ${statics?.labels[id] ?? id} | ${bytes[id] ?? ""} | ${fmt(rps(id))} | ${fmt(p99(id))} | ${fmt(cpu(id), 1)} | ${staticCounts[id] ? `${k(instr(id))} ±${fmt(spread(staticCounts[id]), 1)}%` : "–"}${vs} |`,
      );
    }
    lines.push(
      "",
      `Target: static page / the HTTP ceiling of bench/cache.ts ≥ ${TARGETS.staticVsCeiling} in req/s: ${verdict(ratio("static", "ceiling"), TARGETS.staticVsCeiling, "≥")} (CPU per request ${fmt(cpuRatio("static", "ceiling"), 2)}, instructions ${fmt(instrRatio("static", "ceiling"), 2)}; against the stricter ceiling sending the same brotli bytes: req/s ${fmt(ratio("static", "ceiling-br"), 2)}, CPU ${fmt(cpuRatio("static", "ceiling-br"), 2)}, instructions ${fmt(instrRatio("static", "ceiling-br"), 2)}).`,
      "",
    );
    summary.push(
      `| static page from a build (HTML, br) vs the HTTP ceiling of bench/cache.ts: req/s (CPU/req, instr/req) | (rendered per request) | ${fmt(ratio("static", "ceiling"), 2)}× (${fmt(cpuRatio("static", "ceiling"), 2)}×, ${fmt(instrRatio("static", "ceiling"), 2)}×) | ≥ ${TARGETS.staticVsCeiling}× | ${verdict(ratio("static", "ceiling"), TARGETS.staticVsCeiling, "≥")} |`,
    );
    summary.push(
      `| the same vs a ceiling sending the build's very brotli bytes | | ${fmt(ratio("static", "ceiling-br"), 2)}× (${fmt(cpuRatio("static", "ceiling-br"), 2)}×, ${fmt(instrRatio("static", "ceiling-br"), 2)}×) | | |`,
    );
  }

  lines.splice(
    summaryAt,
    0,
    "## Summary: before (compiled at start) → after (from a build)",
    "",
    "| figure | before | after | target | verdict |",
    "|---|---:|---:|---|---|",
    ...summary,
    "",
  );
  if (info.findings) lines.push(info.findings.trimEnd(), "");
  return lines.join("\n");
}
