/**
 * Where a warm start's extra time goes: the server started with Node's CPU profiler
 * (`--cpu-prof`, main thread, sampled every 250 µs) until the first 200 of `/`, and the profile read
 * back: how long the main thread was busy, and the inclusive time of the functions of ssr-pages' site
 * layer that the extra work runs in (a function's time includes what it calls; they nest, so they do
 * not add up). esbuild's own work runs in its service process and is not in the profile (the main
 * thread shows it as idle).
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { OUT } from "../lib/build.js";
import { SERVER } from "./build.js";
import { WORK } from "./workspace.js";

/** The functions looked at: name, file under dist/src (as compiled), what it does. */
export const WATCHED: ReadonlyArray<{ name: string; file: string; does: string }> = [
  {
    name: "readSourceImage",
    file: "gatsby-site/images/planner.js",
    does: "an image's hash, size and format (from the disk cache on a warm start)",
  },
  {
    name: "hashOf",
    file: "gatsby-site/images/planner.js",
    does: "an image's content hash: as noted for its size and date, else read and hashed",
  },
  { name: "sourceHashOf", file: "images/source-hash.js", does: "SHA-256 of an image's bytes" },
  { name: "placeholder", file: "gatsby-site/images/planner.js", does: "a placeholder from memory or the disk cache" },
  { name: "planImage", file: "gatsby-site/images/plan-image.js", does: "the image data and variant names (pure)" },
  { name: "recipeHash", file: "gatsby-site/images/plan-image.js", does: "SHA-256 of a variant's recipe, per variant" },
  {
    name: "createSiteSchema",
    file: "gatsby-site/schema/schema.js",
    does: "the GraphQL schema (nodes of the filesystem sources, inference)",
  },
  { name: "runQuery", file: "gatsby-site/schema/run.js", does: "running a query (graphql-js), resolvers included" },
  {
    name: "transformSource",
    file: "gatsby-site/source-plugin.js",
    does: "parsing a source and putting each query's result in it",
  },
];

export interface StartProfile {
  /** Main-thread time that was not idle, spawn to first 200 (ms). */
  busyMs: number;
  /** Sampled time of the profile (ms). */
  totalMs: number;
  garbageMs: number;
  /** Inclusive ms by WATCHED name. */
  inclusive: Record<string, number>;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

function summarize(file: string): StartProfile {
  const profile = JSON.parse(readFileSync(file, "utf8")) as {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<number, number>();
  profile.samples.forEach((id, index) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const inclusive: Record<string, number> = Object.fromEntries(WATCHED.map((w) => [w.name, 0]));
  let total = 0;
  let idle = 0;
  let garbage = 0;
  for (const [id, us] of self) {
    total += us;
    const name = byId.get(id)?.callFrame.functionName;
    if (name === "(idle)") idle += us;
    if (name === "(garbage collector)") garbage += us;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      const watched =
        frame && WATCHED.find((w) => w.name === frame.functionName && frame.url.endsWith(`dist/src/${w.file}`));
      if (watched && !seen.has(watched.name)) {
        seen.add(watched.name);
        inclusive[watched.name] = (inclusive[watched.name] ?? 0) + us / 1000;
      }
    }
  }
  return { busyMs: (total - idle) / 1000, totalMs: total / 1000, garbageMs: garbage / 1000, inclusive };
}

/** One start of `pagesDir` under the CPU profiler, to the first 200 of `/`. */
export async function profileStart(pagesDir: string): Promise<StartProfile> {
  const dir = path.join(WORK, "profiles");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const child = spawn(
    process.execPath,
    ["--cpu-prof", `--cpu-prof-dir=${dir}`, "--cpu-prof-interval=250", path.join(OUT, `${SERVER}.mjs`)],
    {
      env: { ...process.env, PAGES_DIR: pagesDir, NODE_ENV: "production" },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  try {
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    const started = performance.now();
    while (!/READY (\d+)/.test(stdout)) {
      if (child.exitCode !== null || performance.now() - started > 120_000)
        throw new Error(`the profiled server did not start: ${stdout}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const origin = `http://127.0.0.1:${/READY (\d+)/.exec(stdout)?.[1]}`;
    for (;;) {
      const status = await fetch(`${origin}/`).then(
        (response) => response.arrayBuffer().then(() => response.status),
        () => 0,
      );
      if (status === 200) break;
      if (performance.now() - started > 120_000)
        throw new Error(`the profiled server never answered 200 (last ${status})`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    // The server exits on SIGTERM (process.exit), which writes the profile.
    if (child.exitCode === null) {
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await exited;
    }
  }
  const file = readdirSync(dir).find((name) => name.endsWith(".cpuprofile"));
  if (!file) throw new Error("no CPU profile was written");
  const summary = summarize(path.join(dir, file));
  rmSync(dir, { recursive: true, force: true });
  return summary;
}
