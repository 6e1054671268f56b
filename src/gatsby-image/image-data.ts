/**
 * gatsby-plugin-image's image data type and the helpers that read it from a query result
 * (`getImage`, `getSrc`, `getSrcSet`) or combine several (`withArtDirection`). Browser-safe.
 */
import type { Layout } from "./image-sizes.js";

/** The fallback `<img>`'s `src`, and its `srcset` and `sizes`. */
export interface ImageFallback {
  src: string;
  srcSet?: string;
  sizes?: string;
}

/** One `<source>` of the `<picture>`: a format (`type`) or an art-directed `media` query. */
export interface ImageSource {
  srcSet: string;
  sizes?: string;
  type?: string;
  media?: string;
}

/** gatsby-plugin-image's image data: what `gatsbyImageData` and `StaticImage`'s build step give `GatsbyImage`. */
export interface IGatsbyImageData {
  layout: Layout;
  /** Shown size: pixels for `fixed` and `constrained` (at most), an aspect ratio (1 × h) for `fullWidth`. */
  width: number;
  height: number;
  /** The placeholder's colour (the dominant colour, by default). */
  backgroundColor?: string;
  images: { fallback?: ImageFallback; sources?: ImageSource[] };
  /** The blurred placeholder (`fallback`: a data URI), with art-directed `sources` when any. */
  placeholder?: { fallback?: string; sources?: ImageSource[] };
}

/** A node holding image data under `gatsbyImageData` (`childImageSharp`). */
export type IGatsbyImageDataParent<T = unknown> = T & { gatsbyImageData: IGatsbyImageData };
/** A node holding image data under `gatsbyImage` (Gatsby's image CDN field). */
export type IGatsbyImageParent<T = unknown> = T & { gatsbyImage: IGatsbyImageData };
/** A `File` node with `childImageSharp`. */
export type FileNode = { childImageSharp?: IGatsbyImageDataParent | null | undefined } & Record<string, unknown>;

/** What {@link getImage} accepts: image data, a node holding it, or a `File` node with `childImageSharp`. */
export type ImageDataLike = FileNode | IGatsbyImageDataParent | IGatsbyImageParent | IGatsbyImageData;

/** One art-directed image of {@link withArtDirection}: shown when `media` matches. */
export interface IArtDirectedImage {
  media: string;
  image: IGatsbyImageData;
}

function isImageData(node: unknown): node is IGatsbyImageData {
  // A deep property, to tell image data from a node that merely has `images`.
  return Boolean((node as IGatsbyImageData | null | undefined)?.images?.fallback?.src);
}

/**
 * The image data in `node`: the data itself, `node.gatsbyImageData`, `node.gatsbyImage`, or
 * `node.childImageSharp.gatsbyImageData`; `undefined` when there is none.
 *
 * @example
 * ```tsx
 * import { GatsbyImage, getImage } from "gatsby-plugin-image";
 *
 * export default function Post({ data }) {
 *   const image = getImage(data.file); // data.file.childImageSharp.gatsbyImageData
 *   return image ? <GatsbyImage image={image} alt="" /> : null;
 * }
 * ```
 */
export function getImage(node: ImageDataLike | null | undefined): IGatsbyImageData | undefined {
  if (isImageData(node)) return node;
  const holder = node as Partial<IGatsbyImageDataParent & IGatsbyImageParent> & FileNode;
  if (holder?.gatsbyImageData) return holder.gatsbyImageData;
  if (holder?.gatsbyImage) return holder.gatsbyImage;
  return holder?.childImageSharp?.gatsbyImageData;
}

/** The `src` of the image's fallback `<img>` (for an `og:image`, a CSS background). */
export function getSrc(node: ImageDataLike | null | undefined): string | undefined {
  return getImage(node)?.images?.fallback?.src;
}

/** The `srcset` of the image's fallback `<img>`. */
export function getSrcSet(node: ImageDataLike | null | undefined): string | undefined {
  return getImage(node)?.images?.fallback?.srcSet;
}

/**
 * Image data that shows other images where their media queries match, `defaultImage` elsewhere (its
 * layout and size are used for all: give the component a `className` that changes its size).
 *
 * @example
 * ```tsx
 * const images = withArtDirection(getImage(data.large)!, [{ media: "(max-width: 1024px)", image: getImage(data.small)! }]);
 * return <GatsbyImage image={images} alt="" className="art-directed" />;
 * ```
 */
export function withArtDirection(
  defaultImage: IGatsbyImageData,
  artDirected: readonly IArtDirectedImage[],
): IGatsbyImageData {
  const { images, placeholder, ...rest } = defaultImage;
  const sources: ImageSource[] = [];
  const placeholderSources: ImageSource[] = [];
  const development = process.env.NODE_ENV === "development";
  for (const { media, image } of artDirected) {
    if (!media) {
      if (development) {
        // eslint-disable-next-line no-console -- gatsby-plugin-image's own warning, as sites moving over know it
        console.warn(
          "[gatsby-plugin-image] All art-directed images passed to must have a value set for `media`. Skipping.",
        );
      }
      continue;
    }
    if (image.layout !== defaultImage.layout && development) {
      // eslint-disable-next-line no-console -- gatsby-plugin-image's own warning, as sites moving over know it
      console.warn(
        `[gatsby-plugin-image] Mismatched image layout: expected "${defaultImage.layout}" but received "${image.layout}". All art-directed images use the same layout as the default image`,
      );
    }
    // Each of the image's formats, then its fallback, all under the query.
    sources.push(...(image.images.sources ?? []).map((source) => ({ ...source, media })));
    if (image.images.fallback?.srcSet) sources.push({ media, srcSet: image.images.fallback.srcSet });
    if (placeholder && image.placeholder?.fallback)
      placeholderSources.push({ media, srcSet: image.placeholder.fallback });
  }
  sources.push(...(images.sources ?? []));
  placeholderSources.push(...(placeholder?.sources ?? []));
  return {
    ...rest,
    images: { ...images, sources },
    ...(placeholder ? { placeholder: { ...placeholder, sources: placeholderSources } } : {}),
  };
}
