/** esbuild's failures as one error per file, with `file:line:column`, the line and a caret under the column. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fileErrors } from "../../src/compile/compile-errors.js";

const failure = (lineText: string, column: number) => ({
  errors: [{ text: "Expected identifier", location: { file: "/site/pages/a.tsx", line: 3, column, lineText } }],
});

describe("fileErrors", () => {
  it("names the file relative to the pages directory, with the line and a caret under the column", () => {
    const [error] = fileErrors(failure("return <p>{{</p>;", 11), "/site/pages");
    assert.equal(error?.file, "a.tsx");
    assert.equal(error?.message, "a.tsx:3:12: Expected identifier\n    return <p>{{</p>;\n               ^");
  });

  it("shows a long line (JSX on one line, minified code) only around the column, the caret still under it", () => {
    const line = `${"x".repeat(300)}{{${"y".repeat(300)}`;
    const [error] = fileErrors(failure(line, 300), "/site/pages");
    const [, shown, caret] = (error?.message ?? "").split("\n");
    assert.ok((shown?.length ?? 0) < 120, shown);
    assert.match(shown ?? "", /^ {4}…x+\{\{y+…$/);
    assert.equal(shown?.[(caret?.length ?? 0) - 1], "{", "the caret points at the column");
  });
});
