/**
 * `npm run bench:peers`: the benchmark's product page as a Next.js page (getServerSideProps,
 * `next build && next start`) and as a Gatsby page (getServerData, `gatsby build && gatsby serve`),
 * against ssrMiddleware in Express and Koa, in one run, alternating, medians over rounds. The peers
 * are installed and built here, only when this runs: never in CI. Writes bench/peers/RESULTS.md.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { buildServers, ROOT } from "../lib/build.js";
import { load, type LoadResult } from "../lib/load.js";
import { startCommand, startServer, stopServer, type RunningServer } from "../lib/server.js";
import { median, verdict } from "../lib/stats.js";

const run = promisify(execFile);
const HERE = path.join(ROOT, "bench", "peers");
const quick = process.argv.includes("--quick");
const settings = quick ? { rounds: 1, seconds: 1, warmup: 0.3, connections: 10 } : { rounds: 3, seconds: 5, warmup: 1, connections: 10 };
const quiet = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", GATSBY_TELEMETRY_DISABLED: "1", CI: "1" };

/** One server in the comparison. */
interface Peer {
  id: string;
  label: string;
  start(): Promise<RunningServer>;
  html: string;
  /** The JSON a client navigation fetches; known once the server is built. */
  json(): string;
}

async function prepare(): Promise<void> {
  // Each peer renders the very component ssr-pages renders. (Gatsby compiles JSX with the classic
  // runtime, which needs React in scope.)
  const component = readFileSync(path.join(ROOT, "bench", "baseline", "product.tsx"), "utf8");
  for (const [dir, prefix] of [["next/components", ""], ["gatsby/src/components", 'import * as React from "react";\n']] as const) {
    mkdirSync(path.join(HERE, dir), { recursive: true });
    writeFileSync(path.join(HERE, dir, "product.tsx"), prefix + component);
  }
  for (const [peer, flags] of [["next", []], ["gatsby", ["--ignore-scripts"]]] as const) {
    if (!existsSync(path.join(HERE, peer, "node_modules"))) {
      console.log(`installing the ${peer} peer…`);
      await run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...flags], { cwd: path.join(HERE, peer), maxBuffer: 64 << 20 });
    }
  }
  console.log("building the Next.js peer…");
  await run(process.execPath, ["node_modules/next/dist/bin/next", "build"], { cwd: path.join(HERE, "next"), env: { ...quiet, NODE_ENV: "production" }, maxBuffer: 64 << 20 });
  console.log("building the Gatsby peer…");
  await run(process.execPath, ["node_modules/gatsby/cli.js", "build"], { cwd: path.join(HERE, "gatsby"), env: { ...quiet, NODE_ENV: "production" }, maxBuffer: 64 << 20 });
  await buildServers(["express-ssr", "koa-ssr"]);
}

const pagesDir = path.join(ROOT, "bench", "pages");
const peers: Peer[] = [
  {
    id: "next",
    label: "Next.js 16 (pages router, getServerSideProps)",
    start: () => startCommand("next", process.execPath, ["node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", "{port}"], path.join(HERE, "next"), quiet, "/products/1"),
    html: "/products/1",
    json: () => `/_next/data/${readFileSync(path.join(HERE, "next", ".next", "BUILD_ID"), "utf8").trim()}/products/1.json`,
  },
  {
    id: "gatsby",
    label: "Gatsby 5 (getServerData, gatsby serve)",
    start: () => startCommand("gatsby", process.execPath, ["node_modules/gatsby/cli.js", "serve", "-H", "127.0.0.1", "-p", "{port}"], path.join(HERE, "gatsby"), quiet, "/products/1/"),
    html: "/products/1/",
    json: () => "/page-data/products/1/page-data.json",
  },
  {
    id: "express-ssr",
    label: "Express 5 + ssrMiddleware",
    start: () => startServer("express-ssr", { PAGES_DIR: pagesDir }, "/products/1"),
    html: "/products/1",
    json: () => "/page-data/products/1/page-data.json",
  },
  {
    id: "koa-ssr",
    label: "Koa 3 + ssrMiddleware",
    start: () => startServer("koa-ssr", { PAGES_DIR: pagesDir }, "/products/1"),
    html: "/products/1",
    json: () => "/page-data/products/1/page-data.json",
  },
];

async function main(): Promise<void> {
  await prepare();
  const measured: Record<string, Array<{ html: LoadResult; json: LoadResult }>> = {};
  for (let round = 0; round < settings.rounds; round++) {
    for (const peer of round % 2 === 0 ? peers : [...peers].reverse()) {
      const server = await peer.start();
      try {
        const url = (p: string) => server.origin + p;
        await load(url(peer.html), settings.warmup, settings.connections);
        const html = await load(url(peer.html), settings.seconds, settings.connections);
        await load(url(peer.json()), settings.warmup, settings.connections);
        const json = await load(url(peer.json()), settings.seconds, settings.connections);
        (measured[peer.id] ??= []).push({ html, json });
        console.log(`  round ${round + 1}  ${peer.label.padEnd(48)} html ${html.rps.toFixed(0).padStart(6)} req/s  json ${json.rps.toFixed(0).padStart(6)} req/s${html.unexpected + json.unexpected ? `  (${html.unexpected + json.unexpected} unexpected)` : ""}`);
      } finally {
        await stopServer(server);
      }
    }
  }
  const rps = (id: string, kind: "html" | "json") => median((measured[id] ?? []).map((m) => m[kind].rps));
  const slower = (kind: "html" | "json") => Math.min(rps("next", kind), rps("gatsby", kind));
  const lines = [
    `# ssr-pages against Next.js and Gatsby${quick ? " (quick run)" : ""}`,
    "",
    `${new Date().toISOString().slice(0, 10)} · Node ${process.version} · ${os.cpus().length} cores · ${settings.rounds} rounds × ${settings.seconds} s, ${settings.connections} connections, alternating order, medians · every server with NODE_ENV=production · the same product page component everywhere`,
    "",
    "| server | HTML req/s | vs slower peer | JSON req/s | vs slower peer |",
    "|---|---:|---:|---:|---:|",
    ...peers.map((peer) => `| ${peer.label} | ${rps(peer.id, "html").toFixed(0)} | ${(rps(peer.id, "html") / slower("html")).toFixed(2)}× | ${rps(peer.id, "json").toFixed(0)} | ${(rps(peer.id, "json") / slower("json")).toFixed(2)}× |`),
    "",
    "JSON: Next's `/_next/data/<buildId>/products/1.json`, Gatsby's and ssr-pages' `/page-data/products/1/page-data.json`.",
    "",
    "| target (issue 3) | measured | |",
    "|---|---:|---|",
    ...([
      ["Express HTML ≥ 4.5× the slower peer", rps("express-ssr", "html") / slower("html"), 4.5],
      ["Express JSON ≥ 2.5× the slower peer", rps("express-ssr", "json") / slower("json"), 2.5],
      ["Koa HTML ≥ 8× the slower peer", rps("koa-ssr", "html") / slower("html"), 8],
      ["Koa JSON ≥ 7× the slower peer", rps("koa-ssr", "json") / slower("json"), 7],
    ] as const).map(([name, value, target]) => `| ${name} | ${value.toFixed(2)}× | ${verdict(value, target, "≥")} |`),
    "",
  ];
  const report = lines.join("\n");
  console.log(`\n${report}`);
  if (!quick) writeFileSync(path.join(HERE, "RESULTS.md"), report);
}

await main();
