/**
 * gatsby-plugin-image's `StaticImage`: an image named in the page's source. The compile step works
 * out its image data from the props (`src`, `width`, `placeholder`…) and gives it as `__imageData`
 * (mount-relative URLs) or, when the image could not be made, `__error`.
 */
import type { ReactElement } from "react";
import { currentBase } from "../client/base.js";
import { withMountPath } from "../common/graphql-query.js";
import { GatsbyImage, type GatsbyImageProps } from "./gatsby-image.js";
import type { IGatsbyImageData } from "./image-data.js";
import type { Fit, Layout } from "./image-sizes.js";

/** The options `StaticImage` takes (read by the compile step, not by the component). */
export interface IStaticImageOptions {
  layout?: Layout;
  width?: number;
  height?: number;
  aspectRatio?: number;
  placeholder?: "dominantColor" | "blurred" | "tracedSVG" | "none";
  tracedSVGOptions?: Record<string, unknown>;
  formats?: Array<"auto" | "webp" | "avif" | "png" | "jpg" | "">;
  quality?: number;
  outputPixelDensities?: number[];
  breakpoints?: number[];
  sizes?: string;
  transformOptions?: {
    fit?: Fit;
    cropFocus?: string | number;
    duotone?: { highlight: string; shadow: string; opacity?: number };
    grayscale?: boolean;
    rotate?: number;
    trim?: number;
  };
  jpgOptions?: Record<string, unknown>;
  pngOptions?: Record<string, unknown>;
  webpOptions?: Record<string, unknown>;
  avifOptions?: Record<string, unknown>;
  blurredOptions?: { width?: number; toFormat?: "auto" | "png" | "jpg" | "webp" };
}

/** gatsby-plugin-image's name for the options of `StaticImage` and `gatsbyImageData` (for sites' types). */
export type ISharpGatsbyImageArgs = IStaticImageOptions & { backgroundColor?: string };

/** Props of {@link StaticImage}: the image file, its options, and `GatsbyImage`'s own props. */
export interface IStaticImageProps extends Omit<GatsbyImageProps, "image">, IStaticImageOptions {
  /** The image file, relative to the page's file (or a URL). */
  src: string;
  filename?: string;
}

/** What the compile step adds to the props: never written by hand. */
interface CompiledProps {
  __imageData?: IGatsbyImageData;
  __error?: string;
}

/**
 * An image whose file and options are written in the page: made at compile time.
 *
 * @example
 * ```tsx
 * import { StaticImage } from "gatsby-plugin-image";
 *
 * export default function Header() {
 *   return <StaticImage src="../images/logo.png" alt="Shop" width={200} placeholder="blurred" />;
 * }
 * ```
 */
export function StaticImage(props: IStaticImageProps & CompiledProps): ReactElement | null {
  const {
    src,
    __imageData: imageData,
    __error: error,
    // The image's options: for the compile step, not attributes of the `<img>`.
    layout: _layout,
    width: _width,
    height: _height,
    aspectRatio: _aspectRatio,
    tracedSVGOptions: _tracedSVGOptions,
    placeholder: _placeholder,
    formats: _formats,
    quality: _quality,
    transformOptions: _transformOptions,
    jpgOptions: _jpgOptions,
    pngOptions: _pngOptions,
    webpOptions: _webpOptions,
    avifOptions: _avifOptions,
    blurredOptions: _blurredOptions,
    breakpoints: _breakpoints,
    outputPixelDensities: _outputPixelDensities,
    filename: _filename,
    ...imageProps
  } = props;
  // eslint-disable-next-line no-console -- gatsby-plugin-image's own warning, as sites moving over know it
  if (error && process.env.NODE_ENV !== "production") console.warn(error);
  // Its URLs are mount-relative, as a query's: the mount path of this render goes in front (made once per mount path).
  if (imageData) return <GatsbyImage image={withMountPath(imageData, currentBase())} {...imageProps} />;
  // eslint-disable-next-line no-console -- gatsby-plugin-image's own warning, as sites moving over know it
  if (!error && process.env.NODE_ENV === "development") console.warn("Image not loaded", src);
  return null;
}
