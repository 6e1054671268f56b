/**
 * gatsby-plugin-manifest's manifest, served: what its options came to at compile time
 * (gatsby-site/manifest.ts) as plain data, and the JSON and `<head>` tags made from it per mount path.
 * Apart from the compile so a production build can write the data out and a served build read it back.
 */
import { BoundedMap } from "../common/bounded-map.js";
import { escapeHtml } from "../common/html-escape.js";
import type { ImageVariant } from "../images/image-types.js";
import { MANIFEST_PATH } from "../common/urls.js";

/** The plugin's options, worked out: JSON-safe. */
export interface ManifestSpec {
  /** The manifest's own fields (`name`, `start_url`, `theme_color` …), as given. */
  fields: Record<string, unknown>;
  icons: Array<{ src: string; sizes: string; type: string; purpose?: string }>;
  /** The favicon linked in `<head>` (absent: `include_favicon` off, or no icon). */
  favicon: { src: string; type: string } | undefined;
  crossOrigin: string | undefined;
  themeColorInHead: boolean;
  /** Apple's touch icons in `<head>`. */
  legacy: boolean;
  /** The icons to make, as image variants. */
  variants: ImageVariant[];
}

/** What the site's manifest is, ready to serve. */
export interface SiteManifest {
  /** The manifest JSON for pages mounted at `base` (its `start_url` and `scope` carry the mount path). */
  json(base: string): string;
  /** The plugin's `<head>` tags (already HTML), with URLs under `base`. */
  head(base: string): string;
}

/** The served manifest of `spec`, each mount path's JSON and tags made once. */
export function siteManifest(spec: ManifestSpec): SiteManifest {
  const { fields, icons, favicon, crossOrigin, themeColorInHead, legacy } = spec;
  const themeColor = typeof fields.theme_color === "string" ? fields.theme_color : undefined;
  const byBase = new BoundedMap<string, { json: string; head: string }>();
  const forBase = (base: string) =>
    byBase.get(base, () => {
      // Paths from the root of the site carry the mount path; the icons' own are relative to the manifest, which is at the mount's root.
      const prefixed = (url: unknown) =>
        typeof url === "string" && url.startsWith("/") && !url.startsWith("//") ? base + url : url;
      const iconUrl = (src: string) =>
        String(src.startsWith("/") || /^[a-z][a-z0-9+.-]*:/i.test(src) ? prefixed(src) : `${base}/${src}`);
      const manifest = {
        ...fields,
        start_url: prefixed(fields.start_url ?? "/"),
        ...(fields.scope === undefined ? {} : { scope: prefixed(fields.scope) }),
        icons: icons.map((one) => ({ ...one, src: prefixed(one.src) })),
      };
      const link = (rel: string, href: string, extra = "") => `<link rel="${rel}" href="${escapeHtml(href)}"${extra}>`;
      let head = "";
      if (favicon) head += link("icon", iconUrl(favicon.src), ` type="${escapeHtml(favicon.type)}"`);
      head += link("manifest", base + MANIFEST_PATH, crossOrigin ? ` crossorigin="${escapeHtml(crossOrigin)}"` : "");
      if (themeColorInHead && themeColor) head += `<meta name="theme-color" content="${escapeHtml(themeColor)}">`;
      if (legacy)
        for (const one of icons)
          head += link("apple-touch-icon", iconUrl(one.src), ` sizes="${escapeHtml(one.sizes)}"`);
      return { json: JSON.stringify(manifest), head };
    });
  return { json: (base) => forBase(base).json, head: (base) => forBase(base).head };
}
