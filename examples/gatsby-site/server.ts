// examples/gatsby-site/server.ts
/**
 * The Gatsby site example: `npm run start:gatsby` serves it on http://localhost:3003 (PORT respected).
 * A Gatsby site (its config, a static query, a page query, StaticImage and GatsbyImage, the
 * manifest) served by Express, unchanged.
 */
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import express from "express";
import { ssrMiddleware } from "ssr-pages/express";

const pagesDir = fileURLToPath(new URL("./src/pages", import.meta.url));

/** The app: the site's pages at the root. */
export function createApp(options: { dev?: boolean } = {}) {
  const app = express();
  const pages = ssrMiddleware(pagesDir, options);
  app.use(pages);
  return Object.assign(app, { ready: pages.ready, close: () => pages.close() });
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const app = createApp();
  const port = Number(process.env.PORT ?? 3003);
  await app.ready;
  app.listen(port, () => {
    console.log(`ssr-pages Gatsby site example: http://localhost:${port}/`);
  });
}
