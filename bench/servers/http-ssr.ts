// The core on bare node:http, through createRequestListener; from the production build in BUILD, if set.
import http from "node:http";
import { createRequestListener } from "ssr-pages/http";
import { announce } from "../baseline/hand-written.js";

const server = http.createServer(
  createRequestListener(process.env.PAGES_DIR as string, {
    onError: () => undefined,
    ...(process.env.BUILD ? { build: process.env.BUILD } : {}),
  }),
);
server.listen(0, "127.0.0.1", () => announce(server));
