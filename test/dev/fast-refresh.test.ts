/**
 * React Fast Refresh in Chromium, on a Gatsby-style site (`src/pages`, `gatsby-browser`): a counter
 * at 3 survives a text edit of its component (in the page, outside the pages directory, in `_app`'s
 * layout, in `gatsby-browser`'s `wrapRootElement`); a change of hooks' order remounts; a
 * module that exports a non-component reaches its importers; a syntax error and a component that
 * throws show the overlay, and the next good save recovers in place with the state kept; a
 * `getServerData` edit reaches the refreshed component without losing its state. No test reloads.
 * And the compile on first request, as the tab sees it: a page nobody asked for never shows its
 * compile error; one first opened through a `Link` compiles and hydrates.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import express from "express";
import type { Browser, Page } from "playwright-core";
import { ssrMiddleware } from "../../adapters/express.js";
import { launchChromium, openRecorded, recordProblems } from "../browser/harness.js";
import { writeFileUnder } from "./write-file.js";

const T = { timeout: 30_000 };

const counter = (label: string) => `import { useState } from "react";
export default function Counter() {
  const [n, setN] = useState(0);
  return <button id="counter" onClick={() => setN(n + 1)}>${label} {n}</button>;
}
`;

const page = (title: string, data: number) => `import { useState } from "react";
import { Link } from "ssr-pages/client";
import Counter from "../components/Counter";
import Badge from "../components/Badge";
import { greeting } from "../components/greeting";
export function getServerData() { return { props: { data: ${data} } }; }
function Local() {
  const [n, setN] = useState(0);
  return <button id="local" onClick={() => setN(n + 1)}>local {n}</button>;
}
export default function Home({ serverData }: { serverData: { data: number } }) {
  return <main><h1 id="title">${title} {greeting} data={serverData.data}</h1><Local /><Counter /><Badge /><Link to="/second">second</Link></main>;
}
`;

const app = (label: string) => `import { useState, type ReactNode } from "react";
import Badge from "../components/Badge";
function Layout({ children }: { children: ReactNode }) {
  const [n, setN] = useState(0);
  return <div><button id="layout" onClick={() => setN(n + 1)}>${label} {n}</button><Badge />{children}</div>;
}
export const wrapPageElement = ({ element }: { element: ReactNode }) => <Layout>{element}</Layout>;
`;

const wrapper = (label: string) => `import { useState, type ReactNode } from "react";
function Provider({ children }: { children: ReactNode }) {
  const [n, setN] = useState(0);
  return <section><button id="root" onClick={() => setN(n + 1)}>${label} {n}</button>{children}</section>;
}
export const wrapRootElement = ({ element }: { element: ReactNode }) => <Provider>{element}</Provider>;
`;

const badge = (label: string) =>
  `export default function Badge() { return <small className="badge">${label}</small>; }\n`;

describe("React Fast Refresh in the browser", () => {
  let root: string;
  let browser: Browser;
  let server: Server;
  let pages: ReturnType<typeof ssrMiddleware>;
  let tab: Page;
  let close: () => Promise<void>;
  const problems: string[] = [];
  const write = (file: string, text: string) => writeFileUnder(root, file, text);
  const textOf = (selector: string) => tab.textContent(selector);
  const marker = () => tab.evaluate(() => (window as { __marker?: string }).__marker);
  /** Saves, then waits until `selector` reads `expected`. */
  async function saveAndSee(file: string, text: string, selector: string, expected: string): Promise<void> {
    write(file, text);
    await tab.locator(selector, { hasText: expected }).waitFor({ timeout: 15_000 });
  }
  async function click(selector: string, times: number): Promise<void> {
    for (let i = 0; i < times; i++) await tab.click(selector);
  }

  before(
    async () => {
      mkdirSync(path.resolve(".tmp"), { recursive: true });
      root = mkdtempSync(path.join(path.resolve(".tmp"), "fast-refresh-"));
      write("src/components/Counter.tsx", counter("count"));
      write("src/components/greeting.ts", `export const greeting = "hello";\n`);
      // Shared by _app and the page: esbuild puts it in a chunk both import.
      write("src/components/Badge.tsx", badge("badge"));
      write("src/pages/index.tsx", page("title-1", 1));
      write("src/pages/_app.tsx", app("layout"));
      // Never asked for until the last tests: one to open through a Link, one that does not compile.
      write(
        "src/pages/second.tsx",
        `import { useState } from "react";\nexport default function Second() { const [n, setN] = useState(0); return <button id="second" onClick={() => setN(n + 1)}>second {n}</button>; }\n`,
      );
      write("src/pages/broken.tsx", `export default function Broken() { return <p>{{</p>; }\n`);
      write("gatsby-browser.tsx", wrapper("root"));
      // As Gatsby sites do: the same wrapper on the server.
      write("gatsby-ssr.tsx", `export { wrapRootElement } from "./gatsby-browser";\n`);
      pages = ssrMiddleware(path.join(root, "src/pages"), { dev: true, onError: () => undefined });
      const host = express();
      host.use(pages);
      await pages.ready;
      server = host.listen(0, "127.0.0.1");
      await new Promise((resolve) => server.once("listening", resolve));
      browser = await launchChromium();
      const opened = await openRecorded(
        browser,
        `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
        recordProblems(problems),
        async (p) => {
          await p.locator("#counter").click();
          await p.locator("#counter", { hasText: "count 1" }).waitFor();
        },
      );
      tab = opened.page;
      close = opened.close;
      await click("#counter", 2);
      await click("#local", 3);
      await click("#layout", 3);
      await click("#root", 3);
      await tab.locator("#counter", { hasText: "count 3" }).waitFor();
      await tab.evaluate(() => ((window as { __marker?: string }).__marker = "same document"));
    },
    { timeout: 60_000 },
  );

  after(async () => {
    await close?.();
    await browser?.close();
    await pages?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it("keeps a counter at 3 through a text edit of its component outside the pages directory", T, async () => {
    await saveAndSee("src/components/Counter.tsx", counter("clicks"), "#counter", "clicks 3");
    assert.equal(await marker(), "same document", "no reload");
  });

  it("keeps the page's own component state through an edit of the page", T, async () => {
    await saveAndSee("src/pages/index.tsx", page("title-2", 1), "#title", "title-2");
    assert.equal(await textOf("#local"), "local 3");
    assert.equal(await textOf("#counter"), "clicks 3");
    assert.equal(await marker(), "same document");
  });

  it("gives the refreshed component a getServerData edit's new data, state kept", T, async () => {
    await saveAndSee("src/pages/index.tsx", page("title-2", 7), "#title", "data=7");
    assert.equal(await textOf("#local"), "local 3");
    assert.equal(await marker(), "same document");
  });

  it("keeps the state of _app's layout through an edit of it", T, async () => {
    await saveAndSee("src/pages/_app.tsx", app("frame"), "#layout", "frame 3");
    assert.equal(await textOf("#counter"), "clicks 3");
    assert.equal(await marker(), "same document");
  });

  it("keeps every state through an edit of a component _app and the page share", T, async () => {
    write("src/components/Badge.tsx", badge("shared"));
    await tab.waitForFunction(
      () => {
        const badges = [...document.querySelectorAll(".badge")];
        return badges.length === 2 && badges.every((badge) => badge.textContent === "shared");
      },
      undefined,
      { timeout: 15_000 },
    );
    assert.equal(await textOf("#layout"), "frame 3");
    assert.equal(await textOf("#counter"), "clicks 3");
    assert.equal(await marker(), "same document");
  });

  it("keeps the state of gatsby-browser's wrapRootElement through an edit of it", T, async () => {
    await saveAndSee("gatsby-browser.tsx", wrapper("wrapper"), "#root", "wrapper 3");
    assert.equal(await textOf("#layout"), "frame 3");
    assert.equal(await marker(), "same document");
  });

  it("brings a non-component module's edit to its importers", T, async () => {
    await saveAndSee("src/components/greeting.ts", `export const greeting = "bonjour";\n`, "#title", "bonjour");
    assert.equal(await textOf("#counter"), "clicks 3", "the component whose own module did not change keeps its state");
    assert.equal(await marker(), "same document");
  });

  it("remounts a component whose hooks changed", T, async () => {
    const changed = counter("hooks").replace(
      "const [n, setN] = useState(0);",
      'const [n, setN] = useState(0);\n  const [, setOther] = useState("x");\n  void setOther;',
    );
    await saveAndSee("src/components/Counter.tsx", changed, "#counter", "hooks 0");
    assert.equal(await textOf("#local"), "local 3", "the others keep theirs");
    assert.equal(await marker(), "same document");
  });

  it("shows a syntax error, and the next good save recovers in place with the state kept", T, async () => {
    await click("#counter", 2);
    await tab.locator("#counter", { hasText: "hooks 2" }).waitFor();
    write("src/components/Counter.tsx", counter("broken").replace("<button", "<button {{"));
    const overlay = tab.locator("#___ssr-pages-error-overlay");
    await overlay.waitFor({ timeout: 15_000 });
    const fixed = counter("fixed").replace(
      "const [n, setN] = useState(0);",
      'const [n, setN] = useState(0);\n  const [, setOther] = useState("x");\n  void setOther;',
    );
    await saveAndSee("src/components/Counter.tsx", fixed, "#counter", "fixed 2");
    await overlay.waitFor({ state: "detached" });
    assert.equal(await marker(), "same document");
  });

  it("shows a component that throws while it renders, and the next good save renders the page again", T, async () => {
    write(
      "src/components/Counter.tsx",
      counter("thrown").replace(
        "const [n, setN] = useState(0);",
        'const [n, setN] = useState(0);\n  if (n >= 0) throw new Error("render broke");',
      ),
    );
    const overlay = tab.locator("#___ssr-pages-error-overlay");
    await overlay.waitFor({ timeout: 15_000 });
    assert.match((await overlay.evaluate((host) => host.shadowRoot?.textContent ?? "")) as string, /render broke/);
    // React unmounted the page when it threw while rendering: the fix renders it anew, as React's rules say.
    await saveAndSee("src/components/Counter.tsx", counter("mended"), "#counter", "mended 0");
    await overlay.waitFor({ state: "detached" });
    assert.equal(await marker(), "same document");
    problems.splice(
      0,
      problems.length,
      ...problems.filter((problem) => !/render broke|The above error occurred/.test(problem)),
    );
  });

  it("remounts the components of a module that exports something else too", T, async () => {
    const mixed = (label: string) => `${counter(label)}export const unit = "x";\n`;
    await saveAndSee("src/components/Counter.tsx", mixed("mixed"), "#counter", "mixed 0");
    await click("#counter", 2);
    await tab.locator("#counter", { hasText: "mixed 2" }).waitFor();
    await saveAndSee("src/components/Counter.tsx", mixed("mixed again"), "#counter", "mixed again 0");
    assert.equal(await marker(), "same document");
  });

  it("shows a module that throws while it loads, and recovers in place", T, async () => {
    await click("#local", 3);
    await tab.locator("#local", { hasText: "local 3" }).waitFor();
    // In the browser only: the server renders the page as before, the new module throws in the tab.
    write(
      "src/components/greeting.ts",
      `if (typeof window !== "undefined") throw new Error("greeting broke");\nexport const greeting = "x";\n`,
    );
    const overlay = tab.locator("#___ssr-pages-error-overlay");
    await overlay.waitFor({ timeout: 15_000 });
    assert.match((await overlay.evaluate((host) => host.shadowRoot?.textContent ?? "")) as string, /greeting broke/);
    await saveAndSee("src/components/greeting.ts", `export const greeting = "hallo";\n`, "#title", "hallo");
    await overlay.waitFor({ state: "detached" });
    assert.equal(await textOf("#local"), "local 3");
    assert.equal(await marker(), "same document");
    // Nothing else reached the console than the answers of the page while it had a syntax error.
    assert.deepEqual(
      problems.filter((problem) => !/status of 500/.test(problem)),
      [],
    );
  });

  it("never shows the compile error of a page nobody asked for, until it is asked for", T, async () => {
    await saveAndSee("src/components/greeting.ts", `export const greeting = "hej";\n`, "#title", "hej");
    assert.equal(await tab.locator("#___ssr-pages-error-overlay").count(), 0);
    const response = await tab.evaluate(() =>
      fetch("/broken").then(async (answer) => ({ status: answer.status, text: await answer.text() })),
    );
    assert.equal(response.status, 500);
    assert.match(response.text, /broken\.tsx/);
  });

  it("compiles a page first asked for through a Link, and it hydrates", T, async () => {
    await tab.click('a[href="/second"]');
    await tab.locator("#second").waitFor({ timeout: 15_000 });
    await click("#second", 2);
    await tab.locator("#second", { hasText: "second 2" }).waitFor();
  });
});
