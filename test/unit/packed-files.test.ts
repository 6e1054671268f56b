import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loaderAt, PAGES_PER_GROUP } from "../../src/common/page-groups.js";
import { PackedFiles } from "../../src/runtime/packed-files.js";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("PackedFiles", () => {
  it("gives each file back whole, including empty ones and multi-byte text", () => {
    const packed = new PackedFiles([
      { name: "a.js", contents: bytes("export const a = 1;") },
      { name: "empty.css", contents: bytes("") },
      { name: "é.js", contents: bytes("// héllo ✓") },
    ]);
    assert.equal(String(packed.get("a.js")), "export const a = 1;");
    assert.equal(packed.get("empty.css")?.byteLength, 0);
    assert.equal(String(packed.get("é.js")), "// héllo ✓");
    assert.deepEqual([...packed.names()], ["a.js", "empty.css", "é.js"]);
  });

  it("answers undefined for a name it does not hold, even one an object has", () => {
    const packed = new PackedFiles([{ name: "a.js", contents: bytes("x") }]);
    assert.equal(packed.get("b.js"), undefined);
    assert.equal(packed.get("constructor"), undefined);
    assert.equal(packed.get("__proto__"), undefined);
  });

  it("copies the contents in: changing the source afterwards changes nothing", () => {
    const source = bytes("abc");
    const packed = new PackedFiles([{ name: "a.js", contents: source }]);
    source[0] = 0x7a;
    assert.equal(String(packed.get("a.js")), "abc");
  });
});

describe("loaderAt", () => {
  it("turns a slot into its group file and index", () => {
    assert.deepEqual(loaderAt(0), { group: "pages-0.js", index: 0 });
    assert.deepEqual(loaderAt(PAGES_PER_GROUP - 1), { group: "pages-0.js", index: PAGES_PER_GROUP - 1 });
    assert.deepEqual(loaderAt(PAGES_PER_GROUP * 3 + 5), { group: "pages-3.js", index: 5 });
  });
});
