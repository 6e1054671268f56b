import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { normalizeResult } from "../../src/data/normalize-result.js";
import { runServerData } from "../../src/data/run-server-data.js";
import { jsonParams, jsonString, serializeProps } from "../../src/data/serialize.js";
import { escapeJsonForHtml } from "../../src/common/html-escape.js";
import { SsrError } from "../../src/errors.js";
import { LazyAbort } from "../../src/request/abort.js";
import type { GetServerDataContext } from "../../src/types.js";

const isStatus = (status: number, text: RegExp) => (error: unknown) => error instanceof SsrError && error.status === status && text.test(error.message);

describe("normalizeResult", () => {
  it("reads props, lower-cases headers and takes the status", () => {
    const outcome = normalizeResult({ props: { a: 1 }, headers: { "Cache-Control": "max-age=1", "X-N": 5, "Set-Cookie": ["a=1", "b=2"] }, status: 201 }, "p.tsx");
    assert.deepEqual(outcome, { props: { a: 1 }, status: 201, headers: { "cache-control": "max-age=1", "x-n": "5", "set-cookie": ["a=1", "b=2"] }, latin1: false });
  });

  it("honours headers.status, and a top-level status wins over it", () => {
    assert.deepEqual(normalizeResult({ headers: { status: 500 } }, "p.tsx"), { props: undefined, status: 500, headers: {}, latin1: false });
    assert.equal(normalizeResult({ status: 404, headers: { status: 500 } }, "p.tsx").status, 404);
  });

  it("treats nothing as nothing", () => {
    assert.equal(normalizeResult(undefined, "p.tsx").status, undefined);
    assert.equal(normalizeResult(null, "p.tsx").props, undefined);
  });

  it("rejects junk with the page's name", () => {
    assert.throws(() => normalizeResult("oops", "p.tsx"), isStatus(500, /^p\.tsx: getServerData must return an object/));
    assert.throws(() => normalizeResult([1], "p.tsx"), isStatus(500, /an array/));
    assert.throws(() => normalizeResult({ status: 42 }, "p.tsx"), isStatus(500, /status 42/));
    assert.throws(() => normalizeResult({ status: 700 }, "p.tsx"), isStatus(500, /200 to 599/));
    assert.throws(() => normalizeResult({ status: "200" }, "p.tsx"), isStatus(500, /status a string/));
    assert.throws(() => normalizeResult({ headers: { "X-A": "a\r\nSet-Cookie: x" } }, "p.tsx"), isStatus(500, /X-A with a CR, LF or other control character/));
    assert.throws(() => normalizeResult({ headers: { "X-B": "bell\u0007" } }, "p.tsx"), isStatus(500, /X-B with a CR, LF or other control/));
    assert.throws(() => normalizeResult({ headers: { "X-C": "snow\u2603" } }, "p.tsx"), isStatus(500, /X-C with "\u2603" \(U\+2603\): header values are sent as Latin-1/));
    assert.throws(() => normalizeResult({ headers: { "bad name": "x" } }, "p.tsx"), isStatus(500, /invalid header name/));
    assert.throws(() => normalizeResult({ headers: { "x-o": { a: 1 } } }, "p.tsx"), isStatus(500, /x-o as a object/));
  });

  it("reads a Headers or a Map, keeping every Set-Cookie", () => {
    const fromHeaders = new Headers([["X-Up", "1"], ["Set-Cookie", "a=1"], ["Set-Cookie", "b=2"]]);
    assert.deepEqual(normalizeResult({ headers: fromHeaders }, "p.tsx").headers, { "x-up": "1", "set-cookie": ["a=1", "b=2"] });
    assert.deepEqual(normalizeResult({ headers: new Map([["X-M", "m"]]) }, "p.tsx").headers, { "x-m": "m" });
    assert.deepEqual(normalizeResult({ headers: { "Set-Cookie": "a=1", "set-cookie": ["b=2"] } }, "p.tsx").headers, { "set-cookie": ["a=1", "b=2"] });
  });

  it("keeps the body framing headers for itself", () => {
    assert.deepEqual(normalizeResult({ headers: { "Content-Length": "1", "Content-Type": "text/plain" } }, "p.tsx").headers, {});
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
    assert.deepEqual(normalizeResult({ headers: upstream }, "p.tsx").headers, { "x-kept": "yes", "proxy-status": "cache; hit", vary: "accept-encoding" });
    // A bad value is still the page's bug, even in a header that is dropped.
    assert.throws(() => normalizeResult({ headers: { Connection: "close\r\nX: y" } }, "p.tsx"), isStatus(500, /Connection with a CR, LF/));
  });

  it("says when a header value needs its body sent as bytes (Latin-1 characters above U+007F)", () => {
    assert.equal(normalizeResult({ headers: { "X-A": "plain\tascii ~" } }, "p.tsx").latin1, false);
    assert.equal(normalizeResult({ headers: { "X-A": "caf\u00e9" } }, "p.tsx").latin1, true);
    assert.equal(normalizeResult({ headers: { "Set-Cookie": ["a=1", "b=\u00ff"] } }, "p.tsx").latin1, true);
    // An upstream's UTF-8 header, as fetch hands it over (one character per byte), goes back out byte for byte.
    const utf8 = Buffer.from("café", "utf8").toString("latin1");
    const outcome = normalizeResult({ headers: new Headers({ "content-disposition": `attachment; filename="${utf8}"` }) }, "p.tsx");
    assert.equal(outcome.latin1, true);
    assert.deepEqual(Buffer.from(String(outcome.headers["content-disposition"]), "latin1"), Buffer.from('attachment; filename="café"', "utf8"));
  });
});

describe("serializeProps", () => {
  it("serialises JSON values, and says when JSON changes them (toJSON, undefined, NaN)", () => {
    assert.deepEqual(serializeProps({ a: [1, "x", null, true] }, "p.tsx"), { json: '{"a":[1,"x",null,true]}', exact: true });
    assert.deepEqual(serializeProps({ d: new Date(0) }, "p.tsx"), { json: '{"d":"1970-01-01T00:00:00.000Z"}', exact: false });
    assert.equal(serializeProps({ u: undefined }, "p.tsx")?.exact, false);
    assert.equal(serializeProps([Number.NaN], "p.tsx")?.exact, false);
    assert.equal(serializeProps(undefined, "p.tsx"), undefined);
  });

  it("names the page and the key path of what JSON cannot carry", () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    assert.throws(() => serializeProps({ items: [{ fn: () => 1 }] }, "p.tsx"), isStatus(500, /^p\.tsx: .*a function at props\.items\[0\]\.fn/));
    assert.throws(() => serializeProps({ n: 1n }, "p.tsx"), isStatus(500, /a BigInt at props\.n/));
    assert.throws(() => serializeProps({ c: circular }, "p.tsx"), isStatus(500, /circular reference at props\.c\.self/));
    assert.throws(() => serializeProps({ m: new Map() }, "p.tsx"), isStatus(500, /a Map at props\.m/));
    assert.throws(() => serializeProps({ "odd key": Symbol("s") }, "p.tsx"), isStatus(500, /props\["odd key"\]/));
  });

  it("accepts a shared, non-circular object twice", () => {
    const shared = { x: 1 };
    assert.equal(serializeProps({ a: shared, b: shared }, "p.tsx")?.json, '{"a":{"x":1},"b":{"x":1}}');
  });

  it("finds a problem inside an array, a null-prototype object and deep nesting", () => {
    assert.throws(() => serializeProps([1, [2, new Set()]], "p.tsx"), isStatus(500, /a Set at props\[1\]\[1\]/));
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { ok: 1, bad: () => 0 });
    assert.throws(() => serializeProps({ bare }, "p.tsx"), isStatus(500, /a function at props\.bare\.bad/));
    let deep: Record<string, unknown> = { leaf: Symbol("s") };
    for (let i = 0; i < 100; i++) deep = { d: deep };
    assert.throws(() => serializeProps(deep, "p.tsx"), isStatus(500, /a symbol at props(\.d){100}\.leaf/));
  });

  it("takes data nested deeper than the lean walk checks, and reports what JSON.stringify itself rejects", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 3000; i++) deep = [deep];
    assert.equal(serializeProps(deep, "p.tsx")?.exact, true);
    const throwing = { toJSON: () => { throw new Error("no JSON for you"); } };
    assert.throws(() => serializeProps({ throwing }, "p.tsx"), isStatus(500, /^p\.tsx: getServerData returned props that JSON\.stringify rejects: no JSON for you/));
  });
});

describe("jsonString and jsonParams", () => {
  const texts = ["", "/products/1?color=red", "caf\u00e9 \u2028\u2029", 'say "hi"', "back\\slash", "tab\tnew\nline\u0000\u001f\u007f", "\u{1f600} pair", "lone \ud800 high", "lone \udfff low", "</script>"];

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
    assert.deepEqual(await runServerData(async () => ({ props: 2 }), context, 100, new LazyAbort(undefined), "p.tsx"), { props: 2 });
  });

  it("times out with a 504 and aborts the signal", async () => {
    const abort = new LazyAbort(undefined);
    const signal = abort.signal;
    await assert.rejects(runServerData(() => new Promise(() => undefined), context, 20, abort, "slow.tsx") as Promise<unknown>, isStatus(504, /slow\.tsx did not finish within 20 ms/));
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
    await assert.rejects(runServerData(() => new Promise(() => undefined), context, 20, abort, "slow.tsx") as Promise<unknown>, isStatus(504, /did not finish/));
    assert.equal(abort.reason, gone, "aborted because the client left, not by the timeout");
    assert.equal(abort.signal.reason, gone);
    assert.equal(watched, 1);
  });
});
