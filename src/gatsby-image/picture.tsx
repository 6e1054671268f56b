/**
 * gatsby-plugin-image's `<picture>`: a `<source>` per format or art-directed query, then the fallback
 * `<img>` (alone when there are no sources), with the same attributes in the same order as Gatsby's.
 */
import type { ImgHTMLAttributes, ReactElement, Ref } from "react";
import type { ImageFallback, ImageSource } from "./image-data.js";

/** Props of {@link Picture}: the `<img>`'s own attributes, its fallback and the sources. */
export interface PictureProps extends ImgHTMLAttributes<HTMLImageElement> {
  fallback?: ImageFallback | undefined;
  sources?: readonly ImageSource[] | undefined;
  alt: string;
  /** The fallback `<img>` element (the component watches it load). */
  imgRef?: Ref<HTMLImageElement> | undefined;
}

/** A `<picture>` of the sources and the fallback image, or the `<img>` alone. */
export function Picture({ fallback, sources = [], imgRef, ...props }: PictureProps): ReactElement {
  const sizes = props.sizes || fallback?.sizes;
  const image = <FallbackImage {...props} {...fallback} sizes={sizes} imgRef={imgRef} />;
  if (sources.length === 0) return image;
  return (
    <picture>
      {sources.map(({ media, srcSet, type }) => (
        // Every source takes the picture's sizes, as in Gatsby (a source's own is not used).
        <source key={`${media}-${type}-${srcSet}`} type={type} media={media} srcSet={srcSet} sizes={sizes} />
      ))}
      {image}
    </picture>
  );
}

/**
 * The `<img>`: `src` and `srcset` always set (Gatsby's server HTML holds them in `data-src` until an
 * inline script moves them; no inline script may run here, and `loading="lazy"` defers them anyway).
 */
function FallbackImage({
  src,
  srcSet,
  loading,
  alt = "",
  imgRef,
  ...props
}: Omit<PictureProps, "fallback" | "sources">): ReactElement {
  return <img {...props} decoding="async" loading={loading} src={src} srcSet={srcSet} alt={alt} ref={imgRef} />;
}
