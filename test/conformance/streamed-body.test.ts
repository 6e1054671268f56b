/**
 * Streamed bodies (a streamed page, streamed page data, the event stream: `SsrResponse.body` as a
 * `Readable` the core keeps writing into) on every host, with a stub core (stub-hosts.ts), also
 * behind Express's `compression()` and `koa-compress` (set to flush, as the README says): each chunk
 * goes out as it is written, with no `Content-Length`; a client that leaves destroys the body (so the
 * producer stops rendering); an error of the body cuts the response without crashing anything; HEAD
 * gets the head only, and the body is destroyed at once.
 */
import assert from "node:assert/strict";
import http, { type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import { PassThrough } from "node:stream";
import { describe, it } from "node:test";
import zlib from "node:zlib";
import type { SsrResponse } from "../../src/protocol.js";
import { noUnhandledRejections, waitFor } from "./helpers.js";
import { STUB_HOSTS, stubHost, type Compression, type StubHostName } from "./stub-hosts.js";

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A streamed HTML answer around `body` (compressible, so the compression in front takes it). */
function streamed(body: PassThrough): SsrResponse {
  return {
    status: 200,
    defaultStatus: false,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "private, no-store" },
    body,
  };
}

interface Served {
  port: number;
  close: () => Promise<void>;
}

async function serve(app: RequestListener): Promise<Served> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

interface Received {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Decoded text, and when each decoded chunk arrived (ms after the request). */
  chunks: Array<{ at: number; text: string }>;
  text: string;
  /** Whether the response ended normally (false: the connection was cut). */
  complete: boolean;
}

/**
 * A request over a real connection (asking for gzip when `gzip`), decoded as it comes. `onFirst`
 * runs at the first decoded chunk and may destroy the request (a client that leaves).
 */
function get(
  port: number,
  options: { method?: string; gzip?: boolean; onFirst?: (req: http.ClientRequest) => void } = {},
): Promise<Received> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const chunks: Array<{ at: number; text: string }> = [];
    const headers: Record<string, string> = options.gzip
      ? { "accept-encoding": "gzip" }
      : { "accept-encoding": "identity" };
    const req = http.request(
      { host: "127.0.0.1", port, path: "/page", method: options.method ?? "GET", headers, agent: false },
      (res) => {
        const decoded =
          res.headers["content-encoding"] === "gzip"
            ? res.pipe(zlib.createGunzip({ finishFlush: zlib.constants.Z_SYNC_FLUSH }))
            : res;
        const done = (): void =>
          resolve({
            status: res.statusCode as number,
            headers: res.headers,
            chunks,
            text: chunks.map((chunk) => chunk.text).join(""),
            complete: res.complete,
          });
        decoded.on("data", (chunk: Buffer) => {
          chunks.push({ at: performance.now() - started, text: chunk.toString("utf8") });
          if (chunks.length === 1) options.onFirst?.(req);
        });
        decoded.on("error", () => {});
        res.on("error", () => {});
        // Gunzip hands over its last bytes after the response closed; a cut stream never ends it.
        res.on("close", () => {
          if (decoded === res || decoded.readableEnded) return done();
          decoded.once("end", done);
          setTimeout(done, 100);
        });
      },
    );
    req.on("error", (error) => (options.onFirst ? undefined : reject(error)));
    req.on("close", () => {
      if (options.onFirst)
        resolve({ status: 0, headers: {}, chunks, text: chunks.map((chunk) => chunk.text).join(""), complete: false });
    });
    req.end();
  });
}

/** The hosts and compressions to run, with their test-title label. */
const cases: Array<{ name: StubHostName; compressing: Compression; label: string }> = STUB_HOSTS.flatMap(
  ({ name, compressions }) =>
    compressions.map((compressing) => ({
      name,
      compressing,
      label:
        compressing === "none"
          ? name
          : `${name} + ${compressing === "compression" ? "compression()" : "koa-compress (flush)"}`,
    })),
);

for (const { name, compressing, label } of cases) {
  const gzip = compressing !== "none";
  describe(`streamed body, ${label}`, () => {
    it("sends each chunk as it is written, with no Content-Length", async () => {
      const { app, hostErrors } = stubHost(
        name,
        () => {
          const body = new PassThrough();
          void (async () => {
            body.write("<p>first</p>");
            await sleep(300);
            body.write("<p>second</p>");
            await sleep(300);
            body.end("<p>third</p>");
          })();
          return streamed(body);
        },
        compressing,
      );
      const server = await serve(app);
      try {
        const got = await get(server.port, { gzip });
        assert.equal(got.status, 200);
        assert.equal(got.text, "<p>first</p><p>second</p><p>third</p>");
        assert.equal(got.complete, true);
        assert.equal(got.headers["content-length"], undefined);
        assert.equal(got.headers["transfer-encoding"], "chunked");
        if (gzip) assert.equal(got.headers["content-encoding"], "gzip", "the compression in front compressed it");
        const first = got.chunks[0]?.at ?? Infinity;
        const last = got.chunks.at(-1)?.at ?? 0;
        assert.ok(
          last - first >= 200,
          `first chunk at ${first.toFixed(0)} ms, last at ${last.toFixed(0)} ms: the first one was held`,
        );
        assert.ok(got.chunks[0]?.text.startsWith("<p>first</p>"));
        assert.deepEqual(hostErrors, []);
      } finally {
        await server.close();
      }
    });

    it("destroys the body within 100 ms of the client leaving, with no error", async () => {
      const body = new PassThrough();
      let written = 0;
      const { app, hostErrors } = stubHost(
        name,
        () => {
          body.write("<p>first</p>");
          // A producer that keeps rendering until its stream is destroyed.
          const timer = setInterval(() => {
            if (body.destroyed) return clearInterval(timer);
            body.write(`<p>${++written}</p>`);
          }, 20);
          return streamed(body);
        },
        compressing,
      );
      const server = await serve(app);
      try {
        let leftAt = 0;
        await get(server.port, {
          gzip,
          onFirst: (req) => {
            leftAt = performance.now();
            req.destroy();
          },
        });
        await waitFor(() => body.destroyed, 1000, "the body to be destroyed");
        const took = performance.now() - leftAt;
        assert.ok(took <= 100, `destroyed ${took.toFixed(0)} ms after the client left`);
        await sleep(100);
        // A client leaving is no error: Koa would report a premature close; Express's next(err) too.
        assert.deepEqual(hostErrors, []);
      } finally {
        await server.close();
      }
    });

    it("cuts the response when the body errors, and keeps serving", async () => {
      let n = 0;
      const { app, hostErrors } = stubHost(
        name,
        () => {
          const body = new PassThrough();
          if (++n === 1) {
            body.write("<p>first</p>");
            setTimeout(() => body.destroy(new Error("render failed")), 100);
          } else body.end("<p>again</p>");
          return streamed(body);
        },
        compressing,
      );
      const server = await serve(app);
      try {
        const cut = await Promise.race([get(server.port, { gzip }), sleep(3000).then(() => undefined)]);
        assert.ok(cut, "the response was left hanging");
        assert.equal(cut.complete, false, "an errored stream must not look like a whole page");
        assert.equal(cut.text, "<p>first</p>");
        const again = await get(server.port, { gzip });
        assert.equal(again.text, "<p>again</p>");
        // Koa reports the stream's error to app.on("error") (the real one, not a premature close);
        // the Node bridge cuts the connection itself, with nothing for the host to handle.
        // (Koa reports it once from its pipe and again from its on-finished watch of the socket.)
        if (name.startsWith("koa")) {
          assert.ok(hostErrors.length > 0, "Koa reports the stream's error");
          for (const error of hostErrors) assert.equal(String(error), "Error: render failed");
        } else assert.deepEqual(hostErrors, []);
      } finally {
        await server.close();
      }
    });

    it("answers HEAD with the head only and destroys the body at once", async () => {
      const body = new PassThrough();
      const { app, hostErrors } = stubHost(
        name,
        () => {
          body.write("<p>first</p>");
          return streamed(body);
        },
        compressing,
      );
      const server = await serve(app);
      try {
        const got = await get(server.port, { method: "HEAD", gzip });
        assert.equal(got.status, 200);
        assert.equal(got.headers["content-type"], "text/html; charset=utf-8");
        assert.equal(got.text, "");
        await waitFor(() => body.destroyed, 100, "the body to be destroyed");
        assert.deepEqual(hostErrors, []);
      } finally {
        await server.close();
      }
    });
  });
}

noUnhandledRejections();
