// A hand-written Express 5 route answering a precomputed document: what a hit is measured against.
import express from "express";
import { announce, productDocument } from "../baseline/hand-written.js";

const body = productDocument("1");
const app = express();
app.get("/products/:id", (_req, res) => {
  res.send(body);
});
const server = app.listen(0, "127.0.0.1", () => announce(server));
