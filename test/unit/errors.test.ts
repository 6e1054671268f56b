import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SsrError, toSsrError } from "../../src/errors.js";
import { resolveOptions } from "../../src/options.js";
import { MemoryStore } from "../../src/cache/store.js";

describe("toSsrError", () => {
  it("keeps an error status a page threw", () => {
    const error = toSsrError(new SsrError(404, "no such user"), "u.tsx");
    assert.equal(error.status, 404);
    assert.equal(error.expose, true);
    assert.equal(error.page, "u.tsx");
  });

  it("turns a thrown SsrError with a non-error status into a 500 naming the page", () => {
    for (const status of [0, 200, 302, 999]) {
      const error = toSsrError(new SsrError(status, "odd"), "p.tsx");
      assert.equal(error.status, 500, String(status));
      assert.match(error.message, /^p\.tsx: an SsrError was thrown with status/);
    }
  });

  it("wraps anything else as a 500 that keeps the cause and stack and exposes nothing", () => {
    const cause = new TypeError("x is undefined");
    const error = toSsrError(cause, "p.tsx");
    assert.deepEqual([error.status, error.expose, error.cause, error.stack], [500, false, cause, cause.stack]);
    assert.match(toSsrError("a string", "p.tsx").message, /A non-Error value was thrown: "a string"/);
  });
});

describe("resolveOptions", () => {
  it("applies defaults", () => {
    const options = resolveOptions({});
    assert.deepEqual(
      { ...options, onError: undefined },
      {
        basePath: "",
        dev: true,
        watch: true,
        onError: undefined,
        timeout: 10_000,
        lang: "en",
        cacheControl: "private, no-store",
        client: true,
        gatsbyRoot: undefined,
        cache: undefined,
        build: undefined,
        earlyHints: true,
        nonce: undefined,
      },
    );
  });

  it("turns the response cache on in production and with cache: true in development, with its defaults", () => {
    const production = resolveOptions({ dev: false }).cache;
    assert.ok(production?.store instanceof MemoryStore);
    assert.equal((production.store as MemoryStore).maxBytes, 64 * 1024 * 1024);
    assert.equal(production.timeout, 50);
    assert.equal(production.ignoredParam("utm_source"), true);
    assert.equal(production.ignoredParam("gclid"), true);
    assert.equal(production.ignoredParam("q"), false);
    assert.ok(resolveOptions({ dev: true, cache: { maxBytes: 1024 } }).cache);
    assert.equal(resolveOptions({ dev: false, cache: false }).cache, undefined);
  });

  it("throws a TypeError for bad values and unknown options", () => {
    for (const bad of [
      { basePath: "shop" },
      { basePath: "/a b" },
      { dev: "yes" },
      { watch: "yes" },
      { timeout: 0 },
      { timeout: -1 },
      { lang: "" },
      { cacheControl: "a\r\nb" },
      { cacheControl: "max-age=60, \u00e9" },
      { onError: 1 },
      { client: 1 },
      { gatsbyRoot: "" },
      { gatsbyRoot: true },
      { locals: () => 1 },
      { nope: 1 },
      { cache: "yes" },
      { cache: { maxBytes: 0 } },
      { cache: { timeout: -1 } },
      { cache: { store: {} } },
      { cache: { ignoreQueryParams: "utm" } },
      { cache: { nope: 1 } },
      { earlyHints: "no" },
      { earlyHints: 0 },
      { nonce: "abc" },
      { nonce: null },
    ]) {
      assert.throws(() => resolveOptions(bad as never), TypeError, JSON.stringify(bad));
    }
  });

  it("keeps earlyHints and the nonce function as given", () => {
    const nonce = (_headers: unknown, locals: unknown): string | undefined =>
      (locals as { cspNonce?: string }).cspNonce;
    const set = resolveOptions({ earlyHints: false, nonce });
    assert.equal(set.earlyHints, false);
    assert.equal(set.nonce, nonce);
  });

  it("normalises the base path", () => {
    assert.equal(resolveOptions({ basePath: "/shop/" }).basePath, "/shop");
    assert.equal(resolveOptions({ basePath: "/" }).basePath, "");
  });

  it("guards an onError that throws, so reporting can never break a request", (t) => {
    const logged: unknown[] = [];
    t.mock.method(console, "error", (...args: unknown[]) => void logged.push(args));
    const options = resolveOptions({
      onError: () => {
        throw new Error("tracker not ready");
      },
    });
    assert.doesNotThrow(() =>
      options.onError(new Error("page failed"), { phase: "request", page: "p.tsx", url: "/p", method: "GET" }),
    );
    assert.equal(logged.length, 1);
  });
});
