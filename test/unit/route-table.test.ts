import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parsePageFile, toMatchPath, type ParsedPage } from "../../src/routes/parse-file.js";
import { RouteTable } from "../../src/routes/route-table.js";

function table(files: string[]): RouteTable<{ parsed: ParsedPage }> {
  return new RouteTable(files.map((file) => ({ parsed: parsePageFile(file) as ParsedPage })));
}

/** The matched page's file and params. */
function match(
  routes: RouteTable<{ parsed: ParsedPage }>,
  path: string,
): { page: string; params: Record<string, string> } | null {
  const segments = path === "/" ? [] : path.slice(1).replace(/\/$/, "").split("/");
  const found = routes.match(segments);
  return found && { page: found.page.parsed.file, params: found.params };
}

describe("parsePageFile", () => {
  it("maps file names to segments", () => {
    assert.deepEqual(parsePageFile("index.tsx")?.segments, []);
    assert.deepEqual(parsePageFile("blog/index.jsx")?.segments, [{ kind: "static", value: "blog" }]);
    assert.deepEqual(parsePageFile("blog/[id].ts")?.segments, [
      { kind: "static", value: "blog" },
      { kind: "param", name: "id" },
    ]);
    assert.deepEqual(parsePageFile("{Product.name}.mjs")?.segments, [{ kind: "param", name: "name" }]);
    assert.deepEqual(parsePageFile("docs/[...slug].js")?.segments, [
      { kind: "static", value: "docs" },
      { kind: "splat", name: "slug" },
    ]);
    assert.deepEqual(parsePageFile("[...].tsx")?.segments, [{ kind: "splat", name: "*" }]);
    assert.equal(parsePageFile("blog/[id].tsx")?.id, "blog/[id]");
  });

  it("skips files that are not pages", () => {
    for (const file of [
      "_app.tsx",
      "a/_helper.tsx",
      ".hidden.tsx",
      "types.d.ts",
      "a.test.tsx",
      "a.spec.ts",
      "__tests__/a.tsx",
      "readme.md",
      "style.css",
      "data.json",
    ]) {
      assert.equal(parsePageFile(file), null, file);
    }
  });

  it("rejects a splat that is not last and bad param names", () => {
    assert.throws(() => parsePageFile("[...slug]/edit.tsx"), /must be the last part/);
    assert.throws(() => parsePageFile("[a-b].tsx"), /not a valid param name/);
  });

  it("writes Gatsby's matchPath notation", () => {
    assert.equal(toMatchPath(parsePageFile("blog/[id].tsx")?.segments ?? []), "/blog/:id");
    assert.equal(toMatchPath(parsePageFile("docs/[...slug].tsx")?.segments ?? []), "/docs/*slug");
    assert.equal(toMatchPath(parsePageFile("[...].tsx")?.segments ?? []), "/*");
    assert.equal(toMatchPath(parsePageFile("{P.name}-{P.sku}.tsx")?.segments ?? []), "/:name-:sku");
  });
});

describe("RouteTable", () => {
  const routes = table([
    "index.tsx",
    "about.tsx",
    "blog/index.tsx",
    "blog/[id].tsx",
    "app/new.tsx",
    "app/[id].tsx",
    "app/[id]/edit.tsx",
    "[p1]/page.tsx",
    "[p1]/[p2].tsx",
    "docs/[...slug].tsx",
    "shop/{Product.name}-{Product.sku}.tsx",
    "shop/{Product.name}.tsx",
    "[...].tsx",
  ]);

  it("prefers static over dynamic over splat, per segment", () => {
    assert.equal(match(routes, "/")?.page, "index.tsx");
    assert.equal(match(routes, "/about")?.page, "about.tsx");
    assert.equal(match(routes, "/about/")?.page, "about.tsx");
    assert.equal(match(routes, "/blog")?.page, "blog/index.tsx");
    assert.equal(match(routes, "/app/new")?.page, "app/new.tsx");
    assert.deepEqual(match(routes, "/app/7"), { page: "app/[id].tsx", params: { id: "7" } });
    assert.deepEqual(match(routes, "/x/page"), { page: "[p1]/page.tsx", params: { p1: "x" } });
    assert.deepEqual(match(routes, "/x/y"), { page: "[p1]/[p2].tsx", params: { p1: "x", p2: "y" } });
    assert.deepEqual(match(routes, "/x/y/z"), { page: "[...].tsx", params: { "*": "x/y/z" } });
  });

  it("backtracks when the static branch has no page for the rest", () => {
    assert.deepEqual(match(routes, "/app/new/edit"), { page: "app/[id]/edit.tsx", params: { id: "new" } });
    assert.deepEqual(match(routes, "/about/x"), { page: "[p1]/[p2].tsx", params: { p1: "about", p2: "x" } });
  });

  it("fills splats with the rest of the path, or an empty string", () => {
    assert.deepEqual(match(routes, "/docs/a/b/c"), { page: "docs/[...slug].tsx", params: { slug: "a/b/c" } });
    assert.deepEqual(match(routes, "/docs"), { page: "docs/[...slug].tsx", params: { slug: "" } });
  });

  it("splits several params in one segment, literal text preferred over a whole-segment param", () => {
    assert.deepEqual(match(routes, "/shop/burger-1234"), {
      page: "shop/{Product.name}-{Product.sku}.tsx",
      params: { name: "burger", sku: "1234" },
    });
    assert.deepEqual(match(routes, "/shop/burger"), { page: "shop/{Product.name}.tsx", params: { name: "burger" } });
  });

  it("does not depend on file order", () => {
    const files = ["[...].tsx", "[p1]/[p2].tsx", "[p1]/page.tsx", "app/[id].tsx", "app/new.tsx"];
    for (const order of [files, [...files].reverse()]) {
      const t = table(order);
      assert.equal(match(t, "/app/new")?.page, "app/new.tsx");
      assert.equal(match(t, "/q/page")?.page, "[p1]/page.tsx");
      assert.equal(match(t, "/q/r/s")?.page, "[...].tsx");
    }
  });

  it("lets pages sharing a branch name their params differently", () => {
    const t = table(["[id].tsx", "[slug]/edit.tsx"]);
    assert.deepEqual(match(t, "/a"), { page: "[id].tsx", params: { id: "a" } });
    assert.deepEqual(match(t, "/a/edit"), { page: "[slug]/edit.tsx", params: { slug: "a" } });
  });

  it("returns null when nothing matches", () => {
    const t = table(["about.tsx", "blog/[id].tsx"]);
    assert.equal(match(t, "/"), null);
    assert.equal(match(t, "/blog"), null);
    assert.equal(match(t, "/blog/1/2"), null);
  });

  it("throws naming both files when two pages map to one route", () => {
    assert.throws(() => table(["a.tsx", "a/index.tsx"]), /a\.tsx and a\/index\.tsx both map to the route \/a/);
    assert.throws(() => table(["b/[id].tsx", "b/[slug].tsx"]), /b\/\[id\]\.tsx and b\/\[slug\]\.tsx/);
    assert.throws(() => table(["[...a].tsx", "[...].tsx"]), /both map/);
  });

  it("matches 10,000 routes without scanning them", () => {
    const files = Array.from({ length: 10_000 }, (_, i) => `section${i % 100}/page${i}.tsx`);
    const t = table([...files, "section7/[id].tsx"]);
    assert.equal(match(t, "/section42/page9942")?.page, "section42/page9942.tsx");
    assert.deepEqual(match(t, "/section7/other"), { page: "section7/[id].tsx", params: { id: "other" } });
  });
});

describe("pattern segments", () => {
  const routes = table(["p/{P.a}-{P.b}-{P.c}.html.tsx", "q/x{P.a}y.tsx"]);

  it("match literal text around several params", () => {
    assert.deepEqual(match(routes, "/p/1-2-3.html"), {
      page: "p/{P.a}-{P.b}-{P.c}.html.tsx",
      params: { a: "1", b: "2", c: "3" },
    });
    assert.deepEqual(match(routes, "/p/1-2-3-4.html")?.params, { a: "1", b: "2", c: "3-4" });
    assert.deepEqual(match(routes, "/q/xAy")?.params, { a: "A" });
    for (const miss of ["/p/1-2.html", "/p/--.html", "/p/1-2-.html", "/p/1-2-3.htm", "/q/xy", "/q/ay"])
      assert.equal(match(routes, miss), null, miss);
  });

  it("take linear time on a long hostile segment", () => {
    const hostile = `/p/${"a-".repeat(8000)}`;
    const started = performance.now();
    assert.equal(match(routes, hostile), null);
    assert.ok(performance.now() - started < 1000, "matching one 16 KB segment must not backtrack (a regex took 25 s)");
  });

  it("refuse two params with nothing between them", () => {
    assert.throws(() => parsePageFile("{P.a}{P.b}.tsx"), /need literal text between them/);
  });
});
