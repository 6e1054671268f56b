/**
 * Streaming on every host: deferred props (resolved, rejected, still pending at the timeout, a client
 * that leaves mid-stream), pages that suspend (`use()`, `React.lazy`), rich props both ways, crawlers,
 * the response cache, and plain pages still answered from one string render.
 */
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { parse } from "devalue";
import request from "supertest";
import {
  collectErrors,
  embedded,
  errorText,
  fixture,
  noUnhandledRejections,
  pd,
  rootHtml,
  unhandledRejections,
  waitFor,
} from "./helpers.js";
import { openGate, streamLog } from "../fixtures/streaming/_parts.js";
import { MOUNT, targets, type MadeApp } from "./targets.js";

const PAGES = fixture("streaming");
/** A browser's User-Agent: crawlers, and clients isbot counts among them (a bare "node", "curl"), get whole documents. */
const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/** A GET over a real connection: when each chunk arrived (ms after the request), and the whole text. */
async function timed(
  origin: string,
  path: string,
  headers: Record<string, string> = {},
  onFirstChunk?: () => void,
): Promise<{ status: number; headers: Headers; chunks: Array<{ at: number; text: string }>; text: string }> {
  const started = performance.now();
  const response = await fetch(origin + path, { headers: { "user-agent": CHROME, ...headers } });
  const chunks: Array<{ at: number; text: string }> = [];
  const decoder = new TextDecoder();
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    chunks.push({ at: performance.now() - started, text: decoder.decode(read.value, { stream: true }) });
    if (chunks.length === 1) onFirstChunk?.();
  }
  return {
    status: response.status,
    headers: response.headers,
    chunks,
    text: chunks.map((chunk) => chunk.text).join(""),
  };
}

/**
 * A request of the deferred page whose reviews wait behind the gate `name` (`gate=<name>` in the query
 * `request` is given), which opens when the first chunk has come: what that chunk holds was sent while
 * the value was pending, however busy the machine. Should no chunk come before the value (a server
 * that waits for it), the gate opens after 5 s anyway, so the response ends and the test can say so.
 */
async function gated<T>(name: string, request: (query: string, onFirstChunk: () => void) => Promise<T>): Promise<T> {
  const timer = setTimeout(() => openGate(name), 5_000);
  try {
    return await request(`gate=${encodeURIComponent(name)}`, () => openGate(name));
  } finally {
    clearTimeout(timer);
  }
}

/** A GET with node:http, recording its informational responses (103) and when each part came. */
function informational(
  origin: string,
  path: string,
): Promise<{ hints: http.IncomingHttpHeaders[]; status: number; at: { hint?: number; response?: number } }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const hints: http.IncomingHttpHeaders[] = [];
    const at: { hint?: number; response?: number } = {};
    const req = http.get(origin + path, { headers: { "user-agent": CHROME } }, (res) => {
      at.response = performance.now() - started;
      res.resume();
      res.on("end", () => resolve({ hints, status: res.statusCode as number, at }));
    });
    req.on("information", (info) => {
      if (info.statusCode !== 103) return;
      at.hint ??= performance.now() - started;
      hints.push(info.headers);
    });
    req.on("error", reject);
  });
}

/** Serves `app` on a free loopback port. */
async function serve(app: http.RequestListener): Promise<{ server: http.Server; origin: string }> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Inline scripts that would run (neither a data block nor an external one): a strict CSP would block each. */
function executableInlineScripts(html: string): string[] {
  return [...html.matchAll(/<script\b([^>]*)>/g)]
    .map((match) => match[1] as string)
    .filter((attributes) => !/\btype="application\/json"/.test(attributes) && !/\bsrc=/.test(attributes));
}

for (const target of targets) {
  describe(`streaming [${target.label}]`, () => {
    const errors = collectErrors();
    let made: MadeApp;
    let server: http.Server;
    let origin: string;
    before(async () => {
      made = target.makeApp(PAGES, { dev: false, timeout: 600, onError: errors.onError });
      await made.ready;
      ({ server, origin } = await serve(made.app));
      // A first visit and navigation load the page's modules and warm its render, so that the cases
      // that still time (a 103 before the response, the timeout) measure those, not a cold start,
      // which beside the Chromium lane held a first chunk for 206 and 315 ms on two runs of 2026-12-07.
      for (const url of ["/deferred?wait=0", pd("/deferred", "?wait=0")]) await (await fetch(origin + url)).text();
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("sends the page with its fallback at once, then the deferred content into the same response", async () => {
      const res = await gated(`${target.label}: html`, (query, onFirstChunk) =>
        timed(origin, `/deferred?${query}`, {}, onFirstChunk),
      );
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-length"), null);
      const first = res.chunks[0] as { at: number; text: string };
      assert.ok(
        first.text.includes('<h1 id="title">Deferred</h1>') && first.text.includes("loading reviews"),
        first.text.slice(0, 300),
      );
      // Sent while the reviews were pending: their gate opens only once this chunk has come.
      assert.ok(!first.text.includes("great"), "the first chunk waited for the deferred value");
      assert.ok(res.chunks.length > 1, "the deferred content came in a later chunk");
      assert.ok(res.text.endsWith("</body></html>"));
      // The reviews, rendered on the server, in a hidden segment React's (rewritten) instruction moves in.
      assert.match(
        res.text,
        /<div hidden id="S:0"><ul id="reviews"><li>good<\/li><li>great &lt;\/script&gt;&lt;!-- \u2028<\/li><\/ul><\/div>/,
      );
      assert.match(res.text, /<script type="application\/json" data-ssr-pages-react="RC">\["B:0","S:0"\]<\/script>/);
      assert.deepEqual(executableInlineScripts(res.text), [], "no inline script a strict CSP would block");
      // The value, for hydration: devalue's text, never closing the script early.
      const value = /<script type="application\/json" data-ssr-pages-value="1">([^<]*)<\/script>/.exec(
        res.text,
      )?.[1] as string;
      assert.deepEqual(parse(value), ["good", "great </script><!-- \u2028"]);
      assert.match(
        res.text,
        /<script type="module" async src="[^"]+"><\/script>/,
        "the entry loads async: hydration starts before the end",
      );
    });

    it("sends 103 Early Hints with the page's scripts and stylesheets before getServerData answers", async () => {
      const { hints, status, at } = await informational(origin, "/slow?wait=300");
      assert.equal(status, 200);
      assert.equal(hints.length, 1, "one 103");
      const links = String(hints[0]?.link).split(/,\s*/);
      assert.ok(
        links.some((link) => /^<\/_ssr-pages\/entry-[^>]+\.js>; rel=modulepreload$/.test(link)),
        links.join(" | "),
      );
      assert.ok(
        links.some((link) => /^<\/_ssr-pages\/p\d+-[^>]+\.js>; rel=modulepreload$/.test(link)),
        "the page's module",
      );
      assert.ok(
        links.some((link) => /^<\/_ssr-pages\/framework-[^>]+\.js>; rel=modulepreload$/.test(link)),
        "the framework file (React)",
      );
      assert.ok(
        (at.hint as number) < (at.response as number) - 100,
        `103 after ${at.hint?.toFixed(0)} ms, 200 after ${at.response?.toFixed(0)} ms`,
      );
      // A page that does not wait has nothing to hint while it waits; page data never.
      assert.equal((await informational(origin, "/plain")).hints.length, 0);
      assert.equal((await informational(origin, pd("/slow", "?wait=10"))).hints.length, 0);
    });

    it("sends no 103 with earlyHints: false", async () => {
      const quiet = target.makeApp(PAGES, { dev: false, onError: errors.onError, extra: { earlyHints: false } });
      await quiet.ready;
      const { server: other, origin: at } = await serve(quiet.app);
      try {
        assert.equal((await informational(at, "/slow?wait=50")).hints.length, 0);
      } finally {
        other.close();
      }
    });

    it("gives a crawler the whole document at once: the content inline, no fallback, no instruction", async () => {
      const res = await request(made.app)
        .get("/deferred?wait=100")
        .set("user-agent", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)");
      assert.equal(res.status, 200);
      assert.match(rootHtml(res.text), /<!--\$--><ul id="reviews"><li>good<\/li>/);
      assert.ok(!res.text.includes("loading reviews") && !res.text.includes("data-ssr-pages-react"), res.text);
    });

    it("streams the page data of a client navigation: the envelope first, each value on its own line", async () => {
      const res = await gated(`${target.label}: page data`, (query, onFirstChunk) =>
        timed(origin, pd("/deferred", `?${query}`), {}, onFirstChunk),
      );
      assert.equal(res.status, 200);
      assert.match(res.headers.get("content-type") ?? "", /^application\/x-ndjson/);
      // The envelope, sent while the reviews were pending: their gate opens only once it has come.
      assert.ok(!(res.chunks[0] as { text: string }).text.includes("great"), "the envelope waited for the value");
      const [head, value, end] = res.text.split("\n");
      const envelope = JSON.parse(head as string) as { result: { serverData: unknown; serverDataFormat: string } };
      assert.equal(envelope.result.serverDataFormat, "devalue");
      assert.deepEqual(JSON.parse(value as string), {
        id: 1,
        value: JSON.parse(JSON.stringify(JSON.parse(value as string).value)),
      });
      assert.deepEqual(parse(JSON.stringify(JSON.parse(value as string).value)), [
        "good",
        "great </script><!-- \u2028",
      ]);
      assert.equal(end, "");
    });

    it("leaves a rejected deferred value to the nearest error boundary, reports it, and keeps the response whole", async () => {
      errors.calls.length = 0;
      const res = await request(made.app).get("/rejected").set("user-agent", CHROME);
      assert.equal(res.status, 200);
      assert.ok(res.text.endsWith("</body></html>"));
      assert.match(res.text, /data-ssr-pages-react="RX"/, "the boundary is rendered in the browser");
      assert.match(
        res.text,
        /<script type="application\/json" data-ssr-pages-value="1" data-ssr-pages-failed="">"A deferred value of this page failed on the server\."<\/script>/,
      );
      assert.ok(!res.text.includes("reviews service down"), "production: no message");
      await waitFor(
        () => errors.calls.some((call) => errorText(call.error).includes("reviews service down")),
        2000,
        "onError",
      );
      const json = await request(made.app).get(pd("/rejected")).set("user-agent", CHROME);
      assert.match(json.text, /\{"id":1,"error":"A deferred value of this page failed on the server\."\}/);
    });

    it("ends a response whose deferred value is still pending at the timeout, and says so", async () => {
      errors.calls.length = 0;
      const started = performance.now();
      const id = `timeout-${target.label}`;
      const res = await request(made.app)
        .get(`/pending?id=${encodeURIComponent(id)}`)
        .set("user-agent", CHROME);
      const took = performance.now() - started;
      assert.equal(res.status, 200);
      assert.ok(took >= 550 && took < 600 + 700, `${took.toFixed(0)} ms`);
      assert.ok(res.text.endsWith("</body></html>"));
      assert.match(res.text, /data-ssr-pages-value="1" data-ssr-pages-failed=""/);
      assert.ok(errors.calls.some((call) => /timeout/.test(errorText(call.error))));
      assert.ok(streamLog().includes(`${id} aborted: Error`), "context.signal aborted at the timeout");
    });

    it("stops the render of a client that leaves mid-stream, aborts context.signal, and keeps serving", async () => {
      const id = `left-${target.label}`;
      const controller = new AbortController();
      const response = await fetch(`${origin}/pending?id=${encodeURIComponent(id)}`, {
        signal: controller.signal,
        headers: { "user-agent": CHROME },
      });
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      await reader.read();
      controller.abort();
      await reader.read().catch(() => undefined);
      await waitFor(() => streamLog().includes(`${id} aborted: AbortError`), 1000, "the signal's abort");
      const next = await request(made.app).get("/plain");
      assert.equal(next.status, 200);
    });

    it("streams a page that suspends without deferred props: React.lazy and use() of its own promise", async () => {
      const lazy = await request(made.app).get("/lazy");
      assert.equal(lazy.status, 200);
      assert.match(lazy.text, /<p id="lazy">loaded lazily<\/p>/);
      const uses = await request(made.app).get(`/uses?q=${Math.random()}`);
      // A build rendered this static page whole at build time (for any query string, as Gatsby serves its static pages).
      assert.match(
        uses.text,
        target.fromBuild ? /<!--\$--><blockquote id="quote">quote for none</ : /<blockquote id="quote">quote for \?q=/,
      );
    });

    it("renders a boundary that completes later with the render's own process.env and mount path", async () => {
      process.env.STREAM_SECRET = "s3cret";
      try {
        const res = await timed(origin, "/scoped");
        assert.ok(!res.text.includes("s3cret"), "no server secret in the HTML");
        assert.match(res.text, /<p id="late">later<!-- --> secret=<!-- -->hidden<!-- --> link=<!-- -->\/x<\/p>/);
        // getServerData runs with the real environment (a build's server reads it at run time too).
        assert.match(res.text, /<p id="server">getServerData sees it<\/p>/);
        assert.equal(process.env.STREAM_SECRET, "s3cret", "the real environment outside renders");
      } finally {
        delete process.env.STREAM_SECRET;
      }
    });

    // On every host: the mount reaches the core another way behind each (koa-router's basePath). A
    // build for /shop is made once for the suite (builds.ts) and shared with the mounting cases.
    it("gives a streamed boundary the mount path it is served under", async () => {
      const mounted = target.makeApp(PAGES, { dev: false, onError: errors.onError }, MOUNT);
      await mounted.ready;
      const res = await request(mounted.app).get(`${MOUNT}/scoped`).set("user-agent", CHROME);
      assert.match(res.text, /link=<!-- -->\/shop\/x<\/p>/);
    });

    it("carries rich props to the browser as the server rendered them, in the HTML and the page data", async () => {
      const res = await request(made.app).get("/rich");
      assert.equal(res.status, 200);
      assert.equal(rootHtml(res.text), '<p id="rich">111111111</p>');
      const pageData = embedded(res.text).pageData as { result: { serverData: unknown; serverDataFormat?: string } };
      assert.equal(pageData.result.serverDataFormat, "devalue");
      const back = parse(JSON.stringify(pageData.result.serverData), {
        O: (v: unknown) => v,
        J: ([v]: [unknown]) => v,
      }) as Record<string, unknown>;
      assert.ok(
        back.when instanceof Date &&
          back.tags instanceof Set &&
          back.prices instanceof Map &&
          back.pattern instanceof RegExp &&
          back.link instanceof URL,
      );
      assert.equal(back.first, back.second);
      const json = await request(made.app).get(pd("/rich"));
      assert.match(json.headers["content-type"] as string, /^application\/json/);
      assert.deepEqual((json.body as { result: unknown }).result, pageData.result);
    });

    it("still answers 500 naming the key of what nothing can carry", async () => {
      errors.calls.length = 0;
      const res = await request(made.app).get("/carries-not");
      assert.equal(res.status, 500);
      assert.ok(errors.calls.some((call) => /a function at props\.items\[0\]\.format/.test(errorText(call.error))));
    });

    it("answers 500 for a page whose Head throws while its shell is written, and never leaves it hanging", async () => {
      const started = performance.now();
      const res = await request(made.app).get("/head-throws").set("user-agent", CHROME);
      assert.equal(res.status, 500);
      assert.ok(performance.now() - started < 550, "well before the timeout");
    });

    it("handles the rejections of promises among props it never sends: a redirect's, and beside a value nothing carries", async () => {
      assert.equal((await request(made.app).get("/unsent?redirect=1").set("user-agent", CHROME)).status, 302);
      assert.equal((await request(made.app).get("/unsent").set("user-agent", CHROME)).status, 500);
      await new Promise((resolve) => setTimeout(resolve, 30));
      assert.deepEqual(unhandledRejections().map(String), []);
    });

    it("never stores a page with a failed deferred value, nor one carrying a request's nonce", async () => {
      const failed = await request(made.app).get("/rejected?cache=1").set("user-agent", CHROME);
      assert.equal(failed.headers["x-ssr-pages-cache"], "MISS");
      assert.match(rootHtml(failed.text), /<!--\$!-->/, "rendered whole, the boundary left to the browser");
      assert.equal(
        (await request(made.app).get("/rejected?cache=1").set("user-agent", CHROME)).headers["x-ssr-pages-cache"],
        "MISS",
      );
      const nonced = target.makeApp(PAGES, {
        dev: false,
        onError: errors.onError,
        extra: { nonce: (headers: Record<string, string>) => headers["x-nonce"] },
      });
      await nonced.ready;
      const first = await request(nonced.app)
        .get("/deferred?wait=10&cache=1")
        .set("user-agent", CHROME)
        .set("x-nonce", "one");
      assert.match(first.text, /<script type="module" async src="[^"]+" nonce="one">/);
      const second = await request(nonced.app)
        .get("/deferred?wait=10&cache=1")
        .set("user-agent", CHROME)
        .set("x-nonce", "two");
      assert.equal(second.headers["x-ssr-pages-cache"], "MISS");
      assert.ok(second.text.includes('nonce="two"') && !second.text.includes('nonce="one"'));
    });

    it("answers a page that does not wait from one string render, with its length", async () => {
      const res = await request(made.app).get("/plain");
      assert.equal(res.status, 200);
      assert.ok(res.headers["content-length"] !== undefined);
      assert.equal(rootHtml(res.text), '<p id="plain">plain <!-- -->1</p>');
    });

    it("stores a cacheable streamed page once complete, and serves the stored bytes", async () => {
      const first = await request(made.app).get("/deferred?wait=50&cache=1").set("user-agent", CHROME);
      assert.equal(first.headers["x-ssr-pages-cache"], "MISS");
      assert.match(rootHtml(first.text), /<!--\$--><ul id="reviews">/, "the fill renders whole");
      const second = await request(made.app).get("/deferred?wait=50&cache=1");
      assert.equal(second.headers["x-ssr-pages-cache"], "HIT");
      assert.equal(second.text, first.text);
    });
  });
}

noUnhandledRejections();
