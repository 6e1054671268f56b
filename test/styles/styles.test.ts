/**
 * Issue 19 at the HTTP level (supertest): PostCSS, Tailwind v4 and v3, Sass, CSS modules in Sass,
 * styled-components and emotion in the server HTML, production CSS (minified, browserslist), the
 * isolation of failing stylesheets (and of a JavaScript import that fails only in the browser build)
 * in production and development, and a clear error when a peer (postcss, sass) is not installed.
 *
 * Run: node --import tsx --test test/styles/styles.test.ts (from the repository root: Tailwind v4
 * scans the working directory).
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import request from "supertest";
import {
  arbitrary,
  classOf,
  classSelector,
  compileReports,
  headOf,
  ISOLATION_PAGES,
  joined,
  MAIN_PAGES,
  makeHost,
  moduleHash,
  pageWithCss,
  PROBE_LISTED,
  PROBE_UNLISTED,
  removeDir,
  repoTempDir,
  ruleRe,
  scriptUrls,
  stylesheetHrefs,
  writePackagesApp,
  writePeerlessApps,
  writeTree,
  errorText,
  type Host,
} from "./helpers.js";

const T = { timeout: 30_000 };
const HOOK = { timeout: 60_000 };

const pd = (page: string) => (page === "/" ? "/page-data/index/page-data.json" : `/page-data${page}/page-data.json`);

/** `css` without its legal comments (`/*! … *\/`, kept by minifiers) and its source-map comment. */
function withoutLegalComments(css: string): string {
  return css.replace(/\/\*![\s\S]*?\*\//g, "").replace(/\/\*# sourceMappingURL=[^*]*\*\//g, "");
}

/** The good pages answer 200, HTML and page data, and every script and stylesheet they name answers 200. */
async function assertServesWithAssets(host: Host, page: string): Promise<void> {
  const html = await request(host.app).get(page);
  assert.equal(html.status, 200, `${page}: ${html.text.slice(0, 500)}`);
  const scripts = scriptUrls(html.text);
  assert.ok(scripts.length > 0, `${page} has no scripts: it could not hydrate`);
  for (const url of [...scripts, ...stylesheetHrefs(html.text)]) {
    const asset = await request(host.app).get(url);
    assert.equal(asset.status, 200, `${page}: ${url} answered ${asset.status}`);
  }
  const data = await request(host.app).get(pd(page));
  assert.equal(data.status, 200, `${page}'s page data: ${data.text.slice(0, 300)}`);
}

describe("styles: the main fixture in production (Express)", () => {
  let host: Host;
  before(async () => {
    host = makeHost("express", MAIN_PAGES, { dev: false });
    await host.ready;
  }, HOOK);
  after(() => host?.close());

  it("every page answers 200 and its stylesheets answer 200 text/css; nothing is reported", T, async () => {
    for (const page of ["/", "/tailwind", "/sass", "/sass-module", "/styled", "/emotion"]) {
      const { status, html, sheets } = await pageWithCss(host.app, page);
      assert.equal(status, 200, `${page}: ${html.slice(0, 500)}`);
      assert.ok(sheets.length > 0, `${page} links no stylesheet (_app imports the Tailwind entry)`);
      for (const sheet of sheets) {
        assert.equal(sheet.status, 200, `${page}: ${sheet.href}`);
        assert.match(sheet.type, /^text\/css/, `${page}: ${sheet.href}`);
      }
    }
    assert.deepEqual(
      host.errors.map((e) => errorText(e.error)),
      [],
      "no error reported",
    );
  });

  it(
    "Tailwind v4: the page's utilities, the @theme variable, an @apply class, and utilities of a component outside the pages directory",
    T,
    async () => {
      const { css } = await pageWithCss(host.app, "/tailwind");
      const ink = joined("text", "fixture", "ink");
      assert.match(
        css,
        ruleRe(classSelector(ink), "color:\\s*var\\(--color-fixture-ink"),
        `${ink} (used in pages/tailwind.tsx)`,
      );
      assert.match(css, /--color-fixture-ink:\s*#0c2238/i, "the @theme variable is defined");
      assert.match(
        css,
        ruleRe(".btn-primary", "background-color:\\s*var\\(--color-fixture-ink"),
        "@apply bg-fixture-ink in styles/tailwind.css",
      );
      assert.match(css, ruleRe(".btn-primary", "border-radius:\\s*7px"), "@apply rounded-[7px] in styles/tailwind.css");
      const badgeTop = arbitrary("mt", "19px");
      const badgeTracking = arbitrary("tracking", "3px");
      assert.match(
        css,
        ruleRe(classSelector(badgeTop), "margin-top:\\s*19px"),
        `${badgeTop} (used in components/TwBadge.tsx only)`,
      );
      assert.match(
        css,
        ruleRe(classSelector(badgeTracking), "letter-spacing:\\s*3px"),
        `${badgeTracking} (components/TwBadge.tsx)`,
      );
      const headerBorder = arbitrary("border-b", "6px");
      assert.match(
        css,
        ruleRe(classSelector(headerBorder), "border-bottom-width:\\s*6px"),
        `${headerBorder} (components/Layout.tsx, imported by _app)`,
      );
      assert.doesNotMatch(
        css,
        /@import\s+["']tailwindcss["']|@apply|@theme\b/,
        "no Tailwind directive is left for the browser",
      );
    },
  );

  it("PostCSS runs on a plain stylesheet and on a CSS module (@apply through @reference)", T, async () => {
    const { html, css } = await pageWithCss(host.app, "/tailwind");
    assert.match(
      css,
      ruleRe(".plain-apply", "text-decoration-line:\\s*underline"),
      "pages/plain.css: @apply underline",
    );
    const panel = classOf(html, "panel");
    assert.ok(panel, "#panel has a class");
    assert.match(
      panel,
      new RegExp(`^panel_${moduleHash(MAIN_PAGES, path.join(MAIN_PAGES, "panel.module.css"))}_panel$`),
      "a CSS module's name",
    );
    assert.match(css, ruleRe(classSelector(panel), "padding:\\s*13px"), "pages/panel.module.css: @apply p-[13px]");
    assert.match(css, ruleRe(classSelector(panel), "border:\\s*2px dotted"), "the module's own declaration kept");
  });

  it(
    "Sass: variables, @use/@forward of partials in another folder, a mixin, nesting; .sass with @import",
    T,
    async () => {
      const { css } = await pageWithCss(host.app, "/sass");
      assert.match(
        css,
        ruleRe("#sass-box", "color:\\s*#654321"),
        "$accent from styles/partials/_vars.scss through _index.scss's @forward",
      );
      assert.match(css, ruleRe("#sass-box", "padding:\\s*11px"), "$pad");
      assert.match(
        css,
        ruleRe("#sass-box", "border:\\s*3px solid #654321"),
        "the framed mixin (_mixins.scss, forwarded)",
      );
      assert.match(css, ruleRe("#sass-box .inner", "font-weight:\\s*(700|bold)"), "nesting compiled");
      assert.match(css, ruleRe("#indented", "font-style:\\s*italic"), "pages/indented.sass");
      assert.match(css, ruleRe("#indented", "margin-left:\\s*22px"), "$pad * 2 from an @import-ed partial");
      assert.doesNotMatch(css, /\$accent|\$pad|@use|@forward|@include|@mixin/, "no Sass left for the browser");
    },
  );

  it("Sass: a url() in a partial of another folder is resolved from that partial's folder and served", T, async () => {
    const { css, sheets } = await pageWithCss(host.app, "/sass");
    const rule = /\.banner(?![\w-])[^{}]*\{[^}]*background-image:\s*url\(\s*["']?([^"')]+)["']?\s*\)/.exec(css);
    assert.ok(rule?.[1], `no .banner background-image in the /sass stylesheets:\n${css.slice(0, 2000)}`);
    assert.match(rule[1], /dot-[\w-]+\.png$/, "the image became a content-hashed file");
    const sheet = sheets.find((s) => s.css.includes(rule[1] as string));
    assert.ok(sheet);
    const imageUrl = new URL(rule[1], `http://x${sheet.href}`).pathname;
    const image = await request(host.app).get(imageUrl);
    assert.equal(image.status, 200, imageUrl);
    assert.match(String(image.headers["content-type"]), /^image\/png/);
  });

  it(
    "Sass CSS modules: <stem>_<8 hex>_<class>, the hash of the path relative to the pages directory; HTML and CSS agree",
    T,
    async () => {
      const { html, css } = await pageWithCss(host.app, "/sass-module");
      const cardHash = moduleHash(MAIN_PAGES, path.join(MAIN_PAGES, "card.module.scss"));
      const noteHash = moduleHash(MAIN_PAGES, path.join(MAIN_PAGES, "note.module.sass"));
      assert.equal(classOf(html, "card-title"), `card_${cardHash}_title`);
      assert.equal(classOf(html, "card-body"), `card_${cardHash}_body`);
      assert.equal(classOf(html, "note"), `note_${noteHash}_note`);
      assert.match(
        css,
        ruleRe(classSelector(`card_${cardHash}_title`), "color:\\s*#654321"),
        "a partial's variable in a .module.scss",
      );
      assert.match(
        css,
        ruleRe(classSelector(`card_${cardHash}_title`), "letter-spacing:\\s*5px"),
        "Tailwind's @apply after Sass (PostCSS on the Sass output)",
      );
      assert.match(css, ruleRe(classSelector(`card_${cardHash}_body`), "padding-left:\\s*15px"), "$pad + 4px");
      assert.match(
        css,
        ruleRe(classSelector(`note_${noteHash}_note`), "text-transform:\\s*uppercase"),
        "the .module.sass",
      );
    },
  );

  it(
    "styled-components: its rules are in the server HTML's <head>, for the classes the elements carry",
    T,
    async () => {
      const response = await request(host.app).get("/styled");
      assert.equal(response.status, 200);
      const head = headOf(response.text);
      const styles = [...head.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/g)].map((m) => m[1] ?? "").join("\n");
      assert.match(styles, /color:\s*rgb\(150,\s*20,\s*90\)/, `the title's rule is not in <head>:\n${head}`);
      assert.match(styles, /width:\s*321px/, "the prop-dependent rule too");
      const classes = (classOf(response.text, "sc-title") ?? "").split(/\s+/).filter(Boolean);
      assert.ok(classes.length > 0, "#sc-title has classes");
      assert.ok(
        classes.some((c) => new RegExp(`\\.${c}(?![\\w-])[^{}]*\\{[^}]*color:\\s*rgb\\(150`).test(styles)),
        `none of #sc-title's classes (${classes.join(" ")}) carries its color in <head>'s styles`,
      );
    },
  );

  it("emotion: the server HTML carries its rule", T, async () => {
    const response = await request(host.app).get("/emotion");
    assert.equal(response.status, 200);
    assert.match(response.text, /color:\s*rgb\(20,\s*140,\s*70\)/);
  });

  it("production CSS is minified", T, async () => {
    for (const page of ["/sass", "/sass-module", "/tailwind"]) {
      const { sheets } = await pageWithCss(host.app, page);
      for (const sheet of sheets) {
        const css = withoutLegalComments(sheet.css).trim();
        assert.ok(css.length > 0, `${sheet.href} is empty`);
        assert.doesNotMatch(css, /\n/, `${page}: ${sheet.href} has line breaks`);
        // (Custom properties and @property descriptors keep their values as written: only the structure is checked.)
        assert.doesNotMatch(
          css,
          /\{\s|\s\}|\/\*(?![!#])/,
          `${page}: ${sheet.href} has whitespace around blocks, or comments: ${css.slice(0, 300)}`,
        );
      }
    }
  });
});

/** One failing stylesheet, the page importing it, and what the report must say about it. */
const BROKEN = [
  { page: "/broken-import", file: "broken-import.css", reason: /does-not-exist\.css/, kind: "an unresolvable @import" },
  {
    page: "/broken-sass",
    file: "broken-syntax.scss",
    reason: /undefined variable/i,
    kind: "a Sass error (through a component)",
  },
  {
    page: "/broken-postcss",
    file: "broken-postcss.css",
    reason: /no-such-utility-qq/,
    kind: "a PostCSS (Tailwind @apply) error",
  },
  { page: "/broken-url", file: "broken-url.css", reason: /missing-picture\.png/, kind: "a missing url() file" },
] as const;

for (const dev of [false, true]) {
  describe(`styles: a failing stylesheet fails only its pages (Express, ${dev ? "development" : "production"})`, () => {
    let host: Host;
    before(async () => {
      host = makeHost("express", ISOLATION_PAGES, { dev });
      await host.ready;
    }, HOOK);
    after(() => host?.close());

    for (const broken of BROKEN) {
      it(
        `${broken.kind}: ${broken.page} answers 500, HTML and page data, and onError (phase "compile") names ${broken.file} and why`,
        T,
        async () => {
          const html = await request(host.app).get(broken.page);
          assert.equal(html.status, 500, `${broken.page}: ${html.text.slice(0, 300)}`);
          const data = await request(host.app).get(pd(broken.page));
          assert.equal(data.status, 500);
          const reports = compileReports(host.errors).filter((text) => text.includes(broken.file));
          assert.ok(
            reports.length > 0,
            `no compile-phase report names ${broken.file}: ${JSON.stringify(host.errors.map((e) => [e.info.phase, errorText(e.error).slice(0, 300)]))}`,
          );
          assert.ok(
            reports.some((text) => broken.reason.test(text)),
            `the report does not say why (${broken.reason}): ${reports[0]?.slice(0, 800)}`,
          );
          if (dev) {
            assert.ok(
              html.text.includes(broken.file),
              `the development error page names ${broken.file}: ${html.text.slice(0, 1500)}`,
            );
            assert.match(html.text, broken.reason, "the development error page says why");
          }
        },
      );
    }

    it("the Sass error names the .scss file, its line and its column", T, async () => {
      const text = compileReports(host.errors)
        .filter((t) => t.includes("broken-syntax.scss"))
        .join("\n");
      assert.match(
        text,
        /broken-syntax\.scss(?::|\s+|\D{0,20}line\s*)3(?::|,?\s*col(?:umn)?\s*)\d+/i,
        text.slice(0, 1500),
      );
    });

    it("the good pages (/ and /good) answer 200 with their scripts, stylesheets and page data", T, async () => {
      await assertServesWithAssets(host, "/");
      await assertServesWithAssets(host, "/good");
      const { css } = await pageWithCss(host.app, "/good");
      assert.match(css, ruleRe("#good", "color:\\s*#654321"));
      assert.match(
        css,
        ruleRe("#good-widget", "border:\\s*3px solid #654321"),
        "the component's stylesheet, sharing the partials",
      );
    });
  });
}

describe("styles: packages and PostCSS on every kind of CSS; a JavaScript import that fails only in the browser build", () => {
  let root: string;
  let host: Host;
  before(async () => {
    root = repoTempDir("styles-packages-");
    host = makeHost("express", writePackagesApp(root), { dev: false });
    await host.ready;
  }, HOOK);
  after(async () => {
    await host?.close();
    removeDir(root);
  });

  it(
    "every CSS file goes through the PostCSS config: plain, CSS module, a package's plain and module, Sass output",
    T,
    async () => {
      const { status, html, css } = await pageWithCss(host.app, "/");
      assert.equal(status, 200, html.slice(0, 500));
      for (const name of ["pkg-plain", "pkg-module", "local-plain", "local-module", "scss"]) {
        assert.ok(
          css.includes(`probed-by-postcss-${name}`),
          `the ${name} stylesheet did not go through PostCSS:\n${css}`,
        );
      }
      assert.doesNotMatch(css, /probe-me-/, "a stylesheet skipped PostCSS");
    },
  );

  it('Sass finds a package\'s partial in node_modules (@use "theme-kit/colors")', T, async () => {
    const { css } = await pageWithCss(host.app, "/");
    assert.match(css, ruleRe(".kit", "color:\\s*#a1b2c3"));
  });

  it("a package's CSS module has the same names in the HTML and the stylesheet", T, async () => {
    const { html, css } = await pageWithCss(host.app, "/");
    const card = classOf(html, "pkg-card");
    assert.ok(card && /^card_[0-9a-f]{8}_card$/.test(card), `the package's module class: ${card}`);
    assert.match(css, ruleRe(classSelector(card), "color:\\s*(rgb\\(7,\\s*5,\\s*3\\)|#070503)"));
  });

  it(
    "the page whose package fails only in the browser build answers 500, onError (compile) names the file; the others keep their scripts",
    T,
    async () => {
      const broken = await request(host.app).get("/broken-browser");
      assert.equal(broken.status, 500, broken.text.slice(0, 300));
      const reports = compileReports(host.errors);
      assert.ok(
        reports.some((text) => /no-such-browser-file\.js/.test(text) && /split-pkg|broken-browser/.test(text)),
        `no compile-phase report names the failing import: ${JSON.stringify(reports.map((t) => t.slice(0, 400)))}`,
      );
      await assertServesWithAssets(host, "/plain");
      await assertServesWithAssets(host, "/");
    },
  );
});

describe("styles: Tailwind v4's @source, in a folder its own scan skips (.tmp is gitignored)", () => {
  let root: string;
  let host: Host;
  before(async () => {
    root = repoTempDir("styles-source-");
    writeTree(root, {
      "postcss.config.mjs": `export default { plugins: { "@tailwindcss/postcss": {} } };\n`,
      "styles/tw.css": `@import "tailwindcss";\n@source "../listed";\n`,
      "listed/snippet.html": `<div class="${PROBE_LISTED}">listed</div>\n`,
      "unlisted/snippet.html": `<div class="${PROBE_UNLISTED}">not listed</div>\n`,
      "pages/_app.tsx": `import "../styles/tw.css";\n`,
      "pages/index.tsx": `export default function Home() {\n  return <h1>source</h1>;\n}\n`,
    });
    host = makeHost("express", path.join(root, "pages"), { dev: false });
    await host.ready;
  }, HOOK);
  after(async () => {
    await host?.close();
    removeDir(root);
  });

  it(
    "a class in a folder named by @source is generated; one in a folder neither scanned nor named is not",
    T,
    async () => {
      const { status, css } = await pageWithCss(host.app, "/");
      assert.equal(status, 200);
      assert.match(css, ruleRe(classSelector(PROBE_LISTED), "margin-bottom:\\s*17px"));
      assert.doesNotMatch(css, new RegExp(classSelector(PROBE_UNLISTED).replace(/[\\[\]]/g, "\\$&")));
    },
  );
});

describe("styles: Tailwind v3 (tailwind.config with content) through the same PostCSS path", () => {
  let root: string;
  let host: Host;
  const top = arbitrary("mt", `${21}px`);
  const ledger = joined("text", "ledger");
  before(async () => {
    root = repoTempDir("styles-tw3-");
    writeTree(root, {
      "postcss.config.cjs": `const path = require("node:path");\nmodule.exports = { plugins: { tailwindcss3: { config: path.join(__dirname, "tailwind.config.cjs") } } };\n`,
      "tailwind.config.cjs": `const path = require("node:path");
module.exports = {
  content: [path.join(__dirname, "pages/**/*.tsx")],
  theme: { extend: { colors: { ledger: "#123456" } } },
  corePlugins: { preflight: false },
};
`,
      "pages/tw.css": `@tailwind base;\n@tailwind components;\n@tailwind utilities;\n\n.v3-apply {\n  @apply underline;\n}\n`,
      "pages/index.tsx": `import "./tw.css";\nexport default function Home() {\n  return <h1 className="${ledger} ${top} v3-apply">v3</h1>;\n}\n`,
    });
    host = makeHost("express", path.join(root, "pages"), { dev: false });
    await host.ready;
  }, HOOK);
  after(async () => {
    await host?.close();
    removeDir(root);
  });

  it("the content's utilities, the config's theme colour and @apply are generated", T, async () => {
    const { status, css, html } = await pageWithCss(host.app, "/");
    assert.equal(status, 200, html.slice(0, 300));
    assert.match(
      css,
      ruleRe(classSelector(ledger), "color:\\s*(rgb\\(18 52 86|#123456)"),
      "theme.extend.colors.ledger",
    );
    assert.match(css, ruleRe(classSelector(top), "margin-top:\\s*21px"));
    assert.match(css, ruleRe(".v3-apply", "text-decoration-line:\\s*underline"));
    assert.doesNotMatch(css, /@tailwind|@apply/);
  });
});

describe('styles: browserslist targets in production (package.json "browserslist", .browserslistrc)', () => {
  let root: string;
  const hosts: Host[] = [];
  const legacyCss = `.no-select {\n  user-select: none;\n}\n.outer {\n  .inner {\n    color: rgb(9, 8, 7);\n  }\n}\n`;
  const page = `import "./legacy.css";\nexport default function Home() {\n  return <div className="outer no-select"><p className="inner">legacy</p></div>;\n}\n`;
  before(async () => {
    root = repoTempDir("styles-browserslist-");
    writeTree(root, {
      "from-package/package.json": JSON.stringify({ name: "legacy-app", private: true, browserslist: ["safari 12"] }),
      "from-package/pages/index.tsx": page,
      "from-package/pages/legacy.css": legacyCss,
      "from-rc/.browserslistrc": "safari 12\n",
      "from-rc/pages/index.tsx": page,
      "from-rc/pages/legacy.css": legacyCss,
    });
    for (const app of ["from-package", "from-rc"]) {
      const host = makeHost("express", path.join(root, app, "pages"), { dev: false });
      hosts.push(host);
      await host.ready;
    }
  }, HOOK);
  after(async () => {
    for (const host of hosts) await host.close();
    removeDir(root);
  });

  for (const [i, label] of ["package.json", ".browserslistrc"].entries()) {
    it(`${label}: safari 12 gets -webkit-user-select and nesting lowered`, T, async () => {
      const host = hosts[i] as Host;
      const { status, css } = await pageWithCss(host.app, "/");
      assert.equal(status, 200);
      assert.match(css, /-webkit-user-select:\s*none/, css);
      assert.match(
        css,
        ruleRe(".outer .inner", "color:\\s*(#090807|rgb\\(9,\\s*8,\\s*7\\))"),
        `nesting lowered for Safari 12: ${css}`,
      );
    });
  }
});

describe("styles: a peer that is not installed is a clear error naming it (an app outside the repository)", () => {
  let apps: ReturnType<typeof writePeerlessApps>;
  before(() => {
    apps = writePeerlessApps();
  });
  after(() => removeDir(apps?.root));

  async function failure(
    pagesDir: string,
    page: string,
  ): Promise<{ text: string; status: number | undefined; host: Host }> {
    const host = makeHost("express", pagesDir, { dev: false });
    let readyError: unknown;
    await host.ready.catch((error: unknown) => {
      readyError = error;
    });
    let status: number | undefined;
    if (readyError === undefined) status = (await request(host.app).get(page)).status;
    const texts = [
      ...(readyError === undefined ? [] : [errorText(readyError)]),
      ...host.errors.map((e) => errorText(e.error)),
    ];
    return { text: texts.join("\n---\n"), status, host };
  }

  it("a PostCSS config but no postcss: the error names the package", T, async () => {
    const { text, status, host } = await failure(apps.postcssPages, "/");
    await host.close();
    assert.notEqual(status, 200, "the page with a stylesheet cannot be served without PostCSS");
    assert.match(
      text,
      /\bpostcss\b[\s\S]{0,200}(install|not found|cannot find|could not find|missing)|(install|not found|cannot find|could not find|missing)[\s\S]{0,200}\bpostcss\b/i,
      text.slice(0, 1000),
    );
  });

  it("a .scss file but no sass: the error names the package; a page without styles still serves", T, async () => {
    const { text, status, host } = await failure(apps.sassPages, "/");
    try {
      assert.equal(status, 500, "the .scss page answers 500");
      assert.match(
        text,
        /\bsass\b[\s\S]{0,200}(install|not found|cannot find|could not find|missing)|(install|not found|cannot find|could not find|missing)[\s\S]{0,200}\bsass\b/i,
        text.slice(0, 1000),
      );
      assert.ok(
        host.errors.some((e) => e.info.phase === "compile"),
        "reported with phase compile",
      );
      const plain = await request(host.app).get("/plain");
      assert.equal(plain.status, 200, plain.text.slice(0, 300));
    } finally {
      await host.close();
    }
  });
});
