// A Gatsby site served by Express 5 with ssrMiddleware(PAGES_DIR, { dev: false }), at the root or
// under MOUNT, as examples/gatsby-site/server.ts serves its site. Compiled by bench/gatsby-site/build.ts
// into the bench's servers folder and run as plain JavaScript (NODE_ENV=production), as a user's app is.
// Prints `READY <port>` once listening (requests wait for the compile), then `TIMING {…}` once `ready`
// resolved: milliseconds since the process began (Node's own start-up before `importedMs`).
import express from "express";
import { ssrMiddleware } from "ssr-pages/express";

const importedMs = performance.now();
const app = express();
const pages = ssrMiddleware(process.env.PAGES_DIR as string, {
  dev: false,
  onError: (error, info) =>
    console.error(
      `ssr-pages error (${info.phase ?? "?"} ${info.page ?? ""}): ${error instanceof Error ? error.message : String(error)}`,
    ),
});
if (process.env.MOUNT) app.use(process.env.MOUNT, pages);
else app.use(pages);
const server = app.listen(0, "127.0.0.1", () => {
  process.once("SIGTERM", () => process.exit(0));
  console.log(`READY ${(server.address() as { port: number }).port}`);
});
pages.ready.then(
  () => console.log(`TIMING ${JSON.stringify({ importedMs, readyMs: performance.now() })}`),
  (error: unknown) => console.error(`ready rejected: ${error instanceof Error ? error.message : String(error)}`),
);
