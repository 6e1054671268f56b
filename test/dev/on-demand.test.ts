/**
 * Development compiles a page on its first request (issue 23), over HTTP through Express: `ready`
 * settles with nothing compiled (no esbuild process, no compile error reported); the first request of
 * a page (HTML or page data) compiles it, server and browser code, and its files are served, those
 * of older builds too; first requests that come together share a compile; a never-requested page
 * costs nothing on save and its errors show only once it is asked for; saves rebuild the pages asked
 * for; pages come and go; the 404 page compiles for `notFound`; a compile that fails as a whole
 * answers the requests that waited with a 500 and the next request retries; `close()` works before
 * any compile and during one. In Chromium: a Link to a page not compiled yet shows it, hydrated, with
 * one React.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import express from "express";
import { ssrMiddleware } from "../../adapters/express.js";
import { launchChromium, recordProblems } from "../browser/harness.js";
import { listenEvents, type BuildEvent, type EventReader } from "./events.js";
import { writeFileUnder } from "./write-file.js";

const T = { timeout: 60_000 };

/** A scratch folder inside the repository, so the pages resolve its React. */
function scratch(prefix: string): string {
  const dir = path.resolve(".tmp");
  mkdirSync(dir, { recursive: true });
  return mkdtempSync(path.join(dir, prefix));
}

/**
 * The esbuild services this process runs (child processes). tsx, which runs these tests, has one of
 * its own: a test compares the set with one taken before.
 */
function esbuildServices(): Set<number> {
  const children = execFileSync("ps", ["-o", "pid=,comm=", "--ppid", String(process.pid)], { encoding: "utf8" });
  const pids = children
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter(([, name]) => name === "esbuild");
  return new Set(pids.map(([pid]) => Number(pid)));
}

/** Whether an esbuild service runs that was not among `before`. */
function newService(before: ReadonlySet<number>): boolean {
  return [...esbuildServices()].some((pid) => !before.has(pid));
}

const simplePage = (name: string, text = name) =>
  `export default function Page() { return <p id="page">${text} page</p>; }\nexport function getServerData() { return { props: { name: ${JSON.stringify(name)} } }; }\n`;

/** An Express app around a dev middleware of `pagesDir`, with a final handler that answers `notFound`. */
async function serve(pagesDir: string, onError: (error: unknown, info: { phase: string }) => void) {
  const pages = ssrMiddleware(pagesDir, { dev: true, onError });
  const app = express();
  app.use(pages);
  app.use(pages.notFound);
  await pages.ready;
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const stop = async () => {
    await pages.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return { pages, server, origin, stop };
}

/** The `/_ssr-pages/` files an HTML document names (its entry, modules and stylesheets). */
function servedFiles(html: string): string[] {
  return [...html.matchAll(/(?:src|href)="(\/_ssr-pages\/[^"]+)"/g)].map((match) => match[1] as string);
}

describe("on-demand compile in development", () => {
  let root: string;
  let pagesDir: string;
  let app: Awaited<ReturnType<typeof serve>>;
  let events: EventReader;
  /** Every build event, in order. */
  const seen: BuildEvent[] = [];
  const compileErrors: string[] = [];
  let esbuildAtReady: boolean;
  const write = (file: string, text: string) => writeFileUnder(root, file, text);
  const get = async (url: string) => {
    const response = await fetch(app.origin + url);
    return { status: response.status, text: (await response.text()).replaceAll("<!-- -->", "") };
  };
  const since = (count: number) => seen.slice(count);

  before(async () => {
    root = scratch("on-demand-");
    pagesDir = path.join(root, "pages");
    write("components/label.tsx", `export const label = "label-1";\n`);
    write(
      "pages/index.tsx",
      `import { label } from "../components/label";\nexport default function Home() { return <h1 id="page">{label} home</h1>; }\n`,
    );
    for (const name of ["a", "b", "c", "d", "e", "f", "g", "never"]) write(`pages/${name}.tsx`, simplePage(name));
    write("pages/broken.tsx", `export default function Broken() { return <p>broken</p> ;;; }}\n`);
    write("pages/404.tsx", `export default function NotFound() { return <p id="page">custom not found</p>; }\n`);
    write(
      "pages/_app.tsx",
      `import type { ReactNode } from "react";\nexport const wrapRootElement = ({ element }: { element: ReactNode }) => <main>{element}</main>;\n`,
    );
    const services = esbuildServices();
    app = await serve(
      pagesDir,
      (error, info) => info.phase === "compile" && compileErrors.push(String((error as Error).message)),
    );
    esbuildAtReady = newService(services);
    events = await listenEvents(`${app.origin}/_ssr-pages/events`);
    void (async () => {
      for (;;) seen.push(await events.next());
    })();
  }, T);

  after(async () => {
    events?.close();
    await app?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  /** The first event (already seen or still to come) that `match`es, after the one the test waited for last. */
  let waited = 0;
  async function waitFor(match: (event: BuildEvent) => boolean): Promise<BuildEvent> {
    for (let tries = 0; tries < 300; tries++) {
      const index = seen.findIndex((event, at) => at >= waited && match(event));
      if (index !== -1) {
        waited = index + 1;
        return seen[index] as BuildEvent;
      }
      await delay(50);
    }
    throw new Error(`no such build event in ${JSON.stringify(seen.map((event) => [event.cause, event.changed]))}`);
  }

  it(
    "settles ready without compiling: no esbuild process, no compile error, a start build of the routes",
    T,
    async () => {
      assert.equal(esbuildAtReady, false, "esbuild's service is not running at ready");
      assert.deepEqual(compileErrors, [], "the broken page is not reported");
      const start = await waitFor(() => true);
      assert.equal(start.cause, "start");
      assert.deepEqual(start.errors, []);
      assert.equal(start.entry, undefined, "no browser build yet");
      assert.deepEqual(start.changed, []);
    },
  );

  it("compiles a page on its first request: 200, and its module and the entry are served", T, async () => {
    const page = await get("/a");
    assert.equal(page.status, 200, page.text.slice(0, 500));
    assert.match(page.text, /a page/);
    const files = servedFiles(page.text);
    assert.ok(
      files.some((file) => /\/p\d+-\w+\.js$/.test(file)),
      `a page module in ${files.join(" ")}`,
    );
    assert.ok(
      files.some((file) => /\/entry-\w+\.js$/.test(file)),
      "the client entry",
    );
    for (const file of files) assert.equal((await fetch(app.origin + file)).status, 200, file);
    const built = await waitFor((event) => event.cause === "request");
    assert.deepEqual(built.changed, []);
    assert.deepEqual(built.errors, [], "only what was asked for is compiled: not the broken page");
    assert.deepEqual(compileErrors, []);
    const data = JSON.parse((await get("/page-data/a/page-data.json")).text) as { buildId: string };
    assert.match(data.buildId, /^dev-/, "a development build id of its browser build");
  });

  it("compiles a second page asked for later, by its page data; the first page's files stay served", T, async () => {
    const first = servedFiles((await get("/a")).text);
    const data = await get("/page-data/b/page-data.json");
    assert.equal(data.status, 200, data.text.slice(0, 300));
    const body = JSON.parse(data.text) as { module?: string; result: { serverData: unknown } };
    assert.deepEqual(body.result.serverData, { name: "b" });
    const html = await get("/b");
    assert.equal(html.status, 200);
    for (const file of servedFiles(html.text)) assert.equal((await fetch(app.origin + file)).status, 200, file);
    for (const file of first) assert.equal((await fetch(app.origin + file)).status, 200, `${file} of the build before`);
  });

  it("gathers first requests of five pages into few compiles", T, async () => {
    const count = seen.length;
    const answers = await Promise.all(["c", "d", "e", "f", "g"].map((name) => get(`/${name}`)));
    assert.deepEqual(
      answers.map((answer) => answer.status),
      [200, 200, 200, 200, 200],
    );
    answers.forEach((answer, index) => assert.match(answer.text, new RegExp(`${"cdefg"[index]} page`)));
    await delay(100);
    const compiles = since(count).filter((event) => event.cause === "request").length;
    assert.ok(compiles >= 1 && compiles <= 2, `${compiles} compiles`);
  });

  it("builds nothing on a save of a page never asked for", T, async () => {
    const count = seen.length;
    write("pages/never.tsx", simplePage("never", "never, saved"));
    await delay(600);
    assert.deepEqual(since(count), [], "no build");
  });

  it("shows a never-requested page's syntax error only once it is asked for, then recovers on save", T, async () => {
    assert.ok(
      seen.every((event) => event.errors.length === 0),
      "no build reported it",
    );
    assert.deepEqual(compileErrors, []);
    const broken = await get("/broken");
    assert.equal(broken.status, 500);
    assert.match(broken.text, /broken\.tsx:1:\d+/);
    assert.ok(
      compileErrors.some((message) => /broken\.tsx:1:/.test(message)),
      compileErrors.join("\n"),
    );
    const built = await waitFor((event) => event.cause === "request" && event.errors.length > 0);
    assert.match(built.errors[0]?.message ?? "", /^broken\.tsx:1:\d+: /, "the request build carries it");
    assert.equal((await get("/a")).status, 200, "the other pages keep serving");
    write("pages/broken.tsx", `export default function Broken() { return <p>broken, fixed</p>; }\n`);
  });

  it("rebuilds a requested page on save (changed names it), and the next request has the new code", T, async () => {
    // The save that fixed broken.tsx (the test before) is built first.
    const fixed = await waitFor((event) => event.cause === "save" && event.changed.includes("broken.tsx"));
    assert.deepEqual(fixed.errors, []);
    assert.match((await get("/broken")).text, /broken, fixed/);
    const before = (JSON.parse((await get("/page-data/a/page-data.json")).text) as { buildId: string }).buildId;
    write("pages/a.tsx", simplePage("a", "a, saved"));
    const saved = await waitFor((event) => event.cause === "save" && event.changed.includes("a.tsx"));
    assert.deepEqual(saved.changed, ["a.tsx"], "relative to the pages directory");
    assert.match((await get("/a")).text, /a, saved page/);
    const after = (JSON.parse((await get("/page-data/a/page-data.json")).text) as { buildId: string }).buildId;
    assert.equal(after, before, "a save of a page's text keeps the build id: an open tab updates in place");
    write("components/label.tsx", `export const label = "label-2";\n`);
    assert.equal((await get("/")).status, 200); // compiles the home page, which imports the label
    write("components/label.tsx", `export const label = "label-3";\n`);
    const outside = await waitFor(
      (event) => event.cause === "save" && event.changed.some((file) => file.endsWith("label.tsx")),
    );
    assert.deepEqual(
      outside.changed,
      [path.join(root, "components", "label.tsx")],
      "absolute outside the pages directory",
    );
    assert.match((await get("/")).text, /label-3 home/);
  });

  it("serves a page added after start (compiled when asked for) and stops serving a deleted one", T, async () => {
    write("pages/fresh.tsx", simplePage("fresh"));
    const added = await waitFor((event) => event.cause === "save" && event.changed.includes("fresh.tsx"));
    assert.deepEqual(added.errors, []);
    const fresh = await get("/fresh");
    assert.equal(fresh.status, 200);
    assert.match(fresh.text, /fresh page/);
    unlinkSync(path.join(pagesDir, "b.tsx"));
    await waitFor((event) => event.cause === "save" && event.changed.includes("b.tsx"));
    const count = seen.length;
    const gone = await get("/b");
    assert.equal(gone.status, 404);
    assert.match(gone.text, /custom not found/, "the 404 page, through notFound");
    await delay(100);
    assert.deepEqual(since(count), [], "the 404 page came with the pages compiled before: no compile for it");
  });
});

describe("on-demand compile: the 404 page, close(), a compile that fails as a whole", () => {
  it("compiles the 404 page for notFound when nothing else was asked for", T, async () => {
    const root = scratch("on-demand-404-");
    try {
      writeFileSync(path.join(root, "index.tsx"), simplePage("index"));
      writeFileSync(
        path.join(root, "404.tsx"),
        `export default function NotFound() { return <p>custom not found</p>; }\n`,
      );
      const app = await serve(root, () => undefined);
      try {
        const missing = await fetch(`${app.origin}/nowhere`);
        assert.equal(missing.status, 404);
        assert.match(await missing.text(), /custom not found/);
      } finally {
        await app.stop();
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("closes before any compile, and during a compile a request caused (that request gets a 500)", T, async () => {
    const root = scratch("on-demand-close-");
    try {
      writeFileSync(path.join(root, "index.tsx"), simplePage("index"));
      const services = esbuildServices();
      const idle = await serve(root, () => undefined);
      await idle.stop();
      assert.equal(newService(services), false);
      const busy = await serve(root, () => undefined);
      const answered = fetch(busy.origin).then(async (response) => ({
        status: response.status,
        text: await response.text(),
      }));
      // The request is in and its compile under way once esbuild's service runs.
      for (let tries = 0; tries < 200 && !newService(services); tries++) await delay(10);
      await busy.pages.close();
      // Answered at once, not when the compile ends: a 500 saying why (development shows the message).
      const { status, text } = await answered;
      assert.equal(status, 500);
      assert.match(text, /closed before the page was compiled/);
      busy.server.closeAllConnections();
      busy.server.close();
      for (let tries = 0; tries < 100 && newService(services); tries++) await delay(20);
      assert.equal(newService(services), false, "esbuild's service stopped");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it(
    "answers the requests of a compile that failed as a whole with a 500, and retries on the next request",
    T,
    async () => {
      // A Gatsby site whose config throws: the compile reads it first, and fails as a whole.
      const root = scratch("on-demand-site-");
      const errors: string[] = [];
      try {
        mkdirSync(path.join(root, "src", "pages"), { recursive: true });
        writeFileSync(path.join(root, "gatsby-config.js"), `throw new Error("the config is broken");\n`);
        writeFileSync(path.join(root, "src", "pages", "index.tsx"), simplePage("index"));
        const app = await serve(path.join(root, "src", "pages"), (error) =>
          errors.push(String((error as Error).message)),
        );
        try {
          const first = await fetch(app.origin);
          assert.equal(first.status, 500);
          assert.match(await first.text(), /the config is broken/, "development shows the message");
          const again = await fetch(app.origin);
          assert.equal(again.status, 500, "a new compile, failed again: not a hang");
          writeFileSync(
            path.join(root, "gatsby-config.js"),
            `module.exports = { siteMetadata: { title: "fixed" } };\n`,
          );
          await delay(300);
          const fixed = await fetch(app.origin);
          assert.equal(fixed.status, 200);
          assert.match(await fixed.text(), /index page/);
          assert.ok(
            errors.some((message) => /the config is broken/.test(message)),
            errors.join("\n"),
          );
        } finally {
          await app.stop();
        }
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  );
});

describe("on-demand compile in the browser", () => {
  it(
    "a Link to a page not compiled yet shows it hydrated: one React, no page module of another build next to the tab's",
    T,
    async () => {
      const root = scratch("on-demand-browser-");
      const browser = await launchChromium();
      try {
        writeFileSync(
          path.join(root, "index.tsx"),
          `import { Link } from "ssr-pages/client";\nexport default function Home() { return <main><h1>home</h1><Link id="go" to="/later">later</Link></main>; }\n`,
        );
        writeFileSync(
          path.join(root, "later.tsx"),
          `import { useState } from "react";\nexport default function Later() { const [n, setN] = useState(0); return <button id="count" onClick={() => setN(n + 1)}>count {n}</button>; }\n`,
        );
        const app = await serve(root, () => undefined);
        try {
          const tab = await browser.newPage();
          const problems: string[] = [];
          recordProblems(problems)(tab);
          await tab.goto(app.origin);
          await tab.waitForFunction(() => document.querySelector("#go") !== null);
          await delay(300); // hydrated
          await tab.click("#go");
          await tab.locator("#count").waitFor({ timeout: 20_000 });
          await delay(300);
          await tab.click("#count");
          await tab.locator("#count", { hasText: "count 1" }).waitFor({ timeout: 10_000 });
          assert.deepEqual(problems, []);
        } finally {
          await app.stop();
        }
      } finally {
        await browser.close();
        rmSync(root, { recursive: true, force: true });
      }
    },
  );
});
