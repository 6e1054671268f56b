/**
 * gatsby-config in its other forms, on small throw-away sites in .tmp/: a `gatsby-config.mjs` with
 * `trailingSlash: "never"` and a `pathPrefix` (the mount path wins over it), served through Express
 * and Koa at the root and under /shop; a `gatsby-config.ts` with `trailingSlash: "ignore"`.
 */
import assert from "node:assert/strict";
import type { RequestListener } from "node:http";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import request from "supertest";
import { expressApp, koaApp, removeSite, tagsIn, testId, writeSite } from "./site/fixture.js";

/** The pages both small sites share: a static query, a Link and withPrefix, a page that shows its location. */
const PAGE_FILES: Record<string, string> = {
  "src/pages/index.js": `import * as React from "react";
import { Link, graphql, useStaticQuery, withPrefix } from "gatsby";

export default function Index() {
  const data = useStaticQuery(graphql\`
    query ConfigTitle {
      site {
        siteMetadata {
          title
        }
      }
    }
  \`);
  return (
    <main>
      <h1 data-testid="title">{data.site.siteMetadata.title}</h1>
      <Link id="to-page-2" to="/page-2">Page 2</Link>
      <a id="prefixed" href={withPrefix("/page-2")}>Page 2, prefixed by hand</a>
    </main>
  );
}
`,
  "src/pages/page-2.js": `import * as React from "react";

export default function PageTwo({ location }) {
  return <p data-testid="location">{location.pathname}</p>;
}
`,
};

const MJS_SITE: Record<string, string> = {
  ...PAGE_FILES,
  "gatsby-config.mjs": `const config = {
  siteMetadata: { title: "Config from gatsby-config.mjs" },
  trailingSlash: "never",
  pathPrefix: "/prefix",
};

export default config;
`,
};

const TS_SITE: Record<string, string> = {
  ...PAGE_FILES,
  "gatsby-config.ts": `import type { GatsbyConfig } from "gatsby";

const title: string = "Config from gatsby-config.ts";

const config: GatsbyConfig = {
  siteMetadata: { title },
  trailingSlash: "ignore",
};

export default config;
`,
};

const roots: string[] = [];
const apps: { mjsExpress?: RequestListener; mjsKoa?: RequestListener; tsExpress?: RequestListener } = {};
const errors: string[] = [];
const onError = (error: unknown) => errors.push(error instanceof Error ? error.message : String(error));

before(
  async () => {
    const mjs = writeSite("gatsby-config-mjs-", MJS_SITE);
    const ts = writeSite("gatsby-config-ts-", TS_SITE);
    roots.push(mjs, ts);
    const mjsExpress = expressApp(path.join(mjs, "src", "pages"), { dev: false, onError });
    const mjsKoa = koaApp(path.join(mjs, "src", "pages"), { dev: false, onError });
    const tsExpress = expressApp(path.join(ts, "src", "pages"), { dev: false, onError });
    await Promise.all([mjsExpress.pages.ready, mjsKoa.pages.ready, tsExpress.pages.ready]);
    apps.mjsExpress = mjsExpress.app;
    apps.mjsKoa = mjsKoa.app;
    apps.tsExpress = tsExpress.app;
  },
  { timeout: 120_000 },
);

after(() => {
  for (const root of roots) removeSite(root);
});

const hosts = [
  { name: "Express at the root", base: "", app: () => apps.mjsExpress },
  { name: "Express under /shop", base: "/shop", app: () => apps.mjsExpress },
  { name: "Koa at the root", base: "", app: () => apps.mjsKoa },
  { name: "Koa under /shop (koa-mount)", base: "/shop", app: () => apps.mjsKoa },
];

for (const host of hosts) {
  describe(`gatsby-config.mjs with trailingSlash "never" and a pathPrefix, through ${host.name}`, () => {
    const at = host.base;
    const get = (url: string) => {
      const app = host.app();
      assert.ok(app, "the middleware did not start");
      return request(app).get(url);
    };

    it("reads siteMetadata from gatsby-config.mjs", async () => {
      const res = await get(`${at}/`);
      assert.equal(res.status, 200, res.text.slice(0, 500));
      assert.equal(testId(res.text, "title"), "Config from gatsby-config.mjs");
    });

    it("redirects a trailing slash away with 301, keeping the query; not /, page data or files", async () => {
      let res = await get(`${at}/page-2/`);
      assert.equal(res.status, 301);
      assert.equal(res.headers.location, `${at}/page-2`);
      res = await get(`${at}/page-2/?x=1&y=a%20b`);
      assert.equal(res.status, 301);
      assert.equal(res.headers.location, `${at}/page-2?x=1&y=a%20b`);
      res = await get(`${at}/page-2`);
      assert.equal(res.status, 200);
      assert.equal(testId(res.text, "location"), `${at}/page-2`);
      await get(`${at}/`).expect(200);
      await get(`${at}/page-data/page-2/page-data.json`).expect(200);
      const home = await get(`${at}/`);
      const scripts = tagsIn(home.text, "script")
        .map((tag) => tag.attrs.src)
        .filter((src): src is string => Boolean(src));
      assert.ok(scripts.length > 0);
      for (const src of scripts) await get(new URL(src, `http://x${at}/`).pathname).expect(200);
      res = await get(`${at}/_ssr-pages/no-such-folder/`);
      assert.ok(
        !(res.status >= 300 && res.status < 400),
        `no redirect under /_ssr-pages/: ${res.status} ${res.headers.location ?? ""}`,
      );
    });

    it("lets the mount path win over pathPrefix: links carry the mount, never the prefix, and the prefix routes nothing", async () => {
      const res = await get(`${at}/`);
      assert.equal(res.status, 200);
      const links = Object.fromEntries(tagsIn(res.text, "a").map((tag) => [tag.attrs.id, tag.attrs.href]));
      assert.match(links["to-page-2"] ?? "", new RegExp(`^${at}/page-2/?$`), "Link");
      assert.match(links.prefixed ?? "", new RegExp(`^${at}/page-2/?$`), "withPrefix");
      assert.doesNotMatch(res.text, /\/prefix\//, "pathPrefix appears nowhere");
      const prefixed = await get(`${at}/prefix/page-2`);
      assert.equal(prefixed.status, 404, "pathPrefix is not a route prefix");
    });
  });
}

describe('gatsby-config.ts with trailingSlash "ignore"', () => {
  for (const at of ["", "/shop"]) {
    it(`reads siteMetadata from gatsby-config.ts and redirects neither form of a path${at ? " under /shop" : ""}`, async () => {
      const app = apps.tsExpress;
      assert.ok(app, "the middleware did not start");
      const home = await request(app).get(`${at}/`);
      assert.equal(home.status, 200, home.text.slice(0, 500));
      assert.equal(testId(home.text, "title"), "Config from gatsby-config.ts");
      for (const pagePath of ["/page-2", "/page-2/", "/page-2?x=1", "/page-2/?x=1"]) {
        const res = await request(app).get(`${at}${pagePath}`);
        assert.equal(res.status, 200, `${at}${pagePath}: ${res.status} ${res.headers.location ?? ""}`);
      }
    });
  }

  it("reported no error while starting the small sites", () => {
    assert.deepEqual(errors, []);
  });
});
