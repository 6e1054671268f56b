/**
 * The development loop over HTTP, through Express: a save is served by the next request (a page,
 * its getServerData, a helper outside the pages directory, CSS), pages come and go (in a new nested
 * folder too), a syntax error is reported and fixed without a restart while the other pages keep
 * serving, editor-style saves (a new file renamed over the old) are seen every time, a swap under
 * concurrent requests answers each from one build whole, and close() ends the event streams.
 */
import assert from "node:assert/strict";
import http from "node:http";
import { mkdirSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import express from "express";
import { ssrMiddleware } from "../../adapters/express.js";
import { listenEvents } from "./events.js";
import { writeFileUnder } from "./write-file.js";

const T = { timeout: 30_000 };

/** Inside the repository, so the pages resolve its React. */
function scratch(): string {
  const dir = path.resolve(".tmp");
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe("the development loop", () => {
  let root: string;
  let pagesDir: string;
  let origin: string;
  let server: http.Server;
  let pages: ReturnType<typeof ssrMiddleware>;
  let events: Awaited<ReturnType<typeof listenEvents>>;
  const compileErrors: string[] = [];
  const write = (file: string, text: string) => writeFileUnder(root, file, text);
  const get = async (url: string) => {
    const response = await fetch(origin + url);
    // React separates adjacent text with `<!-- -->`: the assertions read the text.
    return { status: response.status, text: (await response.text()).replaceAll("<!-- -->", "") };
  };

  before(
    async () => {
      root = mkdtempSync(path.join(scratch(), "dev-"));
      pagesDir = path.join(root, "pages");
      write("components/greeting.tsx", `export const greeting = "hello";\n`);
      write(
        "pages/index.tsx",
        `import { greeting } from "../components/greeting";\nimport "./site.css";\nexport function getServerData() { return { props: { n: 1 } }; }\nexport default function Home({ serverData }: { serverData: { n: number } }) { return <h1>{greeting} v1 n={serverData.n}</h1>; }\n`,
      );
      write("pages/site.css", `h1 { color: rgb(1, 1, 1); }\n`);
      write("pages/other.tsx", `export default function Other() { return <p>other page</p>; }\n`);
      pages = ssrMiddleware(pagesDir, {
        dev: true,
        onError: (error, info) => info.phase === "compile" && compileErrors.push(String((error as Error).message)),
      });
      const app = express();
      app.use(pages);
      await pages.ready;
      server = app.listen(0, "127.0.0.1");
      await new Promise((resolve) => server.once("listening", resolve));
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      // Development compiles a page on its first request, and a save rebuilds only what was compiled:
      // both pages are asked for first, so the saves below rebuild them.
      assert.equal((await get("/")).status, 200);
      assert.equal((await get("/other")).status, 200);
      events = await listenEvents(`${origin}/_ssr-pages/events`);
      assert.equal(events.response.headers["content-type"], "text/event-stream; charset=utf-8");
      assert.deepEqual((await events.next()).errors, [], "the state at connect: everything compiles");
    },
    { timeout: 60_000 },
  );

  after(async () => {
    events?.close();
    await pages?.close();
    server?.closeAllConnections();
    server?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  /** Saves, waits for the build it causes, and returns it. */
  async function save(file: string, text: string) {
    write(file, text);
    return events.nextSave();
  }

  it(
    "serves a saved component, getServerData and a helper outside the pages directory from the next request",
    T,
    async () => {
      await save(
        "pages/index.tsx",
        `import { greeting } from "../components/greeting";\nimport "./site.css";\nexport function getServerData() { return { props: { n: 2 } }; }\nexport default function Home({ serverData }: { serverData: { n: number } }) { return <h1>{greeting} v2 n={serverData.n}</h1>; }\n`,
      );
      assert.match((await get("/")).text, /hello v2 n=2/);
      await save("components/greeting.tsx", `export const greeting = "bonjour";\n`);
      assert.match((await get("/")).text, /bonjour v2 n=2/);
    },
  );

  it("serves saved CSS under a new name", T, async () => {
    const before = /<link rel="stylesheet" href="([^"]+)">/.exec((await get("/")).text)?.[1];
    await save("pages/site.css", `h1 { color: rgb(2, 2, 2); }\n`);
    const html = (await get("/")).text;
    const after = /<link rel="stylesheet" href="([^"]+)">/.exec(html)?.[1] ?? "";
    assert.notEqual(after, before);
    assert.match((await get(after)).text, /rgb\(2, 2, 2\)|#020202/);
  });

  it("adds a page in a new nested folder and removes a deleted one", T, async () => {
    mkdirSync(path.join(pagesDir, "deep", "er"), { recursive: true });
    await save("pages/deep/er/page.tsx", `export default function Deep() { return <p>deep page</p>; }\n`);
    assert.match((await get("/deep/er/page")).text, /deep page/);
    unlinkSync(path.join(pagesDir, "deep", "er", "page.tsx"));
    await events.nextSave();
    assert.equal((await get("/deep/er/page")).status, 404, "falls through to the host's 404");
  });

  it(
    "reports a syntax error (event, onError, the page's dev error page), keeps the other pages, and recovers",
    T,
    async () => {
      const broken = await save(
        "pages/other.tsx",
        `export default function Other() { return <p>other page</p> ;;; }}\n`,
      );
      assert.equal(broken.errors.length, 1);
      assert.match(broken.errors[0]?.message ?? "", /^other\.tsx:1:\d+: /);
      assert.ok(
        compileErrors.some((message) => /other\.tsx:1:/.test(message)),
        compileErrors.join("\n"),
      );
      const page = await get("/other");
      assert.equal(page.status, 500);
      assert.match(page.text, /other\.tsx:1:/);
      assert.match((await get("/")).text, /bonjour v2/, "the other pages keep serving");
      const fixed = await save("pages/other.tsx", `export default function Other() { return <p>other fixed</p>; }\n`);
      assert.deepEqual(fixed.errors, []);
      assert.match((await get("/other")).text, /other fixed/);
    },
  );

  it("keeps the last good build serving through a route conflict, and recovers when it goes", T, async () => {
    const conflict = await save("pages/other/index.tsx", `export default function Twin() { return <p>twin</p>; }\n`);
    assert.equal(conflict.errors.length, 1);
    assert.match(conflict.errors[0]?.message ?? "", /other/);
    assert.match((await get("/other")).text, /other fixed/, "the last good build answers");
    rmSync(path.join(pagesDir, "other"), { recursive: true });
    assert.deepEqual((await events.nextSave()).errors, []);
    assert.match((await get("/other")).text, /other fixed/);
  });

  it("sees every save made by writing a new file and renaming it over the old (vim, JetBrains)", T, async () => {
    for (const round of [1, 2, 3]) {
      const temp = path.join(pagesDir, `.other.tsx.tmp${round}`);
      writeFileSync(temp, `export default function Other() { return <p>renamed ${round}</p>; }\n`);
      renameSync(temp, path.join(pagesDir, "other.tsx"));
      await events.nextSave();
      assert.match((await get("/other")).text, new RegExp(`renamed ${round}`));
    }
  });

  it("answers every request of a swap from one build, whole", T, async () => {
    let stop = false;
    const seen: string[] = [];
    const load = (async () => {
      while (!stop) {
        const { status, text } = await get("/");
        assert.equal(status, 200);
        const version = /bonjour (v\d) n=(\d)/.exec(text);
        assert.ok(version, text.slice(0, 300));
        seen.push(`${version[1]}/${version[2]}`);
      }
    })();
    await save(
      "pages/index.tsx",
      `import { greeting } from "../components/greeting";\nimport "./site.css";\nexport function getServerData() { return { props: { n: 3 } }; }\nexport default function Home({ serverData }: { serverData: { n: number } }) { return <h1>{greeting} v3 n={serverData.n}</h1>; }\n`,
    );
    const swappedAt = seen.length;
    await get("/");
    stop = true;
    await load;
    // Before the swap the old page with its old data, after it the new with the new: never mixed.
    assert.ok(
      seen.every((entry) => entry === "v2/2" || entry === "v3/3"),
      seen.join(" "),
    );
    assert.ok(
      seen.slice(swappedAt + 1).every((entry) => entry === "v3/3"),
      "after the build event, only the new build",
    );
  });

  it(
    "sends the browser files uncompressed: each rebuild's would be compressed anew, for a browser on this machine",
    T,
    async () => {
      const html = (await get("/")).text;
      const entry = /<script type="module" src="([^"]+)"/.exec(html)?.[1] ?? "";
      const response = await fetch(origin + entry, { headers: { "accept-encoding": "br, gzip" } });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("content-encoding"), null);
      assert.ok((await response.text()).length > 1000);
    },
  );

  it("close() ends the event streams and stops rebuilding", T, async () => {
    const ended = new Promise((resolve) => events.response.once("end", resolve));
    await pages.close();
    await ended;
    write("pages/other.tsx", `export default function Other() { return <p>after close</p>; }\n`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.doesNotMatch((await get("/other")).text, /after close/);
  });
});

describe("production", () => {
  it("has no event stream and starts no watcher", T, async () => {
    const root = mkdtempSync(path.join(scratch(), "prod-"));
    try {
      writeFileSync(path.join(root, "index.tsx"), `export default function Home() { return <h1>v1</h1>; }\n`);
      const pages = ssrMiddleware(root, { dev: false });
      const app = express();
      app.use(pages);
      await pages.ready;
      const server = app.listen(0, "127.0.0.1");
      await new Promise((resolve) => server.once("listening", resolve));
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      assert.equal((await fetch(`${origin}/_ssr-pages/events`)).status, 404);
      const html = await (await fetch(origin)).text();
      const entry = /<script type="module" src="([^"]+)"/.exec(html)?.[1] ?? "";
      const code = await (await fetch(origin + entry)).text();
      assert.ok(code.length > 1000, "the client entry is served");
      assert.doesNotMatch(code, /EventSource|Failed to compile/, "no dev client code in production");
      writeFileSync(path.join(root, "index.tsx"), `export default function Home() { return <h1>v2</h1>; }\n`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.match(await (await fetch(origin)).text(), /v1/);
      server.close();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
