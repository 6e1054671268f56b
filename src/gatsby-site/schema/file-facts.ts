/**
 * The small facts gatsby-source-filesystem and Gatsby's node bookkeeping put on nodes: ids, slashed
 * paths, human-readable sizes, media types and content digests.
 */
import { createHash, hash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { contentTypeOf } from "../../common/content-types.js";

/**
 * A node id in UUID form, the same for the same `name` on every build, as Gatsby's `createNodeId`
 * gives (a name-based UUID, version 5).
 */
export function nodeId(name: string): string {
  const hex = hash("sha1", `ssr-pages-gatsby-node\0${name}`);
  const variant = ((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

/** `file` with forward slashes, as Gatsby stores every path (on Windows too). */
export function toSlash(file: string): string {
  return path.sep === "/" ? file : file.split(path.sep).join("/");
}

const SIZE_UNITS = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];

/** `prettySize`: bytes in decimal units to three significant digits (`1.34 kB`), as pretty-bytes gives. */
export function prettySize(bytes: number): string {
  if (bytes < 1) return `${bytes} B`;
  const exponent = Math.min(Math.floor(Math.log10(bytes) / 3), SIZE_UNITS.length - 1);
  return `${Number((bytes / 1000 ** exponent).toPrecision(3))} ${SIZE_UNITS[exponent]}`;
}

// Where the served-asset table (which carries charsets) differs from what the `mime` package tells
// gatsby-source-filesystem, or has nothing.
const DOCUMENT_TYPES: Readonly<Record<string, string>> = {
  md: "text/markdown",
  markdown: "text/markdown",
  mdx: "text/mdx",
  html: "text/html",
  htm: "text/html",
  json: "application/json",
  yaml: "text/yaml",
  yml: "text/yaml",
  csv: "text/csv",
  xml: "application/xml",
  js: "application/javascript",
  mjs: "application/javascript",
  css: "text/css",
  tif: "image/tiff",
  tiff: "image/tiff",
  zip: "application/zip",
};

/** `internal.mediaType` of a file with extension `extension` (lower case, no dot). */
export function mediaTypeOf(extension: string): string {
  return DOCUMENT_TYPES[extension] ?? contentTypeOf(`x.${extension}`).replace(/;.*$/, "");
}

/** The MD5 of a file's bytes (hex), as gatsby-source-filesystem's `contentDigest`: read when asked for. */
export function fileDigest(file: string): string {
  return createHash("md5").update(readFileSync(file)).digest("hex");
}

/** The MD5 of a JSON value (hex): `contentDigest` of nodes that are not files. */
export function valueDigest(value: unknown): string {
  return hash("md5", JSON.stringify(value));
}
