import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { normalizeResult } from "../../src/data/normalize-result.js";
import { runServerData } from "../../src/data/run-server-data.js";
import { jsonParams, jsonString, serializeProps } from "../../src/data/serialize.js";
import { escapeJsonForHtml } from "../../src/common/html-escape.js";
import { SsrError } from "../../src/errors.js";
import { LazyAbort } from "../../src/request/abort.js";
import type { GetServerDataContext } from "../../src/types.js";

const isStatus = (status: number, text: RegExp) => (error: unknown) =>
  error instanceof SsrError && error.status === status && text.test(error.message);

describe("normalizeResult", () => {
  it("reads props, lower-cases headers and takes the status", () => {
    const outcome = normalizeResult(
      {
        props: { a: 1 },
        headers: { "Cache-Control": "max-age=1", "X-N": 5, "Set-Cookie": ["a=1", "b=2"] },
        status: 201,
      },
      "p.tsx",
    );
    assert.deepEqual(outcome, {
      props: { a: 1 },
      status: 201,
      headers: { "cache-control": "max-age=1", "x-n": "5", "set-cookie": ["a=1", "b=2"] },
      latin1: false,
    });
  });

  it("honours headers.status, and a top-level status wins over it", () => {
    assert.deepEqual(normalizeResult({ headers: { status: 500 } }, "p.tsx"), {
      props: undefined,
      status: 500,
      headers: {},
      latin1: false,
    });
    assert.equal(normalizeResult({ status: 404, headers: { status: 500 } }, "p.tsx").status, 404);
  });

  it("treats nothing as nothing", () => {
    assert.equal(normalizeResult(undefined, "p.tsx").status, undefined);
    assert.equal(normalizeResult(null, "p.tsx").props, undefined);
  });

  it("rejects junk with the page's name", () => {
    assert.throws(
      () => normalizeResult("oops", "p.tsx"),
      isStatus(500, /^p\.tsx: getServerData must return an object/),
    );
    assert.throws(() => normalizeResult([1], "p.tsx"), isStatus(500, /an array/));
    assert.throws(() => normalizeResult({ status: 42 }, "p.tsx"), isStatus(500, /status 42/));
    assert.throws(() => normalizeResult({ status: 700 }, "p.tsx"), isStatus(500, /200 to 599/));
    assert.throws(() => normalizeResult({ status: "200" }, "p.tsx"), isStatus(500, /status a string/));
    assert.throws(
      () => normalizeResult({ headers: { "X-A": "a\r\nSet-Cookie: x" } }, "p.tsx"),
      isStatus(500, /X-A with a CR, LF or other control character/),
    );
    assert.throws(
      () => normalizeResult({ headers: { "X-B": "bell\u0007" } }, "p.tsx"),
      isStatus(500, /X-B with a CR, LF or other control/),
    );
    assert.throws(
      () => normalizeResult({ headers: { "X-C": "snow\u2603" } }, "p.tsx"),
      isStatus(500, /X-C with "\u2603" \(U\+2603\): header values are sent as Latin-1/),
    );
    assert.throws(
      () => normalizeResult({ headers: { "bad name": "x" } }, "p.tsx"),
      isStatus(500, /invalid header name/),
    );
    assert.throws(() => normalizeResult({ headers: { "x-o": { a: 1 } } }, "p.tsx"), isStatus(500, /x-o as a object/));
  });

  it("reads a Headers or a Map, keeping every Set-Cookie", () => {
    const fromHeaders = new Headers([
      ["X-Up", "1"],
      ["Set-Cookie", "a=1"],
      ["Set-Cookie", "b=2"],
    ]);
    assert.deepEqual(normalizeResult({ headers: fromHeaders }, "p.tsx").headers, {
      "x-up": "1",
      "set-cookie": ["a=1", "b=2"],
    });
    assert.deepEqual(normalizeResult({ headers: new Map([["X-M", "m"]]) }, "p.tsx").headers, { "x-m": "m" });
    assert.deepEqual(normalizeResult({ headers: { "Set-Cookie": "a=1", "set-cookie": ["b=2"] } }, "p.tsx").headers, {
      "set-cookie": ["a=1", "b=2"],
    });
  });

  it("keeps the body framing headers for itself", () => {
    assert.deepEqual(
      normalizeResult({ headers: { "Content-Length": "1", "Content-Type": "text/plain" } }, "p.tsx").headers,
      {},
    );
  });

  it("keeps the body's encoding for itself and drops the hop-by-hop headers", () => {
    const upstream = new Headers({
      "content-encoding": "br",
      "transfer-encoding": "chunked",
      connection: "keep-alive, x-kept",
      "keep-alive": "timeout=5",
      "proxy-authenticate": "Basic",
      "Proxy-Authorization": "Basic abc",
      "Proxy-Connection": "keep-alive",
      te: "trailers",
      trailer: "x-sum",
      upgrade: "h2c",
      "x-kept": "yes",
      "proxy-status": "cache; hit",
      vary: "accept-encoding",
    });
    // The names Connection lists are not interpreted: a page's own Location or Set-Cookie could be among them.
    assert.deepEqual(normalizeResult({ headers: upstream }, "p.tsx").headers, {
      "x-kept": "yes",
      "proxy-status": "cache; hit",
      vary: "accept-encoding",
    });
    // A bad value is still the page's bug, even in a header that is dropped.
    assert.throws(
      () => normalizeResult({ headers: { Connection: "close\r\nX: y" } }, "p.tsx"),
      isStatus(500, /Connection with a CR, LF/),
    );
  });

  it("says when a header value needs its body sent as bytes (Latin-1 characters above U+007F)", () => {
    assert.equal(normalizeResult({ headers: { "X-A": "plain\tascii ~" } }, "p.tsx").latin1, false);
    assert.equal(normalizeResult({ headers: { "X-A": "caf\u00e9" } }, "p.tsx").latin1, true);
    assert.equal(normalizeResult({ headers: { "Set-Cookie": ["a=1", "b=\u00ff"] } }, "p.tsx").latin1, true);
    // An upstream's UTF-8 header, as fetch hands it over (one character per byte), goes back out byte for byte.
    const utf8 = Buffer.from("café", "utf8").toString("latin1");
    const outcome = normalizeResult(
      { headers: new Headers({ "content-disposition": `attachment; filename="${utf8}"` }) },
      "p.tsx",
    );
    assert.equal(outcome.latin1, true);
    assert.deepEqual(
      Buffer.from(String(outcome.headers["content-disposition"]), "latin1"),
      Buffer.from('attachment; filename="café"', "utf8"),
    );
  });
});

describe("serializeProps", () => {
  const rich = (props: unknown) => {
    const serialized = serializeProps(props, "p.tsx");
    assert.ok(serialized?.rich, "devalue's form");
    return serialized.deferred?.revive(serialized.json);
  };

  it("keeps plain JSON as JSON, and says when the text changes what it carries (toJSON, the context's headers)", () => {
    assert.deepEqual(serializeProps({ a: [1, "x", null, true] }, "p.tsx"), {
      json: '{"a":[1,"x",null,true]}',
      exact: true,
      rich: false,
    });
    const money = { toJSON: () => "12.34 EUR" };
    assert.deepEqual(serializeProps({ money }, "p.tsx"), { json: '{"money":"12.34 EUR"}', exact: false, rich: false });
    assert.equal(serializeProps(undefined, "p.tsx"), undefined);
  });

  it("carries what JSON would change or drop through devalue, as the same values", () => {
    const shared = { x: 1 };
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    const back = rich({
      d: new Date(0),
      u: undefined,
      n: Number.NaN,
      big: 1n,
      m: new Map([[1, shared]]),
      s: new Set([shared]),
      r: /a/g,
      url: new URL("http://x/y"),
      a: shared,
      b: shared,
      cycle,
    }) as Record<string, unknown>;
    assert.ok(back.d instanceof Date && back.d.getTime() === 0);
    assert.ok("u" in back && back.u === undefined);
    assert.ok(Number.isNaN(back.n));
    assert.equal(back.big, 1n);
    assert.equal((back.m as Map<number, unknown>).get(1), back.a, "one object, wherever it appears");
    assert.equal(back.a, back.b);
    assert.ok(back.r instanceof RegExp && back.url instanceof URL);
    assert.equal((back.cycle as Record<string, unknown>).self, back.cycle);
  });

  it("registers promises as deferred values, nested ones too, and the server renders with the very promises", () => {
    const slow = Promise.resolve(["a"]);
    const serialized = serializeProps({ title: "t", reviews: slow, nested: { more: Promise.resolve(1) } }, "p.tsx");
    assert.equal(serialized?.deferred?.size, 2);
    const back = serialized?.deferred?.revive(serialized.json) as { reviews: unknown; title: string };
    assert.equal(back.reviews, slow);
    assert.equal(back.title, "t");
  });

  it("names the page and the key path of what nothing can carry", () => {
    assert.throws(
      () => serializeProps({ items: [{ fn: () => 1 }] }, "p.tsx"),
      isStatus(500, /^p\.tsx: .*a function at props\.items\[0\]\.fn/),
    );
    assert.throws(() => serializeProps({ "odd key": Symbol("s") }, "p.tsx"), isStatus(500, /props\["odd key"\]/));
    class Cart {
      items = 1;
    }
    assert.throws(() => serializeProps({ cart: new Cart() }, "p.tsx"), isStatus(500, /a Cart at props\.cart/));
    assert.throws(
      () => serializeProps({ m: new Map([["k", () => 1]]) }, "p.tsx"),
      isStatus(500, /a function at props\.m\[0\]/),
    );
  });

  it("accepts a shared, non-circular object twice, as one object", () => {
    const shared = { x: 1 };
    const back = rich({ a: shared, b: shared }) as Record<string, unknown>;
    assert.equal(back.a, back.b);
  });

  it("finds a problem inside an array, a null-prototype object and deep nesting", () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { ok: 1, bad: () => 0 });
    assert.throws(() => serializeProps({ bare }, "p.tsx"), isStatus(500, /a function at props\.bare\.bad/));
    let deep: Record<string, unknown> = { leaf: Symbol("s") };
    for (let i = 0; i < 100; i++) deep = { d: deep };
    assert.throws(() => serializeProps(deep, "p.tsx"), isStatus(500, /a symbol at props(\.d){100}\.leaf/));
  });

  it("takes data nested deeper than the lean walk checks, and reports a toJSON that throws", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 3000; i++) deep = [deep];
    assert.equal(serializeProps(deep, "p.tsx")?.exact, true);
    const throwing = {
      toJSON: () => {
        throw new Error("no JSON for you");
      },
    };
    assert.throws(
      () => serializeProps({ throwing }, "p.tsx"),
      isStatus(500, /^p\.tsx: getServerData returned props that cannot be carried to the browser: no JSON for you/),
    );
  });
});

describe("jsonString and jsonParams", () => {
  const texts = [
    "",
    "/products/1?color=red",
    "caf\u00e9 \u2028\u2029",
    'say "hi"',
    "back\\slash",
    "tab\tnew\nline\u0000\u001f\u007f",
    "\u{1f600} pair",
    "lone \ud800 high",
    "lone \udfff low",
    "</script>",
  ];

  it("write what JSON.stringify writes, escapes and lone surrogates included", () => {
    for (const text of texts) assert.equal(jsonString(text), JSON.stringify(text), JSON.stringify(text));
  });

  it("write route params as JSON.stringify does, leaving out undefined values", () => {
    assert.equal(jsonParams({}), "{}");
    const params = Object.fromEntries(texts.map((text, i) => [i % 2 === 0 ? `k${i}` : text, text]));
    assert.equal(jsonParams(params), JSON.stringify(params));
    assert.equal(jsonParams({ a: "1", gone: undefined, b: "2" }), JSON.stringify({ a: "1", gone: undefined, b: "2" }));
  });
});

describe("escapeJsonForHtml", () => {
  it("cannot end the script or the line, and stays the same JSON value", () => {
    const value = { s: "</script><!-- & \u2028\u2029 >" };
    const escaped = escapeJsonForHtml(JSON.stringify(value));
    assert.doesNotMatch(escaped, /<|>|&|\u2028|\u2029/);
    assert.deepEqual(JSON.parse(escaped), value);
  });
});

describe("runServerData", () => {
  const context = {} as GetServerDataContext;

  it("accepts sync and async functions", async () => {
    const sync = runServerData(() => ({ props: 1 }), context, 100, new LazyAbort(undefined), "p.tsx");
    assert.ok(!(sync instanceof Promise), "a sync result is returned as is");
    assert.deepEqual(sync, { props: 1 });
    assert.deepEqual(await runServerData(async () => ({ props: 2 }), context, 100, new LazyAbort(undefined), "p.tsx"), {
      props: 2,
    });
  });

  it("times out with a 504 and aborts the signal", async () => {
    const abort = new LazyAbort(undefined);
    const signal = abort.signal;
    await assert.rejects(
      runServerData(() => new Promise(() => undefined), context, 20, abort, "slow.tsx") as Promise<unknown>,
      isStatus(504, /slow\.tsx did not finish within 20 ms/),
    );
    assert.equal(signal.aborted, true);
    assert.equal(abort.aborted, true);
  });

  it("creates the signal only when asked, and watches the client only then", () => {
    let watched = 0;
    const abort = new LazyAbort(() => void watched++);
    assert.equal(watched, 0);
    const signal = abort.signal;
    assert.equal(abort.signal, signal);
    assert.equal(watched, 1);
    const late = new LazyAbort(() => void watched++);
    late.abort(new Error("gone"));
    assert.equal(late.signal.aborted, true, "a signal asked for after the abort starts aborted");
    assert.equal(watched, 1);
  });

  it("a signal first read after the client left is aborted at once, with the client's reason", () => {
    const gone = new Error("client left");
    // The adapter's watch reports a client that has already gone synchronously.
    const abort = new LazyAbort((report) => report(gone));
    const signal = abort.signal;
    assert.equal(signal.aborted, true);
    assert.equal(signal.reason, gone);
  });

  it("looks for a client that left before the timeout aborts, so the client's reason wins and the watch runs once", async () => {
    let watched = 0;
    const gone = new Error("client left");
    const abort = new LazyAbort((report) => {
      watched++;
      report(gone);
    });
    await assert.rejects(
      runServerData(() => new Promise(() => undefined), context, 20, abort, "slow.tsx") as Promise<unknown>,
      isStatus(504, /did not finish/),
    );
    assert.equal(abort.reason, gone, "aborted because the client left, not by the timeout");
    assert.equal(abort.signal.reason, gone);
    assert.equal(watched, 1);
  });
});
