/**
 * The dev loop's figures (issue 23's "Figures") at 100, 1,000 and 10,000 generated pages. Per size,
 * a fresh child process (bench/lib/dev-server.ts) creates `createRequestListener(dir, { dev: true })`,
 * so the start's time and the tree's RSS are clean; this process drives it:
 *
 * 1. dev start → `ready`, and dev start → the first 200 of one page (requested by the child as soon
 *    as it listens), timed in the child from `createRequestListener`;
 * 2. the first request of a second page, not requested before, to its 200 (against a repeat request
 *    of that page: what a compiled page costs);
 * 3. the process tree's RSS (Node, esbuild's service, tsx's) after HTML requests of 20 different
 *    pages, against the tree before the middleware was created; and its peak from spawn to then;
 * 4. with a Chromium tab open on the first page (so rebuilds are incremental, as for a developer),
 *    save → the next request answers with the new code, and save → the tab shows it (no reload),
 *    p50 and p95 over the saves. The baseline, measured in the same child, is what the dev loop
 *    replaces: restarting the middleware (`watch: false`, `ready` once every page compiled); the
 *    ratio is restart / save (higher is better).
 *
 * Absolute times drift by tens of per cent on this machine (2 cores, shared): compare runs by the
 * ratios, or run twice. See bench/DEV.md.
 *
 * Run: npm run bench:dev (15–25 minutes at the three sizes today: a save at 10,000 pages takes
 * 15–25 s). SIZES=100,1000 or `-- --sizes 100` picks the sizes (100,1000,10000); EDITS=n the saves
 * per size (30), or EDITS=20,20,5 per size in order.
 */
import { execFileSync, fork, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import type { Browser } from "playwright-core";
import { launchChromium } from "../test/browser/harness.js";
import { ROOT } from "./lib/build.js";
import { httpGet, type FromDevServer, type RestartMessage, type StartedMessage } from "./lib/dev-bench.js";
import { generatePages } from "./lib/scale.js";
import { median } from "./lib/stats.js";
import { TreeSampler, treeRss, type TreeRss } from "./lib/tree-rss.js";

/** `--name value` or `--name=value` on the command line, else the environment's `NAME`. */
function setting(name: string): string | undefined {
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    if (args[i] === `--${name}`) return args[i + 1];
    if (args[i]?.startsWith(`--${name}=`)) return args[i]?.slice(name.length + 3);
  }
  return process.env[name.toUpperCase()];
}
const numbers = (list: string): number[] =>
  list.split(",").map((one) => {
    const n = Number(one.trim());
    if (!Number.isInteger(n) || n <= 0) throw new Error(`not a positive integer: ${JSON.stringify(one)}`);
    return n;
  });

const SIZES = numbers(setting("sizes") ?? "100,1000,10000");
const EDITS = numbers(setting("edits") ?? "30");
/** The saves at the i-th size: its own entry, or the last one given. */
const editsAt = (i: number): number => EDITS[Math.min(i, EDITS.length - 1)] as number;
/** Restarts timed per size: fewer from 10,000 pages, where each compiles every page for 15–25 s today. */
const restartsAt = (count: number): number => (count >= 10_000 ? 3 : 5);
/** Pages requested before the tree's RSS is read (the issue's figure). */
const VISITED = 20;
/** The tree sampler's period: fine enough for the start's peak, cheap enough on 2 cores. */
const SAMPLE_MS = 5;
/** Browser waits: a save at 10,000 pages rebuilds every entry today (p95 up to 36 s seen), beyond Playwright's 30 s default. */
const TAB_TIMEOUT_MS = 120_000;

const quantile = (values: number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))] as number;
const source = (n: number) =>
  `export function getServerData() { return { props: { n: ${n} } }; }\n` +
  `export default function P1({ serverData }: { serverData: { n: number } }) { return <p id="edit">edit {serverData.n}</p>; }\n`;

/**
 * The pages requested, in order: the edited page (written by the bench: bench/lib/scale.ts puts a
 * splat route at i = 1), then static pages of bench/lib/scale.ts (i % 10 of 2–9 are `page{i}.tsx`),
 * which exist at every size from 100.
 */
function visitedPaths(): string[] {
  const paths = ["/section1/page1"];
  for (let i = 2; paths.length < VISITED; i++) if (i % 10 >= 2) paths.push(`/section${i % 100}/page${i}`);
  return paths;
}

/** What one size measured; milliseconds and MiB. */
interface SizeResult {
  count: number;
  edits: number;
  load: number;
  started: StartedMessage;
  /** The second page's first request, and the median of 5 repeats of it. */
  secondMs: number;
  repeatMs: number;
  /** The other 18 pages' first requests, one after another. */
  restMs: number;
  treeMiB: number;
  /** The tree after 20 pages, by process name (`node 120 + esbuild 60`). */
  treeByName: string;
  peak: TreeRss;
  /** The tree's peak over the saves (a tab open: esbuild's incremental contexts held). */
  savesPeak: TreeRss;
  toResponse: number[];
  toTab: number[];
  restarts: number[];
  errors: string[];
}

/** The child's next message of `type`; rejects if it exits first. */
function nextMessage<T extends FromDevServer["type"]>(
  child: ChildProcess,
  type: T,
): Promise<Extract<FromDevServer, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: FromDevServer) => {
      if (message.type !== type) return;
      cleanup();
      resolve(message as Extract<FromDevServer, { type: T }>);
    };
    const onExit = (code: number | null, signal: string | null) => {
      cleanup();
      reject(new Error(`the dev server exited (${code ?? signal}) before sending "${type}"`));
    };
    const cleanup = () => {
      child.off("message", onMessage);
      child.off("exit", onExit);
    };
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

/** `url`'s milliseconds to the end of its body; anything but a 200 fails the bench. */
async function getOk(url: string): Promise<number> {
  const { status, ms } = await httpGet(url);
  if (status !== 200) throw new Error(`${url} answered ${status}`);
  return ms;
}

/** Every figure at `count` pages, in one fresh child server, with `edits` saves of each kind. */
async function measure(count: number, edits: number, browser: Browser): Promise<SizeResult> {
  const dir = generatePages(count);
  const file = path.join(dir, "section1", "page1.tsx");
  writeFileSync(file, source(0));
  const paths = visitedPaths();
  const load = loadavg()[0] as number;
  // Started before the child, so the start's peak is seen from its first milliseconds.
  const sampler = new TreeSampler(SAMPLE_MS);
  await sampler.started();
  const child = startDevServer(dir, paths[0] as string);
  sampler.attach(child.pid as number);
  let sampling = true;
  const errors: string[] = [];
  // Reported, not fatal: a save can be seen half written (the watcher reads an empty file) and compile once with an error.
  child.on("message", (message: FromDevServer) => void (message.type === "error" && errors.push(message.message)));
  try {
    const started = await nextMessage(child, "started");
    if (started.firstStatus !== 200) throw new Error(`${paths[0]} answered ${started.firstStatus} at ${count} pages`);
    const origin = `http://127.0.0.1:${started.port}`;

    const secondMs = await getOk(origin + paths[1]);
    const repeats: number[] = [];
    for (let i = 0; i < 5; i++) repeats.push(await getOk(origin + paths[1]));
    let restMs = performance.now();
    for (const visited of paths.slice(2)) await getOk(origin + visited);
    restMs = performance.now() - restMs;
    // A moment for whatever the requests left running (esbuild's work, the collector) to settle.
    await delay(500);
    const tree = treeRss(child.pid as number);
    const byName = new Map<string, number>();
    for (const one of tree) byName.set(one.name, (byName.get(one.name) ?? 0) + one.kib / 1024);
    const treeByName = [...byName]
      .sort((a, b) => b[1] - a[1])
      .map(([name, mib]) => `${name} ${mib.toFixed(0)}`)
      .join(" + ");
    sampling = false;
    const peak = await sampler.stop();

    const savesSampler = new TreeSampler(SAMPLE_MS);
    await savesSampler.started();
    savesSampler.attach(child.pid as number);
    const { toResponse, toTab } = await saves(origin, file, edits, browser).catch(async (error: unknown) => {
      await savesSampler.stop();
      throw error;
    });
    const savesPeak = await savesSampler.stop();

    child.send({ type: "restart", runs: restartsAt(count) } satisfies RestartMessage);
    const { ms: restarts } = await nextMessage(child, "restarts");
    return {
      count,
      edits,
      load,
      started,
      secondMs,
      repeatMs: median(repeats),
      restMs,
      treeMiB: tree.reduce((sum, one) => sum + one.kib, 0) / 1024,
      treeByName,
      peak,
      savesPeak,
      toResponse,
      toTab,
      restarts,
      errors,
    };
  } finally {
    if (sampling) await sampler.stop();
    await stopDevServer(child);
  }
}

/** A child server (bench/lib/dev-server.ts) for `dir`, requesting `firstPath` once it listens. */
function startDevServer(dir: string, firstPath: string): ChildProcess {
  return fork(path.join(ROOT, "bench", "lib", "dev-server.ts"), [dir, firstPath], {
    cwd: ROOT,
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
}

/** Closes the channel, on which the child exits; a child stuck in a compile is killed. */
async function stopDevServer(child: ChildProcess): Promise<void> {
  const exited =
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise((resolve) => child.once("exit", resolve));
  if (child.connected) child.disconnect();
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

/**
 * One unmeasured start of a small site first. The child runs the sources through tsx, which caches
 * what it compiles: after any change to src/ (often, here), the first start would otherwise pay for
 * compiling the library's TypeScript (2.5 s instead of 0.75 s at 100 pages) and run tsx's own esbuild
 * service besides, neither of which a user's compiled app has.
 */
async function warmUp(): Promise<void> {
  const dir = generatePages(100);
  writeFileSync(path.join(dir, "section1", "page1.tsx"), source(0));
  const child = startDevServer(dir, "/section1/page1");
  try {
    await nextMessage(child, "started");
  } finally {
    await stopDevServer(child);
  }
}

/** Save → next response and save → updated tab, `edits` of each, with a Chromium tab open on the edited page. */
async function saves(
  origin: string,
  file: string,
  edits: number,
  browser: Browser,
): Promise<{ toResponse: number[]; toTab: number[] }> {
  const context = await browser.newContext();
  context.setDefaultTimeout(TAB_TIMEOUT_MS);
  const tab = await context.newPage();
  let n = 0;
  const toResponse: number[] = [];
  const toTab: number[] = [];
  try {
    await tab.goto(`${origin}/section1/page1`);
    await tab.locator("#edit").waitFor();
    // Two warm-up saves: the first rebuild with a tab creates the incremental contexts.
    for (let warm = 0; warm < 2; warm++) {
      writeFileSync(file, source(++n));
      await tab.locator("#edit", { hasText: `edit ${n}` }).waitFor();
    }
    for (let edit = 0; edit < edits; edit++) {
      let started = performance.now();
      writeFileSync(file, source(++n));
      // As a developer's reload would: the first answer with the new code is the figure.
      while (!(await httpGet(`${origin}/section1/page1`)).body.includes(`edit <!-- -->${n}<`)) await delay(2);
      toResponse.push(performance.now() - started);
      await tab.locator("#edit", { hasText: `edit ${n}` }).waitFor();
      await delay(50); // let the tab settle before the next save
      started = performance.now();
      writeFileSync(file, source(++n));
      await tab.waitForFunction((expected) => document.querySelector("#edit")?.textContent === expected, `edit ${n}`, {
        polling: "raf",
      });
      toTab.push(performance.now() - started);
      await delay(50);
    }
  } finally {
    await context.close();
  }
  return { toResponse, toTab };
}

const ms = (value: number) => `${value.toFixed(0)} ms`;
const mib = (value: number) => `${value.toFixed(0)} MiB`;
const thousands = (count: number) => count.toLocaleString("en-US");
/** Which processes held a peak: `node 125 + esbuild 62` (MiB). */
const atPeak = (peak: TreeRss) => peak.atPeak.map((one) => `${one.name} ${(one.kib / 1024).toFixed(0)}`).join(" + ");

/** One size's figures, as they come (a full run takes minutes). */
function printSize(r: SizeResult): void {
  const restart = median(r.restarts);
  const pair = (values: number[]) =>
    `p50 ${ms(quantile(values, 0.5))}, p95 ${ms(quantile(values, 0.95))} (restart / save ${(restart / quantile(values, 0.5)).toFixed(1)}×)`;
  const rows: Array<[string, string]> = [
    ["dev start → ready", ms(r.started.readyMs)],
    ["dev start → first 200 of /section1/page1", ms(r.started.first200Ms)],
    [
      "first request of a page not requested before",
      `${ms(r.secondMs)} (a repeat of it: ${ms(r.repeatMs)}; ${(r.secondMs / r.repeatMs).toFixed(1)}×)`,
    ],
    [`the other ${VISITED - 2} pages' first requests, in turn`, ms(r.restMs)],
    [
      `process tree RSS after ${VISITED} pages`,
      `${mib(r.treeMiB)} (${r.treeByName}; before the start ${mib(r.started.idleTreeMiB)}: ${(r.treeMiB / r.started.idleTreeMiB).toFixed(1)}×)`,
    ],
    [
      `peak tree RSS, spawn → ${VISITED} pages`,
      `${mib(r.peak.peakKib / 1024)} (${atPeak(r.peak)}; ${r.peak.samples} samples)`,
    ],
    ["save → next server response", pair(r.toResponse)],
    ["save → updated tab", pair(r.toTab)],
    ["peak tree RSS over the saves, a tab open", `${mib(r.savesPeak.peakKib / 1024)} (${atPeak(r.savesPeak)})`],
    ["restarting the middleware instead", `p50 ${ms(restart)} (${r.restarts.map((one) => one.toFixed(0)).join(", ")})`],
    ["not in the figures: process start → adapter imported", ms(r.started.importMs)],
  ];
  console.log(`\n${thousands(r.count)} pages: a fresh process; ${r.edits} saves; load average ${r.load.toFixed(1)}`);
  for (const [what, value] of rows) console.log(`  ${what.padEnd(54)} ${value}`);
  if (r.errors.length > 0)
    console.log(
      `  onError reported ${r.errors.length}; the first:\n    ${r.errors[0]?.split("\n").slice(0, 3).join("\n    ")}`,
    );
}

/** Every size in one markdown table (what bench/DEV.md records), with issue 23's targets. */
function printSummary(results: SizeResult[]): void {
  const row = (what: string, target: string, cell: (r: SizeResult) => string) =>
    `| ${what} | ${results.map(cell).join(" | ")} | ${target} |`;
  const p = (values: number[], restarts: number[]) =>
    `${quantile(values, 0.5).toFixed(0)} / ${quantile(values, 0.95).toFixed(0)} (${(median(restarts) / quantile(values, 0.5)).toFixed(1)}×)`;
  console.log(`\n| figure | ${results.map((r) => `${thousands(r.count)} pages`).join(" | ")} | target (issue 23) |`);
  console.log(`|---|${results.map(() => "---:|").join("")}---|`);
  console.log(row("dev start → ready, ms", "", (r) => r.started.readyMs.toFixed(0)));
  console.log(row("dev start → first 200 of one page, ms", "≤ 1000 at 10,000", (r) => r.started.first200Ms.toFixed(0)));
  console.log(
    row(
      "first request of a page not requested before, ms (× a repeat request)",
      "≤ 300 at 10,000",
      (r) => `${r.secondMs.toFixed(0)} (${(r.secondMs / r.repeatMs).toFixed(1)}×)`,
    ),
  );
  console.log(
    row(
      `process tree RSS after visiting ${VISITED} pages, MiB (× the tree before the start)`,
      "≤ 300 at 10,000",
      (r) => `${r.treeMiB.toFixed(0)} (${(r.treeMiB / r.started.idleTreeMiB).toFixed(1)}×)`,
    ),
  );
  console.log(
    row(`peak process tree RSS, spawn → ${VISITED} pages, MiB`, "", (r) => (r.peak.peakKib / 1024).toFixed(0)),
  );
  console.log(
    row("peak process tree RSS over the saves (a tab open), MiB", "", (r) => (r.savesPeak.peakKib / 1024).toFixed(0)),
  );
  console.log(
    row("save of a component → updated tab, p50 / p95 ms (restart / save p50)", "≤ 100 / ≤ 250", (r) =>
      p(r.toTab, r.restarts),
    ),
  );
  console.log(
    row("save → next server response, p50 / p95 ms (restart / save p50)", "", (r) => p(r.toResponse, r.restarts)),
  );
  console.log(
    row(
      "baseline: restarting the middleware (`watch: false` → ready), p50 ms",
      "",
      (r) => `${median(r.restarts).toFixed(0)} (${r.restarts.length} runs)`,
    ),
  );
  console.log(row("saves measured", "", (r) => String(r.edits)));
}

/** The commit measured, and whether the library's sources differ from it (other sessions edit src/ while benches run). */
function revision(): string {
  try {
    const commit = execFileSync("git", ["log", "-1", "--format=%h"], {
      cwd: ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    const changed = execFileSync("git", ["status", "--porcelain", "--", "src", "adapters"], {
      cwd: ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    return changed === "" ? `commit ${commit}` : `commit ${commit} with uncommitted changes in src/ or adapters/`;
  } catch {
    return "not a git checkout";
  }
}

console.log(
  `ssr-pages dev loop: ${revision()}; Node ${process.version}; sizes ${SIZES.map(thousands).join(", ")}; load average ${loadavg()[0]?.toFixed(1)}`,
);
await warmUp();
const browser = await launchChromium();
const results: SizeResult[] = [];
try {
  for (const [i, count] of SIZES.entries()) {
    const result = await measure(count, editsAt(i), browser);
    printSize(result);
    results.push(result);
  }
} finally {
  await browser.close();
}
printSummary(results);
console.log(`\nload average at the end ${loadavg()[0]?.toFixed(1)}`);
