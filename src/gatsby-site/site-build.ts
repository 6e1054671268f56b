/**
 * One compile's view of a Gatsby site: its config and plugins, its GraphQL schema (built on the first
 * query, once), each query's result (once per distinct query text), and the images its pages use.
 * Both builds of a compile (server and browser) share it, so a query or an image is worked out once.
 */
import path from "node:path";
import type * as EsbuildApi from "esbuild";
import { INTERNAL_PREFIX } from "../common/urls.js";
import { loadSiteConfig, type SiteConfig, type TrailingSlash } from "./config.js";
import type { FilesystemSource, GatsbyImageData, ImageOptions, ImageVariant, SitePageNode } from "./contracts.js";
import { ImagePlanner } from "./images/index.js";
import { loadManifest } from "./manifest.js";
import { imageCacheDir } from "../images/cache-dir.js";

export { imageCacheDir } from "../images/cache-dir.js";
import type { ManifestSpec } from "../runtime/site-manifest.js";
import { planPlugins, type PluginPlan } from "./plugins.js";
import { createSiteSchema, QueryError, type SiteSchema } from "./schema/index.js";

export { QueryError } from "./schema/index.js";

/** A Gatsby site, for one compile. */
export class SiteBuild {
  readonly plugins: PluginPlan;
  readonly images: ImagePlanner;
  /** `gatsby-plugin-manifest`'s manifest and icons, when the site uses it (set by {@link SiteBuild.load}). */
  manifest: ManifestSpec | undefined;
  /** What of the config is not done, one line each, for the start-up warning (plugins' `gatsby-node`, `pathPrefix`, an unreadable icon). */
  readonly warnings: string[];
  /** Each `gatsby-source-filesystem` instance of the config, checked when the site is loaded. */
  readonly sources: readonly FilesystemSource[];
  private schemaPromise: Promise<SiteSchema> | undefined;
  private readonly results = new Map<string, Promise<Record<string, unknown>>>();
  private readonly transformed = new Map<string, { source: string; result: Promise<string | undefined> }>();

  private constructor(
    readonly root: string,
    readonly config: SiteConfig,
    private readonly pages: readonly SitePageNode[],
    private readonly publicFile: (file: string) => Promise<string>,
    private readonly buildTime: Date,
  ) {
    this.plugins = planPlugins(config);
    this.warnings = [...this.plugins.warnings];
    this.sources = filesystemSources(config, root);
    this.images = new ImagePlanner({ fromDir: root, cacheDir: imageCacheDir(root) });
  }

  /**
   * Reads the site's config and plans its plugins. `publicFile` adds a file to the build's served
   * files and gives its served name (`File.publicURL`).
   * @throws Error naming the config file when it cannot be read.
   */
  static async load(
    root: string,
    pagesFor: (trailingSlash: TrailingSlash) => readonly SitePageNode[],
    publicFile: (file: string) => Promise<string>,
    esbuild: typeof EsbuildApi,
  ): Promise<SiteBuild> {
    const config = await loadSiteConfig(root, esbuild);
    const site = new SiteBuild(root, config, pagesFor(config.trailingSlash), publicFile, new Date());
    if (config.pathPrefix !== "")
      site.warnings.push(
        `pathPrefix ${JSON.stringify(config.pathPrefix)} in ${config.file} is not used: pages are served under the path the middleware is mounted at (app.use("/prefix", …)), which is their prefix`,
      );
    site.manifest = await loadManifest(site.plugins.native.get("gatsby-plugin-manifest"), root, (message) =>
      site.warnings.push(message),
    );
    return site;
  }

  /**
   * The result of one query (a `graphql` template's text): run once per compile, however many files hold it.
   * @throws QueryError saying what is wrong with it (a type the site's sources do not provide).
   */
  query(text: string): Promise<Record<string, unknown>> {
    let result = this.results.get(text);
    if (!result) {
      result = this.schema().then(async (schema) => (await schema.run(text)).data);
      this.results.set(text, result);
    }
    return result;
  }

  /**
   * A source file's text with its queries and images filled in, made by `make` once per compile
   * (the server and the browser build both load the file), for the same text.
   */
  transformOnce(file: string, source: string, make: () => Promise<string | undefined>): Promise<string | undefined> {
    const known = this.transformed.get(file);
    if (known?.source === source) return known.result;
    const result = make();
    this.transformed.set(file, { source, result });
    return result;
  }

  /** gatsby-plugin-image's data for an image file (mount-relative URLs); its variants are recorded. */
  imageData(file: string, options: ImageOptions): Promise<GatsbyImageData> {
    return this.images.imageData(file, options);
  }

  /** Every image variant the compile named (images of `StaticImage`, queries, the manifest's icons). */
  variants(): Map<string, ImageVariant> {
    const all = new Map(this.images.variants());
    for (const icon of this.manifest?.variants ?? []) all.set(icon.name, icon);
    return all;
  }

  /** Files and folders the site's data came from (for the dev watcher): the config, the sources, the images. */
  watched(): string[] {
    const files = [...this.images.sources];
    files.push(...this.config.files);
    return files;
  }

  /** Folders whose new files change query results (each filesystem source's tree). */
  async watchedFolders(): Promise<string[]> {
    if (!this.schemaPromise) return this.sources.map((source) => source.path);
    const schema = await this.schemaPromise.catch(() => undefined);
    return [...new Set([...this.sources.map((source) => source.path), ...(schema?.watched ?? [])])];
  }

  private schema(): Promise<SiteSchema> {
    this.schemaPromise ??= createSiteSchema(
      {
        root: this.root,
        siteMetadata: this.config.siteMetadata,
        buildTime: this.buildTime,
        pathPrefix: this.config.pathPrefix,
        pages: this.pages,
        sources: this.sources,
        imageSharp: this.plugins.native.has("gatsby-transformer-sharp"),
      },
      {
        publicURL: async (file) => INTERNAL_PREFIX + (await this.publicFile(file)),
        imageData: (file, options) => this.images.imageData(file, options),
        imageInfo: (file) => this.images.imageInfo(file),
      },
    );
    return this.schemaPromise;
  }
}

/** Whether `error` is a query's own error (said to the file that holds the query). */
export function isQueryError(error: unknown): error is QueryError {
  return error instanceof QueryError;
}

/**
 * Each `gatsby-source-filesystem` instance of the config, its folder absolute.
 * @throws Error naming the config when an instance has no `path`.
 */
function filesystemSources(config: SiteConfig, root: string): FilesystemSource[] {
  return config.plugins
    .filter((plugin) => plugin.name === "gatsby-source-filesystem")
    .map((plugin) => {
      const { name, path: dir, ignore } = plugin.options as { name?: unknown; path?: unknown; ignore?: unknown };
      if (typeof dir !== "string" || dir === "")
        throw new Error(
          `${config.file}: gatsby-source-filesystem needs a path option (the folder whose files it gives)`,
        );
      return {
        name: typeof name === "string" ? name : "__PROGRAMMATIC__",
        path: path.resolve(root, dir),
        ignore: Array.isArray(ignore) ? ignore.filter((one): one is string => typeof one === "string") : [],
      };
    });
}
