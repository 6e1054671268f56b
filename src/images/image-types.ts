/**
 * What an image is asked for with and made into, shared by the compile (which plans images: see
 * gatsby-site/images/) and the server (which makes their variants on first request): gatsby-plugin-image's
 * options and image data, and one variant's recipe. Types only.
 */

/** `layout` of gatsby-plugin-image. */
export type ImageLayout = "fixed" | "fullWidth" | "constrained";

/** Options of `StaticImage` and of `gatsbyImageData(…)`, with gatsby-plugin-image's names (lower-case values). */
export interface ImageOptions {
  layout?: ImageLayout;
  width?: number;
  height?: number;
  aspectRatio?: number;
  /** `dominantColor` (the default), `blurred`, `tracedSVG` (made as `dominantColor`), `none`. */
  placeholder?: "dominantColor" | "blurred" | "tracedSVG" | "none";
  /** `auto` (the source's own format), `webp`, `avif`, `png`, `jpg`; `["auto", "webp"]` by default. */
  formats?: ReadonlyArray<"auto" | "webp" | "avif" | "png" | "jpg" | "">;
  quality?: number;
  outputPixelDensities?: readonly number[];
  breakpoints?: readonly number[];
  sizes?: string;
  backgroundColor?: string;
  transformOptions?: {
    fit?: "cover" | "contain" | "fill" | "inside" | "outside";
    cropFocus?: string | number;
    duotone?: { highlight: string; shadow: string; opacity?: number };
    grayscale?: boolean;
    rotate?: number;
    trim?: number;
  };
  jpgOptions?: { quality?: number; progressive?: boolean };
  pngOptions?: { quality?: number; compressionSpeed?: number };
  webpOptions?: { quality?: number };
  avifOptions?: { quality?: number; lossless?: boolean; speed?: number };
  blurredOptions?: { width?: number; toFormat?: "auto" | "png" | "jpg" | "webp" };
}

/**
 * gatsby-plugin-image's `IGatsbyImageData`, with mount-relative URLs (`/_ssr-pages/…`): the mount
 * path is added per request, where the data reaches a component.
 */
export interface GatsbyImageData {
  layout: ImageLayout;
  width: number;
  height: number;
  backgroundColor?: string;
  images: {
    fallback?: { src: string; srcSet?: string; sizes?: string };
    sources?: Array<{ srcSet: string; type: string; sizes?: string; media?: string }>;
  };
  placeholder?: { fallback: string };
}

/**
 * One image variant a build names and the server makes on first request: everything needed to
 * make its bytes, so a production build can write it and a server can make it without the compile.
 */
export interface ImageVariant {
  /** The served name under `<mount>/_ssr-pages/` (`img/<source hash>-<options hash>-<width>.<ext>`). */
  name: string;
  /** The source image, absolute. */
  source: string;
  /** The first bytes of the source's SHA-256 (base64url), as in `name`: the disk cache is checked against it. */
  sourceHash: string;
  width: number;
  height: number;
  format: "jpg" | "png" | "webp" | "avif" | "gif" | "tiff";
  quality: number | undefined;
  /** sharp's resize `fit` and `position`. */
  fit: "cover" | "contain" | "fill" | "inside" | "outside";
  position: string | number | undefined;
  /** Further sharp operations, in order (transformOptions: grayscale, duotone, rotate, trim). */
  transforms: NonNullable<ImageOptions["transformOptions"]>;
  /** Format-specific encoder options (progressive JPEG, PNG compression, AVIF speed…). */
  encoder: Readonly<Record<string, unknown>>;
}
