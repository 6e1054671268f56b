/**
 * Part 2, ssr-pages' side: the variants one typical `StaticImage` names (a 1600×1000 photo,
 * `width={640} formats={["auto", "webp", "avif"]}`: 160, 320, 640 and 1280 wide in JPEG, WebP and
 * AVIF), each requested over HTTP from a production server (one request at a time, keep-alive):
 *
 * - `made`: the first request for a variant no cache holds (the disk cache's `img/` removed before the
 *   server starts): read the source, check its hash, sharp, write to the disk cache, answer.
 * - `memory`: the same variant requested again in that process (the in-memory LRU).
 * - `disk`: the first request in a fresh server process once the disk cache holds it (read from disk),
 *   then `memory` again there.
 *
 * Before anything is timed in a process, three variants of another photo are requested (in the made
 * process: sharp loaded, libvips' and the encoders' first-use costs paid; in the disk one: the read
 * path warm), so each figure is the variant's own cost.
 * Variants are requested in the opposite order on alternate rounds. Each answer's bytes are checked
 * (format and size read back with sharp); a disk answer must come from the file the made answer wrote
 * (its mtime unchanged).
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import sharp from "sharp";
import { median } from "../lib/stats.js";
import { note } from "./findings.js";
import type { Site } from "./sites.js";
import { startSite, stopSite } from "./spawn.js";
import { imageCache } from "./startup.js";

/** One variant the page names. */
export interface VariantUrl {
  url: string;
  format: "jpg" | "webp" | "avif";
  width: number;
}

/** The figures of one variant (medians over rounds). */
export interface OurVariant extends VariantUrl {
  height: number;
  bytes: number;
  /** The first 16 hex digits of the bytes' SHA-256 (to compare with Gatsby's). */
  sha: string;
  ms: { made: number[]; memoryAfterMade: number[]; disk: number[]; memoryAfterDisk: number[] };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** GET `url`: status, content type, body, and milliseconds to the last byte. */
function get(url: string): Promise<{ status: number; type: string; body: Buffer; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            type: String(response.headers["content-type"] ?? ""),
            body: Buffer.concat(chunks),
            ms: performance.now() - started,
          }),
        );
      })
      .on("error", reject);
  });
}

const decode = (text: string) => text.replace(/&amp;/g, "&");

/** The variants of the page's first image: `<source>` srcsets (AVIF, WebP) and the `<img>`'s (JPEG). */
export function variantUrls(html: string): VariantUrl[] {
  const picture = /<picture>([\s\S]*?)<\/picture>/.exec(html)?.[1];
  if (!picture) throw new Error(`no <picture> in ${html.slice(0, 400)}`);
  const urls: VariantUrl[] = [];
  const add = (srcset: string, format: VariantUrl["format"]) => {
    for (const part of decode(srcset).split(/,\s*/)) {
      const [url, descriptor] = part.trim().split(/\s+/);
      if (url && descriptor?.endsWith("w")) urls.push({ url, format, width: Number(descriptor.slice(0, -1)) });
    }
  };
  for (const source of picture.matchAll(/<source([^>]*)>/g)) {
    const attrs = source[1] ?? "";
    const type = /type="image\/(\w+)"/.exec(attrs)?.[1];
    const srcset = /srcSet="([^"]*)"|srcset="([^"]*)"/.exec(attrs);
    if (type && srcset) add(srcset[1] ?? srcset[2] ?? "", type === "jpeg" ? "jpg" : (type as VariantUrl["format"]));
  }
  const img = /<img([^>]*data-main-image[^>]*)>/.exec(picture)?.[1] ?? "";
  const srcset = /srcSet="([^"]*)"|srcset="([^"]*)"/.exec(img);
  if (srcset) add(srcset[1] ?? srcset[2] ?? "", "jpg");
  return urls;
}

async function pageVariants(origin: string, page: string): Promise<VariantUrl[]> {
  const { status, body } = await get(origin + page);
  if (status !== 200) throw new Error(`${page} answered ${status}`);
  return variantUrls(body.toString());
}

/** Requests `urls` one at a time; each answer checked (200, its type, its format and width). */
async function requestAll(
  origin: string,
  urls: readonly VariantUrl[],
): Promise<Array<{ ms: number; bytes: number; height: number; sha: string }>> {
  const results: Array<{ ms: number; bytes: number; height: number; sha: string }> = [];
  for (const variant of urls) {
    const answer = await get(origin + variant.url);
    if (answer.status !== 200)
      throw new Error(`${variant.url} answered ${answer.status}: ${answer.body.toString().slice(0, 200)}`);
    const meta = await sharp(answer.body).metadata();
    const format = meta.format === "jpeg" ? "jpg" : meta.format === "heif" ? "avif" : meta.format;
    if (format !== variant.format || meta.width !== variant.width)
      throw new Error(`${variant.url}: ${meta.format} ${meta.width}w, expected ${variant.format} ${variant.width}w`);
    results.push({
      ms: answer.ms,
      bytes: answer.body.length,
      height: meta.height ?? 0,
      sha: createHash("sha256").update(answer.body).digest("hex").slice(0, 16),
    });
  }
  return results;
}

function mtimes(dir: string): Map<string, number> {
  const times = new Map<string, number>();
  if (!existsSync(dir)) return times;
  for (const name of readdirSync(dir)) times.set(name, statSync(path.join(dir, name)).mtimeMs);
  return times;
}

/** What the variants measurement gives: each variant's figures, and the image's placeholders as the pages show them. */
export interface OurVariants {
  variants: OurVariant[];
  /** The dominant colour of `/`'s image (its default placeholder). */
  dominant: string | undefined;
  /** The blurred placeholder of `/blurred/`'s image (a data URI). */
  blurred: string | undefined;
}

/** Runs `rounds` rounds (made + memory in one process, disk + memory in the next). */
export async function measureOurVariants(site: Site & { warmUp: string }, rounds: number): Promise<OurVariants> {
  const cache = imageCache(site.root);
  const variants: OurVariant[] = [];
  const byUrl = new Map<string, OurVariant>();
  let dominant: string | undefined;
  let blurred: string | undefined;
  for (let round = 0; round < rounds; round++) {
    // Made: no variant on disk (placeholders and metadata stay: the start-up is not what is timed here).
    rmSync(path.join(cache, "img"), { recursive: true, force: true });
    let server = await startSite(site.pagesDir, "/");
    let urls: VariantUrl[];
    try {
      const warm = await pageVariants(server.origin, site.warmUp);
      for (const format of ["jpg", "webp", "avif"]) {
        const one = warm.find((variant) => variant.format === format && variant.width === 160);
        if (one) await get(server.origin + one.url);
      }
      urls = await pageVariants(server.origin, "/");
      if (round === 0) {
        const home = (await get(`${server.origin}/`)).body.toString();
        dominant = /background-color:\s*(#[0-9a-fA-F]{6})/.exec(home)?.[1];
        const page = (await get(`${server.origin}/blurred/`)).body.toString();
        blurred =
          /data-placeholder-image[^>]*src="(data:image\/[a-z]+;base64,[^"]+)"/.exec(page)?.[1] ??
          /src="(data:image\/[a-z]+;base64,[^"]+)"[^>]*data-placeholder-image/.exec(page)?.[1];
        for (const url of urls) {
          const entry: OurVariant = {
            ...url,
            height: 0,
            bytes: 0,
            sha: "",
            ms: { made: [], memoryAfterMade: [], disk: [], memoryAfterDisk: [] },
          };
          variants.push(entry);
          byUrl.set(url.url, entry);
        }
      }
      if (round % 2 === 1) urls = [...urls].reverse();
      const made = await requestAll(server.origin, urls);
      const memory = await requestAll(server.origin, urls);
      urls.forEach((url, index) => {
        const entry = byUrl.get(url.url);
        if (!entry) throw new Error(`${url.url} was not named in round 1`);
        entry.ms.made.push(made[index]?.ms ?? Number.NaN);
        entry.ms.memoryAfterMade.push(memory[index]?.ms ?? Number.NaN);
        entry.bytes = made[index]?.bytes ?? 0;
        entry.height = made[index]?.height ?? 0;
        entry.sha = made[index]?.sha ?? "";
        if (made[index]?.bytes !== memory[index]?.bytes)
          note(`${url.url}: the memory answer has ${memory[index]?.bytes} bytes, the made one ${made[index]?.bytes}`);
      });
    } finally {
      await stopSite(server);
    }
    const written = mtimes(path.join(cache, "img"));
    // Disk: a fresh process, every variant on disk.
    server = await startSite(site.pagesDir, "/");
    try {
      const warm = await pageVariants(server.origin, site.warmUp);
      for (const format of ["jpg", "webp", "avif"]) {
        const one = warm.find((variant) => variant.format === format && variant.width === 160);
        if (one) await get(server.origin + one.url);
      }
      const disk = await requestAll(server.origin, urls);
      const memory = await requestAll(server.origin, urls);
      urls.forEach((url, index) => {
        const entry = byUrl.get(url.url);
        entry?.ms.disk.push(disk[index]?.ms ?? Number.NaN);
        entry?.ms.memoryAfterDisk.push(memory[index]?.ms ?? Number.NaN);
        if (entry && disk[index]?.bytes !== entry.bytes)
          note(`${url.url}: ${disk[index]?.bytes} bytes from disk, ${entry.bytes} when made`);
      });
      const after = mtimes(path.join(cache, "img"));
      for (const [name, time] of written)
        if (after.get(name) !== time)
          note(`variant ${name} was written again by the disk-cache server (expected a read)`);
    } finally {
      await stopSite(server);
    }
    console.log(
      `  round ${round + 1}: ${variants.map((v) => `${v.format} ${v.width}w made ${v.ms.made.at(-1)?.toFixed(1)} / disk ${v.ms.disk.at(-1)?.toFixed(1)} / mem ${v.ms.memoryAfterMade.at(-1)?.toFixed(2)} ms`).join(" · ")}`,
    );
  }
  return { variants, dominant, blurred };
}

export const medianOf = (values: readonly number[]) => median(values.filter(Number.isFinite));
