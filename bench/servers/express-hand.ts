// A hand-written Express 5 route doing the same work, the way the Express docs would.
import express from "express";
import { announce, productDocument, productJson } from "../baseline/hand-written.js";

const app = express();
app.get("/products/:id", (req, res) => {
  res.send(productDocument(req.params.id));
});
app.get("/api/products/:id", (req, res) => {
  res.json(productJson(req.params.id));
});
const server = app.listen(0, "127.0.0.1", () => announce(server));
