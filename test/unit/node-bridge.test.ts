import assert from "node:assert/strict";
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import express from "express";
import Koa from "koa";
import request from "supertest";
import { ssrMiddleware as expressMiddleware } from "../../adapters/express.js";
import { createRequestListener } from "../../adapters/http.js";
import { writeNodeResponse } from "../../adapters/node.js";
import { ssrMiddleware as koaMiddleware } from "../../adapters/koa.js";
import { createSsrHandler } from "../../src/index.js";

const pagesDir = path.join(import.meta.dirname, "fixtures", "bridge-pages");
const seen = ((globalThis as { __bridgeSeen?: { aborted: number } }).__bridgeSeen ??= { aborted: 0 });
const reported: unknown[] = [];
const onError = (error: unknown) => void reported.push(error);
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);

/**
 * Each framework with a host middleware in front that can set a status or answer by itself. Every page
 * compiled at start (`watch: false`): a page whose client leaves must be running already, not waiting
 * for the dev loop's compile of its first request.
 */
const frameworks = {
  http() {
    const pages = createRequestListener(pagesDir, { onError, watch: false });
    const listener: http.RequestListener = (req, res) => {
      const hostStatus = new URL(req.url ?? "/", "http://x").searchParams.get("hostStatus");
      if (hostStatus) res.statusCode = Number(hostStatus);
      pages(req, res);
    };
    return { listener, ready: pages.ready };
  },
  express() {
    const app = express();
    const pages = expressMiddleware(pagesDir, { onError, watch: false });
    app.use((req, res, next) => {
      if (req.query.hostStatus) res.status(Number(req.query.hostStatus));
      if (req.query.hostEnds) setTimeout(() => res.status(503).end("host answered"), Number(req.query.hostEnds));
      next();
    });
    app.use(pages);
    return { listener: app as http.RequestListener, ready: pages.ready };
  },
  koa() {
    const app = new Koa();
    const pages = koaMiddleware(pagesDir, { onError, watch: false });
    app.use(async (ctx, next) => {
      if (ctx.query.hostStatus) ctx.status = Number(ctx.query.hostStatus);
      await next();
    });
    app.use(pages);
    return { listener: app.callback(), ready: pages.ready };
  },
};

before(() => process.on("unhandledRejection", onUnhandled));
after(() => {
  process.off("unhandledRejection", onUnhandled);
  assert.deepEqual(unhandled, [], "no unhandled rejection");
});

describe("adapter options", () => {
  it("the core answers a loaded page with a synchronous getServerData without a promise, as handle() does", async () => {
    const handler = createSsrHandler(pagesDir, { onError, client: false });
    const request = { method: "GET", url: "/cookies", base: "", headers: {} };
    const first = handler.answer(request);
    assert.ok(first instanceof Promise, "before the compile ends, it must wait");
    const viaHandle = await handler.handle(request);
    const now = handler.answer(request);
    assert.ok(now !== null && !(now instanceof Promise), "once loaded: the response itself");
    assert.equal(now.status, 200);
    assert.equal(String(now.body), String(viaHandle?.body));
    assert.equal(String((await first)?.body), String(now.body));
  });

  it("every adapter refuses a locals option that is not a function, when it is created", () => {
    assert.throws(
      () => expressMiddleware(pagesDir, { locals: 5 as never }),
      (error: unknown) => error instanceof TypeError && /\(req, res\) => value/.test(error.message),
    );
    assert.throws(
      () => koaMiddleware(pagesDir, { locals: 5 as never }),
      (error: unknown) => error instanceof TypeError && /\(ctx\) => value/.test(error.message),
    );
    assert.throws(
      () => createRequestListener(pagesDir, { locals: "x" as never }),
      (error: unknown) => error instanceof TypeError && /\(req\) => value/.test(error.message),
    );
  });
});

for (const [name, make] of Object.entries(frameworks)) {
  describe(`Node bridge rules [${name}]`, () => {
    const { listener, ready } = make();
    let server: http.Server;
    let port: number;
    before(async () => {
      await ready;
      server = http.createServer(listener).listen(0, "127.0.0.1");
      await once(server, "listening");
      port = (server.address() as AddressInfo).port;
    });
    after(() => server.close());

    it("aborts the request's signal when the client goes away, and reports nothing", async () => {
      const before = seen.aborted;
      const errorsBefore = reported.length;
      const req = http.get({ host: "127.0.0.1", port, path: "/wait?ms=5000" });
      req.on("error", () => undefined);
      await new Promise((resolve) => setTimeout(resolve, 150));
      req.destroy();
      for (let i = 0; i < 50 && seen.aborted === before; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(seen.aborted, before + 1);
      assert.equal(reported.length, errorsBefore);
      await request(server).get("/plain").expect(200); // still serving
    });

    it("does not report a page that rethrows the abort after the client left", async () => {
      const errorsBefore = reported.length;
      const req = http.get({ host: "127.0.0.1", port, path: "/fetcher" });
      req.on("error", () => undefined);
      await new Promise((resolve) => setTimeout(resolve, 150));
      req.destroy();
      await new Promise((resolve) => setTimeout(resolve, 150));
      assert.equal(reported.length, errorsBefore);
    });

    it("sends neither a body nor a Content-Length with a 204", async () => {
      const response = await request(server).get("/no-content").expect(204);
      assert.equal(response.headers["content-length"], undefined);
      assert.equal(response.text, "");
    });

    it("sends each Set-Cookie as its own header", async () => {
      const response = await request(server).get("/cookies").expect(200);
      assert.deepEqual(response.headers["set-cookie"], ["a=1; Path=/", "b=2; Path=/"]);
    });

    it("keeps a status the host set when the page chose none", async () => {
      await request(server).get("/plain?hostStatus=418").expect(418);
      await request(server).get("/plain").expect(200);
    });

    it("shows development stacks at the page's own lines", async () => {
      const response = await request(server).get("/page-data/throws/page-data.json").expect(500);
      // (The shared server bundle may suffix a clashing function name: getServerData4.)
      assert.match(response.body.stack, /at getServerData\d* \(.*throws\.tsx:5:9\)/);
    });

    if (name === "http") {
      it("answers a plain 500 when the app's locals hook throws, and keeps serving", async () => {
        const listener = createRequestListener(pagesDir, {
          onError,
          locals: () => {
            throw new Error("locals hook failed");
          },
        });
        await listener.ready;
        const failing = http.createServer(listener);
        const response = await request(failing).get("/plain").expect(500);
        assert.equal(response.text, "Internal Server Error");
        await request(server).get("/plain").expect(200);
      });

      it("answers a plain 404 for what is not a page or not GET/HEAD, with no next to call", async () => {
        const response = await request(server).get("/not-a-page").expect(404);
        assert.equal(response.text, "Not Found");
        await request(server).post("/plain").expect(404);
      });
    }

    if (name === "express") {
      it("never writes to a response the host already ended", async () => {
        const response = await request(server).get("/wait?ms=150&hostEnds=30");
        assert.equal(response.status, 503);
        assert.equal(response.text, "host answered");
        await new Promise((resolve) => setTimeout(resolve, 200)); // let the page finish and try to answer
        await request(server).get("/plain").expect(200);
      });
    }
  });
}

describe("writeNodeResponse", () => {
  it("takes its headers off again when Node refuses the head, so the host's own error answer goes out clean", async () => {
    const server = http.createServer((req, res) => {
      res.setHeader("x-host", "kept"); // the host's headers make Node merge ours into them
      try {
        // A header the core would never let through: Node refuses a Trailer without chunked encoding.
        writeNodeResponse(req, res, {
          status: 200,
          defaultStatus: false,
          headers: { trailer: "x-sum", "x-page": "1" },
          body: "page",
        });
      } catch (error) {
        res.statusCode = 500;
        res.end(`host error handler: ${(error as { code?: string }).code}`);
      }
    });
    const response = await request(server).get("/").expect(500);
    assert.equal(response.text, "host error handler: ERR_HTTP_TRAILER_INVALID");
    assert.equal(response.headers["trailer"], undefined);
    assert.equal(response.headers["x-page"], undefined);
    assert.equal(response.headers["x-host"], "kept");
  });
});

describe("Koa under a sub-path with basePath (no koa-mount)", () => {
  const app = new Koa();
  app.use(koaMiddleware(pagesDir, { onError, basePath: "/shop" }));
  app.use((ctx) => {
    ctx.body = `fell through: ${ctx.path}`;
  });
  const listener = app.callback();

  it("serves pages, page data and links under the prefix, and passes everything else on", async () => {
    const page = await request(listener).get("/shop/plain").expect(200);
    assert.match(page.text, /"base":"\/shop"/);
    const data = await request(listener).get("/shop/page-data/plain/page-data.json").expect(200);
    assert.equal((data.body as { path: string }).path, "/plain");
    assert.equal((await request(listener).get("/plain").expect(200)).text, "fell through: /plain");
    assert.equal((await request(listener).get("/shopping").expect(200)).text, "fell through: /shopping");
  });
});
