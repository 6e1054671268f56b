/**
 * React's inline streaming scripts rewritten into data elements (render/stream-instructions.ts), on
 * real flushes of React's streaming renderer (its development build, as this process loads it, and
 * its production build, in a child process): each instruction React's scripts would perform comes
 * out as a data element with the same arguments, none of React's scripts is left to run, and a
 * page's own scripts are copied byte for byte.
 *
 * What React's scripts perform is found by running them (node:vm) against recorders standing for
 * `$RC`, `$RS`, `$RX`, `$RR`, `requestAnimationFrame` and `addEventListener`.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { Writable } from "node:stream";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { Component, createElement as h, Fragment, lazy, Suspense, use, type ReactNode } from "react";
import { renderToPipeableStream, type RenderToPipeableStreamOptions } from "react-dom/server";
import { rewriteInstructions, withoutErrorDetails } from "../../src/render/stream-instructions.js";

/** Every flush React writes for `element` (the text between two of its `flush()` calls), once it is done. */
function flushes(element: ReactNode, options: RenderToPipeableStreamOptions = {}): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const decoder = new TextDecoder();
    const seen: string[] = [];
    let pending = "";
    const sink = new (class extends Writable {
      override _write(chunk: Uint8Array, _encoding: BufferEncoding, callback: () => void) {
        pending += decoder.decode(chunk, { stream: true });
        callback();
      }
      flush() {
        seen.push(pending);
        pending = "";
      }
    })();
    sink.on("finish", () => resolve(pending === "" ? seen : [...seen, pending]));
    const stream = renderToPipeableStream(element, {
      onError: () => "the-digest",
      ...options,
      onShellReady: () => stream.pipe(sink),
      onShellError: reject,
    });
  });
}

type Call = [name: string, args: unknown[]];

/** What the inline scripts (no `type`, no `src`) in `html` would perform, in order. */
function performedByScripts(html: string): Call[] {
  const calls: Call[] = [];
  const context = vm.createContext({
    requestAnimationFrame: () => calls.push(["shell time", []]),
    addEventListener: (type: string) => calls.push([`listener ${type}`, []]),
    performance: { now: () => 0 },
  });
  for (const name of ["RC", "RS", "RX", "RR"]) {
    // React's scripts define these before calling them: the definitions are ignored, the calls recorded.
    Object.defineProperty(context, `$${name}`, {
      get:
        () =>
        (...args: unknown[]) =>
          calls.push([name, JSON.parse(JSON.stringify(args)) as unknown[]]),
      set: () => undefined,
    });
  }
  for (const [, attributes, body] of html.matchAll(/<script((?:\s[^>]*)?)>([\s\S]*?)<\/script>/g)) {
    if (/\b(type|src)=/.test(attributes as string)) continue;
    try {
      vm.runInContext(body as string, context);
    } catch {
      // A page's own script, meant for a browser.
    }
  }
  return calls;
}

/** The data elements in `html`, as calls; their text has no `<` (nothing in it can end the element or open a comment). */
function dataElements(html: string): Call[] {
  return [...html.matchAll(/<script type="application\/json" data-ssr-pages-react="(\w+)">([\s\S]*?)<\/script>/g)].map(
    ([, name, text]) => {
      assert.ok(!(text as string).includes("<"), text);
      return [name as string, JSON.parse(text as string) as unknown[]];
    },
  );
}

/** Rewrites each flush on its own (as the server does) and checks it against what React's scripts would have done. */
function rewriteAll(raw: string[]): string {
  let out = "";
  for (const flush of raw) {
    const rewritten = rewriteInstructions(flush);
    assert.deepEqual(performedByScripts(rewritten), [], "nothing of React's runs");
    const expected = performedByScripts(flush)
      .filter(([name]) => name !== "shell time")
      .map(([name, args]): Call => (name === "listener submit" ? ["FR", []] : [`R${name.slice(1)}`, args]));
    assert.deepEqual(dataElements(rewritten), expected, "every instruction, with its arguments");
    out += rewritten;
  }
  return out;
}

const later = <T>(value: T, ms: number): Promise<T> => new Promise((resolve) => setTimeout(() => resolve(value), ms));
function Read({ promise }: { promise: Promise<string> }) {
  return h("b", null, use(promise));
}
class Fails extends Component<{ promise: Promise<string> }> {
  override render(): ReactNode {
    use(this.props.promise);
    throw new Error("bad </script><!-- detail");
  }
}
function Styled({ promise }: { promise: Promise<string> }) {
  const text = use(promise);
  return h(
    Fragment,
    null,
    h("link", {
      rel: "stylesheet",
      href: "/late.css?a=1&b=<2>",
      precedence: "late",
      media: "all",
      "data-note": 'say "hi"',
    }),
    h("style", { href: "late-rules", precedence: "late" }, ".late{color:red}"),
    h("b", null, text),
  );
}

/** A page's own scripts, rendered in the shell and in a streamed boundary. */
const jsonLd = '{"@context":"https://schema.org","@type":"Thing","name":"a \\u003c/script> b"}';
function OwnScripts() {
  return h(
    Fragment,
    null,
    h("script", { type: "application/ld+json", dangerouslySetInnerHTML: { __html: jsonLd } }),
    h("script", { dangerouslySetInnerHTML: { __html: "window.answer = 42" } }),
    h("script", { dangerouslySetInnerHTML: { __html: '$Rmine = 1; console.log("$RC(\\"B:0\\",\\"S:0\\")")' } }),
    h("script", { dangerouslySetInnerHTML: { __html: 'var tag = "<script>$RC(\\"B:0\\",\\"S:0\\")";' } }),
    h("script-card", null, "not a script"),
  );
}
const OWN = [
  `<script type="application/ld+json">${jsonLd}</script>`,
  "<script>window.answer = 42</script>",
  '<script>$Rmine = 1; console.log("$RC(\\"B:0\\",\\"S:0\\")")</script>',
  '<script>var tag = "<script>$RC(\\"B:0\\",\\"S:0\\")";</script>',
  "<script-card>not a script</script-card>",
];

function LateOwnScripts({ promise }: { promise: Promise<string> }) {
  use(promise);
  return h(OwnScripts);
}

describe("rewriteInstructions", () => {
  it("turns React's instructions for nested and partly completed boundaries into data elements", async () => {
    const tree = h(
      "div",
      null,
      h(
        Suspense,
        { fallback: "outer…" },
        h(Read, { promise: later("one", 20) }),
        h(Suspense, { fallback: "inner…" }, h(Read, { promise: later("two", 60) })),
      ),
      // Two children that suspend in one boundary: each its own segment, moved into place with RS.
      h(
        Suspense,
        { fallback: "parts…" },
        h(
          "section",
          null,
          h(Read, { promise: later("three", 20) }),
          h("span", null, h(Read, { promise: later("four", 100) })),
        ),
      ),
    );
    const raw = await flushes(tree);
    const names = raw.flatMap((flush) => performedByScripts(flush).map(([name]) => name));
    assert.ok(names.includes("RC") && names.includes("RS") && names.includes("shell time"), names.join());
    const out = rewriteAll(raw);
    assert.ok(!out.includes("$R") && !out.includes("requestAnimationFrame"));
    for (const text of ["one", "two", "three", "four"]) assert.ok(out.includes(`<b>${text}</b>`), text);
  });

  it("keeps a page's own scripts byte for byte, in the shell and in a streamed boundary", async () => {
    const tree = h(
      "main",
      null,
      h(OwnScripts),
      h(
        Suspense,
        { fallback: "…" },
        h(LateOwnScripts, { promise: later("x", 15) }),
        h(Read, { promise: later("y", 30) }),
      ),
    );
    const raw = await flushes(tree);
    const out = rewriteAll(raw);
    for (const own of OWN) assert.equal(out.split(own).length - 1, 2, own);
    // The shell's flush with its own scripts: only React's timer went.
    const shell = raw[0] as string;
    assert.equal(
      rewriteInstructions(shell),
      shell.replace("<script>requestAnimationFrame(function(){$RT=performance.now()});</script>", ""),
    );
  });

  it("rewrites React's scripts that carry a nonce, and a lazy component's boundary", async () => {
    const Part = lazy(() => later({ default: () => h("i", null, "lazy") }, 15));
    const raw = await flushes(h("div", null, h(Suspense, { fallback: "…" }, h(Part))), { nonce: "abc" });
    assert.ok(raw.join("").includes('<script nonce="abc">$RB=[];'));
    const out = rewriteAll(raw);
    assert.ok(!out.includes("nonce"));
    assert.match(
      out,
      /<div hidden id="S:0"><i>lazy<\/i><\/div><script type="application\/json" data-ssr-pages-react="RC">\["B:0","S:0"\]<\/script>$/,
    );
  });

  it("passes on a failed boundary's digest and, from React's development build, its message and stacks; or only the digest", async () => {
    const tree = h("div", null, h(Suspense, { fallback: "…" }, h(Fails, { promise: later("x", 10) })));
    const raw = await flushes(tree);
    const out = rewriteAll(raw);
    const [failed] = dataElements(out).filter(([name]) => name === "RX");
    const [boundary, digest, message] = (failed as Call)[1] as string[];
    assert.equal(boundary, "B:0");
    assert.equal(digest, "the-digest");
    if (process.env.NODE_ENV !== "production") assert.match(message as string, /bad <\/script><!-- detail/);
    const short = dataElements(raw.map((flush) => rewriteInstructions(flush, false)).join("")).filter(
      ([name]) => name === "RX",
    );
    assert.deepEqual(short, [["RX", ["B:0", "the-digest"]]]);
  });

  it("passes on a boundary's stylesheets (RR), attributes and late style rules included", async () => {
    const tree = h("div", null, h(Suspense, { fallback: "…" }, h(Styled, { promise: later("styled", 10) })));
    const out = rewriteAll(await flushes(tree));
    assert.deepEqual(
      dataElements(out).filter(([name]) => name === "RR"),
      [["RR", ["B:0", "S:0", [["/late.css?a=1&b=<2>", "late", "media", "all", "data-note", 'say "hi"']]]]],
    );
    assert.ok(
      out.includes('<style media="not all" data-precedence="late" data-href="late-rules">.late{color:red}</style>'),
    );
  });

  it("keeps the shell's id (`_R_`) React put on its form listener in a document, and an identifierPrefix with `<` in it", async () => {
    const tree = h(
      "html",
      null,
      h(
        "body",
        null,
        h("form", { action: () => undefined }, h("button", null, "send")),
        h(Suspense, { fallback: "…" }, h(Read, { promise: later("z", 10) })),
      ),
    );
    const raw = await flushes(tree, { identifierPrefix: "a<b>" });
    assert.ok(raw.join("").includes('<script id="_a&lt;b&gt;R_">addEventListener("submit"'));
    const out = rewriteAll(raw);
    assert.ok(
      out.includes(
        '<template id="_a&lt;b&gt;R_"></template><script type="application/json" data-ssr-pages-react="FR">[]</script>',
      ),
    );
    assert.deepEqual(dataElements(out).at(-1), ["RC", ["a<b>B:0", "a<b>S:0"]]);
    assert.ok(out.endsWith("</body></html>"));
  });

  it("handles what React's production build writes", () => {
    const script = `
      const { createElement: h, Suspense, use } = require("react");
      const { renderToPipeableStream } = require("react-dom/server");
      const later = (value, ms) => new Promise((resolve) => setTimeout(() => resolve(value), ms));
      const Read = ({ promise }) => h("b", null, use(promise));
      const Fails = ({ promise }) => { use(promise); throw new Error("secret"); };
      const Styled = ({ promise }) => [h("link", { key: 1, rel: "stylesheet", href: "/s.css", precedence: "p" }), h("b", { key: 2 }, use(promise))];
      const tree = h("html", null, h("body", null,
        h(Suspense, { fallback: "a" }, h(Read, { promise: later("one", 20) }), h(Suspense, { fallback: "b" }, h(Read, { promise: later("two", 80) }))),
        h(Suspense, { fallback: "c" }, h(Fails, { promise: later("x", 50) })),
        h(Suspense, { fallback: "d" }, h(Styled, { promise: later("s", 110) })),
        h("form", { action: () => {} })));
      const flushes = [];
      let pending = "";
      const sink = new (require("node:stream").Writable)({ write(chunk, _, callback) { pending += chunk; callback(); } });
      sink.flush = () => { flushes.push(pending); pending = ""; };
      sink.on("finish", () => process.stdout.write(JSON.stringify([...flushes, pending])));
      const stream = renderToPipeableStream(tree, { nonce: "n", onShellReady: () => stream.pipe(sink), onError: () => "prod-digest" });`;
    const cwd = fileURLToPath(new URL("../..", import.meta.url));
    const raw = JSON.parse(
      execFileSync(process.execPath, ["-e", script], {
        cwd,
        env: { ...process.env, NODE_ENV: "production" },
        encoding: "utf8",
      }),
    ) as string[];
    const out = rewriteAll(raw);
    const calls = dataElements(out);
    // In the order things completed (a busy machine may run two of the timers in one flush); ids as React numbered them.
    assert.deepEqual(calls.map(([name]) => name).sort(), ["FR", "RC", "RC", "RR", "RS", "RX"]);
    for (const [name, args] of calls) {
      if (name === "RX") assert.match(JSON.stringify(args), /^\["B:\d+","prod-digest"\]$/, "the digest only");
      if (name === "RR") assert.match(JSON.stringify(args), /^\["B:\d+","S:\d+",\[\["\/s\.css","p"\]\]\]$/);
    }
    assert.ok(out.includes('<template id="_R_"></template>'));
  });

  it("returns a flush without a script of React's as the same string", () => {
    const html = '<div hidden id="S:0"><b>x</b></div>';
    assert.equal(rewriteInstructions(html), html);
    const own = `<p>a</p>${OWN.join("")}<script src="/entry.js" async=""></script>`;
    assert.equal(rewriteInstructions(own), own);
  });

  it("reads a script's end as the browser does", () => {
    // `</SCRIPT >` ends a page's script, so what follows is React's; `<script-x>` is no script.
    const html =
      '<script>var a = 1</SCRIPT ><script-x></script-x><script>$RC("B:0","S:0")</script><script>$RS("S:1","P:1")</script>';
    assert.equal(
      rewriteInstructions(html),
      '<script>var a = 1</SCRIPT ><script-x></script-x><script type="application/json" data-ssr-pages-react="RC">["B:0","S:0"]</script><script type="application/json" data-ssr-pages-react="RS">["S:1","P:1"]</script>',
    );
    // Not React's: other attributes, a call that is not the end, arguments that are not JSON.
    for (const own of [
      '<script async>$RC("B:0","S:0")</script>',
      '<script>$RC("B:0","S:0");go()</script>',
      "<script>$RC(a,b)</script>",
      '<script>$RC("B:0"</script>',
    ]) {
      assert.equal(rewriteInstructions(own), own);
    }
  });
});

describe("withoutErrorDetails", () => {
  it("drops the message and stacks React's development build writes on a failed boundary's template, keeps the digest", () => {
    const html =
      '<!--$!--><template data-dgst="d1" data-msg="secret &lt;b&gt;" data-stck="Error: x\n at y" data-cstck="at Z"></template><p>…</p><!--/$-->';
    assert.equal(withoutErrorDetails(html), '<!--$!--><template data-dgst="d1"></template><p>…</p><!--/$-->');
    const plain = '<p data-msg="a page\'s own attribute">x</p>';
    assert.equal(withoutErrorDetails(plain), plain, "only React's templates");
  });
});
