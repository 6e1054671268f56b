/**
 * `gatsby-plugin-manifest`, done natively: the web app manifest served at `<mount>/manifest.webmanifest`,
 * its icons made from the configured `icon` (square PNGs, on first request, like every image
 * variant), and the tags the plugin puts in every page's `<head>` (the manifest link, the favicon,
 * the theme colour, Apple's touch icons).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { BoundedMap } from "../common/bounded-map.js";
import { escapeHtml } from "../common/html-escape.js";
import { sourceHashOf } from "../images/source-hash.js";
import type { ImageVariant } from "./contracts.js";

import { INTERNAL_PREFIX, MANIFEST_PATH } from "../common/urls.js";

/** The icon sizes gatsby-plugin-manifest makes by default. */
const DEFAULT_SIZES = [48, 72, 96, 144, 192, 256, 384, 512];

/** What the site's manifest is, ready to serve. */
export interface SiteManifest {
  /** The manifest JSON for pages mounted at `base` (its `start_url` and `scope` carry the mount path). */
  json(base: string): string;
  /** The plugin's `<head>` tags (already HTML), with URLs under `base`. */
  head(base: string): string;
  /** The icons, made on first request. */
  variants: ImageVariant[];
}

/**
 * The manifest for the plugin's options, or `undefined` when the site does not use the plugin. An
 * icon that cannot be read leaves the manifest without icons, said through `warn`: the pages are
 * not held up for it.
 */
export async function loadManifest(options: Readonly<Record<string, unknown>> | undefined, root: string, warn: (message: string) => void): Promise<SiteManifest | undefined> {
  if (options === undefined) return undefined;
  const { icon, icons: given, plugins: _plugins, include_favicon = true, legacy = true, theme_color_in_head = true, crossOrigin = "anonymous", cache_busting_mode: _mode, icon_options: _iconOptions, localize: _localize, ...fields } = options as Record<string, unknown>;
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
      warn(`gatsby-plugin-manifest: the icon ${icon} cannot be read (${(error as Error).message}): the manifest has no icons`);
    }
    if (bytes !== undefined) {
      const sourceHash = sourceHashOf(bytes);
      const variant = (size: number): ImageVariant => ({ name: `img/${sourceHash}-icon-${size}x${size}.png`, source, sourceHash, width: size, height: size, format: "png", quality: undefined, fit: "contain", position: undefined, transforms: {}, encoder: {} });
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
  const themeColor = typeof fields.theme_color === "string" ? fields.theme_color : undefined;
  const byBase = new BoundedMap<string, { json: string; head: string }>();
  const forBase = (base: string) =>
    byBase.get(base, () => {
      // Paths from the root of the site carry the mount path; the icons' own are relative to the manifest, which is at the mount's root.
      const prefixed = (url: unknown) => (typeof url === "string" && url.startsWith("/") && !url.startsWith("//") ? base + url : url);
      const iconUrl = (src: string) => String(src.startsWith("/") || /^[a-z][a-z0-9+.-]*:/i.test(src) ? prefixed(src) : `${base}/${src}`);
      const manifest = { ...fields, start_url: prefixed(fields.start_url ?? "/"), ...(fields.scope === undefined ? {} : { scope: prefixed(fields.scope) }), icons: icons.map((one) => ({ ...one, src: prefixed(one.src) })) };
      const link = (rel: string, href: string, extra = "") => `<link rel="${rel}" href="${escapeHtml(href)}"${extra}>`;
      let head = "";
      if (include_favicon && favicon) head += link("icon", iconUrl(favicon.src), ` type="${escapeHtml(favicon.type)}"`);
      head += link("manifest", base + MANIFEST_PATH, crossOrigin ? ` crossorigin="${escapeHtml(String(crossOrigin))}"` : "");
      if (theme_color_in_head && themeColor) head += `<meta name="theme-color" content="${escapeHtml(themeColor)}">`;
      if (legacy) for (const one of icons) head += link("apple-touch-icon", iconUrl(one.src), ` sizes="${escapeHtml(one.sizes)}"`);
      return { json: JSON.stringify(manifest), head };
    });
  return { json: (base) => forBase(base).json, head: (base) => forBase(base).head, variants };
}
