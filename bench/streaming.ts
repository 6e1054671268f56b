/**
 * `npm run bench:streaming` (`-- --quick` for a smoke run; `-- --only latency,hints,cpu,instructions,codecs`
 * for some parts; `-- --base <commit>` to count part 4 against another commit than HEAD): what
 * streaming costs and brings, each figure beside its baseline from the same run.
 *
 * 1. latency: a deferred prop of 600 ms through Express over loopback (first byte, first `<h1>`, end)
 *    against the same page with its reviews at hand (one string render).
 * 2. hints: 103 Early Hints in Chromium over HTTP/2 (node:http2 + createRequestListener), against
 *    `earlyHints: false`.
 * 3. cpu: a streamed page whose deferred prop is already settled against the same page rendered to a
 *    string, under autocannon: req/s and the server's CPU per request.
 * 4. instructions: a plain page (HTML and page data) under callgrind, this working tree against HEAD
 *    (or `--base`).
 * 5. codecs: encode + decode of plain props (JSON vs devalue) and rich props (devalue, superjson,
 *    turbo-stream).
 *
 * Medians over rounds, contestants taking turns. A full run (no `--quick`, no `--only`) writes its
 * report into bench/STREAMING.md, between the "latest" markers.
 */
import { readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { ROOT } from "./lib/build.js";
import {
  AUTHORS,
  devalueCodec,
  jsonCodec,
  optionalCodecs,
  plainProps,
  richProps,
  sized,
  timeCodecs,
  type CodecResult,
} from "./lib/codecs.js";
import { launchChromium, navigate, selfSignedCertificate, type HintedNavigation, type Tls } from "./lib/early-hints.js";
import { instructionsVsHead } from "./lib/instructions-vs-head.js";
import { countSettings, describeCountSettings } from "./lib/instructions-report.js";
import { load } from "./lib/load.js";
import { timeResponse, type ResponseTiming } from "./lib/response-timing.js";
import { fmt, median, verdict } from "./lib/stats.js";
import { CHROME_UA, startStreamingServer, type StreamingServer } from "./lib/streaming-server.js";

const quick = process.argv.includes("--quick");
const PARTS = ["latency", "hints", "cpu", "instructions", "codecs"] as const;
type Part = (typeof PARTS)[number];
const onlyFlag = process.argv.indexOf("--only");
const only = onlyFlag === -1 ? undefined : new Set((process.argv[onlyFlag + 1] ?? "").split(","));
/** Whether to measure `part`: every part but the callgrind one (minutes long) on a quick run. */
const wanted = (part: Part) => (only ? only.has(part) : !(quick && part === "instructions"));
const baseFlag = process.argv.indexOf("--base");
/** The commit part 4 compares this working tree with. */
const BASE = baseFlag === -1 ? "HEAD" : (process.argv[baseFlag + 1] ?? "HEAD");

const settings = quick
  ? {
      latencyRounds: 2,
      warmup: 5,
      navigations: 1,
      cpuSlices: 1,
      cpuSeconds: 1,
      cpuWarmup: 0,
      codecRounds: 1,
      codecBatchMs: 5,
    }
  : {
      latencyRounds: 15,
      warmup: 300,
      navigations: 8,
      cpuSlices: 6,
      cpuSeconds: 2,
      cpuWarmup: 1,
      codecRounds: 9,
      codecBatchMs: 40,
    };
const DEFER_MS = 600;
const HINTS_WAIT_MS = 300;
const CONNECTIONS = 10;

/** 1. The deferred prop's page against the same page with nothing to wait for. */
async function latency(origin: string): Promise<string> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const plain = `${origin}/reviews`;
  const deferred = `${origin}/reviews?defer=${DEFER_MS}`;
  try {
    // The JIT warmed on both render paths (the settled promise streams without the wait), then once with it.
    for (let i = 0; i < settings.warmup; i++) {
      await timeResponse(plain, agent);
      await timeResponse(`${origin}/reviews?defer=resolved`, agent);
    }
    await timeResponse(deferred, agent);
    const runs: Record<"plain" | "deferred", ResponseTiming[]> = { plain: [], deferred: [] };
    for (let round = 0; round < settings.latencyRounds; round++) {
      for (const which of round % 2 === 0 ? (["plain", "deferred"] as const) : (["deferred", "plain"] as const)) {
        runs[which].push(await timeResponse(which === "plain" ? plain : deferred, agent));
      }
    }
    const m = (which: "plain" | "deferred", key: keyof ResponseTiming) => median(runs[which].map((run) => run[key]));
    const spread = (which: "plain" | "deferred", key: keyof ResponseTiming) => {
      const values = runs[which].map((run) => run[key]);
      return `${fmt(m(which, key), 1)} (${fmt(Math.min(...values), 1)}–${fmt(Math.max(...values), 1)})`;
    };
    const row = (label: string, which: "plain" | "deferred") =>
      `| ${label} | ${spread(which, "firstByte")} | ${spread(which, "firstPaint")} | ${spread(which, "end")} | ${fmt(m(which, "bytes"))} | ${fmt(m(which, "chunks"))} |`;
    const endOver = m("deferred", "end") - DEFER_MS;
    return [
      `## 1. A deferred prop of ${DEFER_MS} ms: first byte, first \`<h1>\`, end (Express 5, HTTP/1.1 over loopback)`,
      "",
      `\`/reviews?defer=${DEFER_MS}\`: getServerData returns \`{ props: { title, reviews } }\` at once, \`reviews\` a promise settling in ${DEFER_MS} ms (streamed). Baseline: \`/reviews\`, the reviews at hand (one string render). ${settings.latencyRounds} requests each, taking turns, one at a time over a keep-alive connection, desktop Chrome User-Agent; ms from the request's start, median (min–max).`,
      "",
      "| page | first byte ms | first chunk with `<h1>` ms | end ms | bytes | reads |",
      "|---|---:|---:|---:|---:|---:|",
      row("baseline: reviews at hand (string render)", "plain"),
      row(`deferred reviews, ${DEFER_MS} ms (streamed)`, "deferred"),
      "",
      "| target | measured | verdict |",
      "|---|---:|---|",
      `| first byte ≤ 30 ms | ${fmt(m("deferred", "firstByte"), 1)} ms (baseline ${fmt(m("plain", "firstByte"), 1)}) | ${verdict(m("deferred", "firstByte"), 30, "≤")} |`,
      `| first paint-able HTML ≤ 30 ms | ${fmt(m("deferred", "firstPaint"), 1)} ms (baseline ${fmt(m("plain", "firstPaint"), 1)}) | ${verdict(m("deferred", "firstPaint"), 30, "≤")} |`,
      `| end within 20 ms of ${DEFER_MS} ms | +${fmt(endOver, 1)} ms | ${verdict(endOver, 20, "≤")} |`,
      "",
    ].join("\n");
  } finally {
    agent.destroy();
  }
}

/** 2. 103 Early Hints in Chromium, with the option on and off. */
async function earlyHints(
  tls: Tls | Error,
  servers: readonly [StreamingServer, StreamingServer] | undefined,
): Promise<string> {
  const heading = `## 2. 103 Early Hints in Chromium over HTTP/2 (node:http2 \`createSecureServer({ allowHTTP1: true })\` + \`createRequestListener\`)`;
  if (tls instanceof Error || !servers)
    return `${heading}\n\nNot measured: no self-signed certificate (${String(tls instanceof Error ? tls.message : "").split("\n")[0]}); the \`openssl\` CLI is needed.\n`;
  const variants = [
    { flags: "`--ignore-certificate-errors` (the error overridden)", extra: [] as string[] },
    {
      flags: "+ `--ignore-certificate-errors-spki-list=<hash>` (the certificate trusted)",
      extra: [`--ignore-certificate-errors-spki-list=${tls.spki}`],
    },
  ];
  const rows: string[] = [];
  let version = "";
  for (const variant of variants) {
    const browser = await launchChromium(variant.extra);
    version = browser.version();
    try {
      const runs: HintedNavigation[][] = [[], []];
      for (let round = 0; round < settings.navigations; round++) {
        for (const i of round % 2 === 0 ? [0, 1] : [1, 0])
          runs[i]?.push(await navigate(browser, servers[i] as StreamingServer, `/slow?wait=${HINTS_WAIT_MS}`));
      }
      for (const [i, hints] of ["on", "off"].entries()) rows.push(hintsRow(variant.flags, hints, runs[i] ?? []));
    } finally {
      await browser.close();
    }
  }
  return [
    heading,
    "",
    `Chromium ${version} (playwright-core), \`--headless --no-sandbox --disable-gpu --disable-background-networking --ignore-certificate-errors\`, desktop Chrome userAgent; a self-signed certificate made by \`openssl\` at run time. \`/slow\`: getServerData waits ${HINTS_WAIT_MS} ms, so ssr-pages sends \`103\` with \`Link\` for its stylesheet, the client entry and the page's module first. ${settings.navigations} navigations per row, each in a fresh browser context (its own cache and connection), the two servers (\`earlyHints\` on, off) taking turns. Chromium's figures are ms from the navigation's start; the server's, ms after the page's request reached it. Medians.`,
    "",
    "| Chromium | earlyHints | hints used (entry asked before the HTML) | server: entry asked at ms | entry requests per navigation | nav `responseStart` | nav `finalResponseHeadersStart` | entry `startTime` | entry `responseEnd` | entry ready after the HTML's head | entry `initiatorType` | entry `transferSize` |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ...rows,
    "",
    "`responseStart` is the first byte of any response: in Chromium, the 103 when one came (it equals `firstInterimResponseStart`); `finalResponseHeadersStart` is the HTML's own head. An entry module taken from the hints' preload is reported by Resource Timing with `initiatorType` `early-hints`, `transferSize` 0 and a `startTime` of when the document took it, after the HTML: only the server's log shows when it was really asked for.",
    "",
  ].join("\n");
}

function hintsRow(flags: string, hints: string, runs: readonly HintedNavigation[]): string {
  const m = (pick: (run: HintedNavigation) => number, digits = 1) =>
    fmt(median(runs.map(pick).filter(Number.isFinite)), digits);
  const range = (values: number[]) =>
    Math.min(...values) === Math.max(...values) ? `${values[0]}` : `${Math.min(...values)}–${Math.max(...values)}`;
  const used = runs.filter((run) => run.serverEntryAt < HINTS_WAIT_MS).length;
  const initiators = [...new Set(runs.map((run) => run.entry.initiator))].join(", ");
  const protocols = [...new Set(runs.map((run) => run.protocol))].join(", ");
  return `| ${flags} (${protocols}) | ${hints} | ${used} / ${runs.length} | ${m((run) => run.serverEntryAt)} | ${range(runs.map((run) => run.serverEntryRequests))} | ${m((run) => run.responseStart)} | ${m((run) => run.finalHeaders)} | ${m((run) => run.entry.startTime)} | ${m((run) => run.entry.responseEnd)} | ${m((run) => run.entry.responseEnd - run.finalHeaders)} | ${initiators} | ${m((run) => run.entry.transferSize, 0)} |`;
}

/** 3. CPU per request: streamed (the deferred prop already settled) against a string render. */
async function cpu(server: StreamingServer): Promise<string> {
  const pages = { string: `${server.origin}/reviews`, streamed: `${server.origin}/reviews?defer=resolved` } as const;
  const headers = { "user-agent": CHROME_UA };
  const agent = new http.Agent({ keepAlive: false });
  const bytes = {
    string: (await timeResponse(pages.string, agent)).bytes,
    streamed: (await timeResponse(pages.streamed, agent)).bytes,
  };
  // (autocannon runs at least a second: a quick run skips this warm-up.)
  if (settings.cpuWarmup > 0)
    for (const url of Object.values(pages)) await load(url, settings.cpuWarmup, CONNECTIONS, 200, headers);
  const slices: Array<Record<"string" | "streamed", { rps: number; cpuUs: number }>> = [];
  let unexpected = 0;
  for (let slice = 0; slice < settings.cpuSlices; slice++) {
    const measured: Partial<Record<"string" | "streamed", { rps: number; cpuUs: number }>> = {};
    for (const which of slice % 2 === 0 ? (["string", "streamed"] as const) : (["streamed", "string"] as const)) {
      const before = await server.cpuUs();
      const result = await load(pages[which], settings.cpuSeconds, CONNECTIONS, 200, headers);
      measured[which] = { rps: result.rps, cpuUs: ((await server.cpuUs()) - before) / Math.max(1, result.requests) };
      unexpected += result.unexpected;
    }
    slices.push(measured as Record<"string" | "streamed", { rps: number; cpuUs: number }>);
  }
  const m = (which: "string" | "streamed", key: "rps" | "cpuUs") => median(slices.map((s) => s[which][key]));
  const ratio = (key: "rps" | "cpuUs") => median(slices.map((s) => s.streamed[key] / s.string[key]));
  if (unexpected > 0) process.exitCode = 1;
  return [
    "## 3. CPU per request: streamed vs string render (Express 5, autocannon)",
    "",
    `\`/reviews?defer=resolved\`: the reviews a promise already settled, so the page streams (renderToPipeableStream, devalue, the value's element) with nothing to wait for: pure CPU. Baseline: \`/reviews\`, the same page and data rendered to a string. autocannon in the bench process, ${CONNECTIONS} connections, desktop Chrome User-Agent, ${settings.cpuSlices} slices of ${settings.cpuSeconds} s per page taking turns; CPU from the server process's own \`process.cpuUsage()\`; medians over slices, ratios medians of the ratios within each slice.${unexpected > 0 ? ` **${unexpected} unexpected statuses or socket errors.**` : ""}`,
    "",
    "| page | bytes | req/s | server CPU µs/req |",
    "|---|---:|---:|---:|",
    `| baseline: string render | ${bytes.string} | ${fmt(m("string", "rps"))} | ${fmt(m("string", "cpuUs"))} |`,
    `| streamed (deferred prop already settled) | ${bytes.streamed} | ${fmt(m("streamed", "rps"))} | ${fmt(m("streamed", "cpuUs"))} |`,
    `| streamed / string | ${fmt(bytes.streamed / bytes.string, 2)}× | ${fmt(ratio("rps"), 2)}× | ${fmt(ratio("cpuUs"), 2)}× |`,
    "",
  ].join("\n");
}

/** 4. The plain page's instructions per request, this tree against HEAD. */
async function instructions(): Promise<string> {
  const contestants = [
    { id: "express-ssr", label: "Express 5 + ssrMiddleware" },
    { id: "http-ssr", label: "node:http + createRequestListener" },
  ];
  const { tree, head, commit } = await instructionsVsHead(contestants, BASE, quick);
  const rows = contestants.flatMap(({ label }) =>
    (["html", "json"] as const).map((kind) => {
      const before = head[label]?.[kind] ?? { k: Number.NaN, spread: Number.NaN };
      const after = tree[label]?.[kind] ?? { k: Number.NaN, spread: Number.NaN };
      const ratio = after.k / before.k;
      // The two counts' own spreads together: a ratio that far from 1 is noise the batches already show.
      const noise = (before.spread + after.spread) / 100;
      const judged =
        ratio <= 1.05
          ? "met"
          : ratio - noise > 1.05
            ? "**missed**"
            : `not settled (above 1.05, within the ±${fmt(noise * 100, 1)} % noise)`;
      return `| ${label}, ${kind === "html" ? "HTML `/products/1`" : "page data"} | ${before.k}k ±${before.spread}% | ${after.k}k ±${after.spread}% | ${fmt(ratio, 3)} ±${fmt(noise, 3)} | ${judged} |`;
    }),
  );
  return [
    `## 4. A page that does not stream: instructions per request, this working tree vs ${BASE === "HEAD" ? "HEAD" : "the base"} (${commit})`,
    "",
    `\`npm run bench:instructions -- --only <id>\` run in this tree and in a worktree of that commit (.tmp/bench-head, node_modules linked, removed afterwards), the two side by side, one contestant at a time: bench/pages' product page (plain props, no promise), valgrind --tool=callgrind, ${quick ? `its smoke run (${describeCountSettings(countSettings(true))}: not meaningful)` : describeCountSettings(countSettings(false))}; the mean, ± half the batches' range. The ratio's ± is the two spreads added.`,
    "",
    `| server, URL | ${commit} instr/req | working tree instr/req | tree / ${commit} | limit ≤ 1.05 |`,
    "|---|---:|---:|---:|---|",
    ...rows,
    "",
  ].join("\n");
}

/** 5. The props codecs. */
async function codecs(): Promise<string> {
  const plain = sized(plainProps, (value) => JSON.stringify(value), 7700);
  const rich = sized(richProps, (value) => devalueCodec.encode(value) as string, 12_000);
  const { codecs: others, missing } = await optionalCodecs();
  const plainResults = await timeCodecs(
    [jsonCodec, devalueCodec, ...others],
    plain.value,
    settings.codecRounds,
    settings.codecBatchMs,
  );
  const richResults = await timeCodecs(
    [devalueCodec, ...others],
    rich.value,
    settings.codecRounds,
    settings.codecBatchMs,
  );
  const table = (results: CodecResult[], withShared: boolean) => {
    const base = results[0] as CodecResult;
    return [
      `| codec | bytes | encode µs | decode µs | encode + decode µs | vs ${base.codec.split(" ")[0]} | round-trips |${withShared ? " shared objects kept |" : ""}`,
      `|---|---:|---:|---:|---:|---:|---|${withShared ? "---|" : ""}`,
      ...results.map(
        (r) =>
          `| ${r.codec} | ${r.bytes} | ${fmt(r.encodeUs, 1)} | ${fmt(r.decodeUs, 1)} | ${fmt(r.encodeUs + r.decodeUs, 1)} | ${fmt((r.encodeUs + r.decodeUs) / (base.encodeUs + base.decodeUs), 2)}× | ${r.roundTrips} |${withShared ? ` ${r.sharedKept ? "yes" : "no"} |` : ""}`,
      ),
    ];
  };
  return [
    "## 5. Props codecs: encode + decode, in-process",
    "",
    `CPU µs per call (\`process.cpuUsage\`), medians of ${settings.codecRounds} rounds, codecs taking turns, batches of ~${settings.codecBatchMs} ms. ${missing.length === 0 ? "superjson and turbo-stream from .tmp/codecs (`npm install --prefix .tmp/codecs superjson turbo-stream`), for comparison only." : `Not installed in .tmp/codecs, so not compared: ${missing.join(", ")} (\`npm install --prefix .tmp/codecs superjson turbo-stream\`).`} turbo-stream's text is read from its stream and decoded from one (its API), so its figures include the streams.`,
    "",
    `Plain props: a product and ${plain.count} reviews, ${plain.bytes} bytes of JSON. Baseline: JSON as ssr-pages sends them (\`serializeProps\`, i.e. \`JSON.stringify\` and the walk that checks JSON carries them unchanged, then \`JSON.parse\` as the browser does).`,
    "",
    ...table(plainResults, false),
    "",
    `Rich props: the same page with Dates, BigInt ids, a Map, Sets, a RegExp, \`undefined\` fields and ${AUTHORS.length} author objects shared by ${rich.count} reviews, ${rich.bytes} bytes as devalue. Baseline: devalue (what ssr-pages uses).`,
    "",
    ...table(richResults, true),
    "",
  ].join("\n");
}

async function main(): Promise<void> {
  const started = performance.now();
  const load0 = os.loadavg()[0] ?? 0;
  console.log(
    `ssr-pages streaming bench${quick ? " (quick)" : ""}: Node ${process.version}, ${os.cpus().length} cores, load average ${fmt(load0, 1)}`,
  );
  const sections: Partial<Record<Part, string>> = {};
  const measure = async (part: Part, run: () => Promise<string>) => {
    const start = performance.now();
    sections[part] = await run();
    console.log(`  ${part}: ${fmt((performance.now() - start) / 1000, 1)} s`);
  };
  // The servers start together (their pages compile side by side); then the timing parts run one at
  // a time, and callgrind (minutes of CPU on both cores) last.
  const tls = wanted("hints")
    ? await selfSignedCertificate(path.join(ROOT, ".tmp", "bench", "streaming-tls")).catch(
        (error: unknown) => error as Error,
      )
    : undefined;
  const canHint = tls !== undefined && !(tls instanceof Error);
  const [express, hinted, unhinted] = await Promise.all([
    wanted("latency") || wanted("cpu") ? startStreamingServer({ kind: "express" }) : undefined,
    canHint ? startStreamingServer({ kind: "h2", earlyHints: true, tls }) : undefined,
    canHint ? startStreamingServer({ kind: "h2", earlyHints: false, tls }) : undefined,
  ]);
  try {
    if (express && wanted("latency")) await measure("latency", () => latency(express.origin));
    if (express && wanted("cpu")) await measure("cpu", () => cpu(express));
    if (tls) await measure("hints", () => earlyHints(tls, hinted && unhinted ? [hinted, unhinted] : undefined));
  } finally {
    await Promise.all([express, hinted, unhinted].map((server) => server?.stop()));
  }
  if (wanted("codecs")) await measure("codecs", codecs);
  if (wanted("instructions")) await measure("instructions", instructions);
  else if (quick && !only)
    sections.instructions =
      "## 4. Instructions per request vs HEAD\n\nNot run with `--quick` (callgrind takes minutes): `-- --only instructions` runs it alone, `-- --quick --only instructions` a smoke version of it.\n";

  const info = `${new Date().toISOString().slice(0, 10)} · Node ${process.version} · ${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? "unknown"}) · load average ${fmt(load0, 1)} at the start, ${fmt(os.loadavg()[0] ?? 0, 1)} at the end · ${fmt((performance.now() - started) / 1000)} s`;
  const report = [info, "", ...PARTS.map((part) => sections[part]).filter((section) => section !== undefined)].join(
    "\n",
  );
  console.log(`\n${report}`);
  if (!quick && !only) writeLatest(report);
}

/** Puts `report` between bench/STREAMING.md's "latest" markers. */
function writeLatest(report: string): void {
  const file = path.join(ROOT, "bench", "STREAMING.md");
  const text = readFileSync(file, "utf8");
  const begin = "<!-- latest:begin -->";
  const end = "<!-- latest:end -->";
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from === -1 || to < from) throw new Error(`bench/STREAMING.md has no ${begin} … ${end} markers`);
  // Its parts' headings one level down, under the file's "## Latest".
  writeFileSync(file, `${text.slice(0, from + begin.length)}\n${report.replace(/^## /gm, "### ")}\n${text.slice(to)}`);
}

await main();
