/**
 * Four defects a sweep of hostile requests found, each reproduced on every adapter:
 *   1. a signal first read after the client left never aborted until the timeout, which was then
 *      reported to onError as a 504;
 *   2. header values above U+007F went out UTF-8-encoded on GET and Latin-1 on HEAD;
 *   3. an upstream response's headers passed on (Content-Encoding, hop-by-hop headers) made the
 *      page unreadable, and a `Trailer` among them crashed an Express process;
 *   4. absolute-form request targets (`GET http://host/echo`) fell through to the host.
 */
import assert from "node:assert/strict";
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { before, describe, it } from "node:test";
import { MOUNT, targets, type MadeApp } from "./targets.js";
import {
  PAGES,
  collectErrors,
  disconnectingRequest,
  embedded,
  errorText,
  noUnhandledRejections,
  parseWire,
  pd,
  rawExchange,
  waitFor,
} from "./helpers.js";

/** Shorter than any test's patience, longer than a page that reads its signal 250 ms after the client left. */
const TIMEOUT = 600;

function abortLog(): Map<string, string> {
  const g = globalThis as unknown as Record<symbol, Map<string, string> | undefined>;
  return (g[Symbol.for("ssr-pages.conformance.aborts")] ??= new Map());
}

let seq = 0;
const uniqueId = (label: string): string => `${label}-${process.pid}-${++seq}`;

/** A GET or HEAD with `Connection: close`, written byte for byte. */
function head(method: string, target: string): string {
  return `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\nConnection: close\r\n\r\n`;
}

const HOP_BY_HOP = [
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "upgrade",
];

for (const target of targets) {
  for (const mount of [undefined, MOUNT]) {
    const prefix = mount ?? "";
    // Concurrent: most cases wait out a timeout, and each has a server and URL of its own.
    describe(`reliability [${target.label}]${mount ? ` mounted at ${mount}` : ""}`, { concurrency: true }, () => {
      let made: MadeApp;
      const errors = collectErrors();
      before(async () => {
        // Development mode where it can be: a build is production code (dev: true is refused with it).
        made = target.makeApp(PAGES, { dev: !target.fromBuild, onError: errors.onError, timeout: TIMEOUT }, mount);
        await made.ready;
      });

      const reportedFor = (path: string) => errors.calls.filter((call) => call.info.url.startsWith(path));

      // 1. The late-read signal.
      for (const kind of ["html", "page-data"] as const) {
        it(`a signal first read after the client left is already aborted, with the client's reason; no 504 reported (${kind})`, async () => {
          const id = uniqueId(`late-${kind}`);
          const query = `?late=250&id=${id}`;
          const url = prefix + (kind === "html" ? `/errors/late-signal${query}` : pd("/errors/late-signal", query));
          const conn = await disconnectingRequest(made.app, url, () => abortLog().get(id) === "arrived");
          try {
            await waitFor(
              () => abortLog().get(id)?.startsWith("aborted") === true,
              1500,
              `the page's read of its signal (${id})`,
            );
            assert.equal(abortLog().get(id), "aborted-at-read:ssr-pages: the client closed the connection");
            // Past the timeout: had the signal waited for it, the timeout would be reported now.
            await new Promise((resolve) => setTimeout(resolve, TIMEOUT + 150));
            assert.deepEqual(
              reportedFor("/errors/late-signal")
                .filter((call) => call.info.url.includes(id))
                .map((call) => errorText(call.error)),
              [],
            );
          } finally {
            await conn.close();
          }
          assert.deepEqual(made.hostErrors, []);
        });
      }

      it("a page that never reads its signal, whose client left: the timeout is not reported as a 504", async () => {
        const id = uniqueId("ignores");
        const conn = await disconnectingRequest(
          made.app,
          `${prefix}/errors/ignores-signal?id=${id}`,
          () => abortLog().get(id) === "arrived",
        );
        try {
          // The page's timeout timer started before this one: it has fired (and been handled, in
          // microtasks) by the time this one does, however late both run.
          await new Promise((resolve) => setTimeout(resolve, TIMEOUT + 200));
          assert.deepEqual(
            reportedFor(`/errors/ignores-signal?id=${id}`).map((call) => errorText(call.error)),
            [],
          );
        } finally {
          await conn.close();
        }
      });

      it("pipelined requests whose client left: the one still queued behind another aborts too, no 504 reported", async () => {
        const [first, second] = [uniqueId("pipelined-first"), uniqueId("pipelined-second")];
        const server = http.createServer(made.app);
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        try {
          const { port } = server.address() as AddressInfo;
          const socket = net.connect(port, "127.0.0.1");
          socket.on("error", () => undefined);
          // Node answers pipelined requests in order: the second's response has no socket while the first hangs.
          socket.write(
            head("GET", `${prefix}/errors/ignores-signal?id=${first}`).replace(
              "Connection: close",
              "Connection: keep-alive",
            ) + head("GET", `${prefix}/errors/late-signal?late=250&id=${second}`),
          );
          await waitFor(
            () => abortLog().get(first) === "arrived" && abortLog().get(second) === "arrived",
            5000,
            "both pipelined requests at their pages",
          );
          socket.destroy();
          await waitFor(
            () => abortLog().get(second)?.startsWith("aborted") === true,
            1500,
            "the queued request's read of its signal",
          );
          assert.equal(abortLog().get(second), "aborted-at-read:ssr-pages: the client closed the connection");
          await new Promise((resolve) => setTimeout(resolve, TIMEOUT + 150));
          assert.deepEqual(
            reportedFor("/errors/")
              .filter((call) => call.info.url.includes(first) || call.info.url.includes(second))
              .map((call) => errorText(call.error)),
            [],
          );
        } finally {
          server.closeAllConnections();
          await new Promise((resolve) => server.close(resolve));
        }
      });

      it("the same page with its client still there: 504, reported once", async () => {
        const res = await rawExchange(made.app, head("GET", `${prefix}/errors/ignores-signal?stays=1`));
        assert.equal(parseWire(res).status, 504);
        const reported = reportedFor("/errors/ignores-signal?stays=1");
        assert.equal(reported.length, 1);
        assert.match(errorText(reported[0]?.error), /did not finish within 600 ms/);
      });

      // 2. Header bytes.
      for (const path of ["/headers/latin1", pd("/headers/latin1")]) {
        it(`a header value within Latin-1 is the same bytes on GET and HEAD: one byte per character (${path})`, async () => {
          const get = parseWire(await rawExchange(made.app, head("GET", prefix + path)));
          const headOnly = parseWire(await rawExchange(made.app, head("HEAD", prefix + path)));
          for (const [method, res] of [
            ["GET", get],
            ["HEAD", headOnly],
          ] as const) {
            assert.equal(res.status, 200, method);
            assert.deepEqual(
              res.headers.get("x-latin1"),
              [Buffer.from([0x63, 0x61, 0x66, 0xe9])],
              `${method}: "café" as Latin-1`,
            );
            assert.deepEqual(res.headers.get("x-ascii"), [Buffer.from("plain")], method);
          }
          assert.equal(headOnly.body.length, 0);
          // The body is still UTF-8, and Content-Length counts its bytes.
          assert.equal(get.body.length, Number(get.headers.get("content-length")?.[0]?.toString()));
          assert.deepEqual(headOnly.headers.get("content-length"), get.headers.get("content-length"));
          if (!path.startsWith("/page-data"))
            assert.ok(get.body.includes(Buffer.from('<p id="latin1">caf\u00e9</p>', "utf8")), "body in UTF-8");
        });
      }

      it("a header value beyond Latin-1 is a 500 that names the page, the header and the character", async () => {
        const res = await rawExchange(made.app, head("GET", prefix + pd("/headers/beyond-latin1")));
        const wire = parseWire(res);
        assert.equal(wire.status, 500);
        assert.equal(wire.headers.get("x-snowman"), undefined);
        const body = JSON.parse(wire.body.toString("utf8")) as { message: string };
        if (target.fromBuild) {
          // A build is served in production: the body names nothing (errors.test.ts), onError does.
          assert.deepEqual(body, { error: "Internal Server Error" });
        } else {
          assert.match(body.message, /headers\/beyond-latin1\.tsx/);
          assert.match(body.message, /X-Snowman/);
          assert.match(body.message, /U\+2603/);
        }
        const reported = errors.calls.filter((call) => call.info.url.includes("/headers/beyond-latin1"));
        assert.equal(reported.length, 1);
        assert.equal(reported[0]?.info.page, "headers/beyond-latin1.tsx");
        assert.match(errorText(reported[0]?.error), /X-Snowman/);
        assert.match(errorText(reported[0]?.error), /U\+2603/);
      });

      // 3. Upstream headers.
      for (const path of ["/headers/upstream", pd("/headers/upstream")]) {
        it(`an upstream's Content-Encoding, framing and hop-by-hop headers never go out; its other headers do (${path})`, async () => {
          for (const method of ["GET", "HEAD"]) {
            const res = parseWire(await rawExchange(made.app, head(method, prefix + path)));
            assert.equal(res.status, 200, method);
            assert.equal(
              res.headers.get("content-encoding"),
              undefined,
              `${method}: no Content-Encoding: the body is ours, not gzip`,
            );
            assert.equal(res.headers.get("transfer-encoding"), undefined, method);
            for (const name of HOP_BY_HOP) assert.equal(res.headers.get(name), undefined, `${method}: ${name}`);
            // Node's own Connection answers the client's `close`, not the upstream's `keep-alive`.
            assert.deepEqual(res.headers.get("connection")?.map(String), ["close"], method);
            assert.deepEqual(res.headers.get("x-upstream-id")?.map(String), ["42"], method);
            assert.deepEqual(res.headers.get("cache-control")?.map(String), ["public, max-age=5"], method);
            assert.match(
              String(res.headers.get("content-type")?.[0]),
              path.startsWith("/page-data") ? /^application\/json/ : /^text\/html/,
              method,
            );
          }
        });
      }

      it("a page passing on upstream headers is readable by fetch, which decodes what Content-Encoding names", async () => {
        const server = http.createServer(made.app);
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        try {
          const { port } = server.address() as AddressInfo;
          const page = await fetch(`http://127.0.0.1:${port}${prefix}/headers/upstream`);
          assert.match(await page.text(), /<p id="upstream">passed on<\/p>/);
          const data = await fetch(`http://127.0.0.1:${port}${prefix}${pd("/headers/upstream")}`);
          assert.deepEqual(((await data.json()) as { result: unknown }).result, {
            serverData: { from: "upstream" },
            params: {},
          });
        } finally {
          server.closeAllConnections();
          await new Promise((resolve) => server.close(resolve));
        }
        assert.deepEqual(made.hostErrors, []);
      });

      // 4. Absolute-form targets.
      for (const authority of ["http://elsewhere.example", "https://127.0.0.1:PORT", "HTTP://ELSEWHERE.EXAMPLE:8080"]) {
        it(`an absolute-form target (${authority}/…) is served as its path, whatever host it names`, async () => {
          const page = parseWire(await rawExchange(made.app, head("GET", `${authority}${prefix}/echo?a=1`)));
          assert.equal(page.status, 200, page.body.toString().slice(0, 300));
          const data = embedded(page.body.toString("utf8"));
          assert.equal(data.base, prefix);
          assert.equal((data.pageData.result.serverData as { url: string }).url, "/echo?a=1");
          assert.equal(data.pageData.path, "/echo?a=1");

          const json = parseWire(
            await rawExchange(made.app, head("GET", `${authority}${prefix}${pd("/echo", "?a=2")}`)),
          );
          assert.equal(json.status, 200);
          const pageData = JSON.parse(json.body.toString("utf8")) as {
            path: string;
            module: string;
            result: { serverData: { url: string } };
          };
          assert.equal(pageData.result.serverData.url, "/echo?a=2");
          assert.ok(pageData.module.startsWith(`${prefix}/_ssr-pages/`), pageData.module);
        });
      }

      it("an absolute-form target with no path is the index page; one that names no page falls through", async () => {
        if (mount === undefined) {
          const index = parseWire(await rawExchange(made.app, head("GET", "http://elsewhere.example")));
          assert.equal(index.status, 200);
          assert.equal(embedded(index.body.toString("utf8")).pageData.componentChunkName, "index");
          const query = parseWire(await rawExchange(made.app, head("GET", "http://elsewhere.example?x=1")));
          assert.equal(query.status, 200);
          // The index page has no getServerData: from a build it is the page stored at build time,
          // the same for every query string, as Gatsby's (docs/deploying.md), so its path has no query.
          assert.equal(embedded(query.body.toString("utf8")).pageData.path, target.fromBuild ? "/" : "/?x=1");
          if (target.fromBuild) assert.equal(query.body.toString("utf8"), index.body.toString("utf8"));
        }
        const missing = parseWire(
          await rawExchange(made.app, head("GET", `http://elsewhere.example${prefix}/no-such-page`)),
        );
        assert.equal(missing.status, 404);
        assert.equal(missing.body.toString(), "host fallthrough");
        assert.deepEqual(made.hostErrors, []);
      });
    });
  }
}

noUnhandledRejections();
