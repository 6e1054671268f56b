/** Choosing the encoding of a stored page or a browser asset from Accept-Encoding, the same answer however often asked. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pickEncoding } from "../../src/request/accept-encoding.js";

describe("pickEncoding", () => {
  it("prefers br, then gzip, honouring q-values and *", () => {
    const cases: Array<[string | string[] | undefined, "br" | "gzip" | undefined]> = [
      [undefined, undefined],
      ["", undefined],
      ["gzip, deflate, br, zstd", "br"],
      ["gzip", "gzip"],
      ["br;q=0.5, gzip", "gzip"],
      ["br;q=0, gzip;q=0", undefined],
      ["*", "br"],
      ["identity", undefined],
      [["gzip", "br;q=0"], "gzip"],
    ];
    // Twice each: the second answer comes from what the first parsed.
    for (let round = 0; round < 2; round++)
      for (const [header, expected] of cases)
        assert.equal(pickEncoding(header), expected, `${JSON.stringify(header)} (round ${round + 1})`);
  });

  it("keeps answering right past the number of values it remembers", () => {
    for (let i = 0; i < 600; i++) assert.equal(pickEncoding(`gzip;q=0.${(i % 9) + 1}, x-${i}`), "gzip");
    assert.equal(pickEncoding("br"), "br");
  });
});
