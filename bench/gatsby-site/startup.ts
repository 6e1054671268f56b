/**
 * Part 1: start-up to the first 200 of `/` in production (`dev: false`), a fresh server process each
 * time, timed from spawn. Per site: `stripped` (no queries, no images), `full cold` (the image cache
 * folder deleted first: every image's header read and its placeholder made with sharp), `full warm`
 * (the cache from an earlier start present: sharp is not even loaded). Rounds alternate the order
 * (stripped, cold, warm / warm, cold, stripped); one untimed round first (file caches).
 */
import { existsSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { median } from "../lib/stats.js";
import { rssMiB } from "../lib/server.js";
import { note } from "./findings.js";
import type { Site } from "./sites.js";
import { startSite, stopSite } from "./spawn.js";

export type Kind = "stripped" | "cold" | "warm";

/** One start-up. */
export interface StartupSample {
  firstMs: number;
  listeningMs: number;
  /** In the child: process start → `ready` resolved. */
  readyMs: number;
  /** In the child: process start → express and ssr-pages imported. */
  importedMs: number;
  rss: number;
  /** Files in the image cache after the start (meta, placeholders). */
  cacheFiles: number;
}

/** The samples of one site, by kind. */
export interface SiteStartup {
  site: string;
  description: string;
  samples: Record<Kind, StartupSample[]>;
}

/** A site to start: its two versions, and what to check of its pages. */
export interface StartupPair {
  name: string;
  description: string;
  full: Site;
  stripped: Site;
  /** Checks (untimed) of a started full / stripped server: throws when a page is not what it should be. */
  check(origin: string, variant: Site["variant"]): Promise<void>;
}

/** `<root>/node_modules/.cache/ssr-pages/images`, as src/gatsby-site/site-build.ts's imageCacheDir names it. */
export function imageCache(root: string): string {
  return path.join(root, "node_modules", ".cache", "ssr-pages", "images");
}

function countFiles(dir: string): number {
  if (!existsSync(dir)) return 0;
  let count = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true }))
    count += entry.isDirectory() ? countFiles(path.join(dir, entry.name)) : 1;
  return count;
}

async function startOnce(pair: StartupPair, kind: Kind): Promise<StartupSample> {
  const site = kind === "stripped" ? pair.stripped : pair.full;
  const cache = imageCache(site.root);
  if (kind === "cold") rmSync(cache, { recursive: true, force: true });
  if (kind === "warm" && !existsSync(path.join(cache, "meta")))
    throw new Error(`${pair.name}: no image cache for a warm start`);
  const server = await startSite(site.pagesDir, "/");
  try {
    const rss = rssMiB(server.child);
    await pair.check(server.origin, site.variant);
    if (server.stderr.trim()) note(`${pair.name} ${kind}: the server printed ${server.stderr.trim().slice(0, 300)}`);
    return {
      firstMs: server.firstMs,
      listeningMs: server.listeningMs,
      readyMs: server.timing?.readyMs ?? Number.NaN,
      importedMs: server.timing?.importedMs ?? Number.NaN,
      rss,
      cacheFiles: countFiles(cache),
    };
  } finally {
    await stopSite(server);
  }
}

/** Runs `rounds` rounds over the pairs; prints each start as it goes. */
export async function measureStartup(pairs: readonly StartupPair[], rounds: number): Promise<SiteStartup[]> {
  const results = pairs.map((pair): SiteStartup => ({
    site: pair.name,
    description: pair.description,
    samples: { stripped: [], cold: [], warm: [] },
  }));
  // Untimed: the files into the page cache, esbuild's binary, sharp's library.
  for (const pair of pairs) for (const kind of ["stripped", "cold", "warm"] as const) await startOnce(pair, kind);
  for (let round = 0; round < rounds; round++) {
    const order: Kind[] = round % 2 === 0 ? ["stripped", "cold", "warm"] : ["warm", "cold", "stripped"];
    for (const [index, pair] of pairs.entries()) {
      const line: string[] = [];
      for (const kind of order) {
        try {
          const sample = await startOnce(pair, kind);
          results[index]?.samples[kind].push(sample);
          line.push(
            `${kind} ${sample.firstMs.toFixed(0)} ms (ready at ${sample.readyMs.toFixed(0)}, cache ${sample.cacheFiles} files)`,
          );
        } catch (error) {
          note(`${pair.name} ${kind}, round ${round + 1}: ${(error as Error).message.slice(0, 500)}`);
        }
      }
      console.log(`  round ${round + 1} ${pair.name.padEnd(12)} ${line.join(" · ")}`);
    }
  }
  return results;
}

/** Median of one figure of one kind. */
export const med = (result: SiteStartup, kind: Kind, figure: keyof StartupSample): number =>
  median(result.samples[kind].map((sample) => sample[figure]));

/** The median of per-round ratios kind / stripped (rounds where both were measured). */
export function perRoundRatio(result: SiteStartup, kind: Kind): number {
  const base = result.samples.stripped;
  return median(
    result.samples[kind]
      .map((sample, index) => (base[index] ? sample.firstMs / base[index].firstMs : Number.NaN))
      .filter(Number.isFinite),
  );
}
