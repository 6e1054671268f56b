// examples/docs/koa-server.ts
/**
 * Koa 3 with koa-compress, the pages under /shop through `basePath`: streamed pages go out compressed,
 * chunk by chunk. `node --import tsx examples/docs/koa-server.ts`, then open
 * http://localhost:3005/shop/product?id=2 (PORT respected).
 */
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import zlib from "node:zlib";
import Koa from "koa";
import compress from "koa-compress";
import { ssrMiddleware } from "ssr-pages/koa";

const pagesDir = fileURLToPath(new URL("../streaming/pages", import.meta.url));

export function createApp() {
  const app = new Koa();
  // Without these flushes, koa-compress holds a streamed page until it has 16 KiB of output, or the end.
  app.use(
    compress({
      gzip: { flush: zlib.constants.Z_SYNC_FLUSH },
      deflate: { flush: zlib.constants.Z_SYNC_FLUSH },
      br: { flush: zlib.constants.BROTLI_OPERATION_FLUSH },
    }),
  );
  const pages = ssrMiddleware(pagesDir, { basePath: "/shop" }); // no koa-mount needed
  app.use(pages);
  return Object.assign(app, { pages });
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const app = createApp();
  const port = Number(process.env.PORT ?? 3005);
  await app.pages.ready;
  app.listen(port, () => {
    console.log(`ssr-pages Koa example: http://localhost:${port}/shop/product?id=2`);
  });
}
