/**
 * The style pipeline of the compile: Sass and the app's PostCSS in front of both builds, each
 * stylesheet processed once per compile, and a stylesheet (or a browser-only module) that fails
 * failing only the pages that reach it.
 */
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { describe, it } from "node:test";
import type { CompileOutput } from "../../src/compile/compile.js";
import { browserText, compile, pageCss, project, serverText } from "./compile-project.js";

const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d763f8cfc0000003010100c9fe92ef0000000049454e44ae426082",
  "hex",
);

/** A PostCSS config whose one plugin counts the files it sees (in a global of this process) and marks each with a comment. */
const COUNTING_CONFIG = `
module.exports = {
  plugins: [{
    postcssPlugin: "count-files",
    Once(root, { result }) {
      (globalThis.__postcssSeen ??= []).push(result.opts.from);
      root.append({ selector: ".counted", nodes: [{ prop: "--counted", value: String(globalThis.__postcssSeen.length) }] });
    },
  }],
};
`;

const seen = (): string[] => ((globalThis as { __postcssSeen?: string[] }).__postcssSeen ??= []);

describe("with no PostCSS config", () => {
  // First in this file (each file runs in a process of its own): nothing has loaded PostCSS yet.
  it("compiles CSS as before and never loads postcss", async () => {
    const pagesDir = project({
      "pages/index.tsx": `import "./site.css"; export default function I() { return <p className="a">a</p>; }`,
      "pages/site.css": `.a { color: rgb(1, 2, 3); }`,
    });
    const output = await compile(pagesDir, ["index.tsx"], false);
    assert.deepEqual(output.errors, []);
    assert.match(pageCss(output, "index.tsx"), /\.a\{color:#010203\}/);
    const postcss = createRequire(import.meta.url).resolve("postcss");
    assert.equal(createRequire(import.meta.url).cache[postcss], undefined, "postcss was loaded");
  });
});

describe("PostCSS", () => {
  it("runs on every stylesheet once per compile, however many pages import it: plain, module, Sass, @imported, from a package", async () => {
    const pages = Object.fromEntries(
      Array.from({ length: 30 }, (_, i) => [
        `pages/p${i}.tsx`,
        `import "./shared.css"; import "fake-ui/ui.css"; import s from "./card.module.scss"; import t from "./plain.module.css"; export default function P() { return <p className={s.card + t.box}>${i}</p>; }`,
      ]),
    );
    const pagesDir = project({
      ...pages,
      "postcss.config.cjs": COUNTING_CONFIG,
      "pages/shared.css": `@import "./imported.css"; .shared { color: red; }`,
      "pages/imported.css": `.imported { color: blue; }`,
      "pages/card.module.scss": `$c: rgb(1, 2, 3); .card { color: $c; }`,
      "pages/plain.module.css": `.box { color: green; }`,
      "node_modules/fake-ui/package.json": `{ "name": "fake-ui", "version": "1.0.0" }`,
      "node_modules/fake-ui/ui.css": `.fake-ui { color: purple; }`,
    });
    seen().length = 0;
    const output = await compile(
      pagesDir,
      Object.keys(pages).map((file) => file.slice("pages/".length)),
      false,
    );
    assert.deepEqual(output.errors, []);
    const counts = new Map<string, number>();
    for (const file of seen())
      counts.set(
        file.slice(pagesDir.length - "pages".length),
        (counts.get(file.slice(pagesDir.length - "pages".length)) ?? 0) + 1,
      );
    assert.deepEqual(Object.fromEntries(counts), {
      "pages/shared.css": 1,
      "pages/imported.css": 1,
      "pages/card.module.scss": 1,
      "pages/plain.module.css": 1,
      "node_modules/fake-ui/ui.css": 1,
    });
    // What PostCSS returned is what was bundled: the marker of each of the page's five stylesheets.
    assert.equal(new Set(pageCss(output, "p7.tsx").match(/--counted:\s*\d+/g)).size, 5);
  });

  it("names a config that needs postcss when the app does not have it", async () => {
    // A folder outside the repository: nothing resolves `postcss` from there.
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const path = await import("node:path");
    const dir = mkdtempSync(path.join(tmpdir(), "ssr-pages-no-postcss-"));
    writeFileSync(path.join(dir, ".postcssrc.json"), `{ "plugins": {} }`);
    const { loadPostcss } = await import("../../src/compile/postcss.js");
    await assert.rejects(
      loadPostcss(dir, false),
      /\.postcssrc\.json needs the package "postcss", which is not installed: npm install --save-dev postcss/,
    );
  });
});

describe("Sass", () => {
  const files = {
    "pages/index.tsx": `import "./site.scss"; import s from "./card.module.sass"; export default function I() { return <p className={s.card}>i</p>; }`,
    "pages/site.scss": `@use "../styles/theme"; @use "fake-theme"; .site { color: theme.$accent; @include theme.dotted; border-color: fake-theme.$line; }`,
    "pages/card.module.sass": `@use "../styles/theme"\n.card\n  color: theme.$accent\n  &:hover\n    color: red\n`,
    "styles/_theme.scss": `$accent: rgb(10, 20, 30);\n@mixin dotted { background: url(./img/dot.png); }\n`,
    "styles/img/dot.png": PNG,
    "node_modules/fake-theme/package.json": `{ "name": "fake-theme", "version": "1.0.0", "sass": "scss/theme.scss" }`,
    "node_modules/fake-theme/scss/theme.scss": `$line: rgb(4, 5, 6);`,
  };

  it("compiles .scss and .module.sass with partials in other folders, packages, and url()s from the partial's own folder", async () => {
    const pagesDir = project(files);
    const output = await compile(pagesDir, ["index.tsx"], false);
    assert.deepEqual(output.errors, []);
    const css = pageCss(output, "index.tsx");
    assert.match(css, /\.site\{color:#0a141e;background:url\(\.\/dot-\w+\.png\);border-color:#040506\}/);
    const name = /\.(card_[0-9a-f]{8}_card)\{color:#0a141e\}/.exec(css)?.[1];
    assert.ok(name, css);
    assert.ok(serverText(output).includes(name), "the server render has the same class name");
    assert.ok(
      [...browserText(output).keys()].some((file) => /^dot-\w+\.png$/.test(file)),
      "the partial's image is served",
    );
  });

  it("says which file, line and column a Sass error is at: the partial's, not the page's", async () => {
    const pagesDir = project({ ...files, "styles/_theme.scss": `$accent: 1px + 1em;\n` });
    const output = await compile(pagesDir, ["index.tsx"], false);
    assert.match(
      output.errors.map((error) => error.message).join("\n"),
      /^\.\.\/styles\/_theme\.scss:1:10: 1px and 1em have incompatible units\.\n {4}\$accent: 1px \+ 1em;\n {13}\^/m,
    );
    assert.match(output.failed.get("index.tsx")?.message ?? "", /_theme\.scss:1:10/);
  });

  it("finds partials as Sass does, and refuses an ambiguous one", async () => {
    const { findStylesheet } = await import("../../src/compile/sass.js");
    const pagesDir = project({
      "pages/x.tsx": "",
      "lib/_a.scss": "",
      "lib/b.sass": "",
      "lib/c/_index.scss": "",
      "lib/d.scss": "",
      "lib/_d.scss": "",
      "lib/e.import.scss": "",
      "lib/e.scss": "",
    });
    const lib = (await import("node:path")).resolve(pagesDir, "../lib");
    const found = (name: string, fromImport = false) =>
      findStylesheet(`${lib}/${name}`, fromImport)?.slice(lib.length + 1);
    assert.equal(found("a"), "_a.scss");
    assert.equal(found("b"), "b.sass");
    assert.equal(found("c"), "c/_index.scss");
    assert.equal(found("e", true), "e.import.scss");
    assert.equal(found("e"), "e.scss");
    assert.equal(found("none"), undefined);
    assert.throws(() => found("d"), /not clear which file to import/);
  });
});

describe("a stylesheet or a browser-only module that fails", () => {
  const files = {
    // Two pages reach the broken Sass through a component; one imports a stylesheet whose @import is
    // missing; one a package whose browser build is broken; one is fine.
    "pages/a.tsx": `import { Card } from "../components/card"; export default function A() { return <Card />; }`,
    "pages/b.tsx": `import { Card } from "../components/card"; export default function B() { return <Card />; }`,
    "pages/c.tsx": `import "./fine.css"; export default function C() { return <p className="fine">c</p>; }`,
    "pages/d.tsx": `import "./gone.css"; export default function D() { return <p>d</p>; }`,
    "pages/e.tsx": `import { widget } from "fake-widget"; export default function E() { return <p>{widget}</p>; }`,
    "components/card.tsx": `import "./card.scss"; export function Card() { return <p className="card">card</p>; }`,
    "components/card.scss": `.card { color: $undefined-variable; }`,
    "pages/fine.css": `.fine { color: rgb(7, 8, 9); }`,
    "pages/gone.css": `@import "./not-there.css";`,
    "node_modules/fake-widget/package.json": `{ "name": "fake-widget", "version": "1.0.0", "main": "server.js", "browser": "browser.js" }`,
    "node_modules/fake-widget/server.js": `exports.widget = "server";`,
    "node_modules/fake-widget/browser.js": `export { widget } from "./missing-in-the-browser.js";`,
  };

  const check = (output: CompileOutput) => {
    assert.deepEqual([...output.failed.keys()].sort(), ["a.tsx", "b.tsx", "d.tsx", "e.tsx"]);
    assert.match(
      output.failed.get("a.tsx")?.message ?? "",
      /^\.\.\/components\/card\.scss:1:\d+: Undefined variable\./,
    );
    assert.equal(output.failed.get("a.tsx"), output.failed.get("b.tsx"), "one error, shared");
    assert.match(output.failed.get("d.tsx")?.message ?? "", /^gone\.css:1:\d+: Could not resolve "\.\/not-there\.css"/);
    assert.match(
      output.failed.get("e.tsx")?.message ?? "",
      /fake-widget\/browser\.js:1:\d+: Could not resolve "\.\/missing-in-the-browser\.js"/,
    );
    // Each failure reported once; the good page keeps its script and its styles.
    assert.equal(output.errors.length, 3, output.errors.map((error) => error.message).join("\n"));
    assert.ok(output.browser?.pages.get("c.tsx")?.module, "c keeps its script");
    assert.match(pageCss(output, "c.tsx"), /\.fine\s*\{\s*color:\s*(#070809|rgb\(7, 8, 9\))/);
    for (const page of ["a.tsx", "b.tsx", "d.tsx", "e.tsx"])
      assert.equal(output.browser?.pages.get(page), undefined, page);
  };

  it("fails only the pages that reach it, each with its file and reason; the others keep their scripts", async () => {
    check(await compile(project(files), ["a.tsx", "b.tsx", "c.tsx", "d.tsx", "e.tsx"], false));
  });

  it("does the same in a development compile", async () => {
    const output = await compile(project(files), ["a.tsx", "b.tsx", "c.tsx", "d.tsx", "e.tsx"], true);
    check(output);
    // The broken files are watched, so the save that fixes one recovers.
    for (const file of ["components/card.scss", "pages/gone.css"])
      assert.ok(
        output.server.sources.some((source) => source.endsWith(file)),
        file,
      );
  });

  it("leaves every page without scripts when the failure is in _app, which every page's code holds", async () => {
    const pagesDir = project({
      ...files,
      "pages/_app.tsx": `import "./gone.css"; export function wrapPageElement({ element }) { return element; }`,
    });
    const output = await compile(
      pagesDir,
      ["c.tsx"],
      false,
      {},
      {
        errorPage: undefined,
        notFoundPage: undefined,
        app: "_app.tsx",
        gatsbySsr: undefined,
        gatsbyBrowser: undefined,
      },
    );
    assert.equal(output.browser, undefined);
    assert.match(output.errors.map((error) => error.message).join("\n"), /gone\.css:1:\d+: Could not resolve/);
  });
});

describe("the Sass compiler", () => {
  /** A folder outside the repository whose node_modules holds only `packages` (links to this checkout's). */
  async function appWith(packages: readonly string[]): Promise<string> {
    const { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const path = await import("node:path");
    const dir = mkdtempSync(path.join(tmpdir(), "ssr-pages-sass-"));
    mkdirSync(path.join(dir, "node_modules"));
    for (const name of packages) symlinkSync(path.resolve("node_modules", name), path.join(dir, "node_modules", name));
    writeFileSync(path.join(dir, "_vars.scss"), "$c: rgb(1, 2, 3);\n");
    writeFileSync(path.join(dir, "a.scss"), `@use "vars"; .a { color: vars.$c; &:hover { color: red; } }\n`);
    return dir;
  }

  it("is the app's sass-embedded or sass, whichever it has, with the same output", async () => {
    const { SassRunner } = await import("../../src/compile/sass.js");
    const outputs: string[] = [];
    for (const packages of [
      ["sass-embedded", "sass-embedded-linux-x64", "sass-embedded-linux-musl-x64"],
      ["sass"],
      ["sass", "sass-embedded", "sass-embedded-linux-x64", "sass-embedded-linux-musl-x64"],
    ]) {
      const { existsSync } = await import("node:fs");
      const dir = await appWith(packages.filter((name) => existsSync(`node_modules/${name}`)));
      const runner = new SassRunner(dir);
      const read: string[] = [];
      try {
        outputs.push((await runner.compile(`${dir}/a.scss`, (file) => read.push(file))).css);
        assert.deepEqual(
          read.map((file) => file.slice(dir.length + 1)),
          ["a.scss", "_vars.scss"],
          "each file it read, said before it is read",
        );
      } finally {
        await runner.dispose();
      }
    }
    assert.equal(outputs[0], ".a {\n  color: rgb(1, 2, 3);\n}\n.a:hover {\n  color: red;\n}");
    assert.deepEqual(new Set(outputs).size, 1, outputs.join("\n---\n"));
  });

  it("names the packages to install when the app has neither", async () => {
    const { SassRunner } = await import("../../src/compile/sass.js");
    const dir = await appWith([]);
    await assert.rejects(
      new SassRunner(dir).compile(`${dir}/a.scss`, () => undefined),
      /a\.scss \(Sass\) needs the package "sass-embedded" or "sass", which is not installed: npm install --save-dev sass-embedded/,
    );
  });
});

describe("browserslist targets", () => {
  const files = {
    "package.json": `{ "name": "app", "private": true, "browserslist": ["safari 9", "ie 11"] }`,
    "pages/index.tsx": `import "./site.css"; import s from "./box.module.css"; export default function I() { return <p className={s.box}>i</p>; }`,
    "pages/site.css": `.a { user-select: none; color: rgba(0, 0, 0, 0.5); inset: 0; & .b { color: red; } }`,
    "pages/box.module.css": `.box { background: rgba(255, 0, 0, 0.5); }`,
  };

  it("lowers and prefixes every stylesheet, and the production minifier keeps it so", async () => {
    for (const dev of [false, true]) {
      const output = await compile(project(files), ["index.tsx"], dev);
      assert.deepEqual(output.errors, []);
      const css = pageCss(output, "index.tsx").replace(/\s+/g, "");
      assert.match(css, /-webkit-user-select:none;(-ms-user-select:none;)?user-select:none/, `dev=${dev}`);
      assert.match(css, /top:0;right:0;bottom:0;left:0/, `inset lowered, dev=${dev}`);
      assert.match(css, /rgba\(0,0,0,\.?0?\.5\)/, `no #rrggbbaa, dev=${dev}`);
      assert.match(css, /rgba\(255,0,0,\.?0?\.5\)/, `the CSS module's too, dev=${dev}`);
      assert.match(css, /\.a\.b\{color:red;?\}/, `nesting unwrapped (spaces removed here), dev=${dev}`);
      assert.doesNotMatch(css, /#0000+80|inset:/, `dev=${dev}`);
    }
  });
});

describe("where an error points", () => {
  it("names a CSS module's own file, relative to the pages directory, whatever the working directory", async () => {
    const pagesDir = project({
      "pages/index.tsx": `import s from "./x.module.scss"; export default function I() { return <p className={s.a}>i</p>; }`,
      "pages/x.module.scss": `.a { color: $nope; }`,
    });
    const output = await compile(pagesDir, ["index.tsx"], false);
    assert.match(output.errors[0]?.message ?? "", /^x\.module\.scss:1:13: Undefined variable\./);
  });

  it("points a PostCSS error in Sass output at the .scss line", async () => {
    const pagesDir = project({
      "postcss.config.cjs": `module.exports = { plugins: [{ postcssPlugin: "no-red", Declaration(decl) { if (decl.value === "red") throw decl.error("red is not allowed"); } }] };`,
      "pages/index.tsx": `import "./site.scss"; export default function I() { return <p>i</p>; }`,
      "pages/site.scss": `$x: 1px;\n\n// a comment\n.a {\n  width: $x;\n  .b {\n    color: red;\n  }\n}\n`,
    });
    const output = await compile(pagesDir, ["index.tsx"], false);
    assert.match(output.errors[0]?.message ?? "", /^site\.scss:7:\d+: no-red: red is not allowed\n {4}\s*color: red;/);
  });

  it("reports a PostCSS config that cannot load once, for every stylesheet it fails", async () => {
    const pagesDir = project({
      "postcss.config.cjs": `throw new Error("boom in the config");`,
      "pages/a.tsx": `import "./a.css"; export default function A() { return <p>a</p>; }`,
      "pages/b.tsx": `import "./b.css"; export default function B() { return <p>b</p>; }`,
      "pages/a.css": `.a { color: red; }`,
      "pages/b.css": `.b { color: red; }`,
    });
    const output = await compile(pagesDir, ["a.tsx", "b.tsx"], false);
    assert.equal(output.errors.length, 1, output.errors.map((error) => error.message).join("\n"));
    assert.match(
      output.errors[0]?.message ?? "",
      /the PostCSS config \(found from .* upward\) could not be loaded: boom in the config/,
    );
    assert.deepEqual([...output.failed.keys()].sort(), ["a.tsx", "b.tsx"]);
  });

  it("names a PostCSS plugin that is not installed", async () => {
    const pagesDir = project({
      "postcss.config.cjs": `module.exports = { plugins: { "postcss-not-installed-anywhere": {} } };`,
      "pages/a.tsx": `import "./a.css"; export default function A() { return <p>a</p>; }`,
      "pages/a.css": `.a { color: red; }`,
    });
    const output = await compile(pagesDir, ["a.tsx"], false);
    assert.match(
      output.errors[0]?.message ?? "",
      /needs the package "postcss-not-installed-anywhere", which is not installed: npm install --save-dev postcss-not-installed-anywhere/,
    );
  });
});

describe("a development compile whose Sass partial outside the pages is broken", () => {
  it("watches the partial, so the save that fixes it recovers", async () => {
    const pagesDir = project({
      "pages/index.tsx": `import "./site.scss"; export default function I() { return <p>i</p>; }`,
      "pages/site.scss": `@use "../styles/theme"; .a { color: theme.$accent; }`,
      "styles/_theme.scss": `$accent: 1px + 1em;\n`,
    });
    const output = await compile(pagesDir, ["index.tsx"], true);
    assert.equal(output.failed.has("index.tsx"), true);
    assert.ok(
      output.server.sources.some((file) => file.endsWith("/styles/_theme.scss")),
      output.server.sources.join("\n"),
    );
  });
});

describe("browserslist targets and stylesheet names", () => {
  const files = (browserslist: string | undefined) => ({
    "package.json": JSON.stringify({
      name: "app",
      private: true,
      ...(browserslist === undefined ? {} : { browserslist: [browserslist] }),
    }),
    "pages/index.tsx": `import "./site.css"; export default function I() { return <p className="a">i</p>; }`,
    "pages/site.css": `.a { inset: 0; }`,
  });
  const cssName = (output: CompileOutput) => output.browser?.pages.get("index.tsx")?.css[0] ?? "";

  it("names a stylesheet by its lowered bytes: new targets, a new URL (they are served as immutable)", async () => {
    const names = new Set<string>();
    for (const browserslist of [undefined, "safari 9", "chrome 120"]) {
      const output = await compile(project(files(browserslist)), ["index.tsx"], false);
      const name = cssName(output);
      assert.ok(browserText(output).has(name), `${name} is served`);
      names.add(name);
    }
    assert.equal(names.size, 3, [...names].join(" "));
  });

  it("keeps the development stylesheet's link to its source map", async () => {
    const output = await compile(project(files("safari 9")), ["index.tsx"], true);
    assert.match(
      browserText(output).get(cssName(output)) ?? "",
      /top: 0;[\s\S]*\/\*# sourceMappingURL=p0-\w+\.css\.map \*\/\s*$/,
    );
  });

  it("says where a query it cannot read is", async () => {
    const output = await compile(project(files("safarri 9")), ["index.tsx"], false);
    assert.match(
      output.errors.map((error) => error.message).join("\n"),
      /the browserslist config \(in package\.json or \.browserslistrc, from .* upward\): Unknown browser safarri/,
    );
  });
});
