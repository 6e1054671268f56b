/**
 * gatsby-plugin-sharp's `generateImageData`, without doing any of the work: from a source's size and
 * the options, the image data a page gets and the variants it names (made later, on request). Pure:
 * the same source and options give the same data and names on every machine.
 */
import { createHash } from "node:crypto";
import { DEFAULT_BREAKPOINTS, imageSizes, sizesFor, srcSetOf } from "../../gatsby-image/image-sizes.js";
import { INTERNAL_PREFIX } from "../../common/urls.js";
import type { VariantFormat } from "../../images/formats.js";
import type { VariantRecipe } from "../../images/render-variant.js";
import type { GatsbyImageData, ImageOptions, ImageVariant } from "../contracts.js";
import { normalizeImageOptions } from "./image-options.js";

/** A source image as planning needs it: its bytes' hash and its size upright (EXIF orientation applied). */
export interface PlannedSource {
  file: string;
  hash: string;
  width: number;
  height: number;
  format: VariantFormat;
}

/** The placeholder an image's data still needs (made from the source's pixels, so not planned here). */
export type PlaceholderNeed = { kind: "none" } | { kind: "dominantColor" } | { kind: "blurred"; recipe: VariantRecipe };

/** What planning an image gives: its data (placeholder aside), the variants it names, the placeholder to make. */
export interface ImagePlan {
  data: GatsbyImageData;
  variants: ImageVariant[];
  placeholder: PlaceholderNeed;
}

/** gatsby-plugin-sharp's `defaultQuality`. */
const DEFAULT_QUALITY = 50;
/** Width of the blurred placeholder (gatsby-plugin-sharp's `base64Width`). */
const DEFAULT_BLURRED_WIDTH = 20;
/** Changes every variant's name when the way variants are made changes (their bytes would differ). */
const RECIPE_VERSION = 1;

/**
 * The data and variants of `source` with `options`, as gatsby-plugin-sharp would make them.
 * @throws Error naming the file for options gatsby-plugin-image rejects.
 */
export function planImage(source: PlannedSource, rawOptions: ImageOptions): ImagePlan {
  const options = normalizeImageOptions(rawOptions, source.file);
  const layout = options.layout ?? "constrained";
  const transformOptions = options.transformOptions ?? {};
  const fit = transformOptions.fit ?? "cover";
  const position = transformOptions.cropFocus ?? "attention";
  const breakpoints =
    layout === "fullWidth"
      ? options.breakpoints?.length
        ? options.breakpoints
        : DEFAULT_BREAKPOINTS
      : options.breakpoints;

  // The source as the variants show it: turned by `rotate`.
  const turned = rotatedSize(source, transformOptions.rotate);
  let width = options.width;
  let height = options.height;
  // Gatsby ignores a full-width image's width and height (and warns): its breakpoints decide.
  if (layout === "fullWidth" && (width || height)) {
    width = turned.width;
    height = undefined;
  }
  if (!width && !height) width = turned.width;
  if (options.aspectRatio && !(width && height)) {
    if (width) height = width / options.aspectRatio;
    else if (height) width = height * options.aspectRatio;
  }

  const primary = primaryFormat(options.formats ?? ["auto", "webp"], source.format);
  const requested = new Set(options.formats ?? ["auto", "webp"]);
  const sizes = imageSizes({
    layout,
    width,
    height,
    fit,
    outputPixelDensities: options.outputPixelDensities,
    breakpoints,
    source: turned,
  });
  const transforms = transformsOf(transformOptions);
  const background = options.backgroundColor;

  const recipeFor = (format: VariantFormat, variantWidth: number, variantHeight: number): VariantRecipe => ({
    width: variantWidth,
    height: variantHeight,
    format,
    quality: qualityFor(format, options),
    fit,
    position,
    transforms,
    encoder: encoderFor(format, options, background),
  });
  const variantsIn = (format: VariantFormat): ImageVariant[] =>
    sizes.widths.map((size) => {
      const variantWidth = Math.round(size);
      const recipe = recipeFor(format, variantWidth, Math.round(variantWidth / sizes.aspectRatio));
      return { name: variantName(source.hash, recipe), source: source.file, sourceHash: source.hash, ...recipe };
    });
  const srcSetIn = (variants: readonly ImageVariant[]): string =>
    srcSetOf(variants.map((variant) => ({ src: INTERNAL_PREFIX + variant.name, width: variant.width })));

  const sizesAttribute = options.sizes || sizesFor(sizes.unscaledWidth, layout);
  const fallbacks = variantsIn(primary);
  // The fallback `src`: the largest for a full-width image, else the one at the width shown.
  const shownIndex =
    layout === "fullWidth"
      ? fallbacks.length - 1
      : fallbacks.findIndex((variant) => variant.width === Math.round(sizes.unscaledWidth));
  const shown = fallbacks[shownIndex] ?? fallbacks[fallbacks.length - 1];
  if (!shown)
    throw new Error(
      `Image ${source.file}: no width to make (${source.width}×${source.height} source, ${layout} layout)`,
    );

  const all = [...fallbacks];
  const sources: NonNullable<GatsbyImageData["images"]["sources"]> = [];
  // AVIF before WebP: the browser takes the first `<source>` it supports.
  for (const format of ["avif", "webp"] as const) {
    if (primary === format || !requested.has(format)) continue;
    const variants = variantsIn(format);
    all.push(...variants);
    sources.push({ srcSet: srcSetIn(variants), type: `image/${format}`, sizes: sizesAttribute });
  }
  const data: GatsbyImageData = {
    layout,
    width: 0,
    height: 0,
    ...(background ? { backgroundColor: background } : {}),
    images: {
      fallback: { src: INTERNAL_PREFIX + shown.name, srcSet: srcSetIn(fallbacks), sizes: sizesAttribute },
      sources,
    },
  };

  const shownRatio = shown.width / shown.height;
  switch (layout) {
    case "fixed":
      data.width = sizes.presentationWidth;
      data.height = sizes.presentationHeight;
      break;
    case "fullWidth":
      data.width = 1;
      data.height = 1 / shownRatio;
      break;
    case "constrained":
      data.width = width || shown.width || 1;
      data.height = data.width / shownRatio;
      break;
  }
  return { data, variants: all, placeholder: placeholderNeed(options, source, sizes.aspectRatio, recipeFor, primary) };
}

/**
 * The source's size once turned by `rotate` degrees (the bounding box, as sharp makes it). Gatsby
 * plans with the unturned size; the turned one gives variants of the size the data says.
 */
function rotatedSize(source: PlannedSource, rotate: number | undefined): { width: number; height: number } {
  if (!rotate || rotate % 180 === 0) return source;
  const radians = (rotate * Math.PI) / 180;
  const cos = Math.abs(Math.cos(radians));
  const sin = Math.abs(Math.sin(radians));
  return {
    width: Math.round(source.width * cos + source.height * sin),
    height: Math.round(source.width * sin + source.height * cos),
  };
}

/**
 * The format of the fallback `<img>`: the source's own for `auto` (a WebP source falls back to WebP,
 * as in Gatsby), else PNG, JPEG, WebP, AVIF, in that order of preference.
 */
function primaryFormat(formats: NonNullable<ImageOptions["formats"]>, sourceFormat: VariantFormat): VariantFormat {
  const asked = new Set(formats);
  const auto = asked.size === 0 || asked.has("auto") || asked.has("") || (asked.has("jpg") && asked.has("png"));
  if (auto) return sourceFormat;
  for (const format of ["png", "jpg", "webp", "avif"] as const) if (asked.has(format)) return format;
  return sourceFormat;
}

/** The quality of a format: its own options' quality, else `quality`, else Gatsby's default. */
function qualityFor(format: VariantFormat, options: ImageOptions): number {
  const own =
    format === "jpg"
      ? options.jpgOptions?.quality
      : format === "png"
        ? options.pngOptions?.quality
        : format === "webp"
          ? options.webpOptions?.quality
          : format === "avif"
            ? options.avifOptions?.quality
            : undefined;
  return own ?? options.quality ?? DEFAULT_QUALITY;
}

/** Encoder options by format (see render-variant.ts), plus the padding colour. */
function encoderFor(
  format: VariantFormat,
  options: ImageOptions,
  background: string | undefined,
): Record<string, unknown> {
  const encoder: Record<string, unknown> = {};
  if (format === "jpg") {
    encoder.progressive = options.jpgOptions?.progressive ?? true;
    // gatsby-plugin-sharp's switch to MozJPEG.
    if (process.env.GATSBY_JPEG_ENCODER === "MOZJPEG") encoder.mozjpeg = true;
  } else if (format === "png") {
    encoder.compressionLevel = 9;
    // pngquant's speed (1 slowest … 11 fastest) as libimagequant's effort (10 slowest … 1 fastest).
    const speed = options.pngOptions?.compressionSpeed;
    if (speed !== undefined) encoder.effort = Math.min(10, Math.max(1, 11 - speed));
  } else if (format === "avif") {
    if (options.avifOptions?.lossless !== undefined) encoder.lossless = options.avifOptions.lossless;
    // AVIF speed (0 slowest … 9 fastest) as sharp's effort (9 slowest … 0 fastest).
    const speed = options.avifOptions?.speed;
    if (speed !== undefined) encoder.effort = Math.min(9, Math.max(0, 9 - speed));
  }
  if (background) encoder.background = background;
  return encoder;
}

/** The transforms that change pixels, in a fixed key order (they are part of the name's hash). */
function transformsOf(options: NonNullable<ImageOptions["transformOptions"]>): VariantRecipe["transforms"] {
  const transforms: VariantRecipe["transforms"] = {};
  if (options.grayscale) transforms.grayscale = true;
  if (options.duotone) {
    transforms.duotone = { highlight: options.duotone.highlight, shadow: options.duotone.shadow };
    if (options.duotone.opacity) transforms.duotone.opacity = options.duotone.opacity;
  }
  if (options.rotate) transforms.rotate = options.rotate;
  if (options.trim) transforms.trim = options.trim;
  return transforms;
}

/** `img/<source hash>-<recipe hash>-<width>x<height>.<format>`: the same recipe of the same bytes is the same name. */
function variantName(sourceHash: string, recipe: VariantRecipe): string {
  return `img/${sourceHash}-${recipeHash(recipe)}-${recipe.width}x${recipe.height}.${recipe.format}`;
}

/** A short hash of everything but the size that shapes a recipe's bytes. */
export function recipeHash(recipe: VariantRecipe): string {
  const { format, quality, fit, position, transforms, encoder } = recipe;
  const text = JSON.stringify([
    RECIPE_VERSION,
    format,
    quality,
    fit,
    position ?? null,
    transforms,
    Object.entries(encoder).sort(([a], [b]) => a.localeCompare(b)),
  ]);
  return createHash("sha256").update(text).digest("base64url").slice(0, 8);
}

/** `dominantColor` (also for `tracedSVG`), `blurred` with its tiny recipe, or `none`. */
function placeholderNeed(
  options: ImageOptions,
  source: PlannedSource,
  aspectRatio: number,
  recipeFor: (format: VariantFormat, width: number, height: number) => VariantRecipe,
  primary: VariantFormat,
): PlaceholderNeed {
  const kind = options.placeholder ?? "dominantColor";
  // Gatsby 5 no longer traces SVGs: it makes `tracedSVG` a dominant colour (and warns), as here.
  if (kind === "dominantColor" || kind === "tracedSVG") return { kind: "dominantColor" };
  if (kind === "none") return { kind: "none" };
  const width = options.blurredOptions?.width || DEFAULT_BLURRED_WIDTH;
  const height = Math.max(1, Math.round(width / aspectRatio));
  const asked = options.blurredOptions?.toFormat;
  // Gatsby keeps the source's format unless `blurredOptions.toFormat` says otherwise.
  const format: VariantFormat =
    asked && asked !== "auto"
      ? asked
      : source.format === "jpg" || source.format === "png" || source.format === "webp"
        ? source.format
        : "png";
  // The quality and options of the fallback's format, as Gatsby passes them. Where the image keeps
  // its own shape, the placeholder's only crop is the rounding of its 20-pixel size: a centred one
  // (the same blur to the eye) instead of sharp's attention strategy, which costs more than the
  // rest of a cold start's image work (measured: 2.1 s against 0.8 s for 200 photos; bench/GATSBY.md).
  const recipe = recipeFor(format, width, height);
  const ownShape = Math.abs(aspectRatio * source.height - source.width) < 1;
  return {
    kind: "blurred",
    recipe: {
      ...recipe,
      quality: qualityFor(primary, options),
      ...(ownShape && !options.transformOptions?.cropFocus ? { position: "centre" } : {}),
    },
  };
}
