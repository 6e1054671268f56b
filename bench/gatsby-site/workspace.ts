/**
 * Where the Gatsby-site benchmark works: `.tmp/bench/gatsby-site/` inside the repository (git-ignored;
 * inside it, so generated sites resolve the repository's React, Express, sharp and `gatsby`). The photos
 * are kept between runs (making 200 takes ~40 s); the sites are written afresh on every run.
 */
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { ROOT } from "../lib/build.js";

/** The benchmark's scratch folder. */
export const WORK = path.join(ROOT, ".tmp", "bench", "gatsby-site");
/** Generated photos, kept between runs (named by their seed and size). */
export const PHOTOS = path.join(WORK, "photos");
/** The generated sites (removed and written again on each run). */
export const SITES = path.join(WORK, "sites");
/** gatsby-plugin-sharp installed with sharp 0.35 (kept between runs: the install takes a minute). */
export const GATSBY_SHARP = path.join(WORK, "gatsby-sharp");
/** Callgrind's dumps. */
export const DUMPS = path.join(WORK, "callgrind");

/** Makes the folders (the sites' folder empty). */
export function prepareWorkspace(): void {
  rmSync(SITES, { recursive: true, force: true });
  for (const dir of [WORK, PHOTOS, SITES]) mkdirSync(dir, { recursive: true });
}

/** Removes the generated sites (the photos and the Gatsby install stay for the next run). */
export function removeSites(): void {
  rmSync(SITES, { recursive: true, force: true });
  rmSync(DUMPS, { recursive: true, force: true });
}
