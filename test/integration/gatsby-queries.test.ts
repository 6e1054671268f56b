// How a Gatsby site's query texts are read: raw (a `\\w` in a regex filter is GraphQL's escape, as
// in Gatsby), a template of fragments only is no query, and a config that exports a promise is a
// clear error rather than a start-up that never ends.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import express from "express";
import request from "supertest";
import { ssrMiddleware } from "../../adapters/express.js";
import { project } from "./compile-project.js";

const site = (files: Record<string, string>) =>
  path.join(path.dirname(project(files, "gatsby-queries-")), "src", "pages");

describe("a Gatsby site's query texts", () => {
  const pagesDir = site({
    "gatsby-config.js": `module.exports = { trailingSlash: "ignore", plugins: [{ resolve: "gatsby-source-filesystem", options: { name: "notes", path: __dirname + "/notes" } }] };`,
    "notes/hello.txt": "hi",
    "notes/world.txt": "there",
    "notes/x1.txt": "no",
    "src/components/fragments.js": `import { graphql } from "gatsby";\nexport const fileFields = graphql\`fragment FileFields on File { name extension }\`;\n`,
    "src/pages/index.js": [
      `import * as React from "react";`,
      `import { graphql } from "gatsby";`,
      `import "../components/fragments";`,
      `export default function Home({ data }) { return <ul>{data.allFile.nodes.map((file) => <li key={file.name}>{file.name}</li>)}</ul>; }`,
      // Written as a Gatsby site writes it: the backslashes are the query's, not JavaScript's.
      `export const query = graphql\`{ allFile(filter: { name: { regex: "/^\\\\w+o$/" } }, sort: { name: ASC }) { nodes { ...Fields } } } fragment Fields on File { name }\`;`,
    ].join("\n"),
  });
  const errors: string[] = [];
  const pages = ssrMiddleware(pagesDir, { dev: false, onError: (error) => errors.push(String(error)) });
  const app = express();
  app.use(pages);
  before(() => pages.ready);
  after(() => pages.close());

  it("reads the template raw, and takes a file of fragments only as no query", async () => {
    const response = await request(app).get("/");
    assert.deepEqual(errors, []);
    assert.equal(response.status, 200);
    assert.match(response.text, /<ul><li>hello<\/li><\/ul>/);
  });
});

describe("a gatsby-config that exports a promise", () => {
  it("fails the start with a message saying what to export, instead of never starting", async () => {
    const pages = ssrMiddleware(
      site({
        "gatsby-config.js": "module.exports = new Promise(() => {});",
        "src/pages/index.js": "export default () => null;",
      }),
      { dev: false, onError: () => undefined },
    );
    try {
      await assert.rejects(
        pages.ready,
        /gatsby-config\.js exports a promise: it must export the site's config object itself/,
      );
    } finally {
      await pages.close();
    }
  });
});
