/** gatsby-plugin-image's placeholder: the blurred image (a data URI), or a `<div>` of the background colour. */
import type { ImgHTMLAttributes, ReactElement } from "react";
import type { ImageSource } from "./image-data.js";
import { Picture } from "./picture.js";

/** Props of {@link Placeholder}: a `fallback` data URI (and art-directed `sources`), or only a style. */
export type PlaceholderProps = ImgHTMLAttributes<HTMLImageElement> & {
  fallback?: string | undefined;
  sources?: readonly ImageSource[] | undefined;
  "data-placeholder-image"?: string;
};

/** The placeholder shown until the main image has loaded: hidden from assistive technology. */
export function Placeholder({ fallback, sources, ...props }: PlaceholderProps): ReactElement {
  if (fallback) return <Picture {...props} sources={sources} fallback={{ src: fallback }} aria-hidden alt="" />;
  return <div {...(props as Record<string, unknown>)} />;
}
