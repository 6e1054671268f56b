// The framework file (src/compile/framework-chunk.ts): React built once per process, outside each
// browser build, and reached by every import of it, ESM or CommonJS, as the same React.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, it } from "node:test";
import { version as REACT_VERSION } from "react";
import { browserText, client, compile, NO_SPECIAL, project } from "./compile-project.js";
import { compilePages, type CompileOutput } from "../../src/compile/compile.js";
import { CompileSession } from "../../src/compile/compile-context.js";
import { holdEsbuild } from "../../src/compile/esbuild.js";
import { frameworkFile } from "../../src/compile/framework-chunk.js";

/** A page that imports React every way an app or a package does, and exposes what each import gave. */
const REACHING_PAGE = `import React, { useState } from "react";
import * as ReactNamespace from "react";
import { jsx } from "react/jsx-runtime";
import { createRoot } from "react-dom/client";
import { flushSync, render } from "react-dom";
import legacy from "./legacy.cjs";

export default function Page() {
  return <p>{useState("reached")[0]}</p>;
}
Page.check = {
  version: React.version,
  namespace: ReactNamespace.useState === useState && ReactNamespace.default === React,
  required: legacy.React === React && legacy.again === React,
  jsx: legacy.runtime.jsx === jsx,
  dom: typeof createRoot === "function" && typeof flushSync === "function" && legacy.dom.flushSync === flushSync,
  removedInReact19: typeof render,
};
`;

/** A CommonJS module, as many packages still are, that requires React. */
const LEGACY = `const React = require("react");
module.exports = { React, again: require("react"), runtime: require("react/jsx-runtime"), dom: require("react-dom") };
`;

/** A string of React's own code (the element's symbol), in development and production builds alike. */
const REACT_CODE = "react.transitional.element";

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
    const one = project({ "pages/index.tsx": "export default () => <p>one</p>;" });
    const two = project({ "pages/other.tsx": "export default () => <p>two</p>;" });
    const first = await frameworkFile(one, true);
    assert.ok(first);
    assert.equal(await frameworkFile(two, true), first, "the same, not built again, for another pages directory");
    assert.notEqual((await frameworkFile(one, false))?.name, first.name, "production has its own");
    for (const dev of [true, false]) {
      const output = await compile(two, ["other.tsx"], dev);
      const { framework, others } = split(output);
      const text = browserText(output);
      assert.ok(text.get(framework)?.includes(REACT_CODE), "React is in it");
      assert.ok(text.get(framework)?.includes(`"${REACT_VERSION}"`), "React's version");
      assert.equal(text.has(`${framework}.map`), dev, "its source map, in development only");
      for (const [name, code] of others) assert.ok(!code.includes(REACT_CODE), `${name} bundles none of React`);
      assert.ok(
        [...others.values()].some((code) => code.includes(`"./${framework}"`)),
        "the app's modules import it",
      );
    }
  });

  it("keeps Fast Refresh's runtime key when a component that pages share, and that imports React's scheduler, is saved", async () => {
    // The key says whether a tab can take a rebuild in place (one React): a shared component's save
    // must keep it. (ssr-pages' runtime imports react and react-dom itself; nothing of it imports the scheduler.)
    const modal = (text: string) =>
      `import { unstable_now } from "scheduler";\nexport const Modal = () => <p>${text} {unstable_now() > 0}</p>;\n`;
    const pagesDir = project({
      "pages/a.tsx": 'import { Modal } from "../modal";\nexport default () => <Modal />;',
      "pages/b.tsx": 'import { Modal } from "../modal";\nexport default () => <div><Modal /></div>;',
      "modal.tsx": modal("one"),
    });
    const { esbuild, release } = holdEsbuild();
    const session = new CompileSession(esbuild);
    try {
      const build = () =>
        compilePages({ pagesDir, pages: ["a.tsx", "b.tsx"], special: NO_SPECIAL, dev: true, client, env: {}, session });
      const before = await build();
      writeFileSync(path.join(pagesDir, "..", "modal.tsx"), modal("two"));
      const after = await build();
      assert.ok(before.browser?.runtimeKey, "a development session's build has a key");
      assert.ok(before.browser?.framework, "and a framework file");
      assert.notDeepEqual(
        [...browserText(after).keys()].sort(),
        [...browserText(before).keys()].sort(),
        "the save changed a chunk",
      );
      assert.equal(after.browser?.runtimeKey, before.browser?.runtimeKey);
    } finally {
      await session.close();
      await release();
    }
  });

  it("is left out when what resolves as react is another package (an alias: its browser build is not Node's)", async () => {
    const pagesDir = project({
      "node_modules/react/package.json": '{ "name": "@preact/compat", "version": "18.3.1" }',
      "node_modules/react/index.js": "module.exports = {};",
      "pages/index.tsx": "export default () => null;",
    });
    assert.equal(await frameworkFile(pagesDir, false), undefined);
  });

  it("leaves React's packages to the app's build when they do not build, which reports their error as without it", async () => {
    // A React of the project's own whose code does not parse.
    const pagesDir = project({
      "node_modules/react/package.json": '{ "name": "react", "version": "0.0.0-broken" }',
      "node_modules/react/index.js": "module.exports = {;",
      "node_modules/react/jsx-runtime.js":
        "exports.jsx = () => null; exports.jsxs = () => null; exports.Fragment = 'f';",
      "pages/index.tsx": 'import "react";\nexport default () => <p>one</p>;',
    });
    const output = await compile(pagesDir, ["index.tsx"], false);
    assert.equal(output.browser?.framework, undefined);
    // The client entry imports React too: no page can hydrate, and the error says why.
    assert.deepEqual(
      output.errors.map((error) => error.message.split("\n")[0]),
      ['../node_modules/react/index.js:1:19: Expected identifier but found ";"'],
    );
  });

  it("gives ESM imports and CommonJS requires of React React's own objects, as bundling it did", async () => {
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
      jsx: true,
      dom: true,
      removedInReact19: "undefined",
    });
    const { framework, others } = split(output);
    assert.ok(![...others.values()].some((code) => code.includes(REACT_CODE)), `React came from ${framework}`);
  });
});
