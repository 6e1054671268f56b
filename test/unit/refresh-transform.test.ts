/**
 * Fast Refresh's transform (compile/refresh-transform.ts) and its browser runtime's boundaries
 * (client/refresh-runtime.ts): which components are registered under which family, which exports
 * are counted, that a page's server exports never reach the browser bundle, that the build's JSX
 * settings carry over, and that a module whose exports are not all components remounts.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import * as esbuild from "esbuild";
import { jsxOf, refreshPlugin, refreshSource, withTsconfig } from "../../src/compile/refresh-transform.js";

const AUTOMATIC = jsxOf({ jsx: "automatic" });
const module = (id: string, counted?: readonly string[]) => ({ id, counted: counted && new Set(counted) });

describe("the refresh transform", () => {
  it("registers each component under its module's id and names the exported values", async () => {
    const source = `import { useState } from "react";
export default function Counter() { const [n] = useState(0); return <b>{n}</b>; }
export const Label = () => <i />;
`;
    const code =
      (await refreshSource("/app/components/Counter.tsx", source, module("components/Counter.tsx"), AUTOMATIC)) ?? "";
    assert.match(code, /__ssrRegister\("components\/Counter\.tsx", type, name\)/);
    assert.match(code, /\$RefreshReg\$\(_c\d*, "Counter"\)/);
    assert.match(code, /\$RefreshReg\$\(_c\d*, "Label"\)/);
    assert.match(code, /_s\(Counter, "[^"]+"\)/, "the hooks' signature");
    assert.match(
      code,
      /__ssrSettle\("components\/Counter\.tsx", true\)/,
      "every export a registered component: a boundary",
    );
    assert.match(code, /sourceMappingURL=data:application\/json;base64,/, "mapped back to the source");
    assert.doesNotMatch(code, /:\s*string|<b>/, "types and JSX are compiled");
  });

  it("leaves a module without components or hooks, one it cannot parse and a CommonJS one to esbuild", async () => {
    assert.equal(
      await refreshSource(
        "/app/lib/sum.ts",
        "export const sum = (a: number, b: number) => a + b;\n",
        module("lib/sum.ts"),
        AUTOMATIC,
      ),
      undefined,
    );
    assert.equal(
      await refreshSource(
        "/app/pages/broken.tsx",
        "export default function X() { return <p>{{</p>; }\n",
        module("pages/broken.tsx"),
        AUTOMATIC,
      ),
      undefined,
    );
    // CommonJS stays CommonJS: the imports the registration needs would turn it into an ES module.
    assert.equal(
      await refreshSource(
        "/app/lib/card.js",
        "function Card() { return null; }\nmodule.exports = { Card };\n",
        module("lib/card.js"),
        AUTOMATIC,
      ),
      undefined,
    );
  });

  it("is a boundary when every export the browser reads is a component: types skipped, a re-export or a constant is not", async () => {
    const page = `export async function getServerData() { return { props: {} }; }
export const config = () => ({});
export type Props = { a: number };
export function Head() { return <title>t</title>; }
export default function Page() { return <p />; }
`;
    const code =
      (await refreshSource("/app/pages/index.tsx", page, module("index.tsx", ["default", "Head"]), AUTOMATIC)) ?? "";
    assert.match(code, /__ssrSettle\("index\.tsx", true\)/, "getServerData and config are not the browser's");
    const barrel = `export { Button } from "./Button";\nexport function Card() { return <div />; }\n`;
    assert.match(
      (await refreshSource("/app/ui/index.tsx", barrel, module("ui/index.tsx"), AUTOMATIC)) ?? "",
      /__ssrSettle\("ui\/index\.tsx", false\)/,
    );
    const mixed = `export const unit = "px";\nexport function Card() { return <div />; }\n`;
    assert.match(
      (await refreshSource("/app/ui/card.tsx", mixed, module("ui/card.tsx"), AUTOMATIC)) ?? "",
      /__ssrSettle\("ui\/card\.tsx", false\)/,
    );
  });

  it("compiles JSX as the build does: classic factory, and tsconfig's jsxImportSource", async () => {
    const classic =
      (await refreshSource(
        "/app/a.jsx",
        "export default function A() { return <p />; }\n",
        module("a.jsx"),
        jsxOf({ jsx: "transform", jsxFactory: "React.createElement" }),
      )) ?? "";
    assert.match(classic, /React\.createElement\("p"/);
    const dir = mkdtempSync(path.join(path.resolve(".tmp"), "refresh-tsconfig-"));
    try {
      writeFileSync(
        path.join(dir, "tsconfig.json"),
        `{ // comments are allowed\n "compilerOptions": { "jsxImportSource": "@emotion/react" } }\n`,
      );
      const jsx = withTsconfig(path.join(dir, "b.tsx"), AUTOMATIC, new Map());
      const code =
        (await refreshSource(
          path.join(dir, "b.tsx"),
          "export default function B() { return <p />; }\n",
          module("b.tsx"),
          jsx,
        )) ?? "";
      assert.match(code, /from "@emotion\/react\/jsx-runtime"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the refresh plugin in a browser bundle", () => {
  let dir: string;
  before(() => {
    mkdirSync(path.resolve(".tmp"), { recursive: true });
    dir = mkdtempSync(path.join(path.resolve(".tmp"), "refresh-plugin-"));
    writeFileSync(
      path.join(dir, "runtime.js"),
      "export const register = () => {}; export const signature = () => (t) => t; export const settle = () => {};\n",
    );
    writeFileSync(path.join(dir, "secret.ts"), `export const secret = () => "SERVER-ONLY-VALUE";\n`);
    writeFileSync(path.join(dir, "Button.tsx"), `export default function Button() { return <button />; }\n`);
    // A component module that also exports what only getServerData uses, holding a token.
    writeFileSync(
      path.join(dir, "posts.tsx"),
      `const TOKEN = "sk-live-TOKEN-VALUE";\nexport const fetchPosts = () => fetch("https://api.example/posts", { headers: { authorization: TOKEN } });\nexport function PostList() { return <ul />; }\n`,
    );
    writeFileSync(
      path.join(dir, "page.tsx"),
      `import { secret } from "./secret";\nimport Button from "./Button";\nimport { fetchPosts, PostList } from "./posts";\nexport async function getServerData() { await fetchPosts(); return { props: { s: secret() } }; }\nexport default function Page() { return <><Button /><PostList /></>; }\n`,
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps a page's getServerData, and what only it uses (also in a component module), out of the browser", async () => {
    const result = await esbuild.build({
      entryPoints: [{ in: "entry", out: "entry" }],
      bundle: true,
      format: "esm",
      write: false,
      jsx: "automatic",
      absWorkingDir: dir,
      external: ["react", "react/jsx-runtime"],
      plugins: [
        // What the browser build's page entry does: only `default` and `Head` are read.
        {
          name: "entry",
          setup: (build) =>
            void (
              build.onResolve({ filter: /^entry$/ }, () => ({ path: "entry", namespace: "e" })),
              build.onLoad({ filter: /.*/, namespace: "e" }, () => ({
                contents: `import * as m from "./page.tsx"; export default m.default;`,
                resolveDir: dir,
              }))
            ),
        },
        refreshPlugin({
          pagesDir: dir,
          runtime: path.join(dir, "runtime.js"),
          counted: new Map([[path.join(dir, "page.tsx"), new Set(["default", "Head"])]]),
          owner: {},
        }),
      ],
    });
    const code = result.outputFiles[0]?.text ?? "";
    assert.match(code, /"Button\.tsx", type, name/, "the component is registered");
    assert.doesNotMatch(code, /SERVER-ONLY-VALUE|getServerData|TOKEN-VALUE|fetchPosts/);
  });
});

describe("the refresh runtime's boundaries", () => {
  it("keeps the family of a module whose exports are all components, and gives each run its own otherwise", async () => {
    const registered: string[] = [];
    const fake = {
      register: (_type: unknown, id: string) => void registered.push(id),
      createSignatureFunctionForTransform: () => (type: unknown) => type,
      isLikelyComponentType: () => true,
      injectIntoGlobalHook: () => undefined,
      performReactRefresh: () => null,
    };
    (globalThis as { __ssrPagesRefresh?: unknown }).__ssrPagesRefresh = fake;
    try {
      // Read when the module loads, as the browser's preamble has run before it: imported after the fake is in place.
      const runtime =
        (await import("../../src/client/refresh-runtime.js")) as typeof import("../../src/client/refresh-runtime.js");
      function Card() {}
      for (let run = 0; run < 2; run++) {
        runtime.register("card.tsx", Card, "Card");
        runtime.settle("card.tsx", true);
        runtime.register("mixed.tsx", Card, "Card");
        runtime.settle("mixed.tsx", false);
      }
      assert.deepEqual(registered, ["card.tsx Card", "mixed.tsx Card #0", "card.tsx Card", "mixed.tsx Card #1"]);
    } finally {
      delete (globalThis as { __ssrPagesRefresh?: unknown }).__ssrPagesRefresh;
    }
  });
});
