// The limit: node:http and renderToString, no framework, no routing library.
import http from "node:http";
import { announce, productDocument, productJson } from "../baseline/hand-written.js";

const HTML = /^\/products\/([^/?]+)\/?(?:\?|$)/;
const JSON_URL = /^\/api\/products\/([^/?]+)\/?(?:\?|$)/;

const server = http.createServer((req, res) => {
  const url = req.url ?? "/";
  let match = HTML.exec(url);
  if (match) {
    const body = productDocument(match[1] as string);
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-length": Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  match = JSON_URL.exec(url);
  if (match) {
    const body = JSON.stringify(productJson(match[1] as string));
    res.writeHead(200, {
      "content-type": "application/json; charset=utf-8",
      "content-length": Buffer.byteLength(body),
    });
    res.end(body);
    return;
  }
  res.writeHead(404).end();
});
server.listen(0, "127.0.0.1", () => announce(server));
