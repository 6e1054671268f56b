/**
 * A Gatsby 5 starter-style site (./site) served as it is, over HTTP, in production, through Express
 * and Koa, each at the root and under /shop: gatsby-config.js read (siteMetadata, plugins, the
 * default trailingSlash), build-time queries (useStaticQuery, StaticQuery, page queries under any
 * export name, allFile and friends), gatsby-plugin-image's images and their served variants,
 * plugins' gatsby-ssr APIs in config order, react-helmet, the manifest, a plugin with only
 * gatsby-node, process.env in components, and the mount path in `location`.
 */
import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import type { RequestListener } from "node:http";
import path from "node:path";
import { before, describe, it } from "node:test";
import sharp from "sharp";
import request from "supertest";
import {
  BANNER_TEXT,
  GREETING,
  IMAGES,
  META,
  NODE_ONLY_PLUGIN,
  PAGES,
  PNG_NAMES,
  SITE,
  attributeCount,
  bytes,
  captureLogs,
  errorReport,
  expectedFormat,
  expressApp,
  headOf,
  htmlTag,
  imageBlocks,
  koaApp,
  makeImages,
  resolveOn,
  srcset,
  tagsIn,
  testId,
  type ErrorReport,
  type ImageBlock,
} from "./site/fixture.js";

process.env.GATSBY_GREETING = GREETING;
process.env.STARTER_SERVER_SECRET = "server-only-secret-d41d8";

const logs = captureLogs();
const reports: { express: ErrorReport[]; koa: ErrorReport[] } = { express: [], koa: [] };
/** Messages naming the gatsby-node-only plugin, printed while each middleware started. */
const startWarnings: { express: string[]; koa: string[] } = { express: [], koa: [] };
const apps: { express?: RequestListener; koa?: RequestListener } = {};

/** Lets process warnings (emitted on the next tick) arrive. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

before(
  async () => {
    await makeImages();
    // One middleware at a time, so each one's start-up output is its own.
    let seen = logs.mentioning(NODE_ONLY_PLUGIN).length;
    const onExpress = expressApp(PAGES, {
      dev: false,
      onError: (error, info) => reports.express.push(errorReport(error, info)),
    });
    await onExpress.pages.ready;
    await settle();
    startWarnings.express = logs.mentioning(NODE_ONLY_PLUGIN).slice(seen);
    seen = logs.mentioning(NODE_ONLY_PLUGIN).length;
    const onKoa = koaApp(PAGES, { dev: false, onError: (error, info) => reports.koa.push(errorReport(error, info)) });
    await onKoa.pages.ready;
    await settle();
    startWarnings.koa = logs.mentioning(NODE_ONLY_PLUGIN).slice(seen);
    apps.express = onExpress.app;
    apps.koa = onKoa.app;
  },
  { timeout: 120_000 },
);

interface Host {
  name: string;
  base: string;
  framework: "express" | "koa";
}

const hosts: Host[] = [
  { name: "Express at the root", base: "", framework: "express" },
  { name: "Express under /shop", base: "/shop", framework: "express" },
  { name: "Koa at the root", base: "", framework: "koa" },
  { name: "Koa under /shop (koa-mount)", base: "/shop", framework: "koa" },
];

/** Every page of the site that must serve (all but the two broken ones). */
const GOOD_PAGES = [
  "/",
  "/page-2/",
  "/using-ssr/",
  "/using-typescript/",
  "/page-query/",
  "/short-query/",
  "/static-query/",
  "/png-files/",
  "/file-queries/",
  "/photo/",
  "/using-helmet/",
  "/env/",
];

/** `<mount>/page-data/<path>/page-data.json` for a page path with its trailing slash. */
const pageData = (at: string, pagePath: string) =>
  `${at}/page-data/${pagePath === "/" ? "index" : pagePath.replace(/^\/|\/$/g, "")}/page-data.json`;

interface PageDataJson {
  result: { data?: Record<string, unknown>; serverData?: Record<string, unknown> };
}

describe("the plugin with only gatsby-node.js", () => {
  it("gives one warning naming it when a middleware starts, and no failure", () => {
    assert.equal(
      startWarnings.express.length,
      1,
      `warnings naming ${NODE_ONLY_PLUGIN} while the Express middleware started:\n${startWarnings.express.join("\n---\n")}`,
    );
    assert.ok(
      startWarnings.koa.length <= 1,
      `more than one warning for the Koa middleware:\n${startWarnings.koa.join("\n---\n")}`,
    );
    for (const report of [...reports.express, ...reports.koa])
      assert.ok(!report.message.includes(NODE_ONLY_PLUGIN), `reported as an error: ${report.message}`);
    assert.ok(apps.express && apps.koa, "both middlewares became ready");
  });
});

for (const host of hosts) {
  describe(`the starter site through ${host.name}`, () => {
    const at = host.base;
    const app = (): RequestListener => {
      const made = apps[host.framework];
      assert.ok(made, "the middleware did not start");
      return made;
    };
    const get = (url: string) => request(app()).get(url);
    const html = async (pagePath: string): Promise<string> => {
      const res = await get(`${at}${pagePath}`);
      assert.equal(res.status, 200, `GET ${at}${pagePath}: ${res.status} ${res.text.slice(0, 500)}`);
      assert.match(String(res.headers["content-type"]), /^text\/html/);
      return res.text;
    };
    const data = async (pagePath: string): Promise<PageDataJson> => {
      const res = await get(pageData(at, pagePath));
      assert.equal(res.status, 200, `page data of ${pagePath}: ${res.status} ${res.text.slice(0, 500)}`);
      return JSON.parse(res.text) as PageDataJson;
    };

    /** Checks every variant a served image names: under <mount>/_ssr-pages/, immutable, its type, a real image of its width. */
    async function checkVariants(block: ImageBlock, fallbackExtension: string, label: string): Promise<number> {
      const jobs: Array<{ url: string; width: number | undefined; type: string }> = [];
      for (const source of block.sources)
        for (const candidate of srcset(source.attrs.srcset ?? ""))
          jobs.push({ url: candidate.url, width: candidate.width, type: source.attrs.type ?? "" });
      assert.ok(block.img, `${label}: no <img> in the <picture>`);
      for (const candidate of srcset(block.img.attrs.srcset ?? ""))
        jobs.push({ url: candidate.url, width: candidate.width, type: fallbackExtension });
      jobs.push({ url: block.img.attrs.src ?? "", width: undefined, type: fallbackExtension });
      const seen = new Set<string>();
      for (const job of jobs) {
        if (seen.has(job.url)) continue;
        seen.add(job.url);
        assert.ok(job.url.startsWith(`${at}/_ssr-pages/`), `${label}: ${job.url} is not under ${at}/_ssr-pages/`);
        const expected = expectedFormat(job.type);
        const res = await get(job.url).buffer(true).parse(bytes);
        assert.equal(res.status, 200, `${label}: GET ${job.url}`);
        assert.equal(
          String(res.headers["content-type"]).split(";")[0],
          expected.contentType,
          `${label}: Content-Type of ${job.url}`,
        );
        assert.match(String(res.headers["cache-control"]), /\bimmutable\b/, `${label}: Cache-Control of ${job.url}`);
        const meta = await sharp(res.body as Buffer).metadata();
        assert.ok(
          expected.sharp.includes(meta.format ?? ""),
          `${label}: ${job.url} is ${meta.format}, not ${expected.contentType}`,
        );
        if (job.width !== undefined) assert.equal(meta.width, job.width, `${label}: the width of ${job.url}`);
      }
      return seen.size;
    }

    /** gatsby-plugin-image's structure, on the server. */
    function checkStructure(
      block: ImageBlock,
      label: string,
      options: { types: string[]; loading: "lazy" | "eager" },
    ): void {
      assert.equal(block.wrapper.name, "div", `${label}: the wrapper`);
      assert.ok(block.img, `${label}: a <picture> with an <img>`);
      const types = block.sources.map((source) => source.attrs.type);
      assert.deepEqual([...types].sort(), [...options.types].sort(), `${label}: the <source> types`);
      for (const source of block.sources) {
        assert.ok(
          srcset(source.attrs.srcset ?? "").length > 0,
          `${label}: srcset of <source type="${source.attrs.type}">`,
        );
        assert.ok((source.attrs.sizes ?? "").length > 0, `${label}: sizes of <source type="${source.attrs.type}">`);
      }
      assert.ok(srcset(block.img.attrs.srcset ?? "").length > 0, `${label}: srcset of the <img>`);
      assert.ok((block.img.attrs.sizes ?? "").length > 0, `${label}: sizes of the <img>`);
      assert.ok((block.img.attrs.src ?? "").length > 0, `${label}: src of the <img>`);
      assert.ok("alt" in block.img.attrs, `${label}: alt of the <img>`);
      assert.equal(block.img.attrs.loading, options.loading, `${label}: loading`);
      assert.ok(block.placeholder, `${label}: a placeholder with data-placeholder-image`);
      assert.ok(block.noscript && /<img|&lt;img/.test(block.noscript), `${label}: a <noscript> with the image`);
    }

    it("reads siteMetadata through useStaticQuery in the layout, the header and the Head's Seo", async () => {
      const page = await html("/page-2/");
      assert.equal(testId(page, "site-title"), META.title);
      assert.equal(testId(page, "site-url"), META.siteUrl);
      assert.equal(testId(page, "twitter"), `@${META.twitter}`);
      assert.equal(testId(page, "footer"), `Built by ${META.author}`);
      const head = headOf(page);
      assert.match(head, new RegExp(`<title[^>]*>Page two \\| ${META.title}</title>`), "the Head's Seo title");
      const metas = tagsIn(head, "meta");
      assert.ok(
        metas.some((meta) => meta.attrs.name === "description" && meta.attrs.content === META.description),
        "the Seo description",
      );
      assert.ok(
        metas.some((meta) => meta.attrs.name === "twitter:site" && meta.attrs.content === META.twitter),
        "siteMetadata.social.twitter",
      );
    });

    it("answers an unknown path with the site's 404.js: 404, its layout's static query and its Seo title", async () => {
      const res = await get(`${at}/no-such-page/`);
      assert.equal(res.status, 404, res.text.slice(0, 500));
      assert.match(res.text, /<h1>404: Not Found<\/h1>/);
      assert.match(res.text, /data-testid="footer"[^>]*>Built by /, "the layout's useStaticQuery answered");
      assert.match(res.text, /<title>404: Not Found \| [^<]+<\/title>/, "the Head's Seo with siteMetadata.title");
    });

    it("runs a CommonJS gatsby-ssr.js (<html lang=\"en\">), and the plugins' gatsby-ssr APIs with their options in config order, the site's last", async () => {
      const page = await html("/page-2/");
      const root = htmlTag(page);
      assert.equal(root.attrs.lang, "en");
      assert.equal(attributeCount(root, "lang"), 1, `one lang: ${root.raw}`);
      const metas = tagsIn(headOf(page), "meta");
      const banner = metas.findIndex((meta) => meta.attrs.name === "local-banner");
      const site = metas.findIndex((meta) => meta.attrs.name === "site-ssr");
      assert.ok(banner >= 0, "the local plugin's onRenderBody head component");
      assert.equal(metas[banner]?.attrs.content, BANNER_TEXT, "with the plugin's options");
      assert.ok(site >= 0, "the site's own onRenderBody head component");
      assert.equal(metas[site]?.attrs.content, "from-site-gatsby-ssr");
      assert.ok(banner < site, "the plugin's head components before the site's");
      // wrapPageElement: the site's wrapper (last) encloses the plugin's, which encloses the page.
      const siteWrapper = page.indexOf('data-site-wrapper="site"');
      const bannerWrapper = page.indexOf(`data-banner="${BANNER_TEXT}"`);
      const content = page.indexOf("The second page of the fixture");
      assert.ok(siteWrapper > 0 && bannerWrapper > 0 && content > 0, "both wrappers and the page are rendered");
      assert.ok(
        siteWrapper < bannerWrapper && bannerWrapper < content,
        "the site's wrapPageElement outside the plugin's, the page inside",
      );
    });

    it("compiles the site's JSX with Gatsby's default classic runtime: a /** @jsx */ pragma's factory makes the elements", async () => {
      // The automatic runtime (which a tsconfig's "jsx": "react-jsx" asks esbuild for) drops the pragma.
      const page = await html("/jsx-pragma/");
      const paragraph = tagsIn(page, "p").find((tag) => tag.attrs.id === "pragma");
      assert.ok(paragraph, "the page rendered its paragraph");
      assert.equal(
        paragraph.attrs["data-factory"],
        "h",
        `made by the pragma's factory h, not the runtime's: ${paragraph.raw}`,
      );
    });

    it("puts react-helmet's <title> and meta in the <head> (gatsby-plugin-react-helmet), and not into the next page's", async () => {
      const page = await html("/using-helmet/");
      const head = headOf(page);
      assert.match(head, /<title[^>]*>Set by react-helmet<\/title>/);
      assert.ok(
        tagsIn(head, "meta").some(
          (meta) => meta.attrs.name === "description" && meta.attrs.content === "A description from react-helmet",
        ),
        head,
      );
      assert.match(page, /<h1>react-helmet<\/h1>/, "the page itself rendered");
      const next = await html("/page-2/");
      assert.doesNotMatch(
        next,
        /Set by react-helmet|A description from react-helmet/,
        "Helmet's state was taken for its own page only",
      );
    });

    it("serves gatsby-plugin-manifest's manifest, each icon as a PNG of its size, and links it from the head", async () => {
      const res = await get(`${at}/manifest.webmanifest`);
      assert.equal(res.status, 200, res.text.slice(0, 300));
      assert.match(String(res.headers["content-type"]), /json/);
      const manifest = JSON.parse(res.text) as {
        name?: string;
        short_name?: string;
        start_url?: string;
        icons?: Array<{ src: string; sizes: string; type?: string }>;
      };
      assert.equal(manifest.name, "Starter Fixture Manifest");
      assert.equal(manifest.short_name, "Fixture");
      assert.equal(typeof manifest.start_url, "string");
      assert.ok(Array.isArray(manifest.icons) && manifest.icons.length > 0, "icons");
      for (const icon of manifest.icons) {
        const size = /^(\d+)x(\d+)$/.exec(icon.sizes);
        assert.ok(size, `sizes of ${JSON.stringify(icon)}`);
        const url = resolveOn(`${at}/manifest.webmanifest`, icon.src);
        const file = await get(url).buffer(true).parse(bytes);
        assert.equal(file.status, 200, `GET ${url}`);
        assert.equal(String(file.headers["content-type"]).split(";")[0], "image/png", url);
        const meta = await sharp(file.body as Buffer).metadata();
        assert.equal(meta.format, "png", url);
        assert.deepEqual([meta.width, meta.height], [Number(size[1]), Number(size[2])], `the size of ${url}`);
      }
      const page = await html("/page-2/");
      const link = tagsIn(headOf(page), "link").find((tag) => (tag.attrs.rel ?? "").split(/\s+/).includes("manifest"));
      assert.ok(link?.attrs.href, '<link rel="manifest"> in the head');
      const linked = await get(resolveOn(`${at}/page-2/`, link.attrs.href));
      assert.equal(linked.status, 200, `the linked manifest ${link.attrs.href}`);
      assert.equal((JSON.parse(linked.text) as { name?: string }).name, "Starter Fixture Manifest");
    });

    it('applies trailingSlash "always" (Gatsby 5\'s default): 301 to the slash, the query kept; not to /, files, page data or /_ssr-pages/', async () => {
      let res = await get(`${at}/page-2`);
      assert.equal(res.status, 301);
      assert.equal(res.headers.location, `${at}/page-2/`);
      res = await get(`${at}/page-2?a=1&b=two%20words`);
      assert.equal(res.status, 301);
      assert.equal(res.headers.location, `${at}/page-2/?a=1&b=two%20words`);
      res = await get(`${at}/using-ssr?x=y`);
      assert.equal(res.status, 301);
      assert.equal(res.headers.location, `${at}/using-ssr/?x=y`);
      await get(`${at}/page-2/`).expect(200);
      await get(`${at}/`).expect(200);
      await get(pageData(at, "/page-2/")).expect(200);
      await get(`${at}/manifest.webmanifest`).expect(200);
      const home = await html("/");
      const scripts = tagsIn(home, "script")
        .map((tag) => tag.attrs.src)
        .filter((src): src is string => Boolean(src));
      assert.ok(scripts.length > 0, "the page loads a module");
      for (const src of scripts) await get(resolveOn(`${at}/`, src)).expect(200);
      res = await get(`${at}/_ssr-pages/no-such-file`);
      assert.ok(
        !(res.status >= 300 && res.status < 400),
        `no redirect under /_ssr-pages/: ${res.status} ${res.headers.location ?? ""}`,
      );
    });

    it("finds a page query under any export name (pageQuery, q) and gives its result as the data prop and the page data's result.data", async () => {
      const named = await html("/page-query/");
      assert.equal(testId(named, "pq-title"), META.title);
      assert.equal(testId(named, "pq-description"), META.description);
      assert.equal(testId(named, "pq-twitter"), META.twitter);
      assert.deepEqual((await data("/page-query/")).result.data, {
        site: { siteMetadata: { title: META.title, description: META.description, social: { twitter: META.twitter } } },
      });

      const short = await html("/short-query/");
      const pages = (await data("/short-query/")).result.data as {
        allSitePage: { totalCount: number; nodes: Array<{ path: string }> };
      };
      const paths = pages.allSitePage.nodes.map((node) => node.path);
      for (const expected of ["/", "/page-2/", "/using-typescript/", "/short-query/", "/photo/"])
        assert.ok(paths.includes(expected), `allSitePage has ${expected}: ${paths.join(" ")}`);
      assert.deepEqual(paths, [...paths].sort(), "sorted by path");
      assert.equal(pages.allSitePage.totalCount, paths.length);
      assert.equal(testId(short, "page-count"), String(paths.length));
    });

    it("gives a getServerData page its page query's data next to serverData, in the HTML and in the page data", async () => {
      const page = await html("/using-ssr/");
      assert.equal(testId(page, "ssr-message"), "Rendered at request time");
      assert.equal(testId(page, "ssr-site-title"), META.title);
      const json = await data("/using-ssr/");
      assert.deepEqual(json.result.serverData, {
        message: "Rendered at request time",
        breeds: ["akita", "beagle", "corgi"],
      });
      assert.deepEqual(json.result.data, { site: { siteMetadata: { title: META.title } } });
    });

    it("answers site.buildTime(formatString) to the TypeScript page typed with PageProps", async () => {
      const page = await html("/using-typescript/");
      const shown = testId(page, "build-time");
      assert.ok(shown, "the build time is shown");
      const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}) (am|pm)\b/.exec(shown);
      assert.ok(match, `"YYYY-MM-DD hh:mm a z": ${shown}`);
      const day = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
      assert.ok(Math.abs(day - Date.now()) < 2 * 86_400_000, `a build time of today: ${shown}`);
      assert.ok(Number(match[4]) >= 1 && Number(match[4]) <= 12, `hh is 01-12: ${shown}`);
      assert.deepEqual((await data("/using-typescript/")).result.data, { site: { buildTime: shown } });
      assert.match(headOf(page), /<title[^>]*>Using TypeScript<\/title>/);
    });

    it("renders useStaticQuery and a render-prop StaticQuery with their data", async () => {
      const page = await html("/static-query/");
      assert.equal(testId(page, "static-query"), `${META.description} (by ${META.author})`);
      assert.equal(testId(page, "site-title"), META.title);
      assert.match(headOf(page), new RegExp(`<title[^>]*>StaticQuery \\| ${META.title}</title>`));
    });

    it("lists allFile (filter, sort, totalCount) with publicURL links that serve the files", async () => {
      const page = await html("/png-files/");
      const result = (await data("/png-files/")).result.data as {
        allFile: {
          totalCount: number;
          nodes: Array<{ name: string; extension: string; relativePath: string; publicURL: string }>;
        };
      };
      assert.equal(result.allFile.totalCount, 3);
      assert.deepEqual(
        result.allFile.nodes.map((node) => node.name),
        [...PNG_NAMES],
      );
      assert.deepEqual(
        result.allFile.nodes.map((node) => node.relativePath),
        ["nested/deep.png", "example.png", "icon.png"],
      );
      assert.ok(result.allFile.nodes.every((node) => node.extension === "png"));
      assert.equal(testId(page, "png-count"), "3");
      const links = tagsIn(page, "a").filter((tag) => (tag.attrs.class ?? "").includes("png-file"));
      assert.deepEqual(
        links.map((link) => link.attrs["data-name"]),
        [...PNG_NAMES],
      );
      for (const link of links) {
        const href = link.attrs.href ?? "";
        // The data is the build's; a URL that already carries the mount is taken as it is.
        const url = href.startsWith(`${at}/`) ? href : `${at}${href}`;
        const file = await get(url).buffer(true).parse(bytes);
        assert.equal(file.status, 200, `GET ${url}`);
        assert.equal(String(file.headers["content-type"]).split(";")[0], "image/png");
        const name = link.attrs["data-name"] === "deep" ? "nested/deep.png" : `${link.attrs["data-name"]}.png`;
        assert.ok(
          (file.body as Buffer).equals(readFileSync(path.join(SITE, "src", "images", name))),
          `${url} is ${name}`,
        );
      }
    });

    it("answers file, directory, allDirectory, allSitePage, distinct, group, limit, skip and sort", async () => {
      const page = await html("/file-queries/");
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a query result walked by its known shape
      const result = (await data("/file-queries/")).result.data as Record<string, any>;
      assert.equal(result.pngs.totalCount, 3);
      assert.deepEqual(
        result.pngs.nodes.map((node: { name: string }) => node.name),
        [...PNG_NAMES],
      );
      assert.deepEqual(
        result.newestFirst.nodes.map((node: { name: string }) => node.name),
        [...PNG_NAMES].reverse(),
      );
      assert.deepEqual(
        result.paged.nodes.map((node: { name: string }) => node.name),
        ["example"],
      );
      assert.deepEqual([...result.extensions.distinct].sort(), ["jpg", "png"]);
      const groups = Object.fromEntries(
        result.byExtension.group.map((group: { fieldValue: string; totalCount: number }) => [
          group.fieldValue,
          group.totalCount,
        ]),
      );
      assert.deepEqual(groups, { jpg: 1, png: 3 });
      assert.deepEqual(result.deep, {
        name: "deep",
        extension: "png",
        relativePath: "nested/deep.png",
        relativeDirectory: "nested",
        sourceInstanceName: "images",
        size: statSync(path.join(SITE, "src", "images", "nested", "deep.png")).size,
      });
      assert.deepEqual(result.photo, {
        name: "photo",
        extension: "jpg",
        size: statSync(path.join(SITE, "src", "images", "photo.jpg")).size,
      });
      assert.deepEqual(result.nested, { name: "nested", relativePath: "nested", sourceInstanceName: "images" });
      assert.ok(
        result.directories.nodes.some((node: { relativePath: string }) => node.relativePath === "nested"),
        JSON.stringify(result.directories),
      );
      assert.deepEqual(result.secondPage, { nodes: [{ path: "/page-2/" }] });
      assert.deepEqual(
        JSON.parse(testId(page, "file-data") ?? "null"),
        result,
        "the data prop is the page data's result.data",
      );
    });

    it("renders StaticImage as gatsby-plugin-image does, and serves each variant: immutable, its type, a real image of its width", async () => {
      const page = await html("/");
      const blocks = imageBlocks(page);
      assert.equal(blocks.length, 2, "two StaticImages on the home page");
      checkStructure(blocks[0] as ImageBlock, "eager StaticImage", {
        types: ["image/avif", "image/webp"],
        loading: "eager",
      });
      checkStructure(blocks[1] as ImageBlock, "lazy StaticImage", {
        types: ["image/avif", "image/webp"],
        loading: "lazy",
      });
      const widths = srcset((blocks[1] as ImageBlock).img?.attrs.srcset ?? "").map((candidate) => candidate.width);
      assert.ok(widths.includes(64), `a 64w candidate: ${widths.join(", ")}`);
      assert.ok(
        widths.every((width) => width !== undefined && width <= IMAGES["example.png"]!.width),
        `no candidate wider than the source: ${widths.join(", ")}`,
      );
      const served = await checkVariants(blocks[1] as ImageBlock, "png", "StaticImage");
      assert.ok(served >= 3, `variants served: ${served}`);
    });

    it("renders GatsbyImage from a gatsbyImageData query (getImage), blurred placeholder, and serves its variants", async () => {
      const json = (await data("/photo/")).result.data as {
        file: {
          childImageSharp: {
            gatsbyImageData: {
              layout: string;
              width: number;
              height: number;
              images: { sources?: Array<{ type: string }> };
            };
          };
        };
      };
      const imageData = json.file.childImageSharp.gatsbyImageData;
      assert.equal(imageData.layout, "constrained");
      assert.equal(imageData.width, 300);
      assert.equal(imageData.height, 200, "the source's 3:2");
      assert.deepEqual((imageData.images.sources ?? []).map((source) => source.type).sort(), [
        "image/avif",
        "image/webp",
      ]);
      const page = await html("/photo/");
      const blocks = imageBlocks(page);
      assert.equal(blocks.length, 2, "the queried GatsbyImage and a StaticImage");
      const queried = blocks[0] as ImageBlock;
      checkStructure(queried, "GatsbyImage", { types: ["image/avif", "image/webp"], loading: "lazy" });
      assert.match(queried.placeholder?.raw ?? "", /data:image\//, "BLURRED: the placeholder is a small image");
      const widths = srcset(queried.img?.attrs.srcset ?? "").map((candidate) => candidate.width);
      assert.ok(widths.includes(300), `a 300w candidate: ${widths.join(", ")}`);
      await checkVariants(queried, "jpg", "GatsbyImage");
      const small = blocks[1] as ImageBlock;
      checkStructure(small, "StaticImage of formats auto and webp", { types: ["image/webp"], loading: "lazy" });
      await checkVariants(small, "jpg", "StaticImage of the photo");
    });

    it("fails only the page that queries an unsupported type, and only the page whose StaticImage file is missing", async () => {
      const before = reports[host.framework].length;
      const markdown = await get(`${at}/markdown/`);
      assert.equal(markdown.status, 500);
      const broken = await get(`${at}/broken-static-image/`);
      assert.equal(broken.status, 500);
      const all = reports[host.framework];
      assert.ok(
        all.some((report) => report.message.includes("allMarkdownRemark")),
        `an error naming allMarkdownRemark:\n${all.map((report) => report.message.split("\n")[0]).join("\n")}`,
      );
      assert.ok(
        all.length > before || all.some((report) => report.phase === "compile"),
        "onError heard of the failures",
      );
      for (const pagePath of GOOD_PAGES) {
        const res = await get(`${at}${pagePath}`);
        assert.equal(res.status, 200, `${pagePath} still serves`);
      }
    });

    it("shows components process.env as {} while process.env.GATSBY_GREETING reads its value", async () => {
      const page = await html("/env/");
      assert.equal(testId(page, "env-json"), "{}");
      assert.equal(testId(page, "env-greeting"), GREETING);
      assert.doesNotMatch(page, /server-only-secret-d41d8/);
    });

    it(`gives pages and wrapPageElement location.pathname with the mount${at ? ` (${at})` : ""}, while path and params stay the route's`, async () => {
      const page = await html("/page-2/?from=test");
      assert.equal(testId(page, "location"), `${at}/page-2/`);
      assert.match(page, new RegExp(`data-banner-path="${at}/page-2/"`), "the plugin's wrapPageElement");
      assert.match(page, new RegExp(`data-site-path="${at}/page-2/"`), "the site's wrapPageElement");
      assert.match(testId(page, "path") ?? "", /^\/page-2\/?$/, "path is the route, without the mount");
      assert.equal(testId(page, "params"), "{}");
      const ts = await html("/using-typescript/");
      assert.equal(testId(ts, "ts-location"), `${at}/using-typescript/`);
    });
  });
}
