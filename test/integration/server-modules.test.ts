/**
 * The server build in groups of pages (compile-server.ts, server-modules.ts): a page's code runs only
 * when it is first requested, a module shared by pages of different groups exists once, a page that
 * throws while loading fails alone, and development stacks map back in every group.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { createSsrHandler, type SsrHandler } from "../../src/index.js";
import { PAGES_PER_GROUP } from "../../src/common/page-groups.js";
import { ServerModules } from "../../src/runtime/server-modules.js";

const COUNT = PAGES_PER_GROUP * 2 + 20;
const name = (i: number) => `p${String(i).padStart(3, "0")}`;
const LAST = name(COUNT - 1);
/** A page of the second group that imports a package that is not installed. */
const MISSING = PAGES_PER_GROUP + 6;
type Store = { __ssrEvaluated?: string[] };
const evaluated = () => (globalThis as Store).__ssrEvaluated ?? [];

describe("server code in groups of pages", () => {
  let dir: string;
  let handler: SsrHandler;
  const errors: unknown[] = [];

  before(async () => {
    const root = path.resolve(".tmp");
    mkdirSync(root, { recursive: true });
    dir = mkdtempSync(path.join(root, "groups-"));
    writeFileSync(path.join(dir, "_heavy.ts"), `export const heavy = "loaded on demand";\n`);
    writeFileSync(
      path.join(dir, "lazy.tsx"),
      `export async function getServerData() {\n  const { heavy } = await import("./_heavy");\n  return { props: { heavy } };\n}\nexport default function Lazy({ serverData }: { serverData: { heavy: string } }) { return <p>{serverData.heavy}</p>; }\n`,
    );
    writeFileSync(
      path.join(dir, "_shared.ts"),
      `(globalThis as any).__ssrEvaluated.push("shared");\nexport const instance = Math.random();\n`,
    );
    for (let i = 0; i < COUNT; i++) {
      const throwsAtLoad = i === 7 ? `throw new Error("${name(i)} cannot load");\n` : "";
      const missing = i === MISSING ? `import "ssr-pages-test-no-such-package";\n` : "";
      const throwsInData =
        i === COUNT - 1 ? `export function getServerData() {\n  throw new Error("data failed");\n}\n` : "";
      writeFileSync(
        path.join(dir, `${name(i)}.tsx`),
        `import { instance } from "./_shared";\n${missing}((globalThis as any).__ssrEvaluated ??= []).push("${name(i)}");\n${throwsAtLoad}${throwsInData}` +
          `export default function Page() { return <p>{"${name(i)}:" + instance}</p>; }\n`,
      );
    }
    (globalThis as Store).__ssrEvaluated = [];
    // Every page in one build, compiled at start (`watch: false`): the dev loop would compile each
    // page on its first request, into a build of its own, whose modules run afresh.
    handler = createSsrHandler(dir, { dev: true, watch: false, client: false, onError: (error) => errors.push(error) });
    await handler.ready;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const get = async (url: string) => {
    const response = await handler.handle({ method: "GET", url, base: "", headers: {} });
    assert.ok(response, `${url} matched a page`);
    return { status: response.status, body: String(response.body) };
  };

  it("runs a page's module only when that page is first requested, not its group's other pages", async () => {
    assert.deepEqual(evaluated(), [], "nothing runs at start-up");
    assert.equal((await get("/p005")).status, 200);
    assert.deepEqual(evaluated(), ["shared", "p005"]);
    assert.equal((await get("/p005")).status, 200);
    assert.deepEqual(evaluated(), ["shared", "p005"], "once");
  });

  it("runs each page once for concurrent first requests to one group", async () => {
    const [a, b] = [name(PAGES_PER_GROUP * 2 + 1), name(PAGES_PER_GROUP * 2 + 2)];
    const responses = await Promise.all([a, b, a, b, a].map((page) => get(`/${page}`)));
    assert.deepEqual(
      responses.map((response) => response.status),
      [200, 200, 200, 200, 200],
    );
    assert.deepEqual(
      responses.map((response) => /p\d+(?=:)/.exec(response.body)?.[0]),
      [a, b, a, b, a],
    );
    assert.deepEqual(
      evaluated()
        .filter((entry) => entry === a || entry === b)
        .sort(),
      [a, b],
    );
  });

  it("runs a module that pages of different groups import once, so they share its state", async () => {
    const first = (await get("/p000")).body.match(/p000:([\d.]+)/)?.[1];
    const last = (await get(`/${name(COUNT - 2)}`)).body.match(/p\d+:([\d.]+)/)?.[1];
    assert.ok(first);
    assert.equal(last, first);
    assert.equal(evaluated().filter((entry) => entry === "shared").length, 1);
  });

  it("fails a page that throws while loading on its own; its neighbours still serve", async () => {
    const broken = await get("/p007");
    assert.equal(broken.status, 500);
    assert.match(broken.body, /p007 cannot load/);
    assert.equal((await get("/p007")).status, 500, "and it stays failed");
    assert.equal((await get("/p006")).status, 200);
    assert.equal((await get("/p008")).status, 200);
  });

  it("fails only the page that imports a missing package, naming it; its group's other pages and other groups serve", async () => {
    const broken = await get(`/${name(MISSING)}`);
    assert.equal(broken.status, 500);
    assert.match(
      broken.body,
      /p\d+\.tsx imports the package (&#34;|")ssr-pages-test-no-such-package(&#34;|"), which is not installed/,
    );
    assert.equal((await get(`/${name(MISSING)}`)).status, 500, "and it stays failed");
    const neighbour = await get(`/${name(MISSING + 1)}`);
    assert.equal(neighbour.status, 200, "the package loads with the group, but only its importer fails");
    assert.equal((await get("/p001")).status, 200);
    assert.equal((await get(`/${name(COUNT - 3)}`)).status, 200);
  });

  it("serves a page that imports a file with import() inside getServerData", async () => {
    const response = await get("/lazy");
    assert.equal(response.status, 200, response.body.slice(0, 300));
    assert.match(response.body, /loaded on demand/);
  });

  it("maps development stacks to the page's own lines in the last group too", async () => {
    const response = await handler.handle({
      method: "GET",
      url: `/page-data/${LAST}/page-data.json`,
      base: "",
      headers: {},
    });
    assert.equal(response?.status, 500);
    const stack = (JSON.parse(String(response?.body)) as { stack?: string }).stack ?? "";
    assert.match(stack, new RegExp(`at getServerData\\d* \\(.*${LAST}\\.tsx:4:9\\)`));
  });
});

describe("ServerModules", () => {
  const modules = (files: Record<string, string>, imports: Record<string, string[]> = {}) => {
    const code = new Map(Object.entries(files).map(([file, text]) => [file, Buffer.from(text)]));
    const imported = new Map(Object.entries(imports).map(([file, names]) => [file, new Set(names)]));
    return {
      code,
      loader: new ServerModules(code, path.resolve(".tmp", "server"), path.resolve(".tmp"), new Map(), imported),
    };
  };

  it("stands in only for a package a file's import statements name; an optional require still finds it missing", () => {
    const { loader } = modules(
      {
        "pages-0.js":
          `const missing = require("ssr-pages-test-missing");\n` +
          `let optional; try { optional = require("ssr-pages-test-optional"); } catch { optional = null; }\n` +
          `exports.default = [() => optional, () => missing.anything];\n`,
      },
      { "pages-0.js": ["ssr-pages-test-missing"] },
    );
    const group = loader.require("pages-0.js") as { default: Array<() => unknown> };
    assert.equal(group.default[0]?.(), null, "the optional require threw, as in Node");
    assert.deepEqual([...loader.failedPackages.keys()], ["ssr-pages-test-missing"]);
    assert.throws(() => group.default[1]?.(), /the package "ssr-pages-test-missing" is not installed/);
  });

  it("runs a file and the siblings it requires once, and drops their code once they ran", () => {
    const { code, loader } = modules({
      "pages-0.js": `const shared = require("./shared-1.js");\nexports.default = [() => shared.count];\n`,
      "shared-1.js": `globalThis.__ssrSharedRuns = (globalThis.__ssrSharedRuns ?? 0) + 1;\nexports.count = globalThis.__ssrSharedRuns;\n`,
    });
    const group = loader.require("pages-0.js") as { default: Array<() => number> };
    assert.equal(group.default[0]?.(), 1);
    assert.equal(loader.require("pages-0.js"), group, "cached");
    assert.equal((loader.require("shared-1.js") as { count: number }).count, 1, "the sibling ran once");
    assert.equal(code.size, 0);
  });

  it("says which file is missing from the build", () => {
    const { loader } = modules({ "pages-0.js": `require("./shared-9.js");\n` });
    assert.throws(() => loader.require("pages-1.js"), /pages-1\.js is not in the server build/);
    // A sibling that is not in the build is not ours: it resolves from the pages directory, as Node would.
    assert.throws(() => loader.require("pages-0.js"), /Cannot find module '\.\/shared-9\.js'/);
  });

  it("runs a file that throws again on the next require, as Node does", () => {
    const { loader } = modules({
      "pages-0.js": `globalThis.__ssrRuns = (globalThis.__ssrRuns ?? 0) + 1;\nif (globalThis.__ssrRuns === 1) throw new Error("first run fails");\nexports.default = [];\n`,
    });
    assert.throws(() => loader.require("pages-0.js"), /first run fails/);
    assert.deepEqual((loader.require("pages-0.js") as { default: unknown[] }).default, []);
    assert.equal((globalThis as { __ssrRuns?: number }).__ssrRuns, 2);
  });
});

describe("the production 500 page's server code", () => {
  let dir: string;
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("is its own group: a page's missing package cannot take it down", async () => {
    const root = path.resolve(".tmp");
    mkdirSync(root, { recursive: true });
    dir = mkdtempSync(path.join(root, "error-group-"));
    writeFileSync(path.join(dir, "500.tsx"), `export default function Oops() { return <h1>CUSTOM-500</h1>; }\n`);
    writeFileSync(
      path.join(dir, "a.tsx"),
      `import "ssr-pages-test-no-such-package";\nexport default function A() { return <p>a</p>; }\n`,
    );
    writeFileSync(
      path.join(dir, "b.tsx"),
      `export function getServerData() { throw new Error("b failed"); }\nexport default function B() { return <p>b</p>; }\n`,
    );
    const errors: unknown[] = [];
    const handler = createSsrHandler(dir, { dev: false, client: false, onError: (error) => errors.push(error) });
    await handler.ready;
    for (const url of ["/a", "/b"]) {
      const response = await handler.handle({ method: "GET", url, base: "", headers: {} });
      assert.equal(response?.status, 500);
      assert.match(String(response?.body), /CUSTOM-500/, `${url} answers with the app's 500 page`);
    }
  });
});
