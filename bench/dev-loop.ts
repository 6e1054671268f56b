/**
 * The dev loop's figures at 100 and 1,000 pages: save → the next request answers with the new code
 * (on the server), and save → the open tab in Chromium shows it (on screen, no reload), p50 and p95
 * over N saves of one page. A tab is open throughout, so rebuilds are incremental, as for a
 * developer. The baseline, measured in the same run, is what the dev loop replaces: restarting the
 * middleware (its whole compile) after a save; the ratio is restart / save (higher is better).
 *
 * Run: npm run bench:dev (about two minutes). EDITS=n changes the number of saves (30).
 */
import http from "node:http";
import { writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { createRequestListener } from "../adapters/http.js";
import { launchChromium } from "../test/browser/harness.js";
import { generatePages } from "./lib/scale.js";

const EDITS = Number(process.env.EDITS ?? 30);
const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))] as number;
const source = (n: number) =>
  `export function getServerData() { return { props: { n: ${n} } }; }\n` +
  `export default function P1({ serverData }: { serverData: { n: number } }) { return <p id="edit">edit {serverData.n}</p>; }\n`;

async function measure(count: number, browser: Awaited<ReturnType<typeof launchChromium>>): Promise<void> {
  const dir = generatePages(count);
  const file = path.join(dir, "section1", "page1.tsx");
  writeFileSync(file, source(0));
  const listener = createRequestListener(dir, { dev: true, onError: () => undefined });
  await listener.ready;
  const server = http.createServer(listener).listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const context = await browser.newContext();
  const tab = await context.newPage();
  await tab.goto(`${origin}/section1/page1`);
  await tab.locator("#edit").waitFor();
  let n = 0;
  const toResponse: number[] = [];
  const toTab: number[] = [];
  try {
    // Two warm-up saves: the first rebuild with a tab creates the incremental contexts.
    for (let warm = 0; warm < 2; warm++) {
      writeFileSync(file, source(++n));
      await tab.locator("#edit", { hasText: `edit ${n}` }).waitFor();
    }
    for (let edit = 0; edit < EDITS; edit++) {
      let started = performance.now();
      writeFileSync(file, source(++n));
      // As a developer's reload would: the first answer with the new code is the figure.
      while (!(await (await fetch(`${origin}/section1/page1`)).text()).includes(`edit <!-- -->${n}<`)) await delay(2);
      toResponse.push(performance.now() - started);
      await tab.locator("#edit", { hasText: `edit ${n}` }).waitFor();
      await delay(50); // let the tab settle before the next save
      started = performance.now();
      writeFileSync(file, source(++n));
      await tab.waitForFunction((expected) => document.querySelector("#edit")?.textContent === expected, `edit ${n}`, { polling: "raf" });
      toTab.push(performance.now() - started);
      await delay(50);
    }
  } finally {
    await context.close();
    await listener.close();
    server.closeAllConnections();
    server.close();
  }
  const restarts: number[] = [];
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    const fresh = createRequestListener(dir, { dev: true, watch: false, onError: () => undefined });
    await fresh.ready;
    restarts.push(performance.now() - started);
  }
  const restart = quantile(restarts, 0.5);
  const line = (what: string, values: number[]) =>
    `${what} p50 ${quantile(values, 0.5).toFixed(0)} ms, p95 ${quantile(values, 0.95).toFixed(0)} ms (restart / save ${(restart / quantile(values, 0.5)).toFixed(1)}×)`;
  console.log(`${String(count).padStart(5)} pages, ${EDITS} saves each; restarting the middleware instead: p50 ${restart.toFixed(0)} ms`);
  console.log(`        save → new response  ${line("", toResponse)}`);
  console.log(`        save → updated tab   ${line("", toTab)}`);
}

console.log(`ssr-pages dev loop: Node ${process.version}`);
const browser = await launchChromium();
try {
  for (const count of [100, 1000]) await measure(count, browser);
} finally {
  await browser.close();
}
