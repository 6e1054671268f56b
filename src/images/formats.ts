/** The image formats a variant is written in: their served type, and how sharp names what it reads. */
import type { ImageVariant } from "./image-types.js";

/** A variant's format (`jpg`, not `jpeg`: Gatsby's names). */
export type VariantFormat = ImageVariant["format"];

/** The `Content-Type` of each format. */
export const FORMAT_TYPES: Readonly<Record<VariantFormat, string>> = {
  jpg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  avif: "image/avif",
  gif: "image/gif",
  tiff: "image/tiff",
};

/**
 * The format of an image as sharp's `metadata()` reports it, in Gatsby's names, or `undefined` for
 * one that cannot be a variant's source (SVG, PDF, HEIC…). sharp calls AVIF `heif` (AV1-compressed).
 */
export function formatOfMetadata(metadata: {
  format?: string | undefined;
  compression?: string | undefined;
}): VariantFormat | undefined {
  switch (metadata.format) {
    case "jpeg":
    case "jpg":
      return "jpg";
    case "png":
    case "webp":
    case "gif":
    case "tiff":
    case "avif":
      return metadata.format;
    case "heif":
      return metadata.compression === "av1" ? "avif" : undefined;
    default:
      return undefined;
  }
}
