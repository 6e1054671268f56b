// examples/docs/server.ts
/**
 * The app the guides in docs/ quote: the pages mounted under /shop, a host route beside them, a
 * route that invalidates the cached product list, and the 404 page for the rest of /shop.
 * `node --import tsx examples/docs/server.ts`, then open http://localhost:3004/shop/ (PORT respected).
 */
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import express from "express";
import { ssrMiddleware } from "ssr-pages/express";

const pagesDir = fileURLToPath(new URL("./pages", import.meta.url));

export function createApp(options: { dev?: boolean } = {}) {
  const app = express();
  const pages = ssrMiddleware(pagesDir, options);
  app.get("/health", (_req, res) => {
    res.json({ ok: true });
  });
  // The products changed: the next request for a page tagged "products" runs getServerData again.
  app.post("/admin/products-changed", async (_req, res) => {
    await pages.cache.invalidate({ tags: ["products"] });
    res.status(204).end();
  });
  app.use("/shop", pages); // links, page data and asset URLs carry /shop, read per request
  app.use("/shop", pages.notFound); // the 404 page for the rest of /shop, inside _app's layout
  return Object.assign(app, { pages });
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const app = createApp();
  const port = Number(process.env.PORT ?? 3004);
  await app.pages.ready;
  app.listen(port, () => {
    console.log(`ssr-pages docs example: http://localhost:${port}/shop/`);
  });
}
