/**
 * The Koa example, with the pages mounted under /shop: `npm run start:koa` serves it on
 * http://localhost:3001/shop/ (PORT respected). The same pages as the Express example, unchanged:
 * links, page-data URLs and redirects pick up the mount path at run time.
 */
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import Koa from "koa";
import mount from "koa-mount";
import { ssrMiddleware } from "ssr-pages/koa";

const pagesDir = fileURLToPath(new URL("../pages", import.meta.url));

/** Builds the app: the pages under /shop (with the 404 page for the rest of /shop), a host route at /. */
export function createApp() {
  const app = new Koa();
  const pages = ssrMiddleware(pagesDir);
  app.use(mount("/shop", pages));
  app.use(mount("/shop", pages.notFound));
  app.use(async (ctx, next) => {
    if (ctx.path !== "/") return next();
    ctx.redirect("/shop/");
  });
  return Object.assign(app, { ready: pages.ready });
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const app = createApp();
  const port = Number(process.env.PORT ?? 3001);
  await app.ready;
  app.listen(port, () => {
    console.log(`ssr-pages Koa example: http://localhost:${port}/shop/`);
  });
}
