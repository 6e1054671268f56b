/**
 * styled-components in the server render: class names that do not depend on what the process
 * rendered before (the compile gives components their ids), also when the app re-exports `styled`
 * from one file, and collected styles for a UI kit written with styled-components.
 */
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import { createSsrHandler, type SsrHandler } from "../../src/index.js";
import { project } from "./compile-project.js";

const handlers: SsrHandler[] = [];
after(() => Promise.all(handlers.map((handler) => handler.close())));

async function serve(pagesDir: string): Promise<(url: string) => Promise<string>> {
  const handler = createSsrHandler(pagesDir, { dev: false });
  handlers.push(handler);
  await handler.ready;
  return async (url) => {
    const response = await handler.answer({ method: "GET", url, headers: { host: "localhost" }, base: "" } as never);
    assert.ok(response, url);
    assert.equal(response.status, 200, url);
    return String(response.body);
  };
}

/** The class attribute of the element with `id`. */
const classOf = (html: string, id: string): string =>
  new RegExp(`class="([^"]*)"[^>]*id="${id}"|id="${id}"[^>]*class="([^"]*)"`).exec(html)?.slice(1).find(Boolean) ?? "";

describe("styled-components ids", () => {
  const files = {
    // The app's own `styled`, re-exported for every component: one module creates them all.
    "lib/styled.ts": `export { styled as default } from "styled-components";`,
    "pages/a.tsx": `import styled from "../lib/styled"; const A = styled.p\`color: rgb(1, 1, 1);\`; const A2 = styled.p\`color: rgb(1, 1, 1);\`; export default function Page() { return <><A id="a">a</A><A2 id="a2">a2</A2></>; }`,
    "pages/b.tsx": `import styled from "../lib/styled"; const B = styled.p\`color: rgb(2, 2, 2);\`; export default function Page() { return <B id="b">b</B>; }`,
    "pages/c.tsx": `import styled from "../lib/styled"; const C = styled.p\`color: rgb(1, 1, 1);\`; export default function Page() { return <C id="c">c</C>; }`,
  };

  it("are the same whatever the process rendered before", async () => {
    const pagesDir = project(files, "styled-ids-");
    const first = await serve(pagesDir);
    await first("/a");
    const afterA = classOf(await first("/b"), "b");
    const fresh = await serve(pagesDir);
    const alone = classOf(await fresh("/b"), "b");
    assert.match(afterA, /^sc-[0-9a-f]{8}-\w+ \w+$/);
    assert.equal(afterA, alone);
    // The same text on another page, made through the same file: the same id on both sides too.
    assert.equal(classOf(await first("/c"), "c"), classOf(await (await serve(pagesDir))("/c"), "c"));
  });
});

describe("a UI kit written with styled-components", () => {
  it("has its rules collected into the head, though no file of the app imports styled-components", async () => {
    const pagesDir = project(
      {
        "pages/index.tsx": `import { KitButton } from "fake-kit"; export default function Page() { return <KitButton id="k">k</KitButton>; }`,
      },
      "styled-kit-",
    );
    const kit = path.join(pagesDir, "..", "node_modules", "fake-kit");
    mkdirSync(kit, { recursive: true });
    writeFileSync(
      path.join(kit, "package.json"),
      JSON.stringify({
        name: "fake-kit",
        version: "1.0.0",
        main: "index.js",
        peerDependencies: { "styled-components": ">=6" },
      }),
    );
    writeFileSync(
      path.join(kit, "index.js"),
      `const { styled } = require("styled-components");\nexports.KitButton = styled.button.withConfig({ componentId: "kit-btn" })\`color: rgb(3, 4, 5);\`;\n`,
    );
    const html = await (await serve(pagesDir))("/");
    const head = html.slice(0, html.indexOf("</head>"));
    assert.match(head, /<style[^>]*data-styled[^>]*>[^<]*color:rgb\(3, 4, 5\)/);
  });
});
