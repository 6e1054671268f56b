// A hand-written Koa 3 + @koa/router route doing the same work (under MOUNT with koa-mount, if set).
import Router from "@koa/router";
import Koa from "koa";
import mount from "koa-mount";
import { announce, productDocument, productJson } from "../baseline/hand-written.js";

const app = new Koa();
const router = new Router();
router.get("/products/:id", (ctx) => {
  ctx.type = "html";
  ctx.body = productDocument(ctx.params.id as string);
});
router.get("/api/products/:id", (ctx) => {
  ctx.body = productJson(ctx.params.id as string);
});
app.use(process.env.MOUNT ? mount(process.env.MOUNT, router.routes()) : router.routes());
const server = app.listen(0, "127.0.0.1", () => announce(server));
