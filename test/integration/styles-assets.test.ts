/**
 * What the compile makes of CSS, asset imports and the environment: CSS-module names that are the
 * same in both builds and on every compile, stylesheets per page, assets named by their bytes, and
 * public variables in the browser build with nothing else of the environment.
 */
import assert from "node:assert/strict";
import vm from "node:vm";
import { describe, it } from "node:test";
import type { CompileOutput } from "../../src/compile/compile.js";
import { createSsrHandler } from "../../src/index.js";
import { browserText, compile, project, serverText } from "./compile-project.js";
import { renderEnv } from "../../src/common/render-env.js";

/** The names object a server build holds for a CSS module, found by one of its classes. */
function serverNames(output: CompileOutput, local: string): Record<string, string> {
  const text = serverText(output);
  const match = new RegExp(`\\{[^{}]*"?${local}"?\\s*:[^{}]*\\}`).exec(text);
  assert.ok(match, `no class-name object with ${local} in the server build`);
  return { ...(vm.runInNewContext(`(${match[0]})`) as Record<string, string>) };
}

const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d763f8cfc0000003010100c9fe92ef0000000049454e44ae426082",
  "hex",
);

describe("CSS modules", () => {
  const files = {
    "pages/a.tsx": `import s from "./card.module.css"; import t from "../components/card.module.css"; export default function A() { return <p className={s.card + " " + t.card}>a</p>; }`,
    "pages/b.tsx": `import "./plain.css"; import { card, wide } from "./card.module.css"; export default function B() { return <p className={card + wide}>b</p>; }`,
    "pages/card.module.css": `.card { color: rgb(1, 2, 3); } .wide { composes: card; width: 100%; } .class { x: y }`,
    "pages/plain.css": `.plain { color: rgb(4, 5, 6); background: url(./dot.png); }`,
    "pages/dot.png": PNG,
    "components/card.module.css": `.card { color: rgb(7, 8, 9); background: url(../pages/dot.png); }`,
  };

  it("gives the server render and the browser stylesheet the same class names, minified or not", async () => {
    for (const dev of [true, false]) {
      const pagesDir = project(files);
      const output = await compile(pagesDir, ["a.tsx", "b.tsx"], dev);
      assert.deepEqual(output.errors, []);
      const names = serverNames(output, "wide");
      assert.match(names.card ?? "", /^card_[0-9a-f]{8}_card$/);
      assert.equal(
        names.wide,
        `${names.card} ${(names.card ?? "").replace(/_card$/, "_wide")}`,
        "composes gives both names",
      );
      const browser = browserText(output);
      const css = output.browser?.pages.get("a.tsx")?.css[0] ?? "";
      assert.match(
        browser.get(css) ?? "",
        new RegExp(`\\.${names.card}\\s*\\{\\s*color:\\s*(rgb\\(1, 2, 3\\)|#010203)`),
        `dev=${dev}`,
      );
      // The browser module carries the same names for the component to use.
      const module = browser.get(output.browser?.pages.get("a.tsx")?.module ?? "") ?? "";
      const chunks = [...browser.entries()]
        .filter(([name]) => name.endsWith(".js"))
        .map(([, text]) => text)
        .join("\n");
      assert.ok(
        module.includes(names.card ?? "-") || chunks.includes(names.card ?? "-"),
        "the browser code holds the server's name",
      );
    }
  });

  it("names a file's classes after its path: the same on every compile, different for a same-named file elsewhere", async () => {
    const one = await compile(project(files), ["a.tsx", "b.tsx"], false);
    const two = await compile(project(files), ["b.tsx", "a.tsx"], true);
    assert.deepEqual(
      serverNames(one, "wide"),
      serverNames(two, "wide"),
      "another compile (and another page order, and dev) gives the same names",
    );
    const text = serverText(one);
    const both = [...new Set(text.match(/card_[0-9a-f]{8}_card/g) ?? [])];
    assert.equal(both.length, 2, `pages/card.module.css and components/card.module.css: ${both.join(", ")}`);
  });

  it("keeps plain CSS out of the server build, and links it, with its url()s relative, in the page's stylesheet", async () => {
    const output = await compile(project(files), ["a.tsx", "b.tsx"], false);
    assert.doesNotMatch(serverText(output), /rgb\(4, 5, 6\)|\.plain/);
    assert.ok(!output.server.files.has("b.css"));
    const browser = browserText(output);
    const css = browser.get(output.browser?.pages.get("b.tsx")?.css[0] ?? "") ?? "";
    assert.match(css, /\.plain\{color:(rgb\(4, ?5, ?6\)|#040506);background:url\(\.\/dot-[A-Za-z0-9]{10}\.png\)\}/);
    const image = /url\(\.\/(dot-[A-Za-z0-9]{10}\.png)\)/.exec(css)?.[1] ?? "";
    assert.ok(browser.has(image), `${image} is served`);
    // A CSS module outside the pages directory: its url() too, from its own folder.
    const a = browser.get(output.browser?.pages.get("a.tsx")?.css[0] ?? "") ?? "";
    assert.ok(a.includes(`url(./${image})`), a);
  });

  it("says which CSS file and line an unreadable url() is in", async () => {
    const output = await compile(
      project({ ...files, "pages/card.module.css": `.card {\n  background: url(./missing.png);\n}` }),
      ["a.tsx"],
      false,
    );
    const error = output.errors.find((candidate) => /missing\.png/.test(candidate.message));
    assert.ok(error, output.errors.map((candidate) => candidate.message).join("\n"));
    assert.match(error.message, /^card\.module\.css:2:\d+: Could not read "\.\/missing\.png"/);
    assert.equal(error.file, "card.module.css");
  });
});

describe("CSS from a package", () => {
  const files = {
    "node_modules/fake-ui/package.json": JSON.stringify({
      name: "fake-ui",
      exports: { "./css": "./dist/styles.css", "./card.module.css": "./dist/card.module.css", "./dist/*": "./dist/*" },
    }),
    "node_modules/fake-ui/dist/styles.css": `@font-face { font-family: "Fake"; src: url(./fake.woff2); } .fake-ui { color: rgb(9, 9, 9); }`,
    "node_modules/fake-ui/dist/fake.woff2": Buffer.from("wOF2 fake font"),
    "node_modules/fake-ui/dist/card.module.css": `.card { color: rgb(8, 8, 8); }`,
    "pages/index.tsx": `import "fake-ui/css"; import "fake-ui/dist/styles.css"; import card from "fake-ui/card.module.css";
      export default function I() { return <p className={card.card}>x</p>; }`,
    "pages/other.tsx": `export default function O() { return <p>other</p>; }`,
  };

  it("goes into the page's stylesheet with its fonts, is nothing on the server, and a package's CSS module gets the same names on both sides", async () => {
    const pagesDir = project(files);
    const output = await compile(pagesDir, ["index.tsx", "other.tsx"], false);
    assert.deepEqual(output.errors, []);
    assert.doesNotMatch(serverText(output), /@font-face|rgb\(9, 9, 9\)/);
    const names = serverNames(output, "card");
    assert.match(names.card ?? "", /^card_[0-9a-f]{8}_card$/);
    const browser = browserText(output);
    const css = browser.get(output.browser?.pages.get("index.tsx")?.css[0] ?? "") ?? "";
    assert.match(css, /\.fake-ui\{color:(rgb\(9, ?9, ?9\)|#090909)\}/);
    assert.ok(css.includes(`.${names.card}{`), css);
    const font = /url\(\.\/(fake-[A-Za-z0-9]{10}\.woff2)\)/.exec(css)?.[1] ?? "";
    assert.ok(browser.has(font), `the package's font is served: ${font}`);
  });

  it("serves the pages that import it, and the others of their group", async () => {
    const pagesDir = project(files);
    const errors: unknown[] = [];
    const handler = createSsrHandler(pagesDir, { dev: false, onError: (error) => errors.push(error) });
    for (const url of ["/", "/other"]) {
      const response = await handler.handle({ method: "GET", url, base: "", headers: {} });
      assert.equal(response?.status, 200, `${url}: ${String(response?.body).slice(0, 300)}`);
    }
    assert.deepEqual(errors, []);
  });
});

describe("asset imports", () => {
  const kinds = [
    "png",
    "jpg",
    "jpeg",
    "gif",
    "webp",
    "avif",
    "svg",
    "ico",
    "woff",
    "woff2",
    "ttf",
    "otf",
    "mp4",
    "webm",
    "mp3",
    "txt",
    "pdf",
  ];
  const files: Record<string, string | Buffer> = {
    "pages/index.tsx": `${kinds.map((ext) => `import f_${ext} from "./files/f.${ext}";`).join("\n")}
      export const urls = { ${kinds.map((ext) => `${ext}: f_${ext}`).join(", ")} };
      export function getServerData() { return { props: urls }; }
      export default function Index() { return <pre id="urls">{JSON.stringify(urls)}</pre>; }`,
  };
  for (const ext of kinds) files[`pages/files/f.${ext}`] = Buffer.from(`bytes of ${ext}`);

  it("imports each kind as the URL of a copy named by its bytes, the same in both builds", async () => {
    const output = await compile(project(files), ["index.tsx"], false);
    assert.deepEqual(output.errors, []);
    const served = new Map(output.assets.map((file) => [file.name, Buffer.from(file.contents).toString()]));
    const server = serverText(output);
    const browserCode = [...browserText(output)]
      .filter(([name]) => name.endsWith(".js"))
      .map(([, text]) => text)
      .join("\n");
    for (const ext of kinds) {
      const url = new RegExp(`"(/_ssr-pages/f-[A-Za-z0-9]{10}\\.${ext})"`).exec(server)?.[1];
      assert.ok(url, `${ext} in the server build`);
      assert.ok(browserCode.includes(`"${url}"`), `${ext}: the browser build has the same URL`);
      assert.equal(served.get(url.slice("/_ssr-pages/".length)), `bytes of ${ext}`, `${ext} is served`);
    }
  });

  it("names a file by its bytes: the same bytes, the same name, on every compile", async () => {
    const one = await compile(project(files), ["index.tsx"], false);
    const two = await compile(project(files), ["index.tsx"], true);
    assert.deepEqual(one.assets.map((file) => file.name).sort(), two.assets.map((file) => file.name).sort());
    const changed = await compile(
      project({ ...files, "pages/files/f.png": Buffer.from("other bytes") }),
      ["index.tsx"],
      false,
    );
    const png = (output: CompileOutput) => output.assets.find((file) => file.name.endsWith(".png"))?.name;
    assert.notEqual(png(changed), png(one));
  });

  it("says which page imports a file that is not there", async () => {
    const output = await compile(
      project({
        "pages/index.tsx": `import logo from "./nope.png"; export default function I() { return <img src={logo} />; }`,
      }),
      ["index.tsx"],
      false,
    );
    assert.equal(output.errors.length, 1);
    assert.match(output.errors[0]?.message ?? "", /^index\.tsx:1:\d+: Could not read "\.\/nope\.png"/);
  });
});

describe("the browser environment", () => {
  const files = {
    "pages/index.tsx": `
      export function getServerData() { return { props: { seen: process.env.SECRET_FOR_SERVER_ONLY === "s3cr3t-value-4711" } }; }
      export default function I() {
        const { PUBLIC_DESTRUCTURED, OTHER } = process.env;
        return <p>{process.env.PUBLIC_GREETING}|{process.env.GATSBY_FLAG}|{String(process.env.SECRET_FOR_SERVER_ONLY)}|{String(PUBLIC_DESTRUCTURED)}|{String(OTHER)}|{process.env.NODE_ENV}</p>;
      }`,
  };
  const env = {
    PUBLIC_GREETING: "hello-public",
    GATSBY_FLAG: "gatsby-on",
    SECRET_FOR_SERVER_ONLY: "s3cr3t-value-4711",
    PATH: "/usr/bin",
  };

  it("inlines NODE_ENV and the PUBLIC_ and GATSBY_ variables, and no other variable's value reaches any browser file", async () => {
    for (const dev of [true, false]) {
      const output = await compile(project(files), ["index.tsx"], dev, env);
      assert.deepEqual(output.errors, []);
      const all = [...browserText(output).values()].join("\n");
      assert.ok(all.includes("hello-public") && all.includes("gatsby-on"), `dev=${dev}`);
      assert.doesNotMatch(all, /s3cr3t-value-4711/, "the secret's value");
      assert.doesNotMatch(all, /SECRET_FOR_SERVER_ONLY":/, "not even as a key of process.env");
      assert.ok(all.includes(dev ? '"development"' : '"production"'));
      // Components read each variable by name; none is enumerable, so JSON.stringify(process.env) is {} as in the browser.
      const seen = renderEnv(output.env);
      assert.deepEqual({ ...seen }, {});
      assert.deepEqual(
        {
          PUBLIC_GREETING: seen.PUBLIC_GREETING,
          GATSBY_FLAG: seen.GATSBY_FLAG,
          NODE_ENV: seen.NODE_ENV,
          OTHER: seen.SECRET_FOR_SERVER_ONLY,
        },
        {
          PUBLIC_GREETING: "hello-public",
          GATSBY_FLAG: "gatsby-on",
          NODE_ENV: dev ? "development" : "production",
          OTHER: undefined,
        },
      );
      assert.ok(Object.isFrozen(output.env));
    }
  });
});
