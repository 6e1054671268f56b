// examples/streaming/server.ts
/**
 * A streamed page under a strict Content-Security-Policy: no inline script runs, none is needed.
 * `node --import tsx examples/streaming/server.ts`, then open http://localhost:3000/product?id=2.
 */
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import express from "express";
import { ssrMiddleware } from "ssr-pages/express";

const pagesDir = fileURLToPath(new URL("./pages", import.meta.url));

/** The app: a strict CSP on every response, then the pages. */
export function createApp() {
  const app = express();
  app.use((_req, res, next) => {
    res.setHeader(
      "Content-Security-Policy",
      "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'",
    );
    next();
  });
  const pages = ssrMiddleware(pagesDir);
  app.use(pages);
  return Object.assign(app, { pages });
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const port = Number(process.env.PORT ?? 3000);
  createApp().listen(port, () => console.log(`ssr-pages streaming example: http://localhost:${port}/product?id=2`));
}
