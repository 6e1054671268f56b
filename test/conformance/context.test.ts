/** What getServerData receives: headers, method, url, query, params, locals, signal. */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import request from "supertest";
import { targets, type MadeApp } from "./targets.js";
import {
  PAGES,
  disconnectingRequest,
  embedded,
  noUnhandledRejections,
  pd,
  rootHtml,
  unhandledRejections,
  waitFor,
} from "./helpers.js";

interface Echo {
  method: string;
  url: string;
  query: Record<string, string | string[]>;
  queryEntries: [string, string | string[]][];
  queryInheritsFromObject: boolean;
  params: Record<string, string>;
  headers: Record<string, string>;
  headersInheritsFromObject: boolean;
  headersKeys: string[];
  headersJson: string;
  getUserAgent: string | null;
  getCustomMixedCase: string | null;
  getMissing: string | null;
  locals: unknown;
  signalIsAbortSignal: boolean;
  signalAborted: boolean;
  objectPrototypePolluted: boolean;
}

function abortLog(): Map<string, string> {
  const g = globalThis as unknown as Record<symbol, Map<string, string> | undefined>;
  return (g[Symbol.for("ssr-pages.conformance.aborts")] ??= new Map());
}

let seq = 0;
const uniqueId = (label: string): string => `${label}-${process.pid}-${++seq}`;

for (const target of targets) {
  describe(`getServerData context [${target.label}]`, () => {
    let made: MadeApp;
    before(async () => {
      // A long timeout, so the client-disconnect test cannot be satisfied by the timeout instead.
      // Development mode where it can be: a build is production code (dev: true is refused with it).
      made = target.makeApp(PAGES, { dev: !target.fromBuild, onError: () => {}, timeout: 5000 });
      await made.ready;
    });

    async function echoHtml(url: string, headers: Record<string, string> = {}): Promise<Echo> {
      let req = request(made.app).get(url);
      for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
      const res = await req;
      assert.equal(res.status, 200, res.text.slice(0, 500));
      return embedded(res.text).pageData.result.serverData as Echo;
    }

    async function echoJson(url: string, headers: Record<string, string> = {}): Promise<Echo> {
      let req = request(made.app).get(url);
      for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
      const res = await req;
      assert.equal(res.status, 200, res.text.slice(0, 500));
      return (res.body as { result: { serverData: Echo } }).result.serverData;
    }

    it("method is GET, url is the path and query, params empty for a static page", async () => {
      const e = await echoHtml("/echo?a=1&b=x%20y");
      assert.equal(e.method, "GET");
      assert.equal(e.url, "/echo?a=1&b=x%20y");
      assert.deepEqual(e.params, {});
      assert.deepEqual(e.query, { a: "1", b: "x y" });
    });

    it("for a page-data request, url is the PAGE url, not the JSON url", async () => {
      const e = await echoJson(pd("/echo", "?a=1&b=2"));
      assert.equal(e.url, "/echo?a=1&b=2");
      assert.equal(e.method, "GET");
      assert.deepEqual(e.query, { a: "1", b: "2" });
    });

    it("url without a query has no '?'", async () => {
      assert.equal((await echoHtml("/echo")).url, "/echo");
      assert.equal((await echoJson(pd("/echo"))).url, "/echo");
    });

    it("query: repeated keys give arrays in request order, values are decoded, nothing inherited", async () => {
      const e = await echoJson(pd("/echo", "?tag=b&tag=a&tag=c&one=1&plus=a+b&enc=caf%C3%A9&empty="));
      assert.deepEqual(e.query, { tag: ["b", "a", "c"], one: "1", plus: "a b", enc: "café", empty: "" });
      assert.equal(e.queryInheritsFromObject, false);
    });

    it("query is the same for HTML and page-data", async () => {
      const q = "?x=1&x=2&y=%26";
      const a = await echoHtml(`/echo${q}`);
      const b = await echoJson(pd("/echo", q));
      assert.deepEqual(a.query, b.query);
      assert.deepEqual(a.query, { x: ["1", "2"], y: "&" });
    });

    it("query: __proto__ / constructor / toString are ordinary keys and pollute nothing", async () => {
      const e = await echoJson(pd("/echo", "?__proto__=1&constructor=2&toString=3&hasOwnProperty=4&polluted=5"));
      assert.deepEqual(
        new Map(e.queryEntries),
        new Map([
          ["__proto__", "1"],
          ["constructor", "2"],
          ["toString", "3"],
          ["hasOwnProperty", "4"],
          ["polluted", "5"],
        ]),
      );
      assert.equal(e.objectPrototypePolluted, false);
      assert.equal(({} as Record<string, unknown>)["polluted"], undefined);
    });

    it("headers: lower-case names, plain enumerable object, JSON.stringify shows them, nothing inherited from Object", async () => {
      const e = await echoHtml("/echo", { "X-Custom-Header": "Hello", "User-Agent": "conformance-agent/1.0" });
      assert.equal(e.headers["x-custom-header"], "Hello");
      assert.equal(e.headers["user-agent"], "conformance-agent/1.0");
      assert.equal(e.headersInheritsFromObject, false);
      for (const k of e.headersKeys) assert.equal(k, k.toLowerCase(), `header name ${k} is lower-case`);
      assert.ok(e.headersKeys.includes("x-custom-header"));
      assert.equal(e.headersKeys.includes("get"), false, "get is not enumerable");
      const parsed = JSON.parse(e.headersJson) as Record<string, string>;
      assert.equal(parsed["x-custom-header"], "Hello");
      assert.equal(parsed["user-agent"], "conformance-agent/1.0");
      assert.equal("get" in parsed, false);
    });

    it("headers.get(name) is case-insensitive; missing header gives nothing", async () => {
      const e = await echoJson(pd("/echo"), { "x-custom-header": "v1", "User-Agent": "ua-test" });
      assert.equal(e.getUserAgent, "ua-test");
      assert.equal(e.getCustomMixedCase, "v1");
      assert.equal(e.getMissing, null);
    });

    it("page using headers.get('user-agent') and headers['user-agent'] renders the UA", async () => {
      const res = await request(made.app).get("/ua").set("User-Agent", "Agent <007>");
      assert.equal(res.status, 200);
      assert.equal(rootHtml(res.text), '<p id="ua">Agent &lt;007&gt;</p>');
      const data = embedded(res.text).pageData.result.serverData as { ua: string; plain: string; all: string };
      assert.equal(data.ua, "Agent <007>");
      assert.equal(data.plain, "Agent <007>");
      assert.equal((JSON.parse(data.all) as Record<string, string>)["user-agent"], "Agent <007>");
    });

    it("params of a dynamic page are decoded and equal in HTML and page-data", async () => {
      const res = await request(made.app).get("/blog/caf%C3%A9%20x");
      assert.equal(res.status, 200);
      assert.deepEqual(embedded(res.text).pageData.result.params, { id: "café x" });
      assert.deepEqual(embedded(res.text).pageData.result.serverData, { id: "café x" });
      const j = await request(made.app).get(pd("/blog/caf%C3%A9%20x"));
      assert.deepEqual((j.body as { result: unknown }).result, {
        serverData: { id: "café x" },
        params: { id: "café x" },
      });
    });

    it("locals default to the host's per-request data (res.locals / ctx.state)", async () => {
      const e = await echoJson(pd("/echo"));
      assert.deepEqual(e.locals, { user: "alice" });
    });

    it("signal is an AbortSignal, not aborted during a normal request", async () => {
      const e = await echoJson(pd("/echo"));
      assert.equal(e.signalIsAbortSignal, true);
      assert.equal(e.signalAborted, false);
    });

    it("parallel requests each get their own context (no cross-talk)", async () => {
      const ids = Array.from({ length: 40 }, (_, i) => `p${i}`);
      const results = await Promise.all(
        ids.map((id, i) =>
          i % 2 === 0
            ? echoJson(pd("/echo", `?id=${id}`), { "x-custom-header": id })
            : echoHtml(`/echo?id=${id}`, { "x-custom-header": id }),
        ),
      );
      results.forEach((e, i) => {
        assert.equal(e.url, `/echo?id=${ids[i]}`);
        assert.deepEqual(e.query, { id: ids[i] });
        assert.equal(e.headers["x-custom-header"], ids[i]);
      });
    });

    it("sync and async getServerData both work", async () => {
      const s = await request(made.app).get(pd("/sync"));
      assert.deepEqual((s.body as { result: unknown }).result, { serverData: { kind: "sync" }, params: {} });
      const a = await request(made.app).get(pd("/async"));
      assert.deepEqual((a.body as { result: unknown }).result, { serverData: { kind: "async" }, params: {} });
    });

    it("a page that rejects after its client left: no unhandled rejection, nothing written, still serving", async () => {
      const before = unhandledRejections().length;
      const conn = await disconnectingRequest(made.app, "/errors/slow-reject", 100);
      try {
        await new Promise((r) => setTimeout(r, 600));
        assert.deepEqual(unhandledRejections().slice(before).map(String), []);
        const ok = await request(made.app).get("/about");
        assert.equal(ok.status, 200);
      } finally {
        await conn.close();
      }
      assert.deepEqual(made.hostErrors, []);
    });

    for (const kind of ["html", "page-data"] as const) {
      it(`signal aborts when the client disconnects (${kind}), well before the timeout`, async () => {
        const id = uniqueId(`disconnect-${kind}`);
        const url = kind === "html" ? `/errors/hang?id=${id}` : pd("/errors/hang", `?id=${id}`);
        const started = Date.now();
        // Once getServerData runs (in development, after the page's compile on its first request).
        const conn = await disconnectingRequest(made.app, url, () => abortLog().has(id));
        try {
          await waitFor(() => (abortLog().get(id) ?? "pending").startsWith("aborted"), 2500, `abort of ${id}`);
          assert.ok(Date.now() - started < 4000, "aborted by the disconnect, not the 5 s timeout");
          // The server keeps serving after a client went away mid-request.
          const ok = await request(made.app).get("/about");
          assert.equal(ok.status, 200);
        } finally {
          await conn.close();
        }
        assert.deepEqual(made.hostErrors, []);
      });
    }
  });

  describe(`locals option [${target.label}]`, () => {
    let made: MadeApp;
    before(async () => {
      made = target.makeApp(PAGES, { dev: !target.fromBuild, onError: () => {}, customLocals: true });
      await made.ready;
    });

    it("getServerData sees what the adapter's locals option returns", async () => {
      const res = await request(made.app).get(pd("/locals"));
      assert.equal(res.status, 200);
      assert.deepEqual((res.body as { result: { serverData: unknown } }).result.serverData, {
        locals: { via: "option", user: "alice" },
      });
      const page = await request(made.app).get("/locals");
      assert.equal(page.status, 200);
      assert.deepEqual(embedded(page.text).pageData.result.serverData, { locals: { via: "option", user: "alice" } });
    });
  });
}

noUnhandledRejections();
