/**
 * A `Head` that renders `<html>` and `<body>` for their attributes (Gatsby 5): the tags are cut out
 * of the head markup and only the tags React wrote count, never text inside a script.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createElement as h, Fragment, type ReactNode } from "react";
import { mergeAttributes, parseAttributes, unescapeAttribute } from "../../src/render/attributes.js";
import { renderPageHead } from "../../src/render/render-page.js";
import type { PageElementProps } from "../../src/common/page-element.js";

const props: PageElementProps = {
  serverData: undefined,
  params: {},
  location: { pathname: "/", search: "" },
} as PageElementProps;
const headOf = (node: ReactNode) => renderPageHead(() => h(Fragment, null, node), props, "", {});

describe("Head attributes", () => {
  it("cuts <html> and <body> out of the head markup and returns their attributes", () => {
    const head = headOf([
      h("html", { key: 1, lang: "de" }),
      h("body", { key: 2, className: "dark" }),
      h("title", { key: 3 }, "T"),
    ]);
    assert.equal(head.markup, "<title>T</title>");
    assert.equal(head.html, ' lang="de"');
    assert.equal(head.body, ' class="dark"');
  });

  it("costs nothing for a Head without them", () => {
    assert.deepEqual(headOf(h("title", null, "T")), { markup: "<title>T</title>", html: "", body: "" });
  });

  it("leaves the text of a script alone, even when it reads like a <body> tag (data in JSON-LD)", () => {
    const name = "<body onload=alert(document.cookie)></body><html lang=x>";
    const head = headOf([
      h("html", { key: 1, lang: "en" }),
      h("script", {
        key: 2,
        type: "application/ld+json",
        dangerouslySetInnerHTML: { __html: JSON.stringify({ name }) },
      }),
    ]);
    assert.equal(head.body, "");
    assert.equal(head.html, ' lang="en"');
    assert.ok(head.markup.includes(JSON.stringify({ name })), head.markup);
  });

  it("does not take a custom element whose name starts with html- for <html>", () => {
    const head = headOf([h("body", { key: 1, id: "b" }), h("html-widget", { key: 2, "data-x": "1" })]);
    assert.equal(head.html, "");
    assert.match(head.markup, /<html-widget data-x="1"><\/html-widget>/);
  });

  it("merges attribute lists name by name, later lists winning, and reads escaped values back", () => {
    assert.equal(mergeAttributes(' lang="en"', ' lang="fr" class="a"', ' class="b"'), ' lang="fr" class="b"');
    assert.deepEqual(parseAttributes(' a="1" hidden b="x&amp;y"'), { a: "1", hidden: "", b: "x&amp;y" });
    assert.equal(unescapeAttribute("x&amp;y&quot;&#39;&#x27;&lt;"), `x&y"''<`);
  });
});
