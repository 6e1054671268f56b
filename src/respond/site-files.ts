/**
 * What a Gatsby site's build layer serves besides pages: its image variants under
 * `<mount>/_ssr-pages/img/` (made on first request, then from the disk cache), gatsby-plugin-manifest's
 * `<mount>/manifest.webmanifest`, and Gatsby's trailing-slash redirect for its pages.
 */
import type { SsrResponse } from "../protocol.js";
import type { Build } from "../runtime/build.js";
import { SsrError } from "../errors.js";

import { IMMUTABLE } from "./asset.js";

import { withTrailingSlashRule } from "../common/urls.js";

export { MANIFEST_PATH } from "../common/urls.js";

/** An image variant's response, or `null` when `name` is not one. A variant that cannot be made is a 500 saying why. */
export function respondWithImage(name: string, build: Build): Promise<SsrResponse> | null {
  const images = build.images;
  if (images === undefined || !images.has(name)) return null;
  return images.get(name).then(
    ({ body, type }) => ({
      status: 200,
      defaultStatus: false,
      headers: { "content-type": type, "cache-control": IMMUTABLE, "x-content-type-options": "nosniff" },
      body: Buffer.from(body.buffer, body.byteOffset, body.byteLength),
    }),
    (error: unknown) => {
      throw new SsrError(500, `the image ${name} could not be made: ${(error as Error)?.message ?? String(error)}`, {
        cause: error,
      });
    },
  );
}

/** The manifest for pages mounted at `base`, or `null` when the site has none. */
export function respondWithManifest(build: Build, base: string): SsrResponse | null {
  const manifest = build.manifest;
  if (manifest === undefined) return null;
  return {
    status: 200,
    defaultStatus: false,
    headers: {
      "content-type": "application/manifest+json; charset=utf-8",
      "cache-control": "public, max-age=0, must-revalidate",
    },
    body: manifest.json(base),
  };
}

/**
 * Gatsby's redirect to the page's path as the site's `trailingSlash` rule writes it (`always`, its
 * default: `/about` → `/about/`; `never`: the other way), with the query kept. `null` when the path
 * is already so, the rule is `ignore`, the path is the root or names a file (`/a.txt`).
 */
export function trailingSlashRedirect(
  build: Build,
  pathname: string,
  search: string,
  base: string,
): SsrResponse | null {
  const target = withTrailingSlashRule(pathname, build.site?.trailingSlash);
  if (target === pathname) return null;
  return {
    status: 301,
    defaultStatus: false,
    headers: {
      location: base + target + search,
      "content-type": "text/plain; charset=utf-8",
      "cache-control": "public, max-age=0, must-revalidate",
    },
    body: "",
  };
}
