/**
 * CSS-in-JS on the server (issue 19), with no code of the app's own: styled-components' styles of a
 * render go into `<head>` (collected per request, never shared between requests, outside the `Head`
 * markers), through `_app`, the 404 and the 500 page too; a page or an app without it renders as
 * before and never loads it; a missing copy fails only the pages that need it; emotion keeps inlining
 * its `<style>`s. In Chromium: hydration and client navigation between styled pages, with the
 * styles applied and no console error or warning.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import express from "express";
import type { Browser, Page } from "playwright-core";
import request from "supertest";
import { ssrMiddleware } from "../../adapters/express.js";
import { createSsrHandler, type SsrHandler } from "../../src/index.js";
import { launchChromium, listen, newTestPage, recordProblems, releaseTestPage } from "../browser/harness.js";

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/css-in-js");
const STYLED_VERSION = (
  JSON.parse(readFileSync(path.resolve("node_modules/styled-components/package.json"), "utf8")) as { version: string }
).version;
const requireCache = createRequire(import.meta.url).cache;
/** Whether this process has loaded styled-components (any file of it). */
const styledLoaded = () =>
  Object.keys(requireCache).some((file) =>
    file.includes(`${path.sep}node_modules${path.sep}styled-components${path.sep}`),
  );

/** One answer of `handler`, its body as text. */
async function get(handler: SsrHandler, url: string): Promise<{ status: number; html: string }> {
  const response = await handler.handle({ method: "GET", url, base: "", headers: {} });
  assert.ok(response, `${url} matched a page`);
  return { status: response.status, html: String(response.body) };
}

const headOf = (html: string) => html.slice(html.indexOf("<head>"), html.indexOf("</head>"));
const bodyOf = (html: string) => html.slice(html.indexOf("<body"));
/** styled-components' server tags, whole. */
const styledTags = (html: string) => html.match(/<style data-styled="true"[^>]*>[\s\S]*?<\/style>/g) ?? [];
/** The class names of the element with `id`. */
function classesOf(html: string, id: string): string[] {
  const match =
    new RegExp(`id="${id}" class="([^"]*)"`).exec(html) ?? new RegExp(`class="([^"]*)"[^>]*id="${id}"`).exec(html);
  assert.ok(match, `#${id} has a class`);
  return (match[1] ?? "").split(" ");
}

// Before any styled app is served: the check that an app without it never loads it means nothing
// if something else loaded it first.
describe("an app without styled-components", () => {
  it("is not loaded before the first styled app is served (the checks below rely on it)", () => {
    assert.equal(styledLoaded(), false);
  });

  it("renders its pages with no collector and never loads styled-components", async () => {
    const handler = createSsrHandler(path.join(FIXTURES, "none"), {
      dev: false,
      client: true,
      onError: (error) => assert.fail(String(error)),
    });
    try {
      for (const url of ["/", "/about", "/about", "/page-data/about/page-data.json"]) {
        const { status, html } = await get(handler, url);
        assert.equal(status, 200);
        assert.doesNotMatch(html, /<style/);
      }
      assert.equal(styledLoaded(), false, "styled-components was loaded");
    } finally {
      await handler.close();
    }
  });

  it("keeps emotion's own <style> before its elements, in the body, and never loads styled-components", async () => {
    const handler = createSsrHandler(path.join(FIXTURES, "emotion"), {
      dev: false,
      client: true,
      onError: (error) => assert.fail(String(error)),
    });
    try {
      const { status, html } = await get(handler, "/");
      assert.equal(status, 200);
      assert.equal(styledTags(html).length, 0);
      assert.doesNotMatch(headOf(html), /<style/);
      const [, title] =
        classesOf(html, "title")
          .join(" ")
          .match(/^(css-\w+)$/) ?? [];
      assert.ok(title, "emotion's class on the title");
      const body = bodyOf(html);
      const rule = body.indexOf(`.${title}{color:rgb(0, 100, 200);}`);
      assert.ok(rule > 0 && rule < body.indexOf('id="title"'), "the title's rule is inlined before it");
      assert.match(body, /<style data-emotion="css \w+">/);
      assert.equal(styledLoaded(), false, "styled-components was loaded");
    } finally {
      await handler.close();
    }
  });
});

// Second, before any other styled page has been loaded in this process: styled-components numbers
// its components per process, in the order their modules first run (the server's counter goes on
// across handlers), and the browser numbers them from one for each document. A page is hydrated with
// the server's class names only while the two orders agree (see the todo test).
describe("in Chromium: hydration and client navigation", () => {
  let browser: Browser;
  before(
    async () => {
      browser = await launchChromium();
    },
    { timeout: 30_000 },
  );
  after(() => browser?.close());

  /** Serves `fixture` (development build: React reports hydration mismatches only there), runs `body`, stops. */
  async function serving(fixture: string, body: (origin: string) => Promise<void>): Promise<void> {
    const pages = ssrMiddleware(path.join(FIXTURES, fixture), {
      dev: true,
      watch: false,
      onError: (error) => assert.fail(String(error)),
    });
    const app = express();
    app.use(pages);
    await pages.ready;
    const { server, origin } = await listen(app);
    try {
      await body(origin);
    } finally {
      server.closeAllConnections();
      server.close();
      await pages.close();
    }
  }

  /** A tab of its own on `url` (newTestPage), hydrated; `problems` gets every console error and warning (a hydration mismatch is one), and every uncaught error. */
  async function open(
    url: string,
  ): Promise<{ page: Page; problems: string[]; documents: string[]; close: () => Promise<void> }> {
    const page = await newTestPage(browser);
    const problems: string[] = [];
    const documents: string[] = [];
    // The development client asks for its event stream, which only a watching server serves (these
    // tests do not watch).
    recordProblems(problems, { warnings: true, ignore: (url) => url.endsWith("/_ssr-pages/events") })(page);
    page.on("request", (sent) => void (sent.resourceType() === "document" && documents.push(sent.url())));
    await page.goto(url);
    await hydrated(page);
    return { page, problems, documents, close: () => releaseTestPage(page) };
  }

  const hydrated = (page: Page) => page.waitForSelector("#hydrated[data-hydrated]", { state: "attached" });
  const color = (page: Page, selector: string, property = "color") =>
    page.evaluate(
      ([selector, property]) =>
        getComputedStyle(document.querySelector(selector as string) as Element).getPropertyValue(property as string),
      [selector, property],
    );
  /** The document's styled-components tags: `active` is the browser runtime's own, `true` a server tag not taken over. */
  const styledState = (page: Page) =>
    page.evaluate(() =>
      [...document.querySelectorAll("style[data-styled]")].map(
        (tag) => `${tag.getAttribute("data-styled")} in ${tag.parentElement?.tagName}`,
      ),
    );

  it(
    "styled-components: a direct visit hydrates with the server's styles, and a Link to another styled page and back keeps them right, with no warning",
    { timeout: 60_000 },
    async () => {
      await serving("styled", async (origin) => {
        const { page, problems, documents, close } = await open(`${origin}/`);
        try {
          assert.equal(await color(page, "#title"), "rgb(200, 0, 0)");
          assert.equal(await color(page, "#tone"), "rgb(0, 0, 200)");
          assert.equal(await color(page, "body", "background-color"), "rgb(250, 250, 240)");
          assert.deepEqual(await styledState(page), ["active in HEAD"], "the runtime took the server's tag over");
          await page.click("#to-other");
          await page.locator("#title", { hasText: "Styled other" }).waitFor();
          assert.equal(await color(page, "#title"), "rgb(0, 128, 0)");
          assert.equal(await color(page, "#box", "width"), "300px");
          assert.equal(
            await color(page, "body", "background-color"),
            "rgba(0, 0, 0, 0)",
            "the global style went with its page",
          );
          await page.click("#to-home");
          await page.locator("#title", { hasText: "Styled home" }).waitFor();
          assert.equal(await color(page, "#title"), "rgb(200, 0, 0)");
          assert.equal(await color(page, "body", "background-color"), "rgb(250, 250, 240)");
          assert.equal(documents.length, 1, "client navigations, no reload");
          assert.deepEqual(problems, []);
        } finally {
          await close();
        }
      });
    },
  );

  it(
    "styled-components: a direct visit to a page the server loaded after another styled page hydrates with no warning",
    {
      timeout: 60_000,
      // styled-components numbers its components in the order their modules run: the server ran /
      // first, the browser only runs /other. The compile gives each component an id from its file
      // and its place in it (compile/styled-ids.ts), the same in both builds.
    },
    async () => {
      await serving("styled", async (origin) => {
        const first = await fetch(`${origin}/`);
        assert.equal(first.status, 200);
        const { page, problems, close } = await open(`${origin}/other`);
        try {
          assert.equal(await color(page, "#title"), "rgb(0, 128, 0)");
          assert.deepEqual(problems, []);
        } finally {
          await close();
        }
      });
    },
  );

  it(
    "emotion: a direct visit and a Link to another page and back, styled, with no warning",
    { timeout: 60_000 },
    async () => {
      await serving("emotion", async (origin) => {
        const { page, problems, documents, close } = await open(`${origin}/`);
        try {
          assert.equal(await color(page, "#title"), "rgb(0, 100, 200)");
          assert.equal(await color(page, "#tone"), "rgb(10, 20, 30)");
          await page.click("#to-other");
          await page.locator("#title", { hasText: "Emotion other" }).waitFor();
          assert.equal(await color(page, "#title"), "rgb(120, 0, 120)");
          await page.click("#to-home");
          await page.locator("#title", { hasText: "Emotion home" }).waitFor();
          assert.equal(await color(page, "#title"), "rgb(0, 100, 200)");
          assert.equal(documents.length, 1);
          assert.deepEqual(problems, []);
        } finally {
          await close();
        }
      });
    },
  );
});

describe("styled-components", () => {
  let handler: SsrHandler;
  const errors: unknown[] = [];
  before(async () => {
    handler = createSsrHandler(path.join(FIXTURES, "styled"), {
      dev: false,
      client: true,
      onError: (error) => errors.push(error),
    });
    await handler.ready;
  });
  after(() => handler.close());

  it("puts this render's rules in <head>, after the Head markers and the links, as one tag the browser runtime takes over", async () => {
    const { status, html } = await get(handler, "/");
    assert.equal(status, 200);
    const tags = styledTags(html);
    assert.equal(tags.length, 1, "one tag");
    const tag = tags[0] ?? "";
    assert.ok(tag.startsWith(`<style data-styled="true" data-styled-version="${STYLED_VERSION}">`), tag.slice(0, 80));
    const head = headOf(html);
    assert.ok(head.includes(tag), "in <head>");
    assert.ok(head.indexOf(tag) > head.indexOf("<!--/ssr-pages-head-->"), "outside the markers the router swaps");
    assert.ok(head.indexOf(tag) > head.indexOf('<link rel="modulepreload"'), "after the page's links");
    assert.doesNotMatch(bodyOf(html), /<style/, "nothing inlined in the body");
    // The classes the elements carry are the ones the rules are for.
    const [titleId, titleClass] = classesOf(html, "title");
    assert.match(titleId ?? "", /^sc-/);
    assert.ok(tag.includes(`.${titleClass}{color:rgb(200, 0, 0);}`), "the styled.h1's rule");
    assert.ok(tag.includes(`[id="${titleId}"]`), "its component id, for rehydration");
    assert.ok(tag.includes("body{background-color:rgb(250, 250, 240);}"), "createGlobalStyle's rule");
    assert.ok(tag.includes(`.${classesOf(html, "tone")[1]}{color:rgb(0, 0, 200);}`), "the prop-dependent rule");
  });

  it("gives each request its own rules: concurrent requests with different props, then one after another", async () => {
    const tones = Array.from({ length: 12 }, (_, i) => `rgb(${i + 1}, ${i + 2}, ${i + 3})`);
    const check = (html: string, tone: string) => {
      const tag = styledTags(html).join("");
      assert.ok(tag.includes(`{color:${tone};}`), `its own tone ${tone}`);
      for (const other of tones) if (other !== tone) assert.ok(!tag.includes(other), `${tone}'s page has ${other}`);
      assert.ok(!tag.includes("rgb(0, 0, 200)"), "no rule of an earlier request");
      // The same rules once, not once per request served so far.
      assert.equal(tag.split("color:rgb(200, 0, 0)").length, 2);
    };
    // getServerData awaits before it returns, so these are all in flight together.
    const answers = await Promise.all(tones.map((tone) => get(handler, `/?tone=${encodeURIComponent(tone)}`)));
    answers.forEach(({ html }, i) => check(html, tones[i] as string));
    for (const tone of tones.slice(0, 3)) check((await get(handler, `/?tone=${encodeURIComponent(tone)}`)).html, tone);
  });

  it("renders a page of the same app that does not use it with no styled tags", async () => {
    const { status, html } = await get(handler, "/plain");
    assert.equal(status, 200);
    assert.equal(styledTags(html).length, 0);
    assert.doesNotMatch(html, /<style|data-styled/);
  });

  it("drops the rules of a render that threw: its 500 has none, and the next request only its own", async () => {
    errors.length = 0;
    const failed = await get(handler, "/boom?boom=1");
    assert.equal(failed.status, 500);
    assert.doesNotMatch(failed.html, /data-styled|rgb\(9, 9, 9\)/);
    assert.match(String(errors[0]), /boom while rendering/);
    const next = await get(handler, "/other");
    assert.equal(next.status, 200);
    assert.doesNotMatch(next.html, /rgb\(9, 9, 9\)/);
    assert.ok(styledTags(next.html)[0]?.includes("color:rgb(0, 128, 0)"));
    const again = await get(handler, "/boom");
    assert.equal(again.status, 200);
    assert.equal(styledTags(again.html)[0]?.split("rgb(9, 9, 9)").length, 2, "its rule, once");
  });

  it("keeps a </style> in a rule from ending the style element", async () => {
    const { html } = await get(handler, "/quote");
    const head = headOf(html);
    // The first `</style` after the tag opens is where the browser ends it: the tag's own closing tag.
    const close = head.indexOf("</style", head.indexOf("<style data-styled"));
    assert.equal(head.slice(close), "</style>", "the style element ends where styled-components ends it");
    assert.ok(
      head.slice(0, close).includes(String.raw`content:"<\/style><script>window.__injected = 1<\/script>";`),
      "the text, escaped the CSS way",
    );
  });

  it("answers page data without collecting anything", async () => {
    const { status, html } = await get(handler, "/page-data/index/page-data.json");
    assert.equal(status, 200);
    assert.doesNotMatch(html, /data-styled/);
  });
});

describe("styled-components through _app, the 404 and the 500 page", () => {
  let handler: SsrHandler;
  before(async () => {
    handler = createSsrHandler(path.join(FIXTURES, "styled-app"), {
      dev: false,
      client: true,
      onError: () => undefined,
    });
    await handler.ready;
  });
  after(() => handler.close());

  it("collects _app's styled components on a page that does not import styled-components itself", async () => {
    const { status, html } = await get(handler, "/");
    assert.equal(status, 200);
    const tag = styledTags(html)[0] ?? "";
    assert.ok(headOf(html).includes(tag) && tag !== "");
    assert.ok(tag.includes("html{color:rgb(1, 2, 3);}"), "_app's global style");
    assert.ok(tag.includes(`.${classesOf(html, "frame")[1]}{border:3px solid rgb(4, 5, 6);}`), "_app's wrapper");
  });

  it("collects the 404 page's styles, from the final handler and from the express adapter", async () => {
    const response = await handler.notFound({ method: "GET", url: "/nowhere", base: "", headers: {} });
    assert.equal(response.status, 404);
    const tag = styledTags(String(response.body))[0] ?? "";
    assert.ok(tag.includes("color:rgb(44, 0, 4)") && tag.includes("rgb(4, 5, 6)"), "the 404 page's rule and _app's");
    const pages = ssrMiddleware(path.join(FIXTURES, "styled-app"), { dev: false, onError: () => undefined });
    try {
      const app = express();
      app.use(pages);
      app.use(pages.notFound);
      const res = await request(app).get("/no/such/page").expect(404);
      assert.ok(headOf(res.text).includes("color:rgb(44, 0, 4)"), "in <head>");
    } finally {
      await pages.close();
    }
  });

  it("collects the 500 page's styles", async () => {
    const { status, html } = await get(handler, "/fails");
    assert.equal(status, 500);
    const tag = styledTags(html)[0] ?? "";
    assert.ok(headOf(html).includes(tag));
    assert.ok(tag.includes("color:rgb(50, 0, 0)") && tag.includes("rgb(4, 5, 6)"), "the 500 page's rule and _app's");
  });
});

describe("a styled page whose app cannot load styled-components", () => {
  let root: string;
  const handlers: Record<string, SsrHandler> = {};
  const errors: string[] = [];
  before(async () => {
    // Outside the repository, with React but no styled-components to resolve.
    root = mkdtempSync(path.join(os.tmpdir(), "ssr-pages-no-styled-"));
    mkdirSync(path.join(root, "node_modules"));
    for (const name of ["react", "react-dom"])
      symlinkSync(path.resolve("node_modules", name), path.join(root, "node_modules", name), "dir");
    const write = (file: string, text: string) => {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    };
    const fine = `export default function Fine() { return <p>fine</p>; }\n`;
    write(
      "imports/direct.tsx",
      `import styled from "styled-components";\nconst T = styled.p\`color: red;\`;\nexport default function Direct() { return <T>x</T>; }\n`,
    );
    write("imports/fine.tsx", fine);
    // Reaches it through a require of its own, which the page survives (a failed `import` would fail
    // it first, as any page's missing package does): only the collector can fail here.
    write(
      "requires/optional.tsx",
      `let sc: unknown;\ntry { sc = require("styled-components"); } catch { sc = undefined; }\nexport default function Optional() { return <p>{sc ? "with" : "without"}</p>; }\n`,
    );
    write("requires/fine.tsx", fine);
    for (const dir of ["imports", "requires"]) {
      const handler = createSsrHandler(path.join(root, dir), {
        dev: false,
        client: false,
        onError: (error) => errors.push(String(error)),
      });
      await handler.ready;
      handlers[dir] = handler;
    }
  });
  after(async () => {
    for (const handler of Object.values(handlers)) await handler.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("fails a page that imports it, as any missing package, and serves the others", async () => {
    const handler = handlers.imports as SsrHandler;
    assert.equal((await get(handler, "/direct")).status, 500);
    assert.match(errors.join("\n"), /direct\.tsx imports the package "styled-components", which is not installed/);
    assert.equal((await get(handler, "/fine")).status, 200);
  });

  it("fails a page whose collector cannot load it, naming the page and the package, every time, and serves the others", async () => {
    const handler = handlers.requires as SsrHandler;
    errors.length = 0;
    assert.equal((await get(handler, "/optional")).status, 500);
    assert.equal((await get(handler, "/optional")).status, 500, "and again, from the kept failure");
    assert.equal(errors.length, 2);
    for (const error of errors)
      assert.match(
        error,
        /optional\.tsx renders with the package "styled-components" \(its styles are collected per request\), which is not installed/,
      );
    const fine = await get(handler, "/fine");
    assert.equal(fine.status, 200);
    assert.match(fine.html, /<p>fine<\/p>/);
  });
});
