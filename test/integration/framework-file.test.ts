// The framework file (src/compile/framework-chunk.ts): React built once per process, outside each
// browser build, and reached by every import of it, ESM or CommonJS, as the same React.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, it } from "node:test";
import { version as REACT_VERSION } from "react";
import { browserText, compile, project } from "./compile-project.js";
import type { CompileOutput } from "../../src/compile/compile.js";

/** A page that imports React every way an app or a package does, and exposes what each import gave. */
const REACHING_PAGE = `import React, { useState } from "react";
import * as ReactNamespace from "react";
import { jsx } from "react/jsx-runtime";
import { createRoot } from "react-dom/client";
import { flushSync } from "react-dom";
import legacy from "./legacy.cjs";

export default function Page() {
  return <p>{useState("reached")[0]}</p>;
}
Page.check = {
  version: React.version,
  namespace: ReactNamespace.useState === useState && ReactNamespace.default === React,
  required: legacy.React.useState === useState && legacy.React.default === React,
  requiredVersion: legacy.React.version,
  jsx: legacy.runtime.jsx === jsx,
  dom: typeof createRoot === "function" && typeof flushSync === "function" && legacy.dom.flushSync === flushSync,
};
`;

/** A CommonJS module, as many packages still are, that requires React. */
const LEGACY = `const React = require("react");
module.exports = { React, runtime: require("react/jsx-runtime"), dom: require("react-dom") };
`;

/** The framework file's name, and the browser's JavaScript files other than it. */
function split(output: CompileOutput): { framework: string; others: Map<string, string> } {
  const framework = output.browser?.framework;
  assert.ok(framework, "a framework file");
  const others = new Map(
    [...browserText(output)].filter(([name]) => name.endsWith(".js") && !name.startsWith("framework-")),
  );
  return { framework, others };
}

describe("the framework file", () => {
  it("is built once per process and mode, holds React, and no app build bundles React again", async () => {
    const first = await compile(
      project({ "pages/index.tsx": "export default () => <p>one</p>;" }),
      ["index.tsx"],
      true,
    );
    const second = await compile(
      project({ "pages/other.tsx": 'import { useState } from "react";\nexport default () => <p>{useState(2)}</p>;' }),
      ["other.tsx"],
      true,
    );
    const one = split(first);
    const two = split(second);
    assert.equal(two.framework, one.framework, "the same file for two pages directories");
    const text = browserText(second).get(two.framework) ?? "";
    assert.ok(text.includes(`"${REACT_VERSION}"`), "React's version is in it");
    assert.ok(
      text.includes("node_modules/react-dom/cjs/react-dom-client.development.js"),
      "React DOM's development build",
    );
    assert.ok(browserText(second).has(`${two.framework}.map`), "its source map, in development");
    for (const [name, code] of two.others) {
      assert.ok(!code.includes("node_modules/react"), `${name} bundles none of React`);
    }
    const built = await compile(
      project({ "pages/index.tsx": "export default () => <p>one</p>;" }),
      ["index.tsx"],
      false,
    );
    const production = split(built);
    assert.notEqual(production.framework, one.framework, "production has its own");
    assert.ok(!browserText(built).has(`${production.framework}.map`), "and no source map");
  });

  it("is left out when the pages' React cannot be loaded here: the app's build bundles it, as without the file", async () => {
    // A React of the project's own that throws when Node loads it (its names cannot be read).
    const pagesDir = project({
      "node_modules/react/package.json": '{ "name": "react", "version": "0.0.0-throws" }',
      "node_modules/react/index.js": 'throw new Error("this React runs in a browser only");',
      "node_modules/react/jsx-runtime.js":
        "exports.jsx = () => null; exports.jsxs = () => null; exports.Fragment = 'f';",
      "pages/index.tsx": 'import "react";\nexport default () => <p>one</p>;',
    });
    const output = await compile(pagesDir, ["index.tsx"], false);
    assert.deepEqual(output.errors, []);
    assert.equal(output.browser?.framework, undefined);
    const code = [...browserText(output).values()].join("\n");
    assert.ok(code.includes("this React runs in a browser only"), "the project's React, bundled with the app");
  });

  it("gives ESM imports and CommonJS requires of React the same modules", async () => {
    const pagesDir = project({ "pages/index.tsx": REACHING_PAGE, "pages/legacy.cjs": LEGACY });
    const output = await compile(pagesDir, ["index.tsx"], false);
    assert.deepEqual(output.errors, []);
    // Run the browser modules as Node runs ES modules: the page module and what it imports.
    const out = path.join(path.dirname(pagesDir), "browser");
    mkdirSync(out);
    for (const file of output.browser?.files ?? []) writeFileSync(path.join(out, file.name), file.contents);
    const module = output.browser?.pages.get("index.tsx")?.module as string;
    const page = (await import(pathToFileURL(path.join(out, module)).href)) as {
      default: { check: Record<string, unknown> };
    };
    assert.deepEqual(page.default.check, {
      version: REACT_VERSION,
      namespace: true,
      required: true,
      requiredVersion: REACT_VERSION,
      jsx: true,
      dom: true,
    });
  });
});
