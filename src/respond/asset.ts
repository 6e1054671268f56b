import type { SsrResponse } from "../http.js";
import type { BrowserAssets } from "../pages/compile.js";

const TYPES: Record<string, string> = {
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  map: "application/json; charset=utf-8",
};

/**
 * Serves a browser asset from memory. Every file name carries a content hash, so it may be cached
 * for a year. `null` for a name the build did not produce.
 */
export function respondWithAsset(name: string, browser: BrowserAssets | undefined): SsrResponse | null {
  const body = browser?.assets.get(name);
  if (body === undefined) return null;
  const type = TYPES[name.slice(name.lastIndexOf(".") + 1)] ?? "application/octet-stream";
  return {
    status: 200,
    defaultStatus: false,
    headers: { "content-type": type, "cache-control": "public, max-age=31536000, immutable", "x-content-type-options": "nosniff" },
    body,
  };
}
