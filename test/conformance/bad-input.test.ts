/**
 * A sweep of malformed and hostile URLs. Sent byte for byte (no client-side normalisation). Each may
 * only answer 400/403/404 (or a stricter code where the contract fixes one), never 500, and the app
 * must keep serving a good request right after.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { MOUNT, targets, type MadeApp } from "./targets.js";
import { PAGES, collectErrors, looksLikeStack, noUnhandledRejections, raw } from "./helpers.js";

interface Sweep {
  path: string;
  allowed: readonly number[];
  /** the 400 must be text (contract: "Page URL with bad %-encoding or NUL: 400 (text)") */
  text400?: boolean;
  note?: string;
}

const BAD = [400, 403, 404] as const;

const SWEEP: Sweep[] = [
  // Bad %-encoding / NUL on a path that would otherwise reach a page: the contract fixes 400.
  { path: "/blog/%E0%A4%A", allowed: [400], text400: true, note: "truncated UTF-8 escape in a page param" },
  { path: "/blog/%E0%A4", allowed: [400], text400: true },
  { path: "/blog/%FF", allowed: [400], text400: true, note: "invalid UTF-8 byte" },
  { path: "/blog/%", allowed: [400], text400: true },
  { path: "/blog/%zz", allowed: [400], text400: true },
  { path: "/blog/%00", allowed: [400], text400: true, note: "NUL" },
  { path: "/blog/a%00b", allowed: [400], text400: true },
  { path: "/docs/%FF/x", allowed: [400], text400: true, note: "bad escape inside a splat" },
  { path: "/docs/a/%00", allowed: [400], text400: true },
  // Same at places that may or may not count as page URLs.
  { path: "/%E0%A4%A", allowed: BAD },
  { path: "/%00", allowed: BAD },
  { path: "/a%00b", allowed: BAD },
  { path: "/%", allowed: BAD },
  { path: "/%zz", allowed: BAD },
  { path: "/%C0%AE%C0%AE/about", allowed: BAD, note: "overlong UTF-8 dots" },
  { path: "/about%00", allowed: BAD },
  { path: "/about%2F", allowed: BAD },
  { path: "/about/..", allowed: BAD },
  { path: "/about/%2e%2e", allowed: BAD },
  { path: "/blog/..%2f..%2fetc%2fpasswd", allowed: [200, ...BAD], note: "encoded slashes: a param value at worst" },
  // Page-data: bad %-encoding, NUL, `.`/`..` segments are 400 per the contract.
  { path: "/page-data/%E0%A4%A/page-data.json", allowed: [400] },
  { path: "/page-data/blog/%E0%A4%A/page-data.json", allowed: [400] },
  { path: "/page-data/%FF/page-data.json", allowed: [400] },
  { path: "/page-data/%/page-data.json", allowed: [400] },
  { path: "/page-data/%00/page-data.json", allowed: [400] },
  { path: "/page-data/blog/a%00b/page-data.json", allowed: [400] },
  { path: "/page-data/../secret/page-data.json", allowed: [400] },
  { path: "/page-data/../../etc/passwd/page-data.json", allowed: [400] },
  { path: "/page-data/a/../page-data.json", allowed: [400] },
  { path: "/page-data/a/%2e%2e/page-data.json", allowed: [400] },
  { path: "/page-data/a/%2E%2E/page-data.json", allowed: [400] },
  { path: "/page-data/%2e%2e/%2e%2e/etc/passwd/page-data.json", allowed: [400] },
  { path: "/page-data/./page-data.json", allowed: [400] },
  { path: "/page-data/blog/./1/page-data.json", allowed: [400] },
  { path: "/page-data/blog/%2e/1/page-data.json", allowed: [400] },
  { path: "/page-data/..%2fsecret/page-data.json", allowed: [400, 403, 404] },
  { path: "/page-data/a%2fb/page-data.json", allowed: BAD },
  // Page-data shapes that are simply not pages.
  { path: "/page-data/page-data.json", allowed: BAD },
  { path: "/page-data//page-data.json", allowed: BAD },
  { path: "/page-data/about/page-data.jsonx", allowed: BAD },
  { path: "/page-data/about/page-data.json/x", allowed: BAD },
  { path: "/page-data/about/other.json", allowed: BAD },
  { path: "/page-data/", allowed: BAD },
  { path: "/page-data", allowed: BAD },
  { path: "/page-data/_helper/page-data.json", allowed: [404] },
  { path: "/page-data/.hidden/page-data.json", allowed: [400, 404] },
  // Assets.
  { path: "/_ssr-pages/", allowed: BAD },
  { path: "/_ssr-pages/nope.js", allowed: [404] },
  { path: "/_ssr-pages/../package.json", allowed: BAD },
  { path: "/_ssr-pages/%2e%2e/package.json", allowed: BAD },
  { path: "/_ssr-pages/..%2fpackage.json", allowed: BAD },
  { path: "/_ssr-pages/%00.js", allowed: BAD },
  { path: "/_ssr-pages/%E0%A4%A.js", allowed: BAD },
  { path: "/_ssr-pages/x/../../package.json", allowed: BAD },
];

/** Hostile queries on a good page: these are valid URLs, so 200 (or 400), never 500, and no pollution. */
const QUERIES: { query: string; allowed: readonly number[] }[] = [
  { query: "?__proto__[x]=1&constructor=2", allowed: [200] },
  { query: "?__proto__=1&constructor[prototype][x]=1", allowed: [200] },
  { query: "?constructor.prototype.x=1&__proto__.x=1", allowed: [200] },
  { query: "?a[b][c][d][e][f][g][h][i][j][k]=1", allowed: [200] },
  { query: "?a[]=1&a[]=2&a[999999999]=3", allowed: [200] },
  { query: "?%E0%A4%A=1", allowed: [200, 400] },
  { query: "?a=%E0%A4%A", allowed: [200, 400] },
  { query: "?a=%zz&b=%", allowed: [200, 400] },
  { query: "?a=%00", allowed: [200, 400] },
  { query: `?q=${"a".repeat(8000)}`, allowed: [200] },
  { query: `?${Array.from({ length: 1000 }, (_, i) => `k${i}=${i}`).join("&")}`, allowed: [200] },
  { query: `?${"a=1&".repeat(1500)}`, allowed: [200] },
  { query: "?&&&==&=&a", allowed: [200] },
  { query: "?", allowed: [200] },
];

function assertNotPolluted(): void {
  const probe = {} as Record<string, unknown>;
  assert.equal(probe["x"], undefined, "Object.prototype.x polluted");
  assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, "x"), false);
}

for (const target of targets) {
  for (const mount of [undefined, MOUNT]) {
    const prefix = mount ?? "";
    describe(`bad input sweep [${target.label}]${mount ? ` mounted at ${mount}` : ""}`, () => {
      let made: MadeApp;
      const errors = collectErrors();
      before(async () => {
        // Development mode where it can be: a build is production code (dev: true is refused with it).
        made = target.makeApp(PAGES, { dev: !target.fromBuild, onError: errors.onError }, mount);
        await made.ready;
      });

      async function stillServes(): Promise<void> {
        const ok = await raw(made.app, `${prefix}/about`);
        assert.equal(ok.status, 200, "a good request right after");
      }

      for (const s of SWEEP) {
        it(`GET ${s.path} -> ${s.allowed.join("/")}${s.note ? ` (${s.note})` : ""}`, async () => {
          const res = await raw(made.app, prefix + s.path);
          assert.ok(
            s.allowed.includes(res.status),
            `status ${res.status}, expected one of ${s.allowed.join(", ")}; body: ${res.body.slice(0, 200)}`,
          );
          assert.notEqual(res.status, 500);
          assert.equal(looksLikeStack(res.body), false, "no stack for bad input");
          if (s.text400 && res.status === 400) {
            assert.match(String(res.headers["content-type"]), /^text\//, "a page URL's 400 is text");
          }
          assert.deepEqual(made.hostErrors, []);
          await stillServes();
        });
      }

      for (const q of QUERIES) {
        const label = q.query.length > 80 ? `${q.query.slice(0, 60)}… (${q.query.length} chars)` : q.query;
        it(`GET /echo${label} -> ${q.allowed.join("/")}, nothing polluted`, async () => {
          const res = await raw(made.app, `${prefix}/echo${q.query}`);
          assert.ok(q.allowed.includes(res.status), `status ${res.status}: ${res.body.slice(0, 200)}`);
          assertNotPolluted();
          if (res.status === 200) {
            const m = /"objectPrototypePolluted":(true|false)/.exec(res.body);
            assert.equal(m?.[1], "false");
          }
          const j = await raw(made.app, `${prefix}/page-data/echo/page-data.json${q.query}`);
          assert.ok(q.allowed.includes(j.status), `page-data status ${j.status}: ${j.body.slice(0, 200)}`);
          assertNotPolluted();
          await stillServes();
        });
      }

      it("repeated keys at scale give an array of all values", async () => {
        const res = await raw(made.app, `${prefix}/page-data/echo/page-data.json?${"a=1&".repeat(1500)}`);
        assert.equal(res.status, 200);
        const body = JSON.parse(res.body) as { result: { serverData: { query: { a: string[] } } } };
        assert.equal(body.result.serverData.query.a.length, 1500);
      });

      it("weird methods fall through", async () => {
        for (const method of ["PROPFIND", "TRACE", "CONNECT_NOT"]) {
          const res = await raw(made.app, `${prefix}/about`, { method }).catch(() => null);
          if (res === null) continue; // Node's client refuses some tokens; nothing to check then
          assert.notEqual(res.status, 500, method);
          assert.notEqual(res.status, 200, method);
        }
      });

      it("odd headers do not break a page", async () => {
        const res = await raw(made.app, `${prefix}/echo`, {
          headers: { "x-empty": "", "user-agent": "x".repeat(4000), ["__proto__"]: "1", constructor: "2" },
        });
        assert.equal(res.status, 200);
        assertNotPolluted();
      });

      it("bad input never reached the host error handler nor onError as a page failure", () => {
        assert.deepEqual(made.hostErrors, []);
        const pageFailures = errors.calls.filter((c) => c.info.phase === "request" && c.info.page !== undefined);
        assert.deepEqual(
          pageFailures.map((c) => c.info.url),
          [],
        );
      });
    });
  }
}

noUnhandledRejections();
