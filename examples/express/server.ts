/**
 * The Express example: `npm start` serves it on http://localhost:3000 (PORT respected).
 * The pages live in ../pages and are shared with the Koa example.
 */
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import express from "express";
import { ssrMiddleware } from "ssr-pages/express";

const pagesDir = fileURLToPath(new URL("../pages", import.meta.url));

/** Builds the app: the pages at the root, the host's own routes beside them, the 404 page last. */
export function createApp() {
  const app = express();
  const pages = ssrMiddleware(pagesDir);
  app.get("/health", (_req, res) => {
    res.json({ ok: true });
  });
  app.use(pages);
  app.use(pages.notFound);
  return Object.assign(app, { ready: pages.ready });
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const app = createApp();
  const port = Number(process.env.PORT ?? 3000);
  await app.ready;
  app.listen(port, () => {
    console.log(`ssr-pages Express example: http://localhost:${port}/`);
  });
}
