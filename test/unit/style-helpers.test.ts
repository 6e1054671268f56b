/** The style pipeline's pure helpers: browserslist answers as esbuild targets, and Sass partials' url()s rebased. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { esbuildTargets } from "../../src/compile/css-targets.js";
import { rebaseUrls } from "../../src/compile/sass.js";

describe("esbuildTargets", () => {
  it("keeps the oldest version of each engine esbuild knows, from browserslist's names", () => {
    const targets = esbuildTargets([
      "chrome 120",
      "chrome 109",
      "and_chr 131",
      "android 131",
      "android 4.4.3-4.4.4",
      "safari 15.2-15.3",
      "safari 17.1",
      "safari TP",
      "ios_saf 16.4",
      "firefox 115",
      "and_ff 132",
      "edge 120",
      "opera 105",
      "op_mini all",
      "samsung 25",
      "kaios 2.5",
      "ie 11",
    ]);
    assert.deepEqual(targets, ["chrome109", "edge120", "firefox115", "ie11", "ios16.4", "opera105", "safari15.2"]);
  });

  it("compares versions as numbers, not text", () => {
    assert.deepEqual(esbuildTargets(["safari 9.1", "safari 10"]), ["safari9.1"]);
    assert.deepEqual(esbuildTargets(["chrome 99", "chrome 100"]), ["chrome99"]);
  });
});

describe("rebaseUrls", () => {
  const from = "/app/styles/partials";
  const to = "/app/pages";
  it("rewrites a partial's relative url()s as seen from the entry's folder, quoted or not", () => {
    assert.equal(
      rebaseUrls(`a { b: url(./img/x.png); c: url("../fonts/y.woff2?v=2"); d: url('z.svg#i') }`, from, to),
      `a { b: url(../styles/partials/img/x.png); c: url("../styles/fonts/y.woff2?v=2"); d: url('../styles/partials/z.svg#i') }`,
    );
  });

  it("leaves absolute paths, other schemes, fragments, packages and computed values alone", () => {
    const source = `a { b: url(/x.png); c: url(data:image/png;base64,AAA=); d: url(https://e.com/f.png); g: url(#h); i: url(~pkg/j.png); k: url($var); l: url(#{$m}/n.png); o: url() }`;
    assert.equal(rebaseUrls(source, from, to), source);
  });

  it("keeps ./ in front of a file in the entry's own folder or below", () => {
    assert.equal(rebaseUrls(`a { b: url(../../pages/img/x.png) }`, from, to), `a { b: url(./img/x.png) }`);
  });
});
