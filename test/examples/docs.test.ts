// The docs cannot rot: a code block that names a file of the repository in its first line
// (`// examples/styles/pages/sass.tsx`) is that file, byte for byte (and the file is run by the
// example tests), and every relative link of the README and docs/ leads to a file that exists.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";

const ROOT = path.resolve(import.meta.dirname, "../..");
const DOCS = ["README.md", ...readdirSync(path.join(ROOT, "docs")).filter((name) => name.endsWith(".md")).map((name) => `docs/${name}`)];

/** The fenced code blocks of a Markdown text: their first line and their whole text. */
function codeBlocks(markdown: string): Array<{ first: string; text: string }> {
  return [...markdown.matchAll(/^```[^\n]*\n([\s\S]*?)^```$/gm)].map((match) => {
    const text = match[1] as string;
    return { first: text.split("\n", 1)[0] as string, text };
  });
}

/** A block's own file: its first line is a comment holding the file's path in the repository. */
const NAMED = /^(?:\/\/|\/\*|#|<!--)\s*((?:examples|test|bench)\/[\w./[\]-]+?)\s*(?:\*\/|-->)?$/;

describe("docs", () => {
  for (const doc of DOCS) {
    const markdown = readFileSync(path.join(ROOT, doc), "utf8");

    it(`${doc}: every block that names a file is that file`, () => {
      for (const { first, text } of codeBlocks(markdown)) {
        const file = NAMED.exec(first)?.[1];
        if (file === undefined) continue;
        assert.ok(existsSync(path.join(ROOT, file)), `${doc} shows ${file}, which does not exist`);
        assert.equal(text, readFileSync(path.join(ROOT, file), "utf8"), `${doc}'s copy of ${file} differs from the file`);
      }
    });

    it(`${doc}: every relative link leads to a file`, () => {
      for (const match of markdown.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = (match[1] as string).split("#")[0] as string;
        if (target === "" || /^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
        assert.ok(existsSync(path.resolve(path.dirname(path.join(ROOT, doc)), target)), `${doc} links to ${target}, which does not exist`);
      }
    });
  }
});
