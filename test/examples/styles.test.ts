// The styles example (examples/styles, which docs/styles.md shows file by file): every tool's
// styles reach the page, in the HTML's head or its linked stylesheets.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import request from "supertest";
import { createApp } from "../../examples/styles/server.js";

describe("the styles example", () => {
  const app = createApp({ dev: false });
  before(() => app.ready);
  after(() => app.close());

  /** The page's HTML and the text of every stylesheet it links. */
  async function page(path: string): Promise<{ html: string; css: string }> {
    const html = (await request(app).get(path).expect(200)).text;
    const links = [...html.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((match) => match[1] as string);
    const css = await Promise.all(links.map(async (href) => (await request(app).get(href).expect(200)).text));
    return { html, css: css.join("\n") };
  }

  it("has Tailwind's utilities for the classes of pages and components, the @theme colour and @apply", async () => {
    const { html, css } = await page("/");
    assert.match(html, /<h1 class="text-3xl font-bold text-brand">/);
    for (const utility of [
      "text-3xl",
      "font-bold",
      "text-brand",
      "text-slate-600",
      "mx-auto",
      "max-w-2xl",
      "underline",
      "gap-4",
    ])
      assert.ok(css.includes(`.${utility}{`), utility);
    assert.match(css, /--color-brand:\s*#0f766e/);
    assert.match(css, /\.button\{[^}]*background-color:var\(--color-brand\)/);
  });

  it("compiles the SCSS module with its partial's variables and url(), under the class name the HTML uses", async () => {
    const { html, css } = await page("/sass");
    const name = /<section class="(card_[0-9a-f]{8}_card)">/.exec(html)?.[1];
    assert.ok(name, html);
    assert.match(css, new RegExp(`\\.${name}\\{[^}]*color:#9333ea`));
    const svg = /url\(\.\/(dots-\w+\.svg)\)/.exec(css)?.[1];
    assert.ok(svg, css);
    await request(app)
      .get(`/_ssr-pages/${svg}`)
      .expect(200)
      .expect("content-type", /^image\/svg\+xml/);
  });

  it("puts styled-components' rules for this render in the head", async () => {
    const { html } = await page("/styled");
    const head = html.slice(0, html.indexOf("</head>"));
    assert.match(head, /<style[^>]*data-styled[^>]*>[^<]*color:rgb\(190, 24, 93\)/);
  });

  it("keeps emotion's rules next to the element", async () => {
    const { html } = await page("/emotion");
    assert.match(html, /<style data-emotion="css [\w-]+">[^<]*color:rgb\(29, 78, 216\)/);
  });
});
