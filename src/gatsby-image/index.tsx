/**
 * What `import { … } from "gatsby-plugin-image"` gives a Gatsby site's pages, on the server and in
 * the browser: gatsby-plugin-image's components and helpers with the same HTML, and its head styles
 * for the document. Browser-safe: React and ssr-pages' browser modules only.
 */
export { GatsbyImage, type GatsbyImageProps } from "./gatsby-image.js";
export { StaticImage, type IStaticImageProps, type ISharpGatsbyImageArgs } from "./static-image.js";
export { MainImage, type MainImageProps } from "./main-image.js";
export { Placeholder, type PlaceholderProps } from "./placeholder.js";
export { LayoutWrapper as ImageWrapper, type LayoutWrapperProps as ImageWrapperProps } from "./layout-wrapper.js";
export {
  getImage,
  getSrc,
  getSrcSet,
  withArtDirection,
  type IGatsbyImageData,
  type ImageDataLike,
  type IArtDirectedImage,
  type IGatsbyImageDataParent,
  type IGatsbyImageParent,
} from "./image-data.js";
export { getImageData, type IGetImageDataArgs, type IUrlBuilderArgs, type ImageFormat } from "./get-image-data.js";
export type { Layout, Fit } from "./image-sizes.js";
export { GATSBY_IMAGE_HEAD_STYLES } from "./head-styles.js";
