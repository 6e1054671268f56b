/**
 * gatsby-plugin-image's `GatsbyImage`: the wrapper, the sizer, the placeholder and the main image,
 * with the HTML Gatsby's server render gives. The same markup is rendered on the server and in the
 * browser, so hydration finds what it expects; once hydrated, the image is revealed (opacity 1, the
 * placeholder faded out) when it has loaded, or at once when it loaded before hydration.
 */
import { createElement, useCallback, useLayoutEffect, useRef, useState } from "react";
import type { CSSProperties, ElementType, ImgHTMLAttributes, ReactElement, ReactEventHandler } from "react";
import type { IGatsbyImageData } from "./image-data.js";
import type { Layout } from "./image-sizes.js";
import { LayoutWrapper, wrapperProps } from "./layout-wrapper.js";
import { MainImage } from "./main-image.js";
import { Placeholder, type PlaceholderProps } from "./placeholder.js";

/** Props of {@link GatsbyImage}: gatsby-plugin-image's, plus the `<img>`'s own attributes. */
export interface GatsbyImageProps extends Omit<
  ImgHTMLAttributes<HTMLImageElement>,
  "placeholder" | "onLoad" | "src" | "srcSet" | "width" | "height"
> {
  /** Required: `""` for an image that is only decoration. */
  alt: string;
  /** The wrapper's element (`div` by default). */
  as?: ElementType;
  className?: string;
  /** Preact's name for `className`. */
  class?: string;
  /** The `<img>`'s class. */
  imgClassName?: string;
  image: IGatsbyImageData;
  /** The `<img>`'s style. */
  imgStyle?: CSSProperties;
  /** The wrapper's background (the placeholder's colour comes from the image data). */
  backgroundColor?: string;
  objectFit?: CSSProperties["objectFit"];
  objectPosition?: CSSProperties["objectPosition"];
  /** Once the image has loaded and is shown (`wasCached`: it had been shown before on this page). */
  onLoad?: (props: { wasCached: boolean }) => void;
  onError?: ReactEventHandler<HTMLImageElement>;
  /** When the image starts loading (in the browser, once hydrated or mounted). */
  onStartLoad?: (props: { wasCached: boolean }) => void;
}

/** Images shown so far in this browser tab (their `images` as JSON), for `wasCached`. */
const shownImages = new Set<string>();

/**
 * A responsive image, with a placeholder while it loads and no layout shift.
 *
 * @example
 * ```tsx
 * import { GatsbyImage, getImage } from "gatsby-plugin-image";
 *
 * export default function Hero({ data }) {
 *   return <GatsbyImage image={getImage(data.hero)!} alt="The shop at night" loading="eager" />;
 * }
 * ```
 */
export function GatsbyImage(props: GatsbyImageProps): ReactElement | null {
  const {
    as = "div",
    className,
    class: preactClass,
    style,
    image,
    loading = "lazy",
    imgClassName,
    imgStyle,
    backgroundColor,
    objectFit,
    objectPosition,
    onLoad,
    onError,
    onStartLoad,
    ...imgProps
  } = props;
  const shown = image ? preparedImages(image.images) : undefined;
  const imageKey = shown?.key ?? "";
  const [shownKey, setShownKey] = useState<string | undefined>(undefined);
  const mainImage = useRef<HTMLImageElement>(null);
  const revealedKey = useRef<string | undefined>(undefined);
  // The latest callbacks, for the effect and the load handler (neither is made again when they change).
  const callbacks = useRef({ onLoad, onStartLoad });
  useLayoutEffect(() => {
    callbacks.current = { onLoad, onStartLoad };
  });

  const reveal = useCallback(
    (element: HTMLImageElement, decode: boolean) => {
      if (revealedKey.current === imageKey) return;
      revealedKey.current = imageKey;
      const wasCached = shownImages.has(imageKey);
      const show = (): void => {
        shownImages.add(imageKey);
        setShownKey(imageKey);
        callbacks.current.onLoad?.({ wasCached });
      };
      // Decoded before it is shown, so that the fade shows the whole image (as Gatsby does).
      if (decode && typeof element.decode === "function") element.decode().then(show, show);
      else show();
    },
    [imageKey],
  );

  // Runs before the browser paints: an image already loaded (before hydration, or from the cache on a
  // client navigation) is shown at once, as its `load` event has passed or will not be seen.
  useLayoutEffect(() => {
    const element = mainImage.current;
    if (!element) return;
    callbacks.current.onStartLoad?.({ wasCached: shownImages.has(imageKey) });
    if (element.complete) reveal(element, false);
  }, [imageKey, reveal]);

  if (!image) {
    // eslint-disable-next-line no-console -- gatsby-plugin-image's own warning, as sites moving over know it
    if (process.env.NODE_ENV === "development") console.warn("[gatsby-plugin-image] Missing image prop");
    return null;
  }

  const isLoaded = shownKey === imageKey;
  const { width, height, layout, placeholder, backgroundColor: placeholderBackground } = image;
  const wrapper = wrapperProps(width, height, layout);
  const mainStyle: CSSProperties = {
    objectFit,
    objectPosition,
    backgroundColor,
    ...imgStyle,
    opacity: isLoaded ? 1 : 0,
  };

  return createElement(
    as,
    {
      "data-gatsby-image-wrapper": "",
      style: { ...wrapper.style, ...style, backgroundColor },
      className: `${wrapper.className}${(preactClass ?? className) ? ` ${preactClass ?? className}` : ""}`,
    },
    <LayoutWrapper layout={layout} width={width} height={height}>
      <Placeholder
        {...placeholderProps(
          placeholder,
          isLoaded,
          layout,
          width,
          height,
          placeholderBackground,
          objectFit,
          objectPosition,
        )}
      />
      <MainImage
        className={imgClassName}
        {...imgProps}
        fallback={shown?.fallback}
        sources={shown?.sources}
        loading={loading}
        data-main-image=""
        style={mainStyle}
        imgRef={mainImage}
        onLoad={(event) => reveal(event.currentTarget, true)}
        onError={onError}
      />
    </LayoutWrapper>,
  );
}

/** Gatsby writes a `srcset` one image a line; the attribute is written on one. */
function withoutNewLines(srcSet: string | undefined): string | undefined {
  return srcSet?.replace(/\n/g, "");
}

/** An image's sources as the `<picture>` takes them, and a key that changes with them. */
interface PreparedImages {
  key: string;
  fallback: IGatsbyImageData["images"]["fallback"];
  sources: IGatsbyImageData["images"]["sources"];
}

/** Each image data's prepared sources, made once per object: a query's or StaticImage's data is one object, rendered on every request. */
const prepared = new WeakMap<object, PreparedImages>();

function preparedImages(images: IGatsbyImageData["images"]): PreparedImages {
  let made = prepared.get(images);
  if (made === undefined) {
    made = {
      key: JSON.stringify(images),
      fallback: images.fallback && { ...images.fallback, srcSet: withoutNewLines(images.fallback.srcSet) },
      sources: images.sources?.map((source) => ({ ...source, srcSet: withoutNewLines(source.srcSet) ?? "" })),
    };
    prepared.set(images, made);
  }
  return made;
}

/** The placeholder's attributes: its colour laid over the wrapper, visible until the image is. */
function placeholderProps(
  placeholder: IGatsbyImageData["placeholder"],
  isLoaded: boolean,
  layout: Layout,
  width: number,
  height: number,
  backgroundColor: string | undefined,
  objectFit: CSSProperties["objectFit"],
  objectPosition: CSSProperties["objectPosition"],
): PlaceholderProps {
  const style: CSSProperties = {};
  if (backgroundColor) {
    style.backgroundColor = backgroundColor;
    if (layout === "fixed") {
      style.width = width;
      style.height = height;
      style.backgroundColor = backgroundColor;
      style.position = "relative";
    } else {
      style.position = "absolute";
      style.top = 0;
      style.left = 0;
      style.bottom = 0;
      style.right = 0;
    }
  }
  if (objectFit) style.objectFit = objectFit;
  if (objectPosition) style.objectPosition = objectPosition;
  return {
    ...placeholder,
    "aria-hidden": true,
    "data-placeholder-image": "",
    style: { opacity: isLoaded ? 0 : 1, transition: "opacity 500ms linear", ...style },
  };
}
