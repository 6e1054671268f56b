import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SsrError } from "../../src/errors.js";
import { createRequestHeaders } from "../../src/request/headers.js";
import { parseQuery } from "../../src/request/query.js";
import { decodePath, originForm, splitUrl } from "../../src/request/url.js";
import { pageDataPath, pagePathOfPageData } from "../../src/common/urls.js";

/** True when the only names `value` does not own but can reach are `allowed` (no Object.prototype in its chain). */
function inheritsNothingBut(value: object, allowed: string[]): boolean {
  const reachable = ["toString", "constructor", "hasOwnProperty", "valueOf", "__proto__", "isPrototypeOf", "get"];
  return reachable.every((name) => Object.hasOwn(value, name) || allowed.includes(name) === name in value);
}

describe("request headers", () => {
  const headers = createRequestHeaders({
    "user-agent": "test",
    accept: "text/html",
    "x-many": ["a", "b"],
    get: "shadow?",
  });

  it("is a plain object that indexes, spreads and stringifies", () => {
    assert.equal(headers["user-agent"], "test");
    assert.deepEqual(JSON.parse(JSON.stringify(headers)), {
      "user-agent": "test",
      accept: "text/html",
      "x-many": ["a", "b"],
    });
    assert.deepEqual(Object.keys({ ...headers }), ["user-agent", "accept", "x-many"]);
  });

  it("has a case-insensitive get(), also without a header named get", () => {
    const plain = createRequestHeaders({ "user-agent": "test", "x-many": ["a", "b"] });
    assert.equal(plain.get("User-Agent"), "test");
    assert.equal(plain.get("x-many"), "a, b");
    assert.equal(plain.get("missing"), undefined);
    assert.equal(plain.get("get"), undefined, "the method is not a header");
    assert.deepEqual(Object.keys({ ...plain }), ["user-agent", "x-many"]);
    assert.equal(inheritsNothingBut(plain, ["get"]), true);
  });

  it("has a case-insensitive get() that a header named get cannot shadow", () => {
    assert.equal(headers.get("User-Agent"), "test");
    assert.equal(headers.get("x-many"), "a, b");
    assert.equal(headers.get("missing"), undefined);
    assert.equal(headers.get("get"), "shadow?");
  });

  it("keeps __proto__ as an ordinary key", () => {
    const raw = JSON.parse('{"__proto__": "x", "host": "h"}') as Record<string, string>;
    const hostile = createRequestHeaders(raw);
    assert.equal(hostile.__proto__, "x");
    assert.equal(inheritsNothingBut(hostile, ["get"]), true);
    assert.equal(Object.isFrozen(Object.getPrototypeOf(hostile)), true, "no page can change it for the others");
    assert.equal(Object.isFrozen(Object.getPrototypeOf(parseQuery("?a=1"))), true);
    assert.equal(hostile.get("host"), "h");
    assert.equal(({} as Record<string, unknown>).x, undefined);
  });
});

describe("parseQuery", () => {
  it("gives strings, arrays for repeated keys, and decodes", () => {
    const query = parseQuery("?a=1&b=x%20y&a=2&c&d=caf%C3%A9+au+lait");
    assert.deepEqual({ ...query }, { a: ["1", "2"], b: "x y", c: "", d: "café au lait" });
    assert.deepEqual({ ...parseQuery("") }, {});
    assert.deepEqual({ ...parseQuery("?") }, {});
  });

  it("pollutes nothing", () => {
    const query = parseQuery("?__proto__=x&constructor=y&__proto__[polluted]=1&hasOwnProperty=z");
    assert.equal(query.__proto__, "x");
    assert.equal(query.constructor, "y");
    assert.equal(query.hasOwnProperty, "z");
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(inheritsNothingBut(query, []), true);
    assert.equal(inheritsNothingBut(parseQuery(""), []), true);
  });
});

describe("URL handling", () => {
  it("splits path and query and drops the hash", () => {
    assert.deepEqual(splitUrl("/a/b?x=1#h"), { pathname: "/a/b", search: "?x=1" });
    assert.deepEqual(splitUrl("/"), { pathname: "/", search: "" });
    assert.equal(splitUrl("*"), null);
    assert.equal(splitUrl("http://evil/x"), null);
  });

  it("reads an absolute-form target as its origin-form, dropping the authority unread", () => {
    assert.equal(originForm("/a?b"), "/a?b");
    assert.equal(originForm("http://evil.example/a/b?x=1#h"), "/a/b?x=1#h");
    assert.equal(originForm("HTTPS://Host:8443/a"), "/a");
    assert.equal(originForm("http://host"), "/");
    assert.equal(originForm("http://host?x=1"), "/?x=1");
    assert.equal(originForm("http://user@host#frag"), "/#frag");
    assert.equal(originForm("http://host//a"), "//a", "an empty first segment stays the path's own");
    assert.equal(originForm("ws://host/a?b"), "/a?b", "any scheme, as Express and Koa route it by its path");
    for (const other of ["*", "host:443", "", "http:/x", "http:x", "1http://host/a", "-://host/a"])
      assert.equal(originForm(other), null, other);
  });

  it("decodes segments and ignores one trailing slash", () => {
    assert.deepEqual(decodePath("/"), { segments: [] });
    assert.deepEqual(decodePath("/about/"), { segments: ["about"] });
    assert.deepEqual(decodePath("/p/caf%C3%A9"), { segments: ["p", "café"] });
    assert.deepEqual(decodePath("/p/a%2Fb"), { segments: ["p", "a/b"] });
  });

  it("answers 400 for malformed encoding and NUL, and refuses dot and empty segments", () => {
    for (const bad of ["/%E0%A4%A", "/%", "/a%00b", "/%00"]) {
      assert.throws(
        () => decodePath(bad),
        (error: unknown) => error instanceof SsrError && error.status === 400,
        bad,
      );
    }
    assert.deepEqual(decodePath("/a/../b"), { unmatched: "dot-segment" });
    assert.deepEqual(decodePath("/a/%2e%2e/b"), { unmatched: "dot-segment" });
    assert.deepEqual(decodePath("/a//b"), { unmatched: "empty-segment" });
  });

  it("maps page paths to page-data URLs and back, index for /", () => {
    assert.equal(pageDataPath("/"), "/page-data/index/page-data.json");
    assert.equal(pageDataPath("/blog/1/"), "/page-data/blog/1/page-data.json");
    assert.equal(pagePathOfPageData("/page-data/index/page-data.json"), "/");
    assert.equal(pagePathOfPageData("/page-data/blog/1/page-data.json"), "/blog/1");
    assert.equal(pagePathOfPageData("/page-data/page-data.json"), null);
    assert.equal(pagePathOfPageData("/blog/1"), null);
  });
});
