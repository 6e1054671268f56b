// The HTTP ceiling for a page served from a file: node:http answering the bytes of FILE, read once
// (with Content-Encoding: ENCODING when set: the precompressed copy a build sends), nothing else.
import { readFileSync } from "node:fs";
import http from "node:http";
import { announce } from "../baseline/hand-written.js";

const body = readFileSync(process.env.FILE as string);
const headers: Record<string, string | number> = {
  "content-type": "text/html; charset=utf-8",
  "content-length": body.byteLength,
};
if (process.env.ENCODING) headers["content-encoding"] = process.env.ENCODING;
const server = http.createServer((_req, res) => {
  res.writeHead(200, headers);
  res.end(body);
});
server.listen(0, "127.0.0.1", () => announce(server));
