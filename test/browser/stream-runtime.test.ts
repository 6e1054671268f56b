/**
 * The browser's side of React's streaming instructions (client/stream-runtime.ts), in Chromium under
 * `Content-Security-Policy: script-src 'self'`: a document really streamed (React's shell, then each
 * later flush of `renderToPipeableStream`, rewritten by render/stream-instructions.ts, 300 ms
 * apart, on one open connection), and one module script, the runtime bundled with a few lines that
 * start it and hydrate the same tree with react-dom/client. Each fallback shows, then its content
 * in its place (nested boundaries, a boundary completed in parts, a lazy component, a boundary with
 * a stylesheet shown only once the stylesheet has loaded); a boundary that failed on the server is
 * rendered by the browser, as React does; the page hydrates, with a click handler inside a streamed
 * boundary working, no CSP violation, no console error, and no hydration error. Deferred values'
 * elements go to `onValue` in order. Also: the runtime arriving after the whole document, a data
 * element cut in two by the network, a form submitted before hydration (replayed), a boundary's
 * stylesheet failing to load (the boundary rendered by the browser).
 */
import assert from "node:assert/strict";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { Writable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { Browser, Page } from "playwright-core";
import * as React from "react";
import type { ReactNode } from "react";
import { renderToPipeableStream } from "react-dom/server";
import { rewriteInstructions } from "../../src/render/stream-instructions.js";
import {
  launchChromium,
  listen,
  newTestPage,
  recordProblems,
  releaseTestPage,
  reportCspViolations,
} from "./harness.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * The page's tree, as source both sides run: the server imports it, the browser bundle has it.
 * `read(key)` is the text of `key`: a promise the server resolves later, one already fulfilled in
 * the browser. Boom fails on the server only.
 */
const TREE = `
function tree(React, read, actions) {
  const h = React.createElement;
  const Read = ({ k }) => h("b", { id: k }, React.use(read(k)));
  // Records when the browser has hydrated (or rendered) what is around it, and whether the document was still loading.
  function Mark({ name }) {
    React.useEffect(() => void (window.__hydrated ||= []).push(name + " " + document.readyState), []);
    return null;
  }
  function Clicker() {
    const [count, setCount] = React.useState(0);
    return h("button", { id: "click", type: "button", onClick: () => setCount(count + 1) }, "clicked " + count);
  }
  function Boom() {
    const text = React.use(read("boom"));
    if (typeof window === "undefined") throw new Error("the server cannot " + text);
    return h(React.Fragment, null, h("b", { id: "boom" }, "browser " + text), h(Mark, { name: "boom" }));
  }
  function Styled() {
    const text = React.use(read("styled"));
    return h(React.Fragment, null, h("link", { rel: "stylesheet", href: "/late.css", precedence: "late" }), h("b", { id: "styled", className: "late" }, text));
  }
  const Lazy = React.lazy(() => read("lazy").then((text) => ({ default: () => h("i", { id: "lazy" }, text) })));
  const fallback = (id) => h("p", { id }, id + "…");
  return h("main", null,
    h("h1", { id: "title" }, "Streamed"),
    h("form", { action: (data) => actions.push(String(data.get("q"))) }, h("input", { name: "q", defaultValue: "hello" }), h("button", { id: "send" }, "send")),
    h(React.Suspense, { fallback: fallback("fb-outer") }, h(Read, { k: "a" }), h(Clicker), h(Mark, { name: "outer" }), h(React.Suspense, { fallback: fallback("fb-inner") }, h(Read, { k: "b" }), h(Mark, { name: "inner" }))),
    h(React.Suspense, { fallback: fallback("fb-parts") }, h("section", null, h(Read, { k: "c" }), h("span", null, h(Read, { k: "d" })))),
    h(React.Suspense, { fallback: fallback("fb-boom") }, h(Boom)),
    h(React.Suspense, { fallback: fallback("fb-styled") }, h(Styled)),
    h(React.Suspense, { fallback: fallback("fb-lazy") }, h(Lazy)),
  );
}`;

const TEXTS: Record<string, string> = {
  a: "alpha",
  b: "bravo",
  c: "charlie",
  d: "delta",
  boom: "echo",
  styled: "foxtrot",
  lazy: "golf",
};
/** The texts the server has ready together, a group once React has flushed what the one before made ready: four flushes after the shell. */
const READY_TOGETHER = [["a", "c"], ["boom", "lazy"], ["b", "styled"], ["d"]];
const FLUSH_GAP_MS = 300;
const CSS_DELAY_MS = 500;
const LATE_CSS = ".late { color: rgb(0, 128, 0); }";

/** What the bundle runs: the runtime first, then hydration (with `?hydrateLater`, when the test calls `__hydrate()`). */
const ENTRY = `
import * as React from "react";
import { hydrateRoot } from "react-dom/client";
import { startStreamRuntime } from "./src/client/stream-runtime.ts";
${TREE}
const texts = ${JSON.stringify(TEXTS)};
const cache = new Map();
function read(key) {
  if (!cache.has(key)) cache.set(key, Object.assign(Promise.resolve(texts[key]), { status: "fulfilled", value: texts[key] }));
  return cache.get(key);
}
const actions = (window.__actions = []);
const values = (window.__values = []);
const recoverable = (window.__recoverable = []);
startStreamRuntime((element) => values.push(element.dataset.ssrPagesValue + " " + element.text + " " + element.isConnected));
startStreamRuntime(() => values.push("the second call"));
window.__runtimeStarted = performance.now();
const hydrate = () => {
  hydrateRoot(document.getElementById("root"), tree(React, read, actions), {
    onRecoverableError: (error) => recoverable.push(error.digest ?? String(error.message)),
  });
};
if (new URL(import.meta.url).searchParams.has("hydrateLater")) window.__hydrate = hydrate;
else hydrate();
`;

type Tree = (react: typeof React, read: (key: string) => Promise<string>, actions: string[]) => ReactNode;

/** React's flushes for the tree, rendered once on this side: the shell first. */
async function renderFlushes(): Promise<string[]> {
  const { tree } = (await import(`data:text/javascript,${encodeURIComponent(`export ${TREE}`)}`)) as { tree: Tree };
  const settle = new Map<string, () => void>();
  const promises = new Map(
    Object.entries(TEXTS).map(([key, text]) => [
      key,
      new Promise<string>((resolve) => settle.set(key, () => resolve(text))),
    ]),
  );
  const read = (key: string) => promises.get(key) as Promise<string>;
  const groups = [...READY_TOGETHER];
  const readyNext = () => setTimeout(() => groups.shift()?.forEach((key) => settle.get(key)?.()), 10);
  return new Promise((resolve, reject) => {
    const seen: string[] = [];
    let pending = "";
    const decoder = new TextDecoder();
    const sink = new (class extends Writable {
      override _write(chunk: Uint8Array, _encoding: BufferEncoding, callback: () => void) {
        pending += decoder.decode(chunk, { stream: true });
        callback();
      }
      flush() {
        if (pending === "") return;
        seen.push(pending);
        pending = "";
        readyNext();
      }
    })();
    sink.on("finish", () => resolve(pending === "" ? seen : [...seen, pending]));
    const stream = renderToPipeableStream(tree(React, read, []), {
      onShellReady: () => stream.pipe(sink),
      onShellError: reject,
      onError: (error) =>
        String((error as Error).message).startsWith("the server cannot") ? "boom-digest" : undefined,
    });
  });
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const value = (id: number) => `<script type="application/json" data-ssr-pages-value="${id}">["value ${id}"]</script>`;
const VALUES = [0, 1, 2].map((id) => `${id} ["value ${id}"] false`);

/**
 * An init script: when each fallback and each content is first in the document, first on screen (not
 * in a hidden segment) and gone, and each data element's partial text, whole text and removal.
 */
function recordArrivals(): void {
  const scope = window as unknown as {
    __seen: Record<string, { at: number; color: string; text: string }>;
    __gone: Record<string, number>;
    __arrived: Record<string, number>;
    __partial: Array<{ text: string; whole?: number; performed?: number }>;
  };
  const partial = new Map<HTMLScriptElement, { text: string; whole?: number; performed?: number }>();
  scope.__seen = {};
  scope.__arrived = {};
  scope.__partial = [];
  scope.__gone = {};
  const ids = [
    "fb-outer",
    "a",
    "fb-inner",
    "b",
    "fb-parts",
    "c",
    "d",
    "fb-boom",
    "boom",
    "fb-styled",
    "styled",
    "fb-lazy",
    "lazy",
  ];
  new MutationObserver(() => {
    const now = performance.now();
    // Data elements seen with part of their text: when their text was whole, when they were performed (removed).
    for (const element of document.querySelectorAll<HTMLScriptElement>(
      "script[data-ssr-pages-react], script[data-ssr-pages-value]",
    )) {
      let whole = true;
      try {
        JSON.parse(element.text);
      } catch {
        whole = false;
      }
      const seen = partial.get(element);
      if (!whole && seen === undefined) {
        const entry = { text: element.text };
        partial.set(element, entry);
        scope.__partial.push(entry);
      } else if (whole && seen !== undefined) seen.whole ??= now;
    }
    for (const [element, entry] of partial) {
      if (!element.isConnected) entry.performed ??= now;
    }
    for (const id of ids) {
      const element = document.getElementById(id);
      if (element !== null && !(id in scope.__arrived)) scope.__arrived[id] = now;
      const shown = element !== null && element.closest("[hidden]") === null;
      if (shown && !(id in scope.__seen))
        scope.__seen[id] = { at: now, color: getComputedStyle(element).color, text: element.textContent ?? "" };
      if (!shown && id in scope.__seen && !(id in scope.__gone)) scope.__gone[id] = now;
    }
  }).observe(document, { childList: true, characterData: true, subtree: true });
}

describe("the stream runtime in Chromium under script-src 'self'", () => {
  let server: Server;
  let origin: string;
  let browser: Browser;
  let flushes: string[];
  let runtime: string;
  /** The last document's response has ended. */
  let documentDone: Promise<void> = Promise.resolve();
  /** `?late`: the runtime is served once the document has ended and the test has looked at it. */
  let runtimeGate: Promise<void> = Promise.resolve();
  let releaseRuntime = () => {};
  let brokenCss = false;

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", origin);
    if (url.pathname === "/page") {
      let done!: () => void;
      documentDone = new Promise((resolve) => (done = resolve));
      brokenCss = url.searchParams.has("brokenCss");
      runtimeGate = new Promise((resolve) => (releaseRuntime = resolve));
      if (!url.searchParams.has("late")) releaseRuntime();
      response.writeHead(200, {
        "content-type": "text/html; charset=utf-8",
        "content-security-policy": "script-src 'self'",
        "cache-control": "no-store",
      });
      const [shell, ...later] = flushes;
      response.write(
        `<!DOCTYPE html><html><head><meta charset="utf-8"><title>streamed</title></head><body><div id="root">${rewriteInstructions(shell as string)}</div>${value(0)}<script type="module" src="/runtime.js${url.search}" async></script>`,
      );
      for (const [i, flush] of later.entries()) {
        await delay(FLUSH_GAP_MS);
        // Deferred values (the other kind of data element) go with the first and the last flush.
        const html = rewriteInstructions(flush) + (i === 0 ? value(1) : "") + (i === later.length - 1 ? value(2) : "");
        if (!url.searchParams.has("split")) {
          response.write(html);
          continue;
        }
        // The last data element cut in two, as a network may: its first half a while before the rest.
        const cut = html.lastIndexOf("</script>") - 4;
        response.write(html.slice(0, cut));
        await delay(FLUSH_GAP_MS / 2);
        response.write(html.slice(cut));
      }
      response.end("</body></html>");
      done();
    } else if (url.pathname === "/runtime.js") {
      if (url.searchParams.has("late")) await documentDone;
      await runtimeGate;
      response.writeHead(200, { "content-type": "text/javascript", "cache-control": "no-store" });
      response.end(runtime);
    } else if (url.pathname === "/late.css") {
      await delay(CSS_DELAY_MS);
      if (brokenCss) response.writeHead(404).end();
      else response.writeHead(200, { "content-type": "text/css", "cache-control": "no-store" }).end(LATE_CSS);
    } else response.writeHead(204).end();
  }

  before(async () => {
    flushes = await renderFlushes();
    const bundle = await build({
      stdin: { contents: ENTRY, resolveDir: ROOT, loader: "js", sourcefile: "entry.js" },
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      minify: true,
      write: false,
      define: { "process.env.NODE_ENV": '"production"' },
      logLevel: "silent",
    });
    runtime = bundle.outputFiles[0]?.text as string;
    ({ server, origin } = await listen((request, response) => void serve(request, response)));
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    server?.close();
  });

  it("has React's instructions for the tree, in flushes after the shell, as data elements", () => {
    assert.ok(flushes.length >= 5, "the shell, then at least one flush for each group of texts");
    const names = [
      ...flushes
        .map((flush) => rewriteInstructions(flush))
        .join("")
        .matchAll(/data-ssr-pages-react="(\w+)"/g),
    ].map((match) => match[1]);
    // The form's listener; RS for the children that suspend inside a boundary; RC for each boundary
    // (outer, inner, parts, lazy); RX for Boom's; RR for Styled's.
    assert.deepEqual(names.sort(), ["FR", "RC", "RC", "RC", "RC", "RR", "RS", "RS", "RS", "RX"]);
  });

  interface Opened {
    page: Page;
    /** Console errors and warnings (CSP violations among them), page errors. */
    problems: string[];
  }

  /** A tab recording what goes wrong, and when each fallback and each content is first on screen (not in a hidden segment) and gone. */
  async function open(path: string): Promise<Opened> {
    const page = await newTestPage(browser, { initScripts: [reportCspViolations, recordArrivals] });
    const problems: string[] = [];
    recordProblems(problems, { warnings: true })(page);
    await page.goto(`${origin}${path}`, { waitUntil: "commit" });
    return { page, problems };
  }

  const shown = (page: Page, id: string) => page.waitForSelector(`#${id}`, { state: "visible" });

  /** Hydrated: the click handler inside the first streamed boundary counts. */
  async function clickCounts(page: Page): Promise<void> {
    await page.waitForFunction(() => {
      const button = document.getElementById("click");
      button?.click();
      return button !== null && button.textContent !== "clicked 0" && button.closest("[hidden]") === null;
    });
  }

  /** Everything streamed is in place, as React's own runtime would leave it, and hydrated. */
  async function assertComplete(page: Page): Promise<void> {
    await page.waitForFunction(() => document.readyState === "complete");
    for (const id of ["a", "b", "c", "d", "boom", "styled", "lazy"]) await shown(page, id);
    await clickCounts(page);
    const state = await page.evaluate(() => ({
      texts: ["a", "b", "c", "d", "boom", "styled", "lazy"].map((id) => document.getElementById(id)?.textContent),
      fallbacks: document.querySelectorAll("[id^=fb-]").length,
      leftovers: [
        ...document.querySelectorAll(
          "[data-ssr-pages-react], [data-ssr-pages-value], [hidden][id^='S:'], template[id^='P:']",
        ),
      ].map((element) => element.outerHTML),
      recoverable: (window as unknown as { __recoverable: unknown[] }).__recoverable,
      values: (window as unknown as { __values: unknown[] }).__values,
      section: document.querySelector("section")?.outerHTML,
      color: getComputedStyle(document.getElementById("styled") as Element).color,
      stylesheet: [...document.head.querySelectorAll("link[rel=stylesheet]")].map(
        (link) => `${link.getAttribute("href")} ${link.getAttribute("data-precedence")}`,
      ),
    }));
    assert.deepEqual(state.texts, ["alpha", "bravo", "charlie", "delta", "browser echo", "foxtrot", "golf"]);
    assert.equal(state.fallbacks, 0);
    assert.deepEqual(state.leftovers, [], "every data element performed, every segment moved");
    // The boundary that failed on the server is rendered by the browser; React reports it with the server's digest. Nothing else: no hydration error.
    assert.deepEqual(state.recoverable, ["boom-digest"]);
    assert.deepEqual(state.values, VALUES, "each value once, in order, to the first call's onValue");
    assert.equal(state.section, '<section><b id="c">charlie</b><span><b id="d">delta</b></span></section>');
    assert.equal(state.color, "rgb(0, 128, 0)");
    assert.deepEqual(state.stylesheet, ["/late.css late"]);
  }

  it("shows each fallback, then its content in its place as the flushes arrive, and hydrates", async () => {
    const { page, problems } = await open("/page");
    await assertComplete(page);
    // When each fallback and each content was first on screen and gone, as the page saw it.
    const { seen, gone, arrived } = await page.evaluate(() => {
      const scope = window as unknown as {
        __seen: Record<string, { at: number; color: string; text: string }>;
        __gone: Record<string, number>;
        __arrived: Record<string, number>;
      };
      return { seen: scope.__seen, gone: scope.__gone, arrived: scope.__arrived };
    });
    for (const [fallback, content] of [
      ["fb-outer", "a"],
      ["fb-inner", "b"],
      ["fb-parts", "c"],
      ["fb-parts", "d"],
      ["fb-boom", "boom"],
      ["fb-styled", "styled"],
      ["fb-lazy", "lazy"],
    ] as const) {
      const before = seen[fallback]?.at as number;
      const shownAt = seen[content]?.at as number;
      assert.ok(before < shownAt - FLUSH_GAP_MS / 3, `${fallback} (${before}) well before ${content} (${shownAt})`);
      assert.ok((gone[fallback] as number) <= shownAt + 1, `${fallback} gone when ${content} shows`);
    }
    // The nested boundary's fallback came with the outer boundary's content.
    assert.equal(seen["fb-inner"]?.at, seen.a?.at);
    // Revealed as a whole (RS first filled the hidden segment), never half.
    assert.equal(seen.c?.at, seen.d?.at);
    // Only once its stylesheet had loaded (React's `$RR`), not before.
    assert.equal(seen.styled?.color, "rgb(0, 128, 0)");
    assert.ok(
      (seen.styled?.at as number) - (arrived.styled as number) > CSS_DELAY_MS * 0.8,
      "waited for the stylesheet",
    );
    assert.equal(seen.boom?.text, "browser echo");
    // Each boundary hydrated as soon as it was revealed (the `_reactRetry` React's client left on it),
    // and the failed one rendered by the browser as soon as its RX came: before the document was whole.
    const hydrated = await page.evaluate(() => (window as unknown as { __hydrated: string[] }).__hydrated);
    assert.deepEqual(hydrated.sort(), ["boom loading", "inner loading", "outer loading"]);
    assert.deepEqual(problems, []);
    await releaseTestPage(page);
  });

  it("performs what arrived before it when the runtime loads after the whole document", async () => {
    const { page, problems } = await open("/page?late");
    await page.waitForFunction(() => document.readyState !== "loading" && document.getElementById("d") !== null);
    const before = await page.evaluate(() => ({
      started: "__runtimeStarted" in window,
      waiting: document.querySelectorAll("script[type='application/json'][data-ssr-pages-react]").length,
      fallback: document.getElementById("fb-outer") !== null,
      hidden: document.getElementById("a")?.closest("[hidden]") !== null,
    }));
    const elements =
      flushes
        .map((flush) => rewriteInstructions(flush))
        .join("")
        .split("data-ssr-pages-react=").length - 1;
    assert.deepEqual(before, { started: false, waiting: elements, fallback: true, hidden: true });
    releaseRuntime();
    await assertComplete(page);
    assert.deepEqual(problems, []);
    await releaseTestPage(page);
  });

  it("waits for the rest of a data element the parser has put in with part of its text", async () => {
    const { page, problems } = await open("/page?split");
    await assertComplete(page);
    // Chromium does show such elements (values and instructions alike). The runtime left each for the
    // rest (every value arrived whole, every boundary is revealed), and performed it as soon as its
    // text was whole (the parser appends the rest to the text node it put in), not when more came.
    const { partial, started } = await page.evaluate(() => {
      const scope = window as unknown as {
        __partial: Array<{ text: string; whole?: number; performed?: number }>;
        __runtimeStarted: number;
      };
      return { partial: scope.__partial, started: scope.__runtimeStarted };
    });
    assert.ok(
      partial.some(({ text }) => text.startsWith('["value')) && partial.some(({ text }) => !text.startsWith('["value')),
      JSON.stringify(partial),
    );
    for (const { text, whole, performed } of partial) {
      assert.ok(whole !== undefined && performed !== undefined, text);
      if (whole > started)
        assert.ok(performed - whole < FLUSH_GAP_MS / 4, `${text}: whole at ${whole}, performed at ${performed}`);
    }
    assert.deepEqual(problems, []);
    await releaseTestPage(page);
  });

  it("queues a form submitted before hydration for React to replay", async () => {
    const { page, problems } = await open("/page?hydrateLater");
    await page.waitForFunction(() => "__runtimeStarted" in window);
    const url = page.url();
    await page.click("#send");
    const queued = await page.evaluate(
      () => ((document as unknown as { $$reactFormReplay?: unknown[] }).$$reactFormReplay ?? []).length,
    );
    assert.equal(queued, 3, "form, submitter, data");
    await page.evaluate(() => (window as unknown as { __hydrate(): void }).__hydrate());
    await assertComplete(page);
    await page.waitForFunction(() => (window as unknown as { __actions: string[] }).__actions.length > 0);
    assert.deepEqual(await page.evaluate(() => (window as unknown as { __actions: string[] }).__actions), ["hello"]);
    assert.equal(page.url(), url, "not sent");
    assert.deepEqual(problems, []);
    await releaseTestPage(page);
  });

  it("leaves a boundary whose stylesheet fails to load to the browser, as React's `$RR` does", async () => {
    const { page, problems } = await open("/page?brokenCss");
    await shown(page, "styled");
    await clickCounts(page);
    const recoverable = await page.waitForFunction(() => {
      const list = (window as unknown as { __recoverable: string[] }).__recoverable;
      return list.length >= 2 && list;
    });
    assert.deepEqual(((await recoverable.jsonValue()) as string[]).sort(), ["CSS failed to load", "boom-digest"]);
    assert.ok(
      problems.every((problem) => problem.includes("404")),
      problems.join("\n"),
    );
    await releaseTestPage(page);
  });
});
