/**
 * gatsby-plugin-image's `getImageData`: image data for an image served by an image CDN, whose URLs a
 * site's own `urlBuilder` writes for each width and format. Nothing is made here: the CDN resizes.
 */
import type { IGatsbyImageData, ImageSource } from "./image-data.js";
import { EVERY_BREAKPOINT, imageSizes, sizesFor, srcSetOf, type Fit, type Layout } from "./image-sizes.js";

/** An output format a CDN is asked for (`auto`: the CDN picks). */
export type ImageFormat = "jpg" | "png" | "webp" | "avif" | "auto" | "";

/** What a `urlBuilder` is given for one image URL. */
export interface IUrlBuilderArgs<OptionsType> {
  width: number;
  height: number;
  baseUrl: string;
  format: ImageFormat;
  options: OptionsType;
}

/** Arguments of {@link getImageData}. */
export interface IGetImageDataArgs<OptionsType = Record<string, unknown>> {
  /** The image's URL on the CDN, handed to `urlBuilder`. */
  baseUrl: string;
  /** For fixed and constrained images, the size shown. */
  width?: number;
  height?: number;
  /** The source image's size, when known: no larger width is asked for. */
  sourceWidth?: number;
  sourceHeight?: number;
  /** With one of `width` and `height`, gives the other. */
  aspectRatio?: number;
  layout?: Layout;
  /** The URL of the image at a width, height and format: should be a pure function. */
  urlBuilder: (args: IUrlBuilderArgs<OptionsType>) => string;
  /** A data URI shown while the image loads. */
  placeholderURL?: string;
  backgroundColor?: string;
  /** Used in warnings. */
  pluginName?: string;
  /** Formats to ask for when the CDN does not pick one itself (`["auto"]` by default). */
  formats?: ImageFormat[];
  breakpoints?: number[];
  sizes?: string;
  fit?: Fit;
  outputPixelDensities?: number[];
  /** Handed to `urlBuilder`. */
  options?: OptionsType;
}

const DEFAULT_ASPECT_RATIO = 4 / 3;
const DEFAULT_WIDTH = 800;

/**
 * Image data for an image on an image CDN, with gatsby-plugin-image's widths for the layout.
 *
 * @example
 * ```tsx
 * const image = getImageData({
 *   baseUrl: "https://cdn.example.com/photo.jpg",
 *   sourceWidth: 4000, sourceHeight: 3000, width: 800, layout: "constrained",
 *   urlBuilder: ({ baseUrl, width, height, format }) => `${baseUrl}?w=${width}&h=${height}&fm=${format}`,
 * });
 * return <GatsbyImage image={image} alt="" />;
 * ```
 */
export function getImageData<OptionsType = Record<string, unknown>>(
  args: IGetImageDataArgs<OptionsType>,
): IGatsbyImageData {
  const {
    baseUrl,
    urlBuilder,
    sourceWidth,
    sourceHeight,
    pluginName = "getImageData",
    options,
    backgroundColor,
    placeholderURL,
    fit,
  } = args;
  const layout: Layout = args.layout ?? "constrained";
  let breakpoints = args.breakpoints;
  if (!breakpoints?.length && layout === "fullWidth") breakpoints = [...EVERY_BREAKPOINT];
  const { width, height } = defaultDimensions(args, layout, breakpoints);
  const source = sourceWidth && sourceHeight ? { width: sourceWidth, height: sourceHeight } : { width, height };

  const formats = new Set<ImageFormat>((args.formats ?? ["auto"]).map((format) => format.toLowerCase() as ImageFormat));
  if (formats.size === 0 || formats.has("") || formats.has("auto")) {
    formats.delete("");
    formats.add("auto");
  }
  if (formats.has("jpg") && formats.has("png")) {
    // eslint-disable-next-line no-console -- gatsby-plugin-image's own warning, as sites moving over know it
    console.warn(`[${pluginName}] Specifying both 'jpg' and 'png' formats is not supported. Using 'auto' instead`);
    formats.delete("png");
  }

  const sizes = imageSizes({
    layout,
    width,
    height,
    fit,
    outputPixelDensities: args.outputPixelDensities,
    breakpoints,
    source,
  });
  const sizesAttribute = args.sizes || sizesFor(sizes.presentationWidth, layout);
  const images: IGatsbyImageData["images"] = { sources: [] };
  for (const format of formats) {
    const urls = sizes.widths.map((size) => ({
      width: size,
      src: urlBuilder({
        baseUrl,
        width: size,
        height: Math.round(size / sizes.aspectRatio),
        format,
        options: options as OptionsType,
      }),
    }));
    if (format === "jpg" || format === "png" || format === "auto") {
      const unscaled = urls.find((url) => url.width === sizes.unscaledWidth) ?? urls[0];
      if (unscaled) images.fallback = { src: unscaled.src, srcSet: srcSetOf(urls), sizes: sizesAttribute };
    } else {
      (images.sources as ImageSource[]).push({
        srcSet: srcSetOf(urls),
        sizes: sizesAttribute,
        type: `image/${format}`,
      });
    }
  }

  const data: IGatsbyImageData = {
    images,
    layout,
    width: 0,
    height: 0,
    ...(backgroundColor ? { backgroundColor } : {}),
    ...(placeholderURL ? { placeholder: { fallback: placeholderURL } } : {}),
  };
  if (layout === "fixed") {
    data.width = sizes.presentationWidth;
    data.height = sizes.presentationHeight;
  } else if (layout === "fullWidth") {
    data.width = 1;
    data.height = 1 / sizes.aspectRatio;
  } else {
    data.width = width || sizes.presentationWidth || 1;
    data.height = data.width / sizes.aspectRatio;
  }
  return data;
}

/** The width, height and aspect ratio to plan with, from what is given (gatsby-plugin-image's defaults). */
function defaultDimensions<OptionsType>(
  args: IGetImageDataArgs<OptionsType>,
  layout: Layout,
  breakpoints: readonly number[] | undefined,
): { width: number; height: number; aspectRatio: number } {
  let { width, height, aspectRatio } = args;
  if (width && height) return { width, height, aspectRatio: width / height };
  if (args.sourceWidth && args.sourceHeight && !aspectRatio) aspectRatio = args.sourceWidth / args.sourceHeight;
  if (layout === "fullWidth") {
    width = width || args.sourceWidth || breakpoints?.[breakpoints.length - 1] || DEFAULT_WIDTH;
    height = height || Math.round(width / (aspectRatio || DEFAULT_ASPECT_RATIO));
  } else {
    if (!width) {
      if (height && aspectRatio) width = height * aspectRatio;
      else if (args.sourceWidth) width = args.sourceWidth;
      // Gatsby divides here (not multiplies): kept, so the same arguments give the same widths.
      else if (height) width = Math.round(height / DEFAULT_ASPECT_RATIO);
      else width = DEFAULT_WIDTH;
    }
    if (aspectRatio && !height) height = Math.round(width / aspectRatio);
    else if (!aspectRatio) aspectRatio = width / (height as number);
  }
  return { width, height: height as number, aspectRatio: aspectRatio as number };
}
