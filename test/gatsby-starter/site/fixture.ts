/**
 * What the tests of test/gatsby-starter share about the starter fixture site (this folder): where it
 * is, what its config says, the images its setup makes with sharp (never committed), copies of it
 * for the tests that edit a site, the two hosts (Express and Koa, each at the root and under /shop),
 * and readers of the HTML it answers. Nothing here asserts anything about ssr-pages.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import type { RequestListener } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { format } from "node:util";
import express from "express";
import Koa from "koa";
import mount from "koa-mount";
import sharp from "sharp";
import type { Response as SuperResponse } from "supertest";
import { ssrMiddleware as expressSsr, type ExpressSsrMiddleware, type ExpressSsrOptions } from "../../../adapters/express.js";
import { ssrMiddleware as koaSsr, type KoaSsrMiddleware, type KoaSsrOptions } from "../../../adapters/koa.js";

/** The site's root, where gatsby-config.js is. */
export const SITE = path.dirname(fileURLToPath(import.meta.url));
export const PAGES = path.join(SITE, "src", "pages");
const REPO = path.resolve(SITE, "..", "..", "..");

/** gatsby-config.js's siteMetadata, as written there. */
export const META = {
  title: "Starter Fixture",
  description: "A Gatsby 5 style site served by ssr-pages.",
  author: "@fixture-author",
  siteUrl: "https://starter.example.org/",
  twitter: "fixturebird",
} as const;

/** The local plugin's option, and the plugin that has only gatsby-node.js. */
export const BANNER_TEXT = "banner-option-text";
export const NODE_ONLY_PLUGIN = "gatsby-plugin-node-only";

/** `process.env.GATSBY_GREETING`, set by every test file before its middleware starts. */
export const GREETING = "hello from GATSBY_GREETING";

/** A scratch folder inside the repository (git ignores `.tmp/`), so a copied site resolves the repository's packages. */
export function scratch(): string {
  const dir = path.join(REPO, ".tmp");
  mkdirSync(dir, { recursive: true });
  return dir;
}

// ---------------------------------------------------------------------------------------------
// Images: made with sharp before a server starts.
// ---------------------------------------------------------------------------------------------

export interface FixtureImage {
  width: number;
  height: number;
  background: string;
  format: "png" | "jpeg";
}

/** Every image of src/images, by path relative to it. */
export const IMAGES: Readonly<Record<string, FixtureImage>> = {
  "example.png": { width: 200, height: 200, background: "#2a6", format: "png" },
  "photo.jpg": { width: 1200, height: 800, background: "#2a6", format: "jpeg" },
  "icon.png": { width: 512, height: 512, background: "#639", format: "png" },
  "nested/deep.png": { width: 40, height: 30, background: "#c33", format: "png" },
};

/** The PNG files of src/images, sorted by name (`deep`, `example`, `icon`). */
export const PNG_NAMES = ["deep", "example", "icon"] as const;

/** The bytes of a plain image (a dot in one corner, so it is not a single colour). */
export async function imageBytes(image: FixtureImage): Promise<Buffer> {
  const dot = await sharp({ create: { width: Math.max(1, Math.round(image.width / 8)), height: Math.max(1, Math.round(image.height / 8)), channels: 3, background: "#fff" } }).png().toBuffer();
  const made = sharp({ create: { width: image.width, height: image.height, channels: 3, background: image.background } }).composite([{ input: dot, top: 0, left: 0 }]);
  return image.format === "png" ? made.png().toBuffer() : made.jpeg({ quality: 90 }).toBuffer();
}

/**
 * Writes `bytes` to `target` unless it already holds them, through a rename (test files run in
 * parallel processes: a server starting in another one never reads half a file).
 */
export function writeAtomically(target: string, bytes: Buffer): void {
  if (existsSync(target) && readFileSync(target).equals(bytes)) return;
  mkdirSync(path.dirname(target), { recursive: true });
  const temp = path.join(scratch(), `image-${process.pid}-${Math.random().toString(36).slice(2)}${path.extname(target)}`);
  writeFileSync(temp, bytes);
  renameSync(temp, target);
}

/** Makes the site's images in `<site>/src/images`. */
export async function makeImages(site = SITE): Promise<void> {
  for (const [name, image] of Object.entries(IMAGES)) writeAtomically(path.join(site, "src", "images", name), await imageBytes(image));
}

/** Copies the site (not this module) into a fresh scratch folder and makes its images there. */
export async function copySite(prefix: string): Promise<string> {
  const root = mkdtempSync(path.join(scratch(), prefix));
  cpSync(SITE, root, {
    recursive: true,
    filter: (source) => {
      const relative = path.relative(SITE, source);
      return relative !== "fixture.ts" && !relative.split(path.sep).some((part) => part === "node_modules" || part === ".cache" || part === "public");
    },
  });
  await makeImages(root);
  return root;
}

/** Writes the files of a small throw-away site (path relative to its root → text) into a scratch folder. */
export function writeSite(prefix: string, files: Record<string, string>): string {
  const root = mkdtempSync(path.join(scratch(), prefix));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

export function removeSite(root: string | undefined): void {
  if (root && root.startsWith(scratch())) rmSync(root, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------
// Hosts: one middleware per framework, mounted both at the root and under /shop.
// ---------------------------------------------------------------------------------------------

export interface ErrorReport {
  message: string;
  page: string;
  phase: string;
}

export const errorReport = (error: unknown, info: { page?: string | undefined; phase?: string }): ErrorReport => ({
  message: error instanceof Error ? `${error.message}\n${error.stack ?? ""}` : String(error),
  page: info.page ?? "",
  phase: info.phase ?? "",
});

/** Express 5: `app.use("/shop", pages); app.use(pages)`. */
export function expressApp(pagesDir: string, options: ExpressSsrOptions): { app: RequestListener; pages: ExpressSsrMiddleware } {
  const pages = expressSsr(pagesDir, options);
  const app = express();
  app.use("/shop", pages);
  app.use(pages);
  // Last, as the README sets it up: whatever no page took gets the site's 404.js.
  app.use("/shop", pages.notFound);
  app.use(pages.notFound);
  return { app: app as unknown as RequestListener, pages };
}

/** Koa 3: `app.use(mount("/shop", pages)); app.use(pages)`. */
export function koaApp(pagesDir: string, options: KoaSsrOptions): { app: RequestListener; pages: KoaSsrMiddleware } {
  const pages = koaSsr(pagesDir, options);
  const app = new Koa();
  app.use(mount("/shop", pages));
  app.use(pages);
  app.use(mount("/shop", pages.notFound));
  app.use(pages.notFound);
  return { app: app.callback(), pages };
}

// ---------------------------------------------------------------------------------------------
// Logs: what the process printed or warned while a middleware started.
// ---------------------------------------------------------------------------------------------

export interface LogCapture {
  /** Everything printed through console.* and every process warning, in order. */
  readonly entries: string[];
  /** The distinct messages (a process warning and its own printout count once) that contain `text`. */
  mentioning(text: string): string[];
  restore(): void;
}

/** Records console.* output and process warnings (still printing them). */
export function captureLogs(): LogCapture {
  const entries: string[] = [];
  const warnings: string[] = [];
  const methods = ["log", "info", "warn", "error", "debug"] as const;
  const originals = methods.map((method) => console[method]);
  methods.forEach((method, index) => {
    const original = originals[index] as (...args: unknown[]) => void;
    console[method] = (...args: unknown[]) => {
      entries.push(format(...args));
      original.apply(console, args);
    };
  });
  const onWarning = (warning: Error) => {
    warnings.push(warning.message);
    entries.push(`${warning.name}: ${warning.message}`);
  };
  process.on("warning", onWarning);
  return {
    entries,
    mentioning(text) {
      // Node prints a process warning through console.error as "(node:PID) Warning: …": that printout is the warning itself.
      return entries.filter((entry) => entry.includes(text)).filter((entry) => !(/^\(node:\d+\) /.test(entry) && warnings.some((warning) => entry.includes(warning))));
    },
    restore() {
      methods.forEach((method, index) => {
        console[method] = originals[index] as (typeof console)[typeof method];
      });
      process.off("warning", onWarning);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Reading the HTML.
// ---------------------------------------------------------------------------------------------

/** Decodes the character references an HTML serialiser may use. */
export function decodeEntities(text: string): string {
  const named: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'", nbsp: "\u00a0" };
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (match, ref: string) => {
    if (ref[0] === "#") return String.fromCodePoint(ref[1] === "x" || ref[1] === "X" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10));
    return named[ref.toLowerCase()] ?? match;
  });
}

/** The text of the element with `data-testid="id"` (no nested elements; React's `<!-- -->` separators dropped). */
export function testId(html: string, id: string): string | undefined {
  const match = new RegExp(`data-testid="${id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"[^>]*>([\\s\\S]*?)</`).exec(html);
  return match ? decodeEntities((match[1] as string).replaceAll("<!-- -->", "")) : undefined;
}

/** What is between `<head>` and `</head>`. */
export function headOf(html: string): string {
  const start = /<head(\s[^>]*)?>/i.exec(html);
  const end = html.indexOf("</head>");
  if (!start || end < start.index) throw new Error(`no <head> in ${html.slice(0, 300)}`);
  return html.slice(start.index + start[0].length, end);
}

/** The page markup, after `<body …>`. */
export function bodyOf(html: string): string {
  const start = /<body(\s[^>]*)?>/i.exec(html);
  if (!start) throw new Error(`no <body> in ${html.slice(0, 300)}`);
  return html.slice(start.index + start[0].length);
}

export interface Tag {
  name: string;
  /** Attribute names lower-cased, values decoded (`""` for a bare attribute). */
  attrs: Record<string, string>;
  index: number;
  raw: string;
}

const TAG = /<([a-zA-Z][\w-]*)((?:\s+[^\s=/>"']+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g;
const ATTR = /([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

/** The start tags of `html` (of one element name, if given), with their attributes. */
export function tagsIn(html: string, name?: string): Tag[] {
  const tags: Tag[] = [];
  for (const match of html.matchAll(TAG)) {
    const tagName = (match[1] as string).toLowerCase();
    if (name && tagName !== name) continue;
    const attrs: Record<string, string> = {};
    for (const attr of (match[2] ?? "").matchAll(ATTR)) attrs[(attr[1] as string).toLowerCase()] = decodeEntities(attr[2] ?? attr[3] ?? attr[4] ?? "");
    tags.push({ name: tagName, attrs, index: match.index ?? 0, raw: match[0] });
  }
  return tags;
}

/** The `<html>` start tag. */
export function htmlTag(html: string): Tag {
  const tag = tagsIn(html.slice(0, 500), "html")[0];
  if (!tag) throw new Error(`no <html> in ${html.slice(0, 300)}`);
  return tag;
}

/** How many times an attribute is written in a start tag (`<html lang="en" lang="fr">` is 2). */
export function attributeCount(tag: Tag, name: string): number {
  return [...tag.raw.slice(1 + tag.name.length).matchAll(ATTR)].filter((attr) => (attr[1] as string).toLowerCase() === name).length;
}

/** One gatsby-plugin-image image, as rendered on the server. */
export interface ImageBlock {
  wrapper: Tag;
  /** The markup from the wrapper to its `<noscript>` (or to the next image). */
  live: string;
  /** The `<picture>`'s `<source>`s and its `<img>`. */
  sources: Tag[];
  img: Tag | undefined;
  placeholder: Tag | undefined;
  /** The `<noscript>` element, whole, if any. */
  noscript: string | undefined;
}

/** Every gatsby-plugin-image image of a page, in document order. */
export function imageBlocks(html: string): ImageBlock[] {
  const wrappers = tagsIn(html).filter((tag) => "data-gatsby-image-wrapper" in tag.attrs);
  return wrappers.map((wrapper, i) => {
    const segment = html.slice(wrapper.index, wrappers[i + 1]?.index ?? html.length);
    const noscriptAt = segment.search(/<noscript[\s>]/);
    const live = noscriptAt >= 0 ? segment.slice(0, noscriptAt) : segment;
    const noscriptEnd = noscriptAt >= 0 ? segment.indexOf("</noscript>", noscriptAt) : -1;
    const noscript = noscriptAt >= 0 ? segment.slice(noscriptAt, noscriptEnd >= 0 ? noscriptEnd + "</noscript>".length : segment.length) : undefined;
    const pictureAt = live.search(/<picture[\s>]/);
    const pictureEnd = pictureAt >= 0 ? live.indexOf("</picture>", pictureAt) : -1;
    const picture = pictureAt >= 0 ? live.slice(pictureAt, pictureEnd >= 0 ? pictureEnd : live.length) : "";
    return {
      wrapper,
      live,
      sources: tagsIn(picture, "source"),
      img: tagsIn(picture, "img")[0],
      placeholder: tagsIn(live).find((tag) => "data-placeholder-image" in tag.attrs),
      noscript,
    };
  });
}

export interface Candidate {
  url: string;
  /** `64w` gives 64; a density (`2x`) or none gives undefined. */
  width: number | undefined;
  descriptor: string;
}

/** The candidates of a `srcset`. */
export function srcset(value: string): Candidate[] {
  return value
    .split(/,\s+|,(?=\/|https?:)/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [url = "", descriptor = ""] = part.split(/\s+/);
      const width = /^(\d+)w$/.exec(descriptor)?.[1];
      return { url, width: width === undefined ? undefined : Number(width), descriptor };
    });
}

/** A URL path as a test client requests it: `href` resolved against the page it is on. */
export function resolveOn(pagePath: string, href: string): string {
  const url = new URL(href, `http://fixture.invalid${pagePath}`);
  return url.pathname + url.search;
}

/** supertest's parser for bodies kept as bytes. */
export function bytes(res: SuperResponse, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  (res as unknown as NodeJS.ReadableStream).on("data", (chunk: Buffer) => chunks.push(chunk));
  (res as unknown as NodeJS.ReadableStream).on("end", () => callback(null, Buffer.concat(chunks)));
}

/** The Content-Type a variant of this `<source type>` or fallback file extension is served with, and sharp's name of its format. */
export function expectedFormat(typeOrExtension: string): { contentType: string; sharp: string[] } {
  switch (typeOrExtension.replace(/^\./, "").toLowerCase()) {
    case "image/avif":
    case "avif":
      return { contentType: "image/avif", sharp: ["heif", "avif"] };
    case "image/webp":
    case "webp":
      return { contentType: "image/webp", sharp: ["webp"] };
    case "image/png":
    case "png":
      return { contentType: "image/png", sharp: ["png"] };
    case "image/jpeg":
    case "jpg":
    case "jpeg":
      return { contentType: "image/jpeg", sharp: ["jpeg"] };
    default:
      throw new Error(`no format known for ${typeOrExtension}`);
  }
}
