// ssrMiddleware in Koa 3: at the root, under MOUNT with koa-mount, or under BASE_PATH with its own option.
import Koa from "koa";
import mount from "koa-mount";
import { ssrMiddleware } from "ssr-pages/koa";
import { announce } from "../baseline/hand-written.js";

const app = new Koa();
const pages = ssrMiddleware(process.env.PAGES_DIR as string, {
  onError: () => undefined,
  basePath: process.env.BASE_PATH,
});
app.use(process.env.MOUNT ? mount(process.env.MOUNT, pages) : pages);
const server = app.listen(0, "127.0.0.1", () => announce(server));
