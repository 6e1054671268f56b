/**
 * A compile's Gatsby site, around the compile itself: read before the builds (its config, warnings
 * said once per process, its styling plugins' options for the style transform), and what the
 * request path keeps of it after them (its trailing-slash rule, the manifest, the image variants).
 */
import path from "node:path";
import type { SiteParts } from "../runtime/build-parts.js";
import { imageCacheDir, SiteBuild } from "../gatsby-site/site-build.js";
import { warnOnce } from "../common/warn-once.js";
import { sitePageNodes } from "../gatsby-site/site-pages.js";
import type { ParsedPage } from "../routes/parse-file.js";
import type { CompileContext } from "./compile-context.js";
import type { SassSiteOptions } from "./sass.js";
import type { SiteStyleOptions } from "./style-transform.js";

/** A Gatsby site the pages belong to, as the compile is given it: its root, its routes for `allSitePage`, its own API files. */
export interface SiteInput {
  root: string;
  pages: readonly ParsedPage[];
  notFound: string | undefined;
  /** The site's `gatsby-ssr` and `gatsby-browser`, absolute. */
  ssr: string | undefined;
  browser: string | undefined;
}

/** What the request path needs of a Gatsby site's build layer (the runtime's own shape). */
export type SiteOutput = SiteParts;

/** Reads a Gatsby site's config (and warns, once per process, about what of it is not done). @throws Error naming the config file. */
export async function loadSite(site: SiteInput, context: CompileContext): Promise<SiteBuild> {
  const { root, pages, notFound } = site;
  const loaded = await SiteBuild.load(
    root,
    (rule) => sitePageNodes(pages, notFound, context.pagesDir, root, rule),
    (file) => context.assets.add(file),
    context.esbuild,
  );
  for (const warning of loaded.warnings) warnOnce(`ssr-pages: ${warning}`);
  return loaded;
}

/** `gatsby-plugin-sass`'s and `gatsby-plugin-postcss`'s options, as the style transform takes them. */
export function siteStyleOptions(site: SiteBuild): SiteStyleOptions {
  const sass = site.plugins.native.get("gatsby-plugin-sass") as SassSiteOptions | undefined;
  const postcss = site.plugins.native.get("gatsby-plugin-postcss") as { postCssPlugins?: unknown } | undefined;
  // Sass's load paths are relative to the site's root (Gatsby's working directory).
  const { includePaths, loadPaths, ...sassOptions } = (sass?.sassOptions ?? {}) as {
    includePaths?: unknown;
    loadPaths?: unknown;
  };
  const paths = [loadPaths, includePaths]
    .flatMap((list) => (Array.isArray(list) ? list : []))
    .map((one) => path.resolve(site.root, String(one)));
  return {
    sass: sass && {
      additionalData: sass.additionalData,
      sassOptions: paths.length > 0 ? { ...sassOptions, loadPaths: paths } : sassOptions,
    },
    postcssPlugins: Array.isArray(postcss?.postCssPlugins) ? postcss.postCssPlugins : undefined,
  };
}

/** What the request path needs of the compile's site. */
export function siteOutput(site: SiteBuild): SiteOutput {
  const variants = site.variants();
  return {
    root: site.root,
    cacheDir: imageCacheDir(site.root),
    trailingSlash: site.config.trailingSlash,
    variants,
    manifest: site.manifest,
    usesImages: variants.size > 0 || site.plugins.native.has("gatsby-plugin-image"),
  };
}
