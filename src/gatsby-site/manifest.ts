/**
 * `gatsby-plugin-manifest`, done natively: the web app manifest served at `<mount>/manifest.webmanifest`,
 * its icons made from the configured `icon` (square PNGs, on first request, like every image
 * variant), and the tags the plugin puts in every page's `<head>` (the manifest link, the favicon,
 * the theme colour, Apple's touch icons).
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { ImageVariant } from "./contracts.js";

/** The manifest's URL under the mount path. */
export const MANIFEST_PATH = "/manifest.webmanifest";

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
 * The manifest for the plugin's options, or `undefined` when the site does not use the plugin.
 * @throws Error naming the icon when it cannot be read.
 */
export async function loadManifest(options: Readonly<Record<string, unknown>> | undefined, root: string): Promise<SiteManifest | undefined> {
  if (options === undefined) return undefined;
  const { icon, icons: given, plugins: _plugins, include_favicon = true, legacy = true, theme_color_in_head = true, crossOrigin = "anonymous", cache_busting_mode: _mode, icon_options: _iconOptions, localize: _localize, ...fields } = options as Record<string, unknown>;
  const variants: ImageVariant[] = [];
  let icons: Array<{ src: string; sizes: string; type: string; purpose?: string }> = [];
  if (Array.isArray(given)) {
    icons = given as typeof icons;
  } else if (typeof icon === "string") {
    const source = path.resolve(root, icon);
    let bytes: Buffer;
    try {
      bytes = await readFile(source);
    } catch (error) {
      throw new Error(`gatsby-plugin-manifest: the icon ${icon} cannot be read (${(error as Error).message})`, { cause: error });
    }
    const sourceHash = createHash("sha256").update(bytes).digest("base64url").slice(0, 12);
    for (const size of DEFAULT_SIZES) {
      const name = `img/${sourceHash}-icon-${size}x${size}.png`;
      variants.push({ name, source, sourceHash, width: size, height: size, format: "png", quality: undefined, fit: "contain", position: undefined, transforms: {}, encoder: {} });
      icons.push({ src: `_ssr-pages/${name}`, sizes: `${size}x${size}`, type: "image/png" });
    }
  }
  const favicon = icons.find((one) => one.sizes === "48x48") ?? icons[0];
  const themeColor = typeof fields.theme_color === "string" ? fields.theme_color : undefined;
  const byBase = new Map<string, { json: string; head: string }>();
  const forBase = (base: string) => {
    let made = byBase.get(base);
    if (made) return made;
    const prefixed = (url: unknown) => (typeof url === "string" && url.startsWith("/") ? base + url : url);
    const manifest = { ...fields, start_url: prefixed(fields.start_url ?? "/"), ...(fields.scope === undefined ? {} : { scope: prefixed(fields.scope) }), icons };
    const link = (rel: string, href: string, extra = "") => `<link rel="${rel}" href="${escape(href)}"${extra}>`;
    const iconUrl = (src: string) => (src.startsWith("/") || /^[a-z]+:/i.test(src) ? prefixed(src) : `${base}/${src}`) as string;
    let head = "";
    if (include_favicon && favicon) head += link("icon", iconUrl(favicon.src), ` type="${escape(favicon.type)}"`);
    head += link("manifest", base + MANIFEST_PATH, crossOrigin ? ` crossorigin="${escape(String(crossOrigin))}"` : "");
    if (theme_color_in_head && themeColor) head += `<meta name="theme-color" content="${escape(themeColor)}">`;
    if (legacy) for (const one of icons) head += link("apple-touch-icon", iconUrl(one.src), ` sizes="${escape(one.sizes)}"`);
    made = { json: JSON.stringify(manifest), head };
    byBase.set(base, made);
    return made;
  };
  return { json: (base) => forBase(base).json, head: (base) => forBase(base).head, variants };
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}
