/** Throws, timeouts, junk returns, unserialisable props, bad headers/status; dev vs production bodies. */
import assert from "node:assert/strict";
import { before, beforeEach, describe, it } from "node:test";
import request from "supertest";
import { allTargets, compileExtra, targets, type MadeApp } from "./targets.js";
import {
  PAGES,
  collectErrors,
  decodeEntities,
  errorText,
  fixture,
  html,
  json,
  looksLikeStack,
  noUnhandledRejections,
  pd,
  unhandledRejections,
  waitFor,
  type ErrorCall,
} from "./helpers.js";

function abortLog(): Map<string, string> {
  const g = globalThis as unknown as Record<symbol, Map<string, string> | undefined>;
  return (g[Symbol.for("ssr-pages.conformance.aborts")] ??= new Map());
}

let seq = 0;
const uniqueId = (label: string): string => `${label}-${process.pid}-${++seq}`;

interface DevErrorBody {
  error: string;
  message: string;
  stack: string;
}

/** 500 cases where the page is at fault; `mention` must appear in the dev message (page file, key path). */
const PAGE_BUGS: { page: string; file: string; mention: string[]; what: string }[] = [
  { page: "/errors/throws", file: "errors/throws.tsx", mention: ["SECRET-42"], what: "getServerData throws" },
  { page: "/errors/rejects", file: "errors/rejects.tsx", mention: ["SECRET-43"], what: "getServerData rejects" },
  {
    page: "/errors/throws-string",
    file: "errors/throws-string.tsx",
    mention: ["SECRET-44"],
    what: "getServerData throws a string",
  },
  {
    page: "/errors/junk-string",
    file: "errors/junk-string.tsx",
    mention: ["errors/junk-string"],
    what: "returns a string",
  },
  {
    page: "/errors/junk-number",
    file: "errors/junk-number.tsx",
    mention: ["errors/junk-number"],
    what: "returns a number",
  },
  {
    page: "/errors/props-function",
    file: "errors/props-function.tsx",
    mention: ["errors/props-function", "props.items[0].fn"],
    what: "a function in props",
  },
  {
    page: "/errors/props-symbol",
    file: "errors/props-symbol.tsx",
    mention: ["errors/props-symbol", "props.tag"],
    what: "a Symbol in props",
  },
  {
    page: "/errors/props-class",
    file: "errors/props-class.tsx",
    mention: ["errors/props-class", "props.shape.origin"],
    what: "a class instance without toJSON in props",
  },
  {
    page: "/errors/header-crlf",
    file: "errors/header-crlf.tsx",
    mention: ["errors/header-crlf"],
    what: "a header value with CR/LF",
  },
  {
    page: "/errors/header-lf",
    file: "errors/header-lf.tsx",
    mention: ["errors/header-lf"],
    what: "a header value with LF",
  },
  {
    page: "/errors/location-crlf",
    file: "errors/location-crlf.tsx",
    mention: ["errors/location-crlf"],
    what: "a redirect Location with CR/LF",
  },
  {
    page: "/errors/header-nul",
    file: "errors/header-nul.tsx",
    mention: ["errors/header-nul"],
    what: "a header value with NUL",
  },
  {
    page: "/errors/header-name",
    file: "errors/header-name.tsx",
    mention: ["errors/header-name"],
    what: "an invalid header name",
  },
  { page: "/errors/status-42", file: "errors/status-42.tsx", mention: ["errors/status-42"], what: "status 42" },
  { page: "/errors/status-700", file: "errors/status-700.tsx", mention: ["errors/status-700"], what: "status 700" },
  {
    page: "/errors/status-float",
    file: "errors/status-float.tsx",
    mention: ["errors/status-float"],
    what: "status 200.5",
  },
  {
    page: "/errors/status-string",
    file: "errors/status-string.tsx",
    mention: ["errors/status-string"],
    what: "status '200' (a string)",
  },
  {
    page: "/errors/status-header-bad",
    file: "errors/status-header-bad.tsx",
    mention: ["errors/status-header-bad"],
    what: "headers.status 1000",
  },
];

function assertNoInjectedHeaders(headers: Record<string, unknown>): void {
  assert.equal(headers["x-injected"], undefined, "injected header was sent");
  assert.equal(headers["location"], undefined, "a Location was sent");
  assert.equal(headers["x-bad"], undefined, "the bad header was sent");
}

for (const target of allTargets) {
  // Development bodies (message, stack) exist only in development mode, and a production build is
  // never served in it (`dev: true` with `build` is refused): this suite is the compiled set's alone,
  // on every host. The same pages from a build are the production suite's next.
  if (!target.fromBuild)
    describe(`errors in development [${target.label}]`, () => {
      let made: MadeApp;
      const errors = collectErrors();
      before(async () => {
        made = target.makeApp(PAGES, { dev: true, onError: errors.onError, timeout: 200, extra: compileExtra(target) });
        await made.ready;
      });
      beforeEach(() => {
        errors.calls.length = 0;
      });

      function lastRequestError(): ErrorCall {
        const reqCalls = errors.calls.filter((c) => c.info.phase === "request");
        assert.equal(reqCalls.length, 1, `exactly one onError call, got ${reqCalls.length}`);
        return reqCalls[0]!;
      }

      for (const bug of PAGE_BUGS) {
        it(`${bug.what}: HTML 500 in dev shows the message (escaped) and names the page`, async () => {
          const res = await request(made.app).get(bug.page);
          assert.equal(res.status, 500, res.text.slice(0, 300));
          html(res);
          for (const m of bug.mention) assert.ok(res.text.includes(m), `HTML mentions ${m}`);
          assertNoInjectedHeaders(res.headers);
          const call = lastRequestError();
          assert.equal(call.info.page, bug.file);
          assert.equal(call.info.method, "GET");
          assert.equal(call.info.url, bug.page);
          assert.deepEqual(made.hostErrors, []);
        });

        it(`${bug.what}: page-data 500 in dev is {error, message, stack}`, async () => {
          const res = await request(made.app).get(pd(bug.page));
          assert.equal(res.status, 500, res.text.slice(0, 300));
          json(res);
          const body = res.body as DevErrorBody;
          assert.deepEqual(Object.keys(body).sort(), ["error", "message", "stack"]);
          assert.equal(body.error, "Internal Server Error");
          assert.equal(typeof body.stack, "string");
          for (const m of bug.mention)
            assert.ok(body.message.includes(m), `message ${JSON.stringify(body.message)} mentions ${m}`);
          assertNoInjectedHeaders(res.headers);
          const call = lastRequestError();
          assert.equal(call.info.page, bug.file);
          assert.equal(call.info.phase, "request");
          assert.equal(typeof call.info.url, "string");
        });
      }

      it("dev HTML escapes the error message", async () => {
        const res = await request(made.app).get("/errors/throws");
        assert.equal(res.status, 500);
        assert.equal(res.text.includes("<b>SECRET-42</b>"), false, "message is HTML-escaped");
        assert.ok(
          decodeEntities(res.text).includes('boom <b>SECRET-42</b> & "quoted"'),
          "the escaped message decodes to the original",
        );
      });

      it("dev HTML and JSON show the stack", async () => {
        const res = await request(made.app).get("/errors/throws");
        assert.ok(looksLikeStack(res.text), "stack in the dev page");
        const j = await request(made.app).get(pd("/errors/throws"));
        assert.ok(looksLikeStack((j.body as DevErrorBody).stack), "stack in dev JSON");
      });

      it("onError receives the thrown error itself", async () => {
        await request(made.app).get("/errors/throws");
        const call = lastRequestError();
        assert.ok(errorText(call.error).includes("SECRET-42"));
      });

      it("the component throwing: HTML 500", async () => {
        const res = await request(made.app).get("/errors/component-throws");
        assert.equal(res.status, 500);
        html(res);
        assert.ok(res.text.includes("SECRET-45"));
        assert.equal(lastRequestError().info.page, "errors/component-throws.tsx");
      });

      it("timeout: HTML 504 'Gateway Timeout', signal aborted, onError called", async () => {
        const id = uniqueId("timeout-html");
        const started = Date.now();
        const res = await request(made.app).get(`/errors/hang?id=${id}`);
        assert.equal(res.status, 504);
        html(res);
        assert.ok(res.text.includes("Gateway Timeout"));
        assert.ok(Date.now() - started < 3000, "answered soon after the 200 ms timeout");
        await waitFor(() => (abortLog().get(id) ?? "").startsWith("aborted"), 1000, "signal abort on timeout");
        assert.equal(lastRequestError().info.page, "errors/hang.tsx");
      });

      it("timeout: page-data 504 {error: 'Gateway Timeout', ...}", async () => {
        const id = uniqueId("timeout-json");
        const res = await request(made.app).get(pd("/errors/hang", `?id=${id}`));
        assert.equal(res.status, 504);
        json(res);
        assert.equal((res.body as DevErrorBody).error, "Gateway Timeout");
        await waitFor(() => (abortLog().get(id) ?? "").startsWith("aborted"), 1000, "signal abort on timeout");
      });

      for (const late of ["slow-resolve", "slow-reject"] as const) {
        it(`${late} after the timeout: 504, and the late settle writes nothing and leaves no unhandled rejection`, async () => {
          const before = unhandledRejections().length;
          const res = await request(made.app).get(`/errors/${late}`);
          assert.equal(res.status, 504);
          assert.equal(res.headers["x-late"], undefined);
          const j = await request(made.app).get(pd(`/errors/${late}`));
          assert.equal(j.status, 504);
          await new Promise((r) => setTimeout(r, 500));
          assert.deepEqual(unhandledRejections().slice(before).map(String), []);
          assert.deepEqual(made.hostErrors, []);
          const ok = await request(made.app).get("/about");
          assert.equal(ok.status, 200);
        });
      }

      it("HEAD on a failing page: 500, no body", async () => {
        const res = await request(made.app).head("/errors/throws");
        assert.equal(res.status, 500);
        assert.equal(res.text ?? "", "");
      });

      it("after all those errors the app still serves", async () => {
        const res = await request(made.app).get("/about");
        assert.equal(res.status, 200);
        const j = await request(made.app).get(pd("/about"));
        assert.equal(j.status, 200);
        assert.deepEqual(made.hostErrors, []);
      });
    });

  // The rest runs on the matrix most suites run (targets.ts).
  if (!targets.includes(target)) continue;

  describe(`errors in production [${target.label}]`, () => {
    let made: MadeApp;
    const errors = collectErrors();
    before(async () => {
      made = target.makeApp(PAGES, { dev: false, onError: errors.onError, timeout: 200 });
      await made.ready;
    });

    for (const bug of PAGE_BUGS) {
      it(`${bug.what}: production HTML 500 is generic, no message, no stack`, async () => {
        const res = await request(made.app).get(bug.page);
        assert.equal(res.status, 500);
        html(res);
        assert.ok(res.text.includes("Internal Server Error"));
        // (The URL path itself may appear; the message, the key path and the file may not.)
        for (const m of ["SECRET", ".tsx", ...bug.mention.filter((x) => x.startsWith("props."))]) {
          assert.equal(res.text.includes(m), false, `production HTML leaks ${m}`);
        }
        assert.equal(looksLikeStack(res.text), false, "production HTML has no stack");
        assertNoInjectedHeaders(res.headers);
      });

      it(`${bug.what}: production page-data is exactly {"error":"Internal Server Error"}`, async () => {
        const res = await request(made.app).get(pd(bug.page));
        assert.equal(res.status, 500);
        json(res);
        assert.deepEqual(res.body, { error: "Internal Server Error" });
        assertNoInjectedHeaders(res.headers);
      });
    }

    it("component throwing in production: generic 500", async () => {
      const res = await request(made.app).get("/errors/component-throws");
      assert.equal(res.status, 500);
      assert.ok(res.text.includes("Internal Server Error"));
      assert.equal(res.text.includes("SECRET-45"), false);
      assert.equal(looksLikeStack(res.text), false);
    });

    it('timeout in production: 504, JSON exactly {"error":"Gateway Timeout"}', async () => {
      const a = await request(made.app).get(`/errors/hang?id=${uniqueId("prod-timeout")}`);
      assert.equal(a.status, 504);
      assert.ok(a.text.includes("Gateway Timeout"));
      assert.equal(looksLikeStack(a.text), false);
      const b = await request(made.app).get(pd("/errors/hang", `?id=${uniqueId("prod-timeout")}`));
      assert.equal(b.status, 504);
      assert.deepEqual(b.body, { error: "Gateway Timeout" });
    });

    it("onError still receives production errors with the page file", async () => {
      errors.calls.length = 0;
      await request(made.app).get("/errors/throws");
      const reqCalls = errors.calls.filter((c) => c.info.phase === "request");
      assert.equal(reqCalls.length, 1);
      assert.equal(reqCalls[0]!.info.page, "errors/throws.tsx");
      assert.ok(errorText(reqCalls[0]!.error).includes("SECRET-42"));
    });

    it("production still serves good pages and never reached the host error handler", async () => {
      const res = await request(made.app).get("/about");
      assert.equal(res.status, 200);
      assert.deepEqual(made.hostErrors, []);
    });
  });

  describe(`dev defaults from NODE_ENV [${target.label}]`, () => {
    let prod: MadeApp;
    let dev: MadeApp;
    before(async () => {
      const saved = process.env["NODE_ENV"];
      try {
        process.env["NODE_ENV"] = "production";
        prod = target.makeApp(PAGES, { onError: () => {} });
        process.env["NODE_ENV"] = "development";
        dev = target.makeApp(PAGES, { onError: () => {} });
      } finally {
        if (saved === undefined) delete process.env["NODE_ENV"];
        else process.env["NODE_ENV"] = saved;
      }
      await Promise.all([prod.ready, dev.ready]);
    });

    it("NODE_ENV=production at creation, no dev option: production bodies", async () => {
      const res = await request(prod.app).get(pd("/errors/throws"));
      assert.equal(res.status, 500);
      assert.deepEqual(res.body, { error: "Internal Server Error" });
    });

    if (target.fromBuild) {
      // With `build`, dev defaults to false whatever NODE_ENV says: a build is production code (options.ts).
      it("NODE_ENV=development at creation, no dev option, serving a build: still production bodies", async () => {
        const res = await request(dev.app).get(pd("/errors/throws"));
        assert.equal(res.status, 500);
        assert.deepEqual(res.body, { error: "Internal Server Error" });
        const page = await request(dev.app).get("/errors/throws");
        assert.equal(page.status, 500);
        assert.equal(page.text.includes("SECRET-42"), false);
        assert.equal(looksLikeStack(page.text), false);
      });
    } else {
      it("NODE_ENV=development at creation, no dev option: development bodies", async () => {
        const res = await request(dev.app).get(pd("/errors/throws"));
        assert.equal(res.status, 500);
        assert.ok((res.body as DevErrorBody).message.includes("SECRET-42"));
      });
    }
  });

  describe(`user's 500 page in production [${target.label}]`, () => {
    let made: MadeApp;
    before(async () => {
      made = target.makeApp(fixture("prod-pages"), { dev: false, onError: () => {}, timeout: 200 });
      await made.ready;
    });

    it("a throwing page renders the user's 500 page with status 500, no message", async () => {
      const res = await request(made.app).get("/throws");
      assert.equal(res.status, 500);
      html(res);
      assert.ok(res.text.includes('<h1 id="custom-500">Custom error page: something went wrong</h1>'), res.text);
      assert.equal(res.text.includes("SECRET-46"), false);
      assert.equal(looksLikeStack(res.text), false);
    });

    it('page-data for a throwing page is still exactly {"error":"Internal Server Error"}', async () => {
      const res = await request(made.app).get(pd("/throws"));
      assert.equal(res.status, 500);
      assert.deepEqual(res.body, { error: "Internal Server Error" });
    });

    it("500.tsx is not a route", async () => {
      const res = await request(made.app).get("/500");
      assert.equal(res.status, 404);
      assert.equal(res.text, "host fallthrough");
      const j = await request(made.app).get(pd("/500"));
      assert.equal(j.status, 404);
      assert.deepEqual(j.body, { error: "Not Found" });
    });

    it("timeout: 504 without leaking anything", async () => {
      const res = await request(made.app).get(`/hang?id=${uniqueId("prod-user-timeout")}`);
      assert.equal(res.status, 504);
      assert.equal(looksLikeStack(res.text), false);
    });

    it("good pages serve", async () => {
      const res = await request(made.app).get("/ok");
      assert.equal(res.status, 200);
      assert.ok(res.text.includes("prod ok"));
    });
  });
}

noUnhandledRejections();
