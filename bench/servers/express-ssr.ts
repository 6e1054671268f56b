// ssrMiddleware in Express 5, at the root or under MOUNT; from the production build in BUILD, if set.
import express from "express";
import { ssrMiddleware } from "ssr-pages/express";
import { announce } from "../baseline/hand-written.js";

const app = express();
const pages = ssrMiddleware(process.env.PAGES_DIR as string, {
  onError: () => undefined,
  ...(process.env.BUILD ? { build: process.env.BUILD } : {}),
});
if (process.env.MOUNT) app.use(process.env.MOUNT, pages);
else app.use(pages);
const server = app.listen(0, "127.0.0.1", () => announce(server));
