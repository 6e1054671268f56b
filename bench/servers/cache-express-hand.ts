// A hand-written Express 5 route answering the document a hit sends, precomputed: what a hit is measured against.
import express from "express";
import { cachedDocument } from "../baseline/cached-document.js";
import { announce } from "../baseline/hand-written.js";

const body = await cachedDocument();
const app = express();
app.get("/products/:id", (_req, res) => {
  res.send(body);
});
const server = app.listen(0, "127.0.0.1", () => announce(server));
