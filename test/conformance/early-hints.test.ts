/**
 * 103 Early Hints through the Node bridge, on every host: the core calls `request.earlyHints(links)`
 * before it waits for `getServerData`; the adapter sends one `103` with those `Link` values before
 * the response, never to an HTTP/1.0 client, never after the head went out, never twice, and never
 * throws. A stub core (stub-hosts.ts) plays the page: it calls `earlyHints`, then answers 100 ms later.
 */
import assert from "node:assert/strict";
import http, { type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import { PassThrough } from "node:stream";
import { describe, it } from "node:test";
import type { SsrRequest, SsrResponse } from "../../src/protocol.js";
import { noUnhandledRejections, rawExchange } from "./helpers.js";
import { STUB_HOSTS, stubHost, type StubAnswer } from "./stub-hosts.js";

const LINK = "</a.js>; rel=modulepreload";

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function text(body: SsrResponse["body"]): SsrResponse {
  return { status: 200, defaultStatus: false, headers: { "content-type": "text/plain; charset=utf-8" }, body };
}

/** A page whose data takes 100 ms: the hints go out first, as the core sends them. */
function slowPage(hint: (request: SsrRequest) => void): StubAnswer {
  return async (request) => {
    hint(request);
    await sleep(100);
    return text("done");
  };
}

interface Exchange {
  hints: http.IncomingHttpHeaders[];
  status: number;
  body: string;
  /** The order the client saw things in. */
  events: string[];
}

/** A GET with node:http, recording each informational response and when the response came. */
async function exchange(app: RequestListener, path = "/"): Promise<Exchange> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  try {
    return await new Promise<Exchange>((resolve, reject) => {
      const hints: http.IncomingHttpHeaders[] = [];
      const events: string[] = [];
      const req = http.request({ host: "127.0.0.1", port, path, agent: false }, (res) => {
        events.push("response");
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ hints, status: res.statusCode as number, body, events }));
      });
      req.on("information", (info) => {
        events.push(`information ${info.statusCode}`);
        hints.push(info.headers);
      });
      req.on("error", reject);
      req.end();
    });
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

for (const { name } of STUB_HOSTS) {
  describe(`103 Early Hints, ${name}`, () => {
    it("sends one 103 with the links before the response", async () => {
      const { app, hostErrors } = stubHost(
        name,
        slowPage((request) => request.earlyHints?.([LINK, "</a.css>; rel=preload; as=style"])),
      );
      const got = await exchange(app);
      assert.equal(got.status, 200);
      assert.equal(got.body, "done");
      assert.deepEqual(got.events, ["information 103", "response"]);
      assert.equal(got.hints[0]?.["link"], `${LINK}, </a.css>; rel=preload; as=style`);
      assert.deepEqual(hostErrors, []);
    });

    it("sends it at most once", async () => {
      const { app } = stubHost(
        name,
        slowPage((request) => {
          request.earlyHints?.([LINK]);
          request.earlyHints?.(["</b.js>; rel=modulepreload"]);
        }),
      );
      const got = await exchange(app);
      assert.deepEqual(got.events, ["information 103", "response"]);
      assert.equal(got.hints[0]?.["link"], LINK);
    });

    it("sends nothing to an HTTP/1.0 client", async () => {
      const { app } = stubHost(
        name,
        slowPage((request) => request.earlyHints?.([LINK])),
      );
      const bytes = (await rawExchange(app, "GET / HTTP/1.0\r\nHost: localhost\r\n\r\n")).toString("latin1");
      assert.match(bytes, /^HTTP\/1\.[01] 200 /);
      assert.doesNotMatch(bytes, /103/);
      assert.match(bytes, /done$/);
    });

    it("sends nothing for HEAD", async () => {
      const { app } = stubHost(
        name,
        slowPage((request) => request.earlyHints?.([LINK])),
      );
      const bytes = (
        await rawExchange(app, "HEAD / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
      ).toString("latin1");
      assert.match(bytes, /^HTTP\/1\.1 200 /);
      assert.doesNotMatch(bytes, /103/);
    });

    it("sends nothing once the head went out", async () => {
      const body = new PassThrough();
      let request: SsrRequest | undefined;
      const { app } = stubHost(name, (req) => {
        request = req;
        // The first chunk goes out (with the head), then the page asks for hints: too late.
        setTimeout(() => {
          request?.earlyHints?.([LINK]);
          body.end("second");
        }, 100);
        body.write("first ");
        return text(body);
      });
      const got = await exchange(app);
      assert.deepEqual(got.events, ["response"]);
      assert.equal(got.body, "first second");
    });

    it("never throws for a Link value Node refuses", async () => {
      let threw: unknown;
      const { app } = stubHost(
        name,
        slowPage((request) => {
          try {
            request.earlyHints?.(["not a link\r\nx-injected: 1"]);
          } catch (error) {
            threw = error;
          }
        }),
      );
      const got = await exchange(app);
      assert.equal(threw, undefined);
      assert.equal(got.status, 200);
      assert.deepEqual(got.events, ["response"]);
    });
  });
}

noUnhandledRejections();
