/** Medians over rounds, ratios against the baselines measured in the same run, the floors, as markdown. */
import { baselineOf, floors as pairFloors } from "./contestants.js";
import type { LoadResult } from "./load.js";
import { fmt, median, verdict } from "./stats.js";

/** One contestant in one round. */
export interface Measurement {
  html: LoadResult;
  json: LoadResult;
  rss: number;
  error: (LoadResult & { rssBefore: number; rssAfter: number }) | undefined;
  startupMs: number;
}

/** Everything a run measured. */
export interface Results {
  settings: { rounds: number; seconds: number; requests?: number | undefined; connections: number };
  rounds: Array<Record<string, Measurement>>;
  /** One entry per size and round; the sizes of a round ran side by side, taking turns. */
  scale: Array<{ count: number; round: number; startupMs: number; rps: number; cpuUs: number; unexpected: number }>;
  render: { stringUs: number; streamUs: number };
}

/** The environment line of the report. */
export interface RunInfo {
  date: string;
  node: string;
  cores: number;
  cpu: string;
  quick: boolean;
}

const ratio = (a: number, b: number) => `${fmt(a / b, 2)}×`;

/** Renders the markdown report. */
export function renderReport(
  results: Results,
  contestants: ReadonlyArray<{ id: string; label: string }>,
  info: RunInfo,
): string {
  const m = (id: string, pick: (x: Measurement) => number | undefined) =>
    median(
      results.rounds
        .map((round) => round[id])
        .filter((x): x is Measurement => x !== undefined)
        .map((x) => pick(x) ?? Number.NaN),
    );
  // A ratio is taken within each round (the pair measured seconds apart), then the median over the
  // rounds: on a noisy machine that holds far better than a ratio of medians taken at different times.
  const r = (a: string, b: string, pick: (x: Measurement) => number | undefined) =>
    median(
      results.rounds
        .map((round) =>
          round[a] && round[b] ? (pick(round[a]) ?? Number.NaN) / (pick(round[b]) ?? Number.NaN) : Number.NaN,
        )
        .filter((value) => Number.isFinite(value)),
    );
  const rx = (a: string, b: string, pick: (x: Measurement) => number | undefined) => `${fmt(r(a, b, pick), 2)}×`;
  const lines: string[] = [];
  lines.push(`# ssr-pages benchmark results${info.quick ? " (quick smoke run: figures are not meaningful)" : ""}`, "");
  lines.push(
    `${info.date} · Node ${info.node} · ${info.cores} cores (${info.cpu}) · ${results.settings.rounds} rounds × ${results.settings.requests ? `${results.settings.requests} requests` : `${results.settings.seconds} s`} per measurement, ${results.settings.connections} connections, autocannon in a separate process on 127.0.0.1 · req/s are medians over rounds, ratios are medians of the ratios within each round · servers run with NODE_ENV=production from compiled JavaScript`,
    "",
  );
  lines.push(
    "The page: a header, 20 items from the page data, a footer, in a full HTML document with the data embedded for hydration. Ratios compare contestants measured in the same run; absolute figures drift with the machine's load.",
    "",
  );
  lines.push(
    "| contestant | HTML req/s | vs own baseline | vs limit | p50 / p99 ms | server CPU µs/req | JSON req/s | vs own baseline | vs limit | p50 / p99 ms | server CPU µs/req | RSS MiB |",
  );
  lines.push("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const { id, label } of contestants) {
    const base = baselineOf(id);
    const html = m(id, (x) => x.html.rps);
    const json = m(id, (x) => x.json.rps);
    lines.push(
      `| ${label} | ${fmt(html)} | ${id === base ? "1.00×" : rx(id, base, (x) => x.html.rps)} | ${rx(id, "limit", (x) => x.html.rps)} | ${fmt(m(id, (x) => x.html.p50))} / ${fmt(m(id, (x) => x.html.p99))} | ${fmt(m(id, (x) => x.html.cpuUs))} ` +
        `| ${fmt(json)} | ${id === base ? "1.00×" : rx(id, base, (x) => x.json.rps)} | ${rx(id, "limit", (x) => x.json.rps)} | ${fmt(m(id, (x) => x.json.p50))} / ${fmt(m(id, (x) => x.json.p99))} | ${fmt(m(id, (x) => x.json.cpuUs))} | ${fmt(m(id, (x) => x.rss))} |`,
    );
  }
  lines.push(
    "",
    "Own baseline: the hand-written route of the same framework (Express 5 or Koa 3); for node:http contestants, the limit. The hand-written JSON routes answer `res.json` / `ctx.body = object`; ssr-pages answers its page-data URL.",
    "",
  );

  lines.push("## Error path (getServerData throws on every request: 500 + onError)", "");
  lines.push("| contestant | req/s | vs its HTML page | RSS before → after MiB |", "|---|---:|---:|---:|");
  for (const { id, label } of contestants) {
    const rps = m(id, (x) => x.error?.rps);
    if (!Number.isFinite(rps)) continue;
    const vsPage = median(
      results.rounds.flatMap((round) => (round[id]?.error ? [round[id].error.rps / round[id].html.rps] : [])),
    );
    lines.push(
      `| ${label} | ${fmt(rps)} | ${fmt(vsPage, 2)}× | ${fmt(
        m(id, (x) => x.error?.rssBefore),
        1,
      )} → ${fmt(
        m(id, (x) => x.error?.rssAfter),
        1,
      )} |`,
    );
  }

  lines.push(
    "",
    "## Scale (Express 5 + ssrMiddleware, `/products/[id]` among N generated pages: static, [param] and [...splat] mixed; in each round the sizes' servers run side by side and take turns under load, in slices of a fifth of a measurement, so the machine's drift falls on all of them alike; server CPU counts child processes too)",
    "",
  );
  lines.push(
    "| pages | start-up (spawn → first 200, compile included) ms | req/s | vs smallest | server CPU µs/req |",
    "|---:|---:|---:|---:|---:|",
  );
  const counts = [...new Set(results.scale.map((s) => s.count))].sort((a, b) => a - b);
  const scaleMedian = (count: number, pick: (s: Results["scale"][number]) => number) =>
    median(results.scale.filter((s) => s.count === count).map(pick));
  const smallest = counts[0] ?? 0;
  // Sizes of one round ran side by side, so a ratio is taken within a round, then the median of those.
  const vsSmallest = (count: number, pick: (s: Results["scale"][number]) => number) => {
    const ratios: number[] = [];
    for (const entry of results.scale.filter((s) => s.count === count)) {
      const base = results.scale.find((s) => s.count === smallest && s.round === entry.round);
      if (base) ratios.push(pick(entry) / pick(base));
    }
    return median(ratios);
  };
  for (const count of counts) {
    lines.push(
      `| ${count} | ${fmt(scaleMedian(count, (s) => s.startupMs))} | ${fmt(scaleMedian(count, (s) => s.rps))} | ${fmt(
        vsSmallest(count, (s) => s.rps),
        2,
      )}× | ${fmt(scaleMedian(count, (s) => s.cpuUs))} |`,
    );
  }

  lines.push("", "## Render path (CPU per render of this page, in-process)", "");
  lines.push(
    `renderToString ${fmt(results.render.stringUs, 1)} µs · renderToPipeableStream ${fmt(results.render.streamUs, 1)} µs · stream / string = ${ratio(results.render.streamUs, results.render.stringUs)}. ssr-pages renders with renderToString.`,
    "",
  );

  // Each throughput floor twice: as a req/s ratio, and as a CPU ratio (the baseline's server CPU per
  // request over ours, so higher is better in both), which noise moves far less.
  const pair = (a: string, b: string, kind: "html" | "json") =>
    [r(a, b, (x) => x[kind].rps), r(b, a, (x) => x[kind].cpuUs)] as const;
  const floors: Array<[string, number, number | undefined, number, "≥" | "≤"]> = [
    ...pairFloors.map(
      (f) => [f.name, ...pair(f.a, f.b, f.kind), f.target, "≥"] as [string, number, number, number, "≥"],
    ),
    [
      "RSS after load, Express adapter vs hand-written Express",
      r("express-ssr", "express-hand", (x) => x.rss),
      undefined,
      1.2,
      "≤",
    ],
  ];
  const largest = counts[counts.length - 1];
  if (largest !== undefined && largest !== smallest) {
    floors.push([
      `${largest} pages vs ${smallest} pages`,
      vsSmallest(largest, (s) => s.rps),
      vsSmallest(largest, (s) => 1 / s.cpuUs),
      0.95,
      "≥",
    ]);
  }
  if (counts.includes(1000))
    floors.push([
      "Start-up with 1,000 pages, seconds",
      scaleMedian(1000, (s) => s.startupMs) / 1000,
      undefined,
      1.5,
      "≤",
    ]);
  lines.push(
    "## Floors (issue 3)",
    "",
    "| floor | req/s ratio | CPU ratio | target | req/s | CPU |",
    "|---|---:|---:|---:|---|---|",
  );
  for (const [name, value, cpu, target, op] of floors) {
    lines.push(
      `| ${name} | ${fmt(value, 2)} | ${cpu === undefined ? "" : fmt(cpu, 2)} | ${op} ${target} | ${verdict(value, target, op)} | ${verdict(cpu, target, op)} |`,
    );
  }
  return `${lines.join("\n")}\n`;
}
