/** Start-up: ready, requests before ready, duplicate routes, a page with a syntax error, bad options. */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import request from "supertest";
import { allTargets, compileExtra, compilesForBrowser, type MadeApp, type TargetOptions } from "./targets.js";
import { buildInto } from "./builds.js";
import { PAGES, collectErrors, embedded, errorText, fixture, noUnhandledRejections, pd } from "./helpers.js";

/** The pages of the route-table case, written into a scratch pages dir per target. */
const HERE = "export default function Here() {\n  return <p>here</p>;\n}\n";
const GONE = "export default function Gone() {\n  return <p>gone later</p>;\n}\n";

/**
 * One build of those pages for every from-a-build target (a build serves any folder holding the same
 * pages: docs/deploying.md, reproducible builds), made on first use, in a scratch folder beside them.
 */
let lateBuild: { dir: string; out: string } | undefined;
function lateBuildOut(): string {
  if (lateBuild === undefined) {
    const dir = mkdtempSync(path.join(fixture(""), ".tmp-late-build-"));
    const pages = path.join(dir, "pages");
    mkdirSync(pages);
    writeFileSync(path.join(pages, "here.tsx"), HERE);
    writeFileSync(path.join(pages, "gone.tsx"), GONE);
    lateBuild = { dir, out: buildInto(pages, path.join(dir, "out")).out };
  }
  return lateBuild.out;
}
after(() => {
  if (lateBuild) rmSync(lateBuild.dir, { recursive: true, force: true });
});

for (const target of allTargets) {
  describe(`start-up [${target.label}]`, () => {
    it(
      target.fromBuild
        ? "ready is a promise that has resolved when the factory returns: nothing is compiled"
        : "ready is a promise that resolves",
      async () => {
        // Development mode where it can be: a build is production code (dev: true is refused with it).
        const made = target.makeApp(PAGES, {
          dev: !target.fromBuild,
          onError: () => {},
          extra: compileExtra(target),
        });
        assert.ok(made.ready instanceof Promise);
        if (target.fromBuild) {
          // Settled already: its callbacks run in this turn's microtasks, before any I/O or timer.
          const first = await Promise.race([
            made.ready.then(() => "ready"),
            new Promise((resolve) => setImmediate(() => resolve("pending"))),
          ]);
          assert.equal(first, "ready");
          const page = await request(made.app).get("/about");
          assert.equal(page.status, 200);
        }
        assert.equal(await made.ready, undefined);
      },
    );

    // The compile at start-up: a build has none (the case above: ready has settled at once).
    if (!target.fromBuild)
      it("a request sent before ready waits for the compile instead of failing", async () => {
        const made = target.makeApp(PAGES, { dev: true, onError: () => {}, extra: compileExtra(target) });
        let readyDone = false;
        void made.ready.then(() => {
          readyDone = true;
        });
        assert.equal(readyDone, false);
        const [page, data] = await Promise.all([request(made.app).get("/about"), request(made.app).get(pd("/blog/5"))]);
        assert.equal(page.status, 200, page.text.slice(0, 300));
        assert.match(page.text, /<title>About<\/title>/);
        // The page data a client hydrates from: only in a page compiled for the browser.
        if (compilesForBrowser(target)) assert.equal(embedded(page.text).pageData.componentChunkName, "about");
        assert.equal(data.status, 200);
        assert.deepEqual((data.body as { result: unknown }).result, { serverData: { id: "5" }, params: { id: "5" } });
        assert.equal(readyDone, true, "answered only after ready");
        // A request for a non-page sent before ready also waits, then falls through.
        const fresh = target.makeApp(PAGES, { dev: true, onError: () => {}, extra: compileExtra(target) });
        const miss = await request(fresh.app).get("/nope");
        assert.equal(miss.status, 404);
        assert.equal(miss.text, "host fallthrough");
      });

    // Route conflicts: no build can be made of these fixtures (`ssr-pages build` fails on them as the
    // factory does), so there is nothing to serve from a build.
    if (!target.fromBuild)
      it("two files for one route (a.tsx and a/index.tsx): throws naming both", () => {
        assert.throws(
          () => target.makeApp(fixture("dup-index"), { dev: true, onError: () => {} }),
          (err: unknown) => {
            assert.ok(err instanceof Error, "an Error");
            assert.ok(err.message.includes("a.tsx"), err.message);
            assert.ok(err.message.includes(path.join("a", "index.tsx")), err.message);
            return true;
          },
        );
      });

    if (!target.fromBuild)
      it("[id].tsx and [slug].tsx in one folder: throws naming both", () => {
        assert.throws(
          () => target.makeApp(fixture("dup-params"), { dev: true, onError: () => {} }),
          (err: unknown) => {
            assert.ok(err instanceof Error, "an Error");
            assert.ok(err.message.includes("[id].tsx"), err.message);
            assert.ok(err.message.includes("[slug].tsx"), err.message);
            return true;
          },
        );
      });

    const badOptions: [string, Record<string, unknown>][] = [
      ["timeout: '5'", { timeout: "5" }],
      ["timeout: -1", { timeout: -1 }],
      ["timeout: NaN", { timeout: Number.NaN }],
      ["dev: 'yes'", { dev: "yes" }],
      ["onError: 5", { onError: 5 }],
      ["lang: 5", { lang: 5 }],
      ["cacheControl: 5", { cacheControl: 5 }],
      ["locals: 'x'", { locals: "x" }],
      ["basePath: 5", { basePath: 5 }],
    ];
    for (const [label, extra] of badOptions) {
      it(`bad option ${label}: TypeError from ssrMiddleware(...)`, () => {
        const options: TargetOptions = { onError: () => {}, extra };
        assert.throws(() => target.makeApp(PAGES, options), TypeError);
      });
    }

    if (target.fromBuild) {
      // A build is production code: the options that would compile or watch are refused with it.
      for (const [label, options] of [
        ["dev: true", { dev: true }],
        ["watch: true", { extra: { watch: true } }],
      ] as const) {
        it(`${label} with a build: TypeError from ssrMiddleware(...)`, () => {
          assert.throws(
            () => target.makeApp(PAGES, { onError: () => {}, ...options }),
            (error: unknown) => {
              assert.ok(error instanceof TypeError, String(error));
              assert.match(error.message, /\bbuild\b/);
              return true;
            },
          );
        });
      }
    }
  });

  describe(`the route table is built once [${target.label}]`, () => {
    let made: MadeApp;
    let dir: string;
    before(async () => {
      // A throwaway pages dir beside the fixtures (a dot-dir: ignored by tsc's include globs), so
      // the pages resolve react from the repo's node_modules.
      dir = mkdtempSync(path.join(fixture(""), ".tmp-late-"));
      writeFileSync(path.join(dir, "here.tsx"), HERE);
      writeFileSync(path.join(dir, "gone.tsx"), GONE);
      // From a build: the build of the same two pages, made before the factory is called.
      // Compiled at start without `watch` (with it, the dev loop serves new pages: test/dev).
      made = target.fromBuild
        ? target.makeApp(dir, { onError: () => {}, build: lateBuildOut() })
        : target.makeApp(dir, { dev: true, extra: compileExtra(target, { watch: false }), onError: () => {} });
      await made.ready;
      writeFileSync(path.join(dir, "late.tsx"), "export default function Late() {\n  return <p>late</p>;\n}\n");
      rmSync(path.join(dir, "gone.tsx"));
    });
    after(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it("a file added after start-up is not served; a deleted one still is", async () => {
      const late = await request(made.app).get("/late");
      assert.equal(late.status, 404);
      assert.equal(late.text, "host fallthrough");
      const gone = await request(made.app).get("/gone");
      assert.equal(gone.status, 200);
      assert.ok(gone.text.includes("gone later"));
      const here = await request(made.app).get(pd("/here"));
      assert.equal(here.status, 200);
    });
  });

  // A pages dir with a compile error cannot be built (`ssr-pages build` fails, naming the file), so
  // there is no build to serve: the compile-error behaviour is the compiled set's alone.
  if (!target.fromBuild)
    describe(`a page with a syntax error [${target.label}]`, () => {
      let made: MadeApp;
      const errors = collectErrors();
      before(async () => {
        made = target.makeApp(fixture("startup-broken"), {
          dev: true,
          onError: errors.onError,
          extra: compileExtra(target),
        });
        await made.ready;
      });

      it("onError reports phase 'compile' with the file and the line", async () => {
        // Development compiles a page on its first request, and reports its errors then.
        assert.equal((await request(made.app).get("/broken")).status, 500);
        const compile = errors.calls.filter((c) => c.info.phase === "compile");
        assert.ok(compile.length >= 1, "an onError call with phase compile");
        const text = compile.map((c) => errorText(c.error)).join("\n");
        assert.ok(text.includes("broken.tsx"), text);
        assert.match(text, /broken\.tsx\D{0,20}7\b/, "file and line 7 of the error");
      });

      it("the broken page answers 500, HTML and page-data", async () => {
        const a = await request(made.app).get("/broken");
        assert.equal(a.status, 500);
        const b = await request(made.app).get(pd("/broken"));
        assert.equal(b.status, 500);
        assert.equal((b.body as { error: string }).error, "Internal Server Error");
      });

      it("the other pages keep serving", async () => {
        const a = await request(made.app).get("/ok");
        assert.equal(a.status, 200);
        assert.ok(a.text.includes("still serving"));
        const b = await request(made.app).get(pd("/ok"));
        assert.equal(b.status, 200);
        assert.deepEqual(made.hostErrors, []);
      });
    });
}

noUnhandledRejections();
