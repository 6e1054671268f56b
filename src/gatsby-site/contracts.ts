/**
 * The contracts between the parts of a Gatsby site's build layer (compile time): the site's data the
 * schema is built from, and what the schema asks of the rest of the build. Types only. The image
 * types (options, image data, variants) live with the server's image code, which is below this
 * layer (images/image-types.ts): they are re-exported here.
 */
import type { GatsbyImageData, ImageOptions } from "../images/image-types.js";

export type { GatsbyImageData, ImageLayout, ImageOptions, ImageVariant } from "../images/image-types.js";

/** A page as Gatsby's `SitePage` node has it. */
export interface SitePageNode {
  /** The page's path as Gatsby writes it (`/`, `/page-2/`, with the site's trailing-slash rule applied). */
  path: string;
  /** For dynamic routes (`/products/:id`, `/docs/*`). */
  matchPath: string | undefined;
  /** The page file, absolute. */
  component: string;
  /** `component---src-pages-page-2-js`. */
  componentChunkName: string;
  /** `ComponentPage2`. */
  internalComponentName: string;
}

/** One `gatsby-source-filesystem` instance of the config: `{ name, path, ignore }`. */
export interface FilesystemSource {
  /** `sourceInstanceName` of its nodes. */
  name: string;
  /** Absolute directory (or a single file). */
  path: string;
  /** Glob patterns (relative to `path`) of files to leave out, from the plugin's `ignore` option. */
  ignore: readonly string[];
}

/** Everything the site's GraphQL schema is built from, read once per compile. */
export interface SiteData {
  /** The site's root (where `gatsby-config` is), absolute. */
  root: string;
  /** `siteMetadata` of the config, as written (`{}` without one). */
  siteMetadata: Readonly<Record<string, unknown>>;
  /** When this build started: `site.buildTime`. */
  buildTime: Date;
  /** `pathPrefix` of the config (`""` without one): `site.pathPrefix`. */
  pathPrefix: string;
  /** Every route of the site (pages, the 404 page). */
  pages: readonly SitePageNode[];
  /** Each `gatsby-source-filesystem` instance of the config, in config order. */
  sources: readonly FilesystemSource[];
  /** Whether `gatsby-transformer-sharp` is in the config: image `File`s then have `childImageSharp`. */
  imageSharp: boolean;
}

/** What the schema needs from the rest of the build while a query runs. */
export interface SchemaHooks {
  /**
   * A file's mount-relative served URL (`/_ssr-pages/name-hash.ext`), for `File.publicURL`: the file
   * is added to the build's assets (only files a query asks this for are served).
   */
  publicURL(file: string): Promise<string>;
  /** `gatsbyImageData(…)` of an image file (`childImageSharp`), options with Gatsby's option names. */
  imageData(file: string, options: ImageOptions): Promise<GatsbyImageData>;
  /** An image's own size and format (`childImageSharp.original`), read from its header. */
  imageInfo(file: string): Promise<{ width: number; height: number; format: string }>;
}
