/**
 * The arguments of `gatsbyImageData(…)` as the image hook takes them (`ImageOptions`). The GraphQL
 * enums already carry gatsby-plugin-image's lower-case values (`FULL_WIDTH` is `"fullWidth"`), so
 * this only keeps what the query gave: a `null` or left-out argument leaves the hook its default.
 */
import type { ImageOptions } from "../contracts.js";

/** `gatsbyImageData`'s arguments as graphql-js coerced them. */
export type ImageDataArgs = Readonly<Record<string, unknown>>;

/** `args` as `ImageOptions`. */
export function toImageOptions(args: ImageDataArgs): ImageOptions {
  const options = present(args) as ImageOptions & { tracedSVGOptions?: unknown };
  // Traced SVG placeholders are made as dominant colours: their options have nothing to steer.
  delete options.tracedSVGOptions;
  const blurred = options.blurredOptions as { toFormat?: string } | undefined;
  if (blurred?.toFormat !== undefined) {
    // `NO_CHANGE` means the source's own format; the blurred placeholder has no AVIF.
    if (blurred.toFormat === "") blurred.toFormat = "auto";
    else if (blurred.toFormat === "avif") delete blurred.toFormat;
  }
  return options;
}

/** A copy of `value` without `null`s and `undefined`s, in objects and lists alike. */
function present(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((item) => item !== null && item !== undefined).map(present);
  if (value === null || typeof value !== "object") return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item !== null && item !== undefined) copy[key] = present(item);
  }
  return copy;
}
