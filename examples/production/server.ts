// examples/production/server.ts
/**
 * A production server that starts from a build: `npm run build:example` writes examples/.ssr-pages
 * (what CI would do), then `node --import tsx examples/production/server.ts` serves it. Nothing is
 * compiled here: the first request is answered as soon as the process has loaded its modules.
 */
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import express from "express";
import { ssrMiddleware } from "ssr-pages/express";

const pagesDir = fileURLToPath(new URL("../pages", import.meta.url));
const buildDir = process.env.BUILD_DIR ?? fileURLToPath(new URL("../.ssr-pages", import.meta.url));

/** The app: the pages served from their build (refused at start if it is not a complete build of these pages). */
export function createApp(build = buildDir) {
  const app = express();
  const pages = ssrMiddleware(pagesDir, { build });
  app.get("/health", (_req, res) => {
    res.json({ ok: true });
  });
  app.use(pages);
  app.use(pages.notFound);
  return app;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const port = Number(process.env.PORT ?? 3000);
  createApp().listen(port, () => {
    console.log(`ssr-pages production example: http://localhost:${port}/`);
  });
}
