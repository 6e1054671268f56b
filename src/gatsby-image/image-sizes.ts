/**
 * gatsby-plugin-image's sizing rules: which widths an image is made at for a layout, the size it is
 * shown at, and the `sizes` / `srcSet` strings. Pure arithmetic, no DOM and no Node: the build
 * (`gatsbyImageData`, `StaticImage`) and the browser (`getImageData`) share it, so both name the same
 * widths Gatsby would.
 */

/** `layout` of gatsby-plugin-image. */
export type Layout = "fixed" | "fullWidth" | "constrained";

/** How an image is fitted to a requested width and height (sharp's `fit`). */
export type Fit = "cover" | "contain" | "fill" | "inside" | "outside";

/** The widths a `fullWidth` image is made at when the site gives no `breakpoints`. */
export const DEFAULT_BREAKPOINTS: readonly number[] = [750, 1080, 1366, 1920];

/** The widths `getImageData` asks an image CDN for, for a `fullWidth` image without `breakpoints`. */
export const EVERY_BREAKPOINT: readonly number[] = [
  320, 654, 768, 1024, 1366, 1600, 1920, 2048, 2560, 3440, 3840, 4096,
];

/** Multiples of the display width made for `fixed` (those ≥ 1) and `constrained` images. */
export const DEFAULT_PIXEL_DENSITIES: readonly number[] = [0.25, 0.5, 1, 2];

/** Width of a responsive image when neither a width nor a height is known. */
const DEFAULT_RESPONSIVE_WIDTH = 800;
/** Width of a fixed image when neither a width nor a height is known. */
const DEFAULT_FIXED_WIDTH = 800;

/** What the widths of an image are worked out from. */
export interface SizeRequest {
  layout: Layout;
  /** The width asked for (`fixed`: shown at; `constrained`: at most), if any. */
  width?: number | undefined;
  height?: number | undefined;
  fit?: Fit | undefined;
  outputPixelDensities?: readonly number[] | undefined;
  breakpoints?: readonly number[] | undefined;
  /** The source image's own size: no width is made larger than it. */
  source: { width: number; height: number };
}

/** The widths to make and the size to show. */
export interface ImageSizes {
  /** Widths to make, each at most the source's width. */
  widths: number[];
  /** Of every variant (a crop when both a width and a height were asked for). */
  aspectRatio: number;
  /** The width asked for, even when the source is smaller (the image is then shown stretched). */
  presentationWidth: number;
  presentationHeight: number;
  /** The width of the variant shown at 1x (the fallback `src`). */
  unscaledWidth: number;
}

/**
 * The widths to make an image at and the size it is shown at, as gatsby-plugin-image works them out.
 * @throws Error when a width or height below 1 is asked for.
 */
export function imageSizes(request: SizeRequest): ImageSizes {
  const wrong = Object.entries({ width: request.width, height: request.height }).filter(
    ([, size]) => typeof size === "number" && size < 1,
  );
  if (wrong.length > 0) {
    throw new Error(
      `Specified dimensions for images must be positive numbers (> 0). Problem dimensions you have are ${wrong.map(([name, size]) => `${name}: ${size}`).join(", ")}`,
    );
  }
  return request.layout === "fixed" ? fixedSizes(request) : responsiveSizes(request);
}

/** A fixed image: its width at each density of at least 1, never wider than the source. */
function fixedSizes({
  source,
  width,
  height,
  fit = "cover",
  outputPixelDensities = DEFAULT_PIXEL_DENSITIES,
}: SizeRequest): ImageSizes {
  let aspectRatio = source.width / source.height;
  if (width && height) {
    const fitted = fittedDimensions(source, width, height, fit);
    ({ width, height, aspectRatio } = fitted);
  }
  if (!width) width = height ? Math.round(height * aspectRatio) : DEFAULT_FIXED_WIDTH;
  else if (!height) height = Math.round(width / aspectRatio);

  const presentationWidth = width;
  // A source smaller than asked for is used whole: the image is shown larger than its pixels.
  if (source.width < width) {
    width = source.width;
  } else if (height !== undefined && source.height < height) {
    height = source.height;
    width = height * aspectRatio;
  }
  const unscaledWidth = width;
  const widths = densitiesOf(outputPixelDensities)
    .filter((density) => density >= 1)
    .map((density) => Math.round(density * unscaledWidth))
    .filter((size) => size <= source.width);
  return {
    widths,
    aspectRatio,
    presentationWidth,
    presentationHeight: Math.round(presentationWidth / aspectRatio),
    unscaledWidth,
  };
}

/** A constrained or full-width image: breakpoints when given, else densities of its width, never wider than the source. */
function responsiveSizes({
  layout,
  source,
  width,
  height,
  fit = "cover",
  outputPixelDensities = DEFAULT_PIXEL_DENSITIES,
  breakpoints,
}: SizeRequest): ImageSizes {
  let aspectRatio = source.width / source.height;
  if (width && height) {
    const fitted = fittedDimensions(source, width, height, fit);
    ({ width, height, aspectRatio } = fitted);
  }
  width = width ? Math.min(width, source.width) : width;
  height = height ? Math.min(height, source.height) : height;
  if (!width && !height) {
    width = Math.min(DEFAULT_RESPONSIVE_WIDTH, source.width);
    height = width / aspectRatio;
  }
  if (!width) width = (height as number) * aspectRatio;

  const presentationWidth = width;
  if (source.width < width || (height !== undefined && source.height < height)) width = source.width;
  const unscaledWidth = Math.round(width);

  let widths: number[];
  if (breakpoints && breakpoints.length > 0) {
    widths = breakpoints.filter((size) => size <= source.width);
    // A breakpoint wider than the source is replaced by the source's own width.
    if (widths.length < breakpoints.length && !widths.includes(source.width)) widths.push(source.width);
  } else {
    widths = densitiesOf(outputPixelDensities)
      .map((density) => Math.round(density * unscaledWidth))
      .filter((size) => size <= source.width);
  }
  if (layout === "constrained" && !widths.includes(unscaledWidth)) widths.push(unscaledWidth);
  widths.sort((a, b) => a - b);
  return {
    widths,
    aspectRatio,
    presentationWidth,
    presentationHeight: Math.round(presentationWidth / aspectRatio),
    unscaledWidth,
  };
}

/** Densities without repeats, in order, always with 1. */
function densitiesOf(values: readonly number[]): number[] {
  return [...new Set([1, ...values])].sort((a, b) => a - b);
}

/** The size a resize to `width`×`height` with `fit` gives (sharp's rules), and its aspect ratio. */
export function fittedDimensions(
  source: { width: number; height: number },
  width: number,
  height: number,
  fit: Fit,
): { width: number; height: number; aspectRatio: number } {
  const sourceRatio = source.width / source.height;
  switch (fit) {
    case "inside":
      // Within both: the source's shape, as large as fits.
      return withRatio(
        Math.min(width, Math.round(height * sourceRatio)),
        Math.min(height, Math.round(width / sourceRatio)),
      );
    case "outside":
      // Covering both: the source's shape, as small as covers.
      return withRatio(
        Math.max(width, Math.round(height * sourceRatio)),
        Math.max(height, Math.round(width / sourceRatio)),
      );
    default:
      // cover, contain and fill all give exactly the size asked for.
      break;
  }
  return withRatio(width, height);
}

function withRatio(width: number, height: number): { width: number; height: number; aspectRatio: number } {
  return { width, height, aspectRatio: width / height };
}

/** The `sizes` attribute Gatsby gives each layout at `width` CSS pixels. */
export function sizesFor(width: number, layout: Layout): string {
  switch (layout) {
    case "constrained":
      return `(min-width: ${width}px) ${width}px, 100vw`;
    case "fixed":
      return `${width}px`;
    case "fullWidth":
      return "100vw";
  }
}

/** A `srcset` of width descriptors, one image a line, as Gatsby writes it (the component drops the line breaks). */
export function srcSetOf(images: ReadonlyArray<{ src: string; width: number }>): string {
  return images.map((image) => `${image.src} ${image.width}w`).join(",\n");
}
