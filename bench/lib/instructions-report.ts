/** The instruction-count report: per-request counts, ratios to the baselines, the floors, as markdown. */
import { baselineOf, floors } from "./contestants.js";
import { fmt, verdict } from "./stats.js";

/** The per-request counts of each measured batch on one URL. */
export interface CountsFor {
  batches: number[];
}

/** One contestant's counts. */
export interface Counts {
  html: CountsFor;
  json: CountsFor;
  error: CountsFor | undefined;
}

/** How many requests a count takes: the warm-up on each URL, then the measured batches. */
export interface CountSettings {
  /** Requests to each URL in turn before any is measured. */
  warmup: number;
  /** Measured batches per URL. */
  batches: number;
  /** Requests per batch. */
  batch: number;
}

/**
 * The full run's settings, and the smoke run's (`--quick`: proves the harness works, in seconds; its
 * figures are not meaningful, since V8 is still compiling the hot paths while it counts). `sizes`:
 * the page counts of the scale runs.
 */
export function countSettings(quick: boolean): CountSettings & { sizes: number[] } {
  return quick
    ? { warmup: 5, batches: 1, batch: 3, sizes: [10, 100] }
    : { warmup: 3000, batches: 4, batch: 1000, sizes: [10, 1000, 10_000] };
}

/** The settle: requests sent to one URL after every URL's warm-up, before its measured batches (a tenth of the warm-up). */
export const settleRequests = (settings: CountSettings) => Math.ceil(settings.warmup / 10);

/** "4 batches of 1000", "1 batch of 3". */
const batchesInWords = (settings: CountSettings) =>
  `${settings.batches} ${settings.batches === 1 ? "batch" : "batches"} of ${settings.batch}`;

/** The settings in words, for a report: "3000 warm-up requests per URL, then 300 more and 4 batches of 1000". */
export const describeCountSettings = (settings: CountSettings) =>
  `${settings.warmup} warm-up requests per URL, then ${settleRequests(settings)} more and ${batchesInWords(settings)}`;

/** Everything an instruction-count run measured. */
export interface InstructionResults {
  counts: Record<string, Counts>;
  scale: Array<{ count: number } & CountsFor>;
  settings: CountSettings;
}

/**
 * Instructions per request: the mean over every measured request. Not the median batch: a major GC
 * lands in some batches and not others, and its cost belongs to every request that allocated.
 */
const per = (counts: CountsFor | undefined) =>
  counts && counts.batches.length > 0
    ? counts.batches.reduce((sum, x) => sum + x, 0) / counts.batches.length
    : Number.NaN;
/** How far the batches spread around their mean, in percent: the measurement's own noise. */
const spread = (counts: CountsFor | undefined) =>
  counts && counts.batches.length > 1
    ? `±${fmt(((Math.max(...counts.batches) - Math.min(...counts.batches)) / 2 / per(counts)) * 100, 1)}%`
    : "";
const k = (n: number) => (Number.isFinite(n) ? `${fmt(n / 1000)}k` : "–");

/** Renders the markdown report. Ratios are the baseline's instructions over ours: higher is better, like req/s. */
export function renderInstructionsReport(
  results: InstructionResults,
  contestants: ReadonlyArray<{ id: string; label: string }>,
  info: { date: string; node: string; quick: boolean },
): string {
  const { counts, settings } = results;
  const cost = (id: string, kind: "html" | "json") => per(counts[id]?.[kind]);
  const ratio = (a: string, b: string, kind: "html" | "json") => cost(b, kind) / cost(a, kind);
  const lines: string[] = [];
  lines.push(
    `# ssr-pages instructions per request${info.quick ? " (quick smoke run: figures are not meaningful)" : ""}`,
    "",
  );
  lines.push(
    `${info.date} · Node ${info.node} · valgrind --tool=callgrind · each server warmed up with ${settings.warmup} requests on each of its URLs in turn before any is measured, then per URL ${settleRequests(settings)} more and ${batchesInWords(settings)} sequential requests over one keep-alive connection; the figure is the mean over all of them (garbage collection included), ± the spread of the batches · user-space instructions of every server thread (JavaScript, V8's compiler and garbage collector, libuv), not the kernel's`,
    "",
  );
  lines.push(
    "The same servers and URLs as `npm run bench`. A count does not depend on the machine's load, so these ratios hold where req/s drift; they do not see cache misses or the kernel, which req/s do.",
    "",
  );
  lines.push(
    "| contestant | HTML instr/req | vs own baseline | vs limit | JSON instr/req | vs own baseline | vs limit | error page instr/req |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
  );
  for (const { id, label } of contestants) {
    const c = counts[id];
    if (!c) continue;
    const base = baselineOf(id);
    const cell = (kind: "html" | "json") =>
      `${k(cost(id, kind))} ${spread(c[kind])} | ${fmt(ratio(id, base, kind), 2)}× | ${fmt(ratio(id, "limit", kind), 2)}×`;
    lines.push(
      `| ${label} | ${cell("html")} | ${cell("json")} | ${c.error ? `${k(per(c.error))} ${spread(c.error)}` : ""} |`,
    );
  }
  lines.push(
    "",
    "Own baseline: the hand-written route of the same framework; for node:http contestants, the limit. Ratios are the baseline's count over the contestant's (higher is better, as with req/s).",
    "",
  );

  const scale = [...results.scale].sort((a, b) => a.count - b.count);
  const smallest = scale[0];
  if (smallest) {
    lines.push(
      "## Scale (Express 5 + ssrMiddleware, `/products/1` among N generated pages)",
      "",
      "| pages | instr/req | vs smallest |",
      "|---:|---:|---:|",
    );
    for (const size of scale)
      lines.push(`| ${size.count} | ${k(per(size))} ${spread(size)} | ${fmt(per(smallest) / per(size), 2)}× |`);
    lines.push("");
  }

  lines.push(
    "## Floors (issue 3), judged on instructions",
    "",
    "| floor | ratio | target | verdict |",
    "|---|---:|---:|---|",
  );
  for (const floor of floors) {
    const value = ratio(floor.a, floor.b, floor.kind);
    if (Number.isFinite(value))
      lines.push(`| ${floor.name} | ${fmt(value, 2)} | ≥ ${floor.target} | ${verdict(value, floor.target, "≥")} |`);
  }
  const largest = scale[scale.length - 1];
  if (smallest && largest && largest !== smallest) {
    const value = per(smallest) / per(largest);
    lines.push(
      `| ${largest.count} pages vs ${smallest.count} pages | ${fmt(value, 2)} | ≥ 0.95 | ${verdict(value, 0.95, "≥")} |`,
    );
  }
  return `${lines.join("\n")}\n`;
}
