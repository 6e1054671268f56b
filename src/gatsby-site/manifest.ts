/**
 * `gatsby-plugin-manifest`, done natively: the web app manifest served at `<mount>/manifest.webmanifest`,
 * its icons made from the configured `icon` (square PNGs, on first request, like every image
 * variant), and the tags the plugin puts in every page's `<head>` (the manifest link, the favicon,
 * the theme colour, Apple's touch icons). What the plugin's options come to, as plain data (a
 * production build writes it out); runtime/site-manifest.ts serves it.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { sourceHashOf } from "../images/source-hash.js";
import type { ImageVariant } from "./contracts.js";
import { INTERNAL_PREFIX } from "../common/urls.js";
import type { ManifestSpec } from "../runtime/site-manifest.js";

/** The icon sizes gatsby-plugin-manifest makes by default. */
const DEFAULT_SIZES = [48, 72, 96, 144, 192, 256, 384, 512];

/**
 * The manifest for the plugin's options, or `undefined` when the site does not use the plugin. An
 * icon that cannot be read leaves the manifest without icons, said through `warn`: the pages are
 * not held up for it.
 */
export async function loadManifest(
  options: Readonly<Record<string, unknown>> | undefined,
  root: string,
  warn: (message: string) => void,
): Promise<ManifestSpec | undefined> {
  if (options === undefined) return undefined;
  const {
    icon,
    icons: given,
    plugins: _plugins,
    include_favicon = true,
    legacy = true,
    theme_color_in_head = true,
    crossOrigin = "anonymous",
    cache_busting_mode: _mode,
    icon_options: _iconOptions,
    localize: _localize,
    ...fields
  } = options as Record<string, unknown>;
  const variants: ImageVariant[] = [];
  let icons: Array<{ src: string; sizes: string; type: string; purpose?: string }> = [];
  let favicon: { src: string; type: string } | undefined;
  if (Array.isArray(given)) {
    icons = given as typeof icons;
    favicon = icons[0];
  } else if (typeof icon === "string") {
    const source = path.resolve(root, icon);
    let bytes: Buffer | undefined;
    try {
      bytes = await readFile(source);
    } catch (error) {
      warn(
        `gatsby-plugin-manifest: the icon ${icon} cannot be read (${(error as Error).message}): the manifest has no icons`,
      );
    }
    if (bytes !== undefined) {
      const sourceHash = sourceHashOf(bytes);
      const variant = (size: number): ImageVariant => ({
        name: `img/${sourceHash}-icon-${size}x${size}.png`,
        source,
        sourceHash,
        width: size,
        height: size,
        format: "png",
        quality: undefined,
        fit: "contain",
        position: undefined,
        transforms: {},
        encoder: {},
      });
      for (const size of DEFAULT_SIZES) {
        const one = variant(size);
        variants.push(one);
        icons.push({ src: INTERNAL_PREFIX.slice(1) + one.name, sizes: `${size}x${size}`, type: "image/png" });
      }
      // Gatsby's favicon is a 32-pixel copy of its own, not one of the manifest's icons.
      const small = variant(32);
      variants.push(small);
      favicon = { src: INTERNAL_PREFIX.slice(1) + small.name, type: "image/png" };
    }
  }
  return {
    fields,
    icons,
    favicon: include_favicon ? favicon : undefined,
    crossOrigin: crossOrigin ? String(crossOrigin) : undefined,
    themeColorInHead: Boolean(theme_color_in_head),
    legacy: Boolean(legacy),
    variants,
  };
}
