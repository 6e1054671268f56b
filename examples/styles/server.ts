// examples/styles/server.ts
/**
 * The styles example: `npm run start:styles` serves it on http://localhost:3002 (PORT respected).
 * Tailwind CSS through PostCSS, Sass, styled-components and emotion, with no setup of ssr-pages' own.
 */
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import express from "express";
import { ssrMiddleware } from "ssr-pages/express";

const pagesDir = fileURLToPath(new URL("./pages", import.meta.url));

/** The app: the pages at the root. */
export function createApp(options: { dev?: boolean } = {}) {
  const app = express();
  const pages = ssrMiddleware(pagesDir, options);
  app.use(pages);
  return Object.assign(app, { ready: pages.ready, close: () => pages.close() });
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const app = createApp();
  const port = Number(process.env.PORT ?? 3002);
  await app.ready;
  app.listen(port, () => {
    console.log(`ssr-pages styles example: http://localhost:${port}/`);
  });
}
