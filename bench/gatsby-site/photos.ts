/**
 * Photo-like JPEGs made with sharp: soft colour fields (a landscape's large shapes), mid-frequency
 * detail and a little sensor noise, at quality 82. A 1600×1000 one is ~290 KiB, as a phone photo
 * resized for the web is; pure noise would be several times larger and far slower to decode than a
 * real photo, flat colour far smaller and faster. Deterministic by seed; kept in PHOTOS between runs.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { PHOTOS } from "./workspace.js";

/** xorshift32: the same pixels for the same seed on every machine. */
function random(seed: number): () => number {
  let s = (seed * 7919 + 13) >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/** The bytes of photo `seed` at `width`×`height`. */
async function photoBytes(seed: number, width: number, height: number): Promise<Buffer> {
  const next = random(seed);
  const clamp = (value: number) => Math.max(0, Math.min(255, value));
  const coarseW = 16;
  const coarseH = 10;
  const coarse = Buffer.alloc(coarseW * coarseH * 3);
  const base = [next() * 255, next() * 255, next() * 255];
  for (let y = 0; y < coarseH; y++)
    for (let x = 0; x < coarseW; x++)
      for (let c = 0; c < 3; c++)
        coarse[(y * coarseW + x) * 3 + c] = clamp(
          (base[c] as number) + (next() - 0.5) * 160 + (y / coarseH - 0.5) * 60,
        );
  const field = await sharp(coarse, { raw: { width: coarseW, height: coarseH, channels: 3 } })
    .resize(width, height, { kernel: "cubic" })
    .raw()
    .toBuffer();
  const midW = Math.max(1, Math.round(width / 4));
  const midH = Math.max(1, Math.round(height / 4));
  const mid = Buffer.alloc(midW * midH * 3);
  for (let i = 0; i < mid.length; i++) mid[i] = next() * 255;
  const detail = await sharp(mid, { raw: { width: midW, height: midH, channels: 3 } })
    .resize(width, height, { kernel: "cubic" })
    .raw()
    .toBuffer();
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i++)
    pixels[i] = clamp((field[i] as number) * 0.8 + (detail[i] as number) * 0.2 + (next() - 0.5) * 18);
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 82 })
    .toBuffer();
}

/** The path of photo `seed` (made now unless kept from an earlier run). */
export async function photo(seed: number, width = 1600, height = 1000): Promise<string> {
  const file = path.join(PHOTOS, `photo-${seed}-${width}x${height}.jpg`);
  if (existsSync(file)) return file;
  mkdirSync(PHOTOS, { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, await photoBytes(seed, width, height));
  renameSync(temporary, file);
  return file;
}

/** Photos 1…count (made, two at a time, unless kept), in order; `onProgress` every 50 made. */
export async function photos(count: number, onProgress?: (made: number) => void): Promise<string[]> {
  const files: string[] = new Array(count);
  let next = 0;
  let made = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const kept = existsSync(path.join(PHOTOS, `photo-${index + 1}-1600x1000.jpg`));
      files[index] = await photo(index + 1);
      if (!kept && ++made % 50 === 0) onProgress?.(made);
    }
  };
  await Promise.all([worker(), worker()]);
  return files;
}

/** A square PNG icon (gatsby-plugin-manifest's source), 512×512. */
export async function icon(): Promise<string> {
  const file = path.join(PHOTOS, "icon-512.png");
  if (existsSync(file)) return file;
  mkdirSync(PHOTOS, { recursive: true });
  const ring = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512"><rect width="512" height="512" rx="96" fill="#663399"/><circle cx="256" cy="256" r="150" fill="none" stroke="#fff" stroke-width="48"/></svg>`,
  );
  writeFileSync(file, await sharp(ring).png().toBuffer());
  return file;
}

/** A small PNG like the starter's `example.png` (a 300×300 logo-like drawing). */
export async function logo(): Promise<string> {
  const file = path.join(PHOTOS, "example-300.png");
  if (existsSync(file)) return file;
  mkdirSync(PHOTOS, { recursive: true });
  const drawing = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="300"><circle cx="150" cy="150" r="140" fill="#7026b9"/><path d="M60 170 L150 60 L240 170 Z" fill="#fff"/><circle cx="150" cy="200" r="40" fill="#f5a623"/></svg>`,
  );
  writeFileSync(file, await sharp(drawing).png().toBuffer());
  return file;
}
