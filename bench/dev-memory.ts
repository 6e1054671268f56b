/**
 * The dev loop over many edits: heap and RSS after a garbage collection, before and after N saves of
 * a page (300 by default) with a tab listening, how many esbuild processes run, and whether the old
 * builds' server modules are collected. Each build's page module makes an object and keeps only a
 * `WeakRef` to it outside: while a build's modules are alive, its object is; once they can be
 * collected, the `WeakRef` is empty. The baseline is the same process after its first build.
 *
 * Run: npm run bench:dev-memory (about a minute). Needs --expose-gc (the script sets it).
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { setTimeout as delay } from "node:timers/promises";
import { createSsrHandler } from "../src/handler.js";
import { generatePages } from "./lib/scale.js";

const EDITS = Number(process.env.EDITS ?? 300);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc (npm run bench:dev-memory does)");

const dir = generatePages(100);
const file = path.join(dir, "section1", "page1.tsx");
const source = (n: number) =>
  `const alive = { n: ${n} };\n(globalThis as any).__devRefs.push(new WeakRef(alive));\n` +
  `export function getServerData() { return { props: { n: alive.n } }; }\n` +
  `export default function P1({ serverData }: { serverData: { n: number } }) { return <p>edit {serverData.n}</p>; }\n`;
(globalThis as { __devRefs?: Array<WeakRef<object>> }).__devRefs = [];
const refs = (globalThis as unknown as { __devRefs: Array<WeakRef<object>> }).__devRefs;
writeFileSync(file, source(0));

// tsx (which runs this script) has an esbuild service of its own: count only what the loop adds.
const esbuildProcesses = () => {
  const out = execFileSync("ps", ["-o", "comm=", "--ppid", String(process.pid)], { encoding: "utf8" });
  return out.split("\n").filter((name) => name.includes("esbuild")).length;
};
const esbuildBefore = esbuildProcesses();
const handler = createSsrHandler(dir, { dev: true, onError: (error) => console.error(error) });
await handler.ready;
const get = async () =>
  String((await handler.handle({ method: "GET", url: "/section1/page1", base: "", headers: {} }))?.body ?? "");
// A tab: its event stream keeps the incremental contexts (and is read, as a browser would).
const tab = (await handler.handle({ method: "GET", url: "/_ssr-pages/events", base: "", headers: {} }))?.body;
if (!(tab instanceof Readable)) throw new Error("no event stream");
tab.resume();
await get();

const settle = async () => {
  for (let i = 0; i < 4; i++) {
    gc();
    await delay(20);
  }
  return { heap: process.memoryUsage().heapUsed, rss: process.memoryUsage().rss };
};
// Warm-up: the first edits create the incremental contexts and JIT the loop.
for (let n = 1; n <= 10; n++) {
  writeFileSync(file, source(n));
  while (!(await get()).includes(`edit <!-- -->${n}<`)) await delay(5);
}
const before = await settle();
const started = performance.now();
for (let n = 11; n < 11 + EDITS; n++) {
  writeFileSync(file, source(n));
  while (!(await get()).includes(`edit <!-- -->${n}<`)) await delay(5);
}
const seconds = (performance.now() - started) / 1000;
const after = await settle();
const alive = refs.filter((ref) => ref.deref() !== undefined).length;
const MB = (bytes: number) => (bytes / 1e6).toFixed(1);
console.log(`ssr-pages dev loop memory: Node ${process.version}, 100 pages, ${EDITS} saves in ${seconds.toFixed(1)} s`);
console.log(
  `  heap after GC: ${MB(before.heap)} MB → ${MB(after.heap)} MB (growth ${MB(after.heap - before.heap)} MB)`,
);
console.log(`  RSS after GC:  ${MB(before.rss)} MB → ${MB(after.rss)} MB (growth ${MB(after.rss - before.rss)} MB)`);
console.log(
  `  esbuild processes of the dev loop: ${esbuildProcesses() - esbuildBefore} (besides tsx's own: ${esbuildBefore})`,
);
console.log(
  `  builds whose page module is still alive: ${alive} of ${refs.length} (the current one, and any a request still holds)`,
);
tab.destroy();
await handler.close();
