/**
 * The very document ssr-pages stores for the cached product page, rendered once through ssr-pages at
 * start-up: what the baselines of bench/cache.ts answer as their precomputed string, so a hit is
 * measured against the same bytes (the hand-written document of hand-written.ts is 11 % shorter,
 * which would count the page's own markup as the cache's cost).
 */
import { createSsrHandler } from "ssr-pages";

/** The body ssr-pages answers for `url` of the pages in `pagesDir` (in `PAGES_DIR` for the servers). */
export async function cachedDocument(pagesDir = process.env.PAGES_DIR as string, url = "/products/1"): Promise<string> {
  const handler = createSsrHandler(pagesDir, { dev: false, cache: false });
  const response = await handler.handle({ method: "GET", url, base: "", headers: {} });
  if (response?.status !== 200 || (typeof response.body === "object" && !Buffer.isBuffer(response.body)))
    throw new Error(`ssr-pages answered ${url} with ${response?.status}`);
  return response.body.toString();
}
