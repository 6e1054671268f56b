// The HTTP ceiling for a hit: node:http answering the page's document, computed once.
import http from "node:http";
import { announce, productDocument } from "../baseline/hand-written.js";

const body = productDocument("1");
const server = http.createServer((_req, res) => {
  res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-length": Buffer.byteLength(body) });
  res.end(body);
});
server.listen(0, "127.0.0.1", () => announce(server));
