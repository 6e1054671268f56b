// A Gatsby site's styling plugins' options apply: gatsby-plugin-sass's additionalData and
// sassOptions.includePaths, gatsby-plugin-postcss's postCssPlugins (instead of a config file).
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import express from "express";
import request from "supertest";
import { ssrMiddleware } from "../../adapters/express.js";
import { project } from "./compile-project.js";

const site = path.dirname(
  project(
    {
      "gatsby-config.js": `
        const mark = () => ({ postcssPlugin: "mark", Once(root) { root.append({ selector: ".from-site-postcss", nodes: [] }); root.last.append({ prop: "color", value: "teal" }); } });
        mark.postcss = true;
        module.exports = {
          trailingSlash: "ignore",
          plugins: [
            { resolve: "gatsby-plugin-sass", options: { additionalData: "$brand: #123456;", sassOptions: { includePaths: ["shared"] } } },
            { resolve: "gatsby-plugin-postcss", options: { postCssPlugins: [mark()] } },
          ],
        };
      `,
      "shared/_tokens.scss": "$gap: 7px;\n",
      "src/pages/index.js": `import * as React from "react";\nimport "./site.scss";\nexport default function Home() { return <h1>home</h1>; }\n`,
      "src/pages/site.scss": `@use "tokens";\nh1 { color: $brand; margin: tokens.$gap; }\n`,
    },
    "gatsby-styles-",
  ),
);

describe("a Gatsby site's styling plugins' options", () => {
  const errors: string[] = [];
  const pages = ssrMiddleware(path.join(site, "src", "pages"), {
    dev: false,
    onError: (error) => errors.push(String(error)),
  });
  const app = express();
  app.use(pages);
  before(() => pages.ready);
  after(() => pages.close());

  it("compiles the site's Sass with additionalData and includePaths, then runs postCssPlugins", async () => {
    const response = await request(app).get("/");
    assert.deepEqual(errors, []);
    assert.equal(response.status, 200);
    const html = response.text;
    const href = /<link rel="stylesheet" href="([^"]+)"/.exec(html)?.[1];
    assert.ok(href !== undefined, html);
    const css = (await request(app).get(href).expect(200)).text;
    assert.match(css, /h1\s*\{\s*color:\s*#123456;\s*margin:\s*7px/);
    assert.match(css, /\.from-site-postcss\s*\{\s*color:\s*teal/);
  });
});
