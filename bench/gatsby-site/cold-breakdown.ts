/**
 * Where a cold start's image time goes, measured apart in a fresh Node process on the gallery's
 * photos: the same sharp calls src/gatsby-site/images/planner.ts makes, one step at a time, each over
 * all photos at once (as the compile asks for them all at once):
 *
 * 1. loading sharp (the warm start never loads it);
 * 2. reading and hashing every photo (SHA-256: the source hash that names its cache entries);
 * 3. `metadata()` of every photo (its header: width, height, format);
 * 4. the blurred placeholder of every photo (20×13: decode, crop, resize, JPEG q50): the step that
 *    decodes each image once; with sharp's attention strategy (Gatsby's default crop) and centred
 *    (what ssr-pages' planner uses when the placeholder keeps the image's shape, its only crop being
 *    the rounding of 20 / 1.6 to 13 pixels).
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "../lib/build.js";
import { WORK } from "./workspace.js";

const CHILD = `
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
const files = JSON.parse(process.argv[2]);
const require = createRequire(${JSON.stringify(path.join(ROOT, "package.json"))});
let at = performance.now();
const lap = () => { const now = performance.now(); const ms = now - at; at = now; return ms; };
const sharp = require("sharp");
const loadMs = lap();
const bytes = await Promise.all(files.map((file) => readFile(file)));
const hashes = bytes.map((b) => createHash("sha256").update(b).digest("base64url").slice(0, 12));
const hashMs = lap();
const metas = await Promise.all(bytes.map((b) => sharp(b).metadata()));
const metadataMs = lap();
await Promise.all(bytes.map((b, i) => sharp(b).autoOrient().resize(20, Math.round(20 / (metas[i].width / metas[i].height)), { fit: "cover", position: "attention" }).jpeg({ quality: 50, progressive: true, mozjpeg: false }).toBuffer()));
const blurredMs = lap();
// The same with the centre crop instead of attention (what the attention strategy adds).
await Promise.all(bytes.map((b, i) => sharp(b).autoOrient().resize(20, Math.round(20 / (metas[i].width / metas[i].height)), { fit: "cover", position: "centre" }).jpeg({ quality: 50, progressive: true, mozjpeg: false }).toBuffer()));
const centreMs = lap();
process.stdout.write("RESULT " + JSON.stringify({ loadMs, hashMs, metadataMs, blurredMs, centreMs, megabytes: bytes.reduce((n, b) => n + b.length, 0) / 1048576, threads: sharp.concurrency(), hashes: hashes.length }) + "\\n");
`;

export interface ColdBreakdown {
  loadMs: number;
  hashMs: number;
  metadataMs: number;
  blurredMs: number;
  centreMs: number;
  megabytes: number;
  threads: number;
}

/** One measurement of the steps on `files`, in a fresh process. */
export function coldBreakdown(files: readonly string[]): Promise<ColdBreakdown> {
  const script = path.join(WORK, "cold-breakdown.mjs");
  writeFileSync(script, CHILD);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, JSON.stringify(files)], { stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.once("exit", (code) => {
      const result = /^RESULT (.*)$/m.exec(stdout)?.[1];
      if (result) resolve(JSON.parse(result) as ColdBreakdown);
      else reject(new Error(`the breakdown child exited with ${code}: ${stdout.slice(0, 500)}`));
    });
  });
}
