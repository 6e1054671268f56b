/** gatsby-plugin-image's main image: the `<picture>`, and the same in `<noscript>` for browsers without JavaScript. */
import type { ReactElement } from "react";
import { Picture, type PictureProps } from "./picture.js";

/** Props of {@link MainImage}: those of the `<picture>`'s `<img>`. */
export type MainImageProps = PictureProps;

/**
 * The image, and a copy in `<noscript>` that the head styles show when scripts are off (the first
 * waits, at opacity 0, for the script that reveals it). React does not hydrate `<noscript>`'s content.
 */
export function MainImage({ imgRef, onLoad, onError, ...props }: MainImageProps): ReactElement {
  return (
    <>
      <Picture {...props} onLoad={onLoad} onError={onError} imgRef={imgRef} />
      <noscript>
        <Picture {...props} />
      </noscript>
    </>
  );
}
