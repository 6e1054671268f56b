/**
 * Which packages a page imports, through its local files, from the server build's import graph:
 * cycles (a barrel file its components import back) included, in linear time.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { packagesOfPages } from "../../src/compile/compile-server.js";

type Inputs = Record<
  string,
  { bytes: number; imports: Array<{ path: string; kind: "import-statement"; external?: boolean }> }
>;
const graph = (edges: Record<string, string[]>): { inputs: Inputs } => ({
  inputs: Object.fromEntries(
    Object.entries(edges).map(([file, imports]) => [
      file,
      {
        bytes: 0,
        imports: imports.map((path) =>
          path.startsWith("pkg:")
            ? { path: path.slice(4), kind: "import-statement" as const, external: true }
            : { path, kind: "import-statement" as const },
        ),
      },
    ]),
  ),
});

describe("packagesOfPages", () => {
  it("follows local imports to their packages, and pages with the same packages share one list", () => {
    const result = packagesOfPages(
      ["a.js", "b.js", "c.js"],
      graph({ "a.js": ["lib.js", "pkg:react"], "b.js": ["lib.js", "pkg:react"], "c.js": [], "lib.js": ["pkg:lodash"] }),
    );
    assert.deepEqual(result.get("a.js"), ["lodash", "react"]);
    assert.equal(result.get("a.js"), result.get("b.js"), "one shared array");
    assert.deepEqual(result.get("c.js"), []);
  });

  it("gives every file of an import cycle all the packages the cycle reaches", () => {
    const result = packagesOfPages(
      ["page.js", "other.js"],
      graph({
        "page.js": ["x.js"],
        "other.js": ["z.js"],
        "x.js": ["y.js", "pkg:one"],
        "y.js": ["x.js", "z.js", "pkg:two"],
        "z.js": ["pkg:three"],
      }),
    );
    assert.deepEqual(result.get("page.js"), ["one", "three", "two"]);
    assert.deepEqual(result.get("other.js"), ["three"]);
  });

  // The walk before was exponential in such a graph (4.5 s at 26 components): at 40 it would not end
  // within the timeout. Linear, it takes milliseconds. (No time is asserted: the timeout is the check.)
  it("ends on a barrel file that every component imports back", { timeout: 10_000 }, () => {
    const edges: Record<string, string[]> = { "index.js": [] };
    const components = Array.from({ length: 40 }, (_, i) => `c${i}.js`);
    for (const [i, component] of components.entries()) {
      (edges["index.js"] as string[]).push(component);
      // Each component imports the barrel and the next two directly: many paths, one cycle.
      edges[component] = [
        "index.js",
        components[(i + 1) % 40] as string,
        components[(i + 2) % 40] as string,
        `pkg:p${i}`,
      ];
    }
    const pages = Array.from({ length: 200 }, (_, i) => `page${i}.js`);
    for (const page of pages) edges[page] = ["index.js", "c7.js"];
    const result = packagesOfPages(pages, graph(edges));
    assert.equal(result.get("page0.js")?.length, 40);
    assert.equal(result.get("page0.js"), result.get("page199.js"));
  });
});
