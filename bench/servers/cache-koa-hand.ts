// A hand-written Koa 3 + @koa/router route answering the document a hit sends, precomputed.
import Router from "@koa/router";
import Koa from "koa";
import { cachedDocument } from "../baseline/cached-document.js";
import { announce } from "../baseline/hand-written.js";

const body = await cachedDocument();
const app = new Koa();
const router = new Router();
router.get("/products/:id", (ctx) => {
  ctx.type = "html";
  ctx.body = body;
});
app.use(router.routes());
const server = app.listen(0, "127.0.0.1", () => announce(server));
