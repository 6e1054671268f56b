// The HTTP ceiling for a hit: node:http answering the very document a hit sends, computed once, as
// a string (the ceiling: Node encodes it on every answer) or, with BYTES=1, as its bytes
// (the stricter one: nothing left to do but write).
import http from "node:http";
import { cachedDocument } from "../baseline/cached-document.js";
import { announce } from "../baseline/hand-written.js";

const text = await cachedDocument();
const body = process.env.BYTES === "1" ? Buffer.from(text) : text;
const server = http.createServer((_req, res) => {
  res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-length": Buffer.byteLength(body) });
  res.end(body);
});
server.listen(0, "127.0.0.1", () => announce(server));
