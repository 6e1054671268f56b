// The docs cannot rot. Over README.md, CHANGELOG.md, examples/README.md and docs/*.md:
// - a code block that names a file of the repository in its first line (`// examples/styles/pages/sass.tsx`)
//   is that file, byte for byte (and the file is type-checked by `npm run typecheck` through
//   examples/tsconfig.json, and run by the example tests when it is a page or a server);
// - a *complete* code example, one a reader would paste as a file, names its file (so it is one of
//   those files). Complete means: a block in ts, tsx, js, jsx, mjs, cjs, mts or cts that has, at the
//   start of a line (no indentation, so at the top level), an `import` or `export` statement or
//   `module.exports`, or that calls `.listen(` anywhere. Everything else is a fragment, and allowed:
//   a fragment shows a call or a few lines (`app.use(pages.notFound)`) and says in the prose where the
//   names come from, without import lines of its own;
// - every relative link leads to a file that exists, and its `#anchor`, when the target is Markdown,
//   to a heading of that file (GitHub's slugs: see `slug`) or an `<a id>` / `<a name>` in it;
// - docs/options.md has a section for every option the code accepts (the middleware's, read from
//   resolveOptions' own error message and the adapters' interfaces; the cache's; the Redis store's;
//   build()'s), and docs/README.md lists every guide.
// The last describe runs the checks on made-up Markdown, so each is shown to catch what it is for.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";

const ROOT = path.resolve(import.meta.dirname, "../..");
const DOCS = [
  "README.md",
  "CHANGELOG.md",
  "CONTRIBUTING.md",
  "examples/README.md",
  ...readdirSync(path.join(ROOT, "docs"))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => `docs/${name}`),
];

interface CodeBlock {
  /** The info string after the opening fence (`tsx`, `sh`, ``). */
  lang: string;
  /** The first line of the block, without the list item's indentation. */
  first: string;
  /** The whole text of the block, without the list item's indentation. */
  text: string;
  /** The line of the opening fence, 1-based. */
  line: number;
}

/** The fenced code blocks of a Markdown text, also those indented inside a list item. */
function codeBlocks(markdown: string): CodeBlock[] {
  return [...markdown.matchAll(/^( *)```([^\n`]*)\n([\s\S]*?)^\1```[ \t]*$/gm)].map((match) => {
    const indent = match[1] as string;
    const body = match[3] as string;
    const text = indent === "" ? body : body.replace(new RegExp(`^ {0,${indent.length}}`, "gm"), "");
    return {
      lang: (match[2] as string).trim(),
      first: text.split("\n", 1)[0] as string,
      text,
      line: markdown.slice(0, match.index).split("\n").length,
    };
  });
}

/** A block's own file: its first line is a comment holding the file's path in the repository. */
const NAMED = /^(?:\/\/|\/\*|#|<!--)\s*((?:examples|test|bench)\/[\w./[\]-]+?)\s*(?:\*\/|-->)?$/;

/** The languages whose blocks can be complete files of code. */
const CODE_LANGS = new Set(["ts", "tsx", "js", "jsx", "mjs", "cjs", "mts", "cts", "typescript", "javascript"]);

/** Whether a block is a complete example (see the header of this file): a module, or a server. */
function isComplete(block: CodeBlock): boolean {
  if (!CODE_LANGS.has(block.lang)) return false;
  return /^(?:import|export)[\s{*"'(]|^module\.exports\b/m.test(block.text) || /\.listen\(/.test(block.text);
}

/** The text of a Markdown file without its fenced code blocks (their `#` lines are not headings, their `](` not links). */
function prose(markdown: string): string {
  return markdown.replace(/^( *)```[^\n`]*\n[\s\S]*?^\1```[ \t]*$/gm, "");
}

/**
 * GitHub's anchor for a heading's text (github-slugger): the rendered text (no backticks, emphasis
 * marks or link targets), lower-cased; every character that is not a letter, a digit, a space, `-` or
 * `_` dropped; each space a `-`. The second heading with the same slug gets `-1`, the third `-2`.
 */
function slug(heading: string): string {
  const rendered = heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/<[^>]+>/g, "")
    .replace(/`/g, "")
    .replace(/(\*\*|__)(.+?)\1/g, "$2")
    .replace(/(^|\W)[*_](.+?)[*_](?=\W|$)/g, "$1$2");
  return rendered
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

/** Every anchor a Markdown file offers: its headings' slugs (with GitHub's suffixes for repeats) and `<a id|name>`. */
function anchors(markdown: string): Set<string> {
  const found = new Set<string>();
  const seen = new Map<string, number>();
  const text = prose(markdown);
  for (const match of text.matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const base = slug(match[1] as string);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    found.add(count === 0 ? base : `${base}-${count}`);
  }
  for (const match of text.matchAll(/<a\s[^>]*\b(?:id|name)="([^"]+)"/g)) found.add(match[1] as string);
  return found;
}

/** The relative links of a Markdown text: `[text](target)`, outside code. */
function relativeLinks(markdown: string): string[] {
  const text = prose(markdown).replace(/`[^`\n]*`/g, "``");
  return [...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
    .map((match) => match[1] as string)
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

/** What is wrong with the relative links of `doc` (a path relative to ROOT), as messages. */
function brokenLinks(doc: string, markdown: string): string[] {
  const problems: string[] = [];
  for (const link of relativeLinks(markdown)) {
    const hash = link.indexOf("#");
    const target = hash === -1 ? link : link.slice(0, hash);
    const anchor = hash === -1 ? undefined : decodeURIComponent(link.slice(hash + 1));
    const file =
      target === ""
        ? path.join(ROOT, doc)
        : path.resolve(path.dirname(path.join(ROOT, doc)), decodeURIComponent(target));
    if (target !== "" && !existsSync(file)) {
      problems.push(`${doc} links to ${link}: ${target} does not exist`);
      continue;
    }
    if (anchor === undefined || anchor === "") continue;
    if (!file.endsWith(".md") || (target !== "" && statSync(file).isDirectory())) continue;
    if (!anchors(target === "" ? markdown : readFileSync(file, "utf8")).has(anchor))
      problems.push(`${doc} links to ${link}: ${path.relative(ROOT, file)} has no heading whose anchor is #${anchor}`);
  }
  return problems;
}

/** The complete blocks of `doc` that name no file, as messages. */
function unnamedCompleteBlocks(doc: string, markdown: string): string[] {
  return codeBlocks(markdown)
    .filter((block) => isComplete(block) && !NAMED.test(block.first))
    .map(
      (block) =>
        `${doc}:${block.line}: a complete ${block.lang} example names no file. Put it under examples/ and start the block with its path (// examples/…), or cut it to a fragment (no top-level import or export, no .listen)`,
    );
}

describe("docs", () => {
  for (const doc of DOCS) {
    const markdown = readFileSync(path.join(ROOT, doc), "utf8");

    it(`${doc}: every block that names a file is that file`, () => {
      for (const { first, text } of codeBlocks(markdown)) {
        const file = NAMED.exec(first)?.[1];
        if (file === undefined) continue;
        assert.ok(existsSync(path.join(ROOT, file)), `${doc} shows ${file}, which does not exist`);
        assert.equal(
          text,
          readFileSync(path.join(ROOT, file), "utf8"),
          `${doc}'s copy of ${file} differs from the file`,
        );
      }
    });

    it(`${doc}: every complete code example names its file`, () => {
      assert.deepEqual(unnamedCompleteBlocks(doc, markdown), []);
    });

    it(`${doc}: every relative link leads to a file, and its #anchor to a heading there`, () => {
      assert.deepEqual(brokenLinks(doc, markdown), []);
    });
  }

  it("docs/options.md has a section for every option the code takes, and none for an option it does not", async () => {
    const { resolveOptions } = await import("../../src/options.js");
    /** The names an options object may hold, from the TypeError an unknown one gets: "… (known: a, b)". */
    const known = (options: object): string[] => {
      try {
        resolveOptions(options as Parameters<typeof resolveOptions>[0]);
      } catch (error) {
        const list = /\(known: ([^)]+)\)/.exec((error as Error).message)?.[1];
        if (list) return list.split(", ");
      }
      throw new Error("resolveOptions no longer names the options it knows: update this test");
    };
    /** The optional members of an interface declared in a source file. */
    const members = (file: string, name: string): string[] => {
      const source = readFileSync(path.join(ROOT, file), "utf8");
      const body = new RegExp(`export interface ${name}\\b[^{]*\\{([\\s\\S]*?)\\n\\}`).exec(source)?.[1] ?? "";
      return [...body.matchAll(/^ {2}(\w+)\?:/gm)].map((match) => match[1] as string);
    };
    const middleware = [...known({ "not an option": 1 }), ...members("adapters/express.ts", "ExpressSsrOptions")];
    const cache = known({ cache: { "not an option": 1 } }).map((name) => `cache.${name}`);
    const redisOptions =
      /export function redisStore\([^)]*?options: \{([^}]*)\}/.exec(
        readFileSync(path.join(ROOT, "src/cache/redis-store.ts"), "utf8"),
      )?.[1] ?? "";
    const redis = [...redisOptions.matchAll(/(\w+)\?:/g)].map((match) => match[1] as string);
    const buildOptions = members("src/artifact/contracts.ts", "BuildOptions");
    assert.ok(
      middleware.includes("basePath") &&
        middleware.includes("locals") &&
        buildOptions.includes("keepPrevious") &&
        redis.includes("prefix"),
      "the option lists were read",
    );
    assert.deepEqual(members("adapters/koa.ts", "KoaSsrOptions"), ["locals"], "the adapters add locals alone");

    const options = prose(readFileSync(path.join(ROOT, "docs/options.md"), "utf8"));
    const section = (title: string) => {
      const start = options.indexOf(`\n## ${title}\n`);
      assert.notEqual(start, -1, `docs/options.md has a section "${title}"`);
      const end = options.indexOf("\n## ", start + 1);
      return [...options.slice(start, end === -1 ? undefined : end).matchAll(/^#{3,4} `([\w.]+)`$/gm)]
        .map((match) => match[1] as string)
        .sort();
    };
    assert.deepEqual(section("The middleware's options"), [...middleware, ...cache].sort());
    assert.deepEqual(section("The Redis store's options"), redis.sort());
    assert.deepEqual(section("The production build's options"), [...buildOptions].sort());
  });

  it("every guide in docs/ is listed in the index, docs/README.md", () => {
    const index = readFileSync(path.join(ROOT, "docs/README.md"), "utf8");
    const listed = new Set(relativeLinks(index).map((link) => link.split("#")[0]));
    for (const name of readdirSync(path.join(ROOT, "docs")).filter(
      (file) => file.endsWith(".md") && file !== "README.md",
    )) {
      assert.ok(listed.has(name), `docs/README.md does not list ${name}`);
    }
  });
});

// The checks themselves, on made-up Markdown: each catches what it is for.
describe("the docs checks", () => {
  it("take GitHub's slugs: lower case, punctuation dropped, spaces to -, repeats numbered", () => {
    assert.equal(slug("Mount the pages under a sub-path"), "mount-the-pages-under-a-sub-path");
    assert.equal(slug("`getServerData(context)`"), "getserverdatacontext");
    assert.equal(slug("`_app.tsx`: layouts, providers, site-wide head"), "_apptsx-layouts-providers-site-wide-head");
    assert.equal(slug("What we fixed from Gatsby 5's `serve`"), "what-we-fixed-from-gatsby-5s-serve");
    assert.equal(slug("Images: `StaticImage` and **`GatsbyImage`**"), "images-staticimage-and-gatsbyimage");
    assert.equal(slug("See [the guide](x.md) → now"), "see-the-guide--now");
    assert.deepEqual(
      [...anchors("# A\n\n## Figures\n\n```sh\n# not a heading\n```\n\n## Figures\n\n### Figures\n")],
      ["a", "figures", "figures-1", "figures-2"],
    );
  });

  it("find a link to a heading that is not there, and one to a file that is not there", () => {
    assert.deepEqual(brokenLinks("docs/README.md", "[ok](#the-guides) [own](#nope)\n\n## The guides\n"), [
      "docs/README.md links to #nope: docs/README.md has no heading whose anchor is #nope",
    ]);
    assert.equal(brokenLinks("docs/README.md", "[gone](no-such-guide.md)").length, 1);
    assert.equal(
      brokenLinks("docs/README.md", "[repo file](../package.json#anything)").length,
      0,
      "anchors are checked in Markdown only",
    );
    assert.equal(
      brokenLinks("docs/README.md", "`[not a link](nowhere.md)` and\n\n```md\n[nor this](nowhere.md)\n```\n").length,
      0,
    );
  });

  it("fail a complete example that names no file, and let fragments and named files pass", () => {
    const complete =
      '```tsx\nimport { Link } from "ssr-pages/client";\n\nexport default function Home() {\n  return <Link to="/">Home</Link>;\n}\n```\n';
    assert.equal(unnamedCompleteBlocks("x.md", complete).length, 1);
    assert.equal(
      unnamedCompleteBlocks(
        "x.md",
        '- a list item:\n\n  ```ts\n  import express from "express";\n  express().listen(3000);\n  ```\n',
      ).length,
      1,
      "indented blocks count",
    );
    assert.equal(unnamedCompleteBlocks("x.md", "```js\nmodule.exports = { plugins: [] };\n```\n").length, 1);
    assert.equal(
      unnamedCompleteBlocks("x.md", "```ts\nconst app = express();\napp.listen(3000);\n```\n").length,
      1,
      "a server is complete without imports",
    );
    assert.equal(
      unnamedCompleteBlocks("x.md", '```ts\napp.use(pages.notFound);\nnavigate("/cart", { replace: true });\n```\n')
        .length,
      0,
      "a fragment",
    );
    assert.equal(
      unnamedCompleteBlocks("x.md", "```sh\nexport PORT=3000\n```\n").length,
      0,
      "not code of a page or server",
    );
    assert.equal(
      unnamedCompleteBlocks("x.md", '```tsx\n// examples/hello/pages/products/[id].tsx\nimport x from "y";\n```\n')
        .length,
      0,
      "a named file",
    );
  });
});
