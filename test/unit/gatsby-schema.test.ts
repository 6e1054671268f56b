import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { getNamedType, getNullableType, isListType, type GraphQLObjectType } from "graphql";
import sharp from "sharp";
import type { ImageOptions, SchemaHooks, SiteData } from "../../src/gatsby-site/contracts.js";
import { createSiteSchema, QueryError, type SiteSchema } from "../../src/gatsby-site/schema/index.js";

const DAY = 86_400_000;
const BUILD_TIME = new Date("2026-12-06T07:05:09.000Z");

// The site's files, made in a temporary directory: sizes are the lengths of these texts.
const TEXT_FILES: Record<string, string> = {
  "content/a.txt": "alpha",
  "content/b.md": "# Bravo\n",
  "content/notes/c.txt": "charlie!!",
  "content/notes/d.txt": "delta delta delta",
  "content/notes/deep/e.txt": "echo",
  // Left out: gatsby-source-filesystem's own ignore list, and the source's `ignore` globs.
  "content/.DS_Store": "x",
  "content/node_modules/pkg/index.js": "x",
  "content/drafts/secret.txt": "x",
  "content/old.bak": "x",
  "assets/logo.txt": "logo",
};

const MODIFIED: Record<string, Date> = {
  "content/a.txt": new Date("2021-03-04T05:06:07.000Z"),
  "content/b.md": new Date("2022-01-01T00:00:00.000Z"),
  "content/notes/c.txt": new Date("2020-06-15T12:00:00.000Z"),
  "content/notes/d.txt": new Date("2023-09-30T23:59:59.000Z"),
};

let root: string;
let content: string;
const calls = {
  publicURL: [] as string[],
  imageData: [] as Array<{ file: string; options: ImageOptions }>,
  imageInfo: [] as string[],
};

const hooks: SchemaHooks = {
  async publicURL(file) {
    calls.publicURL.push(file);
    return `/_ssr-pages/${path.basename(file)}`;
  },
  async imageData(file, options) {
    calls.imageData.push({ file, options });
    return {
      layout: options.layout ?? "constrained",
      width: 40,
      height: 30,
      images: { fallback: { src: `/_ssr-pages/img/${path.basename(file)}` } },
    };
  },
  async imageInfo(file) {
    calls.imageInfo.push(file);
    const { width, height, format } = await sharp(file).metadata();
    return { width: width!, height: height!, format: format! };
  },
};

function siteData(overrides: Partial<SiteData> = {}): SiteData {
  return {
    root,
    siteMetadata: {
      title: "Schema Site",
      count: 3,
      ratio: 1.5,
      live: true,
      tags: ["news", "tech"],
      published: "2020-05-01",
      launched: new Date("2019-02-03T04:05:06.000Z"),
      social: {
        twitter: "@site",
        links: [
          { name: "GitHub", url: "https://github.com/x" },
          { name: "Mastodon", stars: 4 },
        ],
      },
      nothing: null,
      empty: [],
      mixed: [1, "one"],
      "odd-key": "kept",
    },
    buildTime: BUILD_TIME,
    pathPrefix: "/blog",
    pages: [
      {
        path: "/",
        matchPath: undefined,
        component: path.join(root, "src/pages/index.tsx"),
        componentChunkName: "component---src-pages-index-tsx",
        internalComponentName: "ComponentIndex",
      },
      {
        path: "/products/",
        matchPath: "/products/*",
        component: path.join(root, "src/pages/products/[...].tsx"),
        componentChunkName: "component---src-pages-products-tsx",
        internalComponentName: "ComponentProducts",
      },
    ],
    sources: [
      { name: "content", path: content, ignore: ["drafts/**", "**/*.bak"] },
      { name: "assets", path: path.join(root, "assets"), ignore: [] },
    ],
    imageSharp: true,
    ...overrides,
  };
}

let site: SiteSchema;

before(async () => {
  root = await mkdtemp(path.join(tmpdir(), "gatsby-schema-"));
  content = path.join(root, "content");
  for (const [file, text] of Object.entries(TEXT_FILES)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text);
  }
  await mkdir(path.join(content, "images"), { recursive: true });
  await sharp({ create: { width: 40, height: 30, channels: 3, background: "#336699" } })
    .png()
    .toFile(path.join(content, "images/red.png"));
  await sharp({ create: { width: 40, height: 30, channels: 3, background: "#993366" } })
    .jpeg()
    .toFile(path.join(content, "images/blue.jpg"));
  for (const [file, date] of Object.entries(MODIFIED)) await utimes(path.join(root, file), date, date);
  const threeDaysAgo = new Date(Date.now() - 3 * DAY - 60_000);
  await utimes(path.join(content, "notes/deep/e.txt"), threeDaysAgo, threeDaysAgo);
  site = await createSiteSchema(siteData(), hooks);
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- results are read by the shape each test queried
async function query(text: string, variables?: Record<string, unknown>): Promise<Record<string, any>> {
  return (await site.run(text, variables)).data;
}

async function paths(filter: string, on = site): Promise<string[]> {
  const { data } = await on.run(
    `{ allFile(filter: ${filter}, sort: { relativePath: ASC }) { nodes { relativePath } } }`,
  );
  return (data.allFile as { nodes: Array<{ relativePath: string }> }).nodes.map((node) => node.relativePath);
}

function queryError(test: (error: QueryError) => void) {
  return (error: unknown) => {
    assert.ok(error instanceof QueryError, `expected a QueryError, got ${String(error)}`);
    test(error);
    return true;
  };
}

describe("siteMetadata inference", () => {
  it("types each value as Gatsby infers it, nested objects as named types", () => {
    const metadata = site.schema.getType("SiteSiteMetadata") as GraphQLObjectType;
    const fields = metadata.getFields();
    const typeOf = (name: string) => String(fields[name]?.type);
    assert.equal(typeOf("title"), "String");
    assert.equal(typeOf("count"), "Int");
    assert.equal(typeOf("ratio"), "Float");
    assert.equal(typeOf("live"), "Boolean");
    assert.equal(typeOf("tags"), "[String]");
    assert.equal(typeOf("published"), "Date");
    assert.equal(typeOf("launched"), "Date");
    assert.equal(typeOf("social"), "SiteSiteMetadataSocial");
    assert.equal(
      String((site.schema.getType("SiteSiteMetadataSocial") as GraphQLObjectType).getFields().links?.type),
      "[SiteSiteMetadataSocialLinks]",
    );
    // Gatsby declares these even when the config has no such key.
    assert.equal(typeOf("description"), "String");
    assert.equal(typeOf("siteUrl"), "String");
    for (const absent of ["nothing", "empty", "mixed"]) assert.equal(fields[absent], undefined, absent);
    // The fields of every item of a list make up its type.
    const links = (site.schema.getType("SiteSiteMetadataSocialLinks") as GraphQLObjectType).getFields();
    assert.deepEqual(Object.keys(links), ["name", "url", "stars"]);
  });

  it("answers with the config's values, under GraphQL-safe names", async () => {
    const data = await query(
      `{ site { pathPrefix siteMetadata { title count ratio live tags odd_key description launched social { twitter links { name url stars } } } } }`,
    );
    assert.deepEqual(data.site, {
      pathPrefix: "/blog",
      siteMetadata: {
        title: "Schema Site",
        count: 3,
        ratio: 1.5,
        live: true,
        tags: ["news", "tech"],
        odd_key: "kept",
        description: null,
        launched: "2019-02-03T04:05:06.000Z",
        social: {
          twitter: "@site",
          links: [
            { name: "GitHub", url: "https://github.com/x", stars: null },
            { name: "Mastodon", url: null, stars: 4 },
          ],
        },
      },
    });
  });

  it("refuses a field that had no value to infer from, with its place", async () => {
    await assert.rejects(
      site.run(`{\n  site {\n    siteMetadata { nothing }\n  }\n}`),
      queryError((error) => {
        assert.match(
          error.message,
          /Cannot query field "nothing" on type "SiteSiteMetadata"\. .*give nothing a value there/,
        );
        assert.equal(error.line, 3);
        assert.equal(error.column, 20);
        assert.equal(error.unknownType, undefined);
      }),
    );
  });
});

describe("date arguments", () => {
  it("formats in UTC with Moment's tokens, including those dayjs lacks", async () => {
    const data = await query(`{
      site {
        plain: buildTime
        clock: buildTime(formatString: "YYYY-MM-DD hh:mm a z")
        long: buildTime(formatString: "dddd, MMMM Do YYYY [at] HH:mm:ss")
        extra: buildTime(formatString: "DDDD E Mo Qo")
        siteMetadata { published(formatString: "MMMM D, YYYY") german: published(formatString: "D. MMMM YYYY", locale: "de") }
      }
    }`);
    assert.deepEqual(data.site, {
      plain: "2026-12-06T07:05:09.000Z",
      clock: "2026-12-06 07:05 am UTC",
      long: "Sunday, December 6th 2026 at 07:05:09",
      extra: "340 7 12th 4th",
      siteMetadata: { published: "May 1, 2020", german: "1. Mai 2020" },
    });
  });

  it("gives fromNow and difference against the current time", async () => {
    const data = await query(
      `{ file(relativePath: { eq: "notes/deep/e.txt" }) { ago: modifiedTime(fromNow: true) days: mtime(difference: "days") } }`,
    );
    assert.deepEqual(data.file, { ago: "3 days ago", days: "3" });
  });

  it("formats the file times gatsby-source-filesystem records", async () => {
    const data = await query(
      `{ file(relativePath: { eq: "a.txt" }) { modifiedTime mtime(formatString: "YYYY/MM/DD") changed: modifiedTime(formatString: "HH:mm") } }`,
    );
    assert.deepEqual(data.file, { modifiedTime: "2021-03-04T05:06:07.000Z", mtime: "2021/03/04", changed: "05:06" });
  });
});

describe("file and directory nodes", () => {
  it("holds every file of every source but what gatsby-source-filesystem ignores", async () => {
    const data = await query(
      `{ allFile(sort: [{ sourceInstanceName: DESC }, { relativePath: ASC }]) { totalCount nodes { sourceInstanceName relativePath } } }`,
    );
    assert.equal(data.allFile.totalCount, 8);
    assert.deepEqual(
      data.allFile.nodes.map(
        (node: { sourceInstanceName: string; relativePath: string }) =>
          `${node.sourceInstanceName}:${node.relativePath}`,
      ),
      [
        "content:a.txt",
        "content:b.md",
        "content:images/blue.jpg",
        "content:images/red.png",
        "content:notes/c.txt",
        "content:notes/d.txt",
        "content:notes/deep/e.txt",
        "assets:logo.txt",
      ],
    );
  });

  it("has gatsby-source-filesystem's fields", async () => {
    const data = await query(`{
      file(relativePath: { eq: "notes/d.txt" }) {
        id sourceInstanceName absolutePath relativePath relativeDirectory extension size prettySize
        root dir base ext name mtimeMs nlink internal { type mediaType contentDigest owner }
      }
    }`);
    const notes = path.join(content, "notes");
    assert.deepEqual(data.file, {
      id: data.file.id,
      sourceInstanceName: "content",
      absolutePath: path.join(notes, "d.txt"),
      relativePath: "notes/d.txt",
      relativeDirectory: "notes",
      extension: "txt",
      size: 17,
      prettySize: "17 B",
      root: "/",
      dir: notes,
      base: "d.txt",
      ext: ".txt",
      name: "d",
      mtimeMs: MODIFIED["content/notes/d.txt"]!.getTime(),
      nlink: 1,
      // The MD5 of "delta delta delta".
      internal: {
        type: "File",
        mediaType: "text/plain",
        contentDigest: "a5b5a3433b9fd577d9f08c3267761599",
        owner: "gatsby-source-filesystem",
      },
    });
    assert.match(data.file.id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("has a Directory node per directory, the source's own included", async () => {
    const data = await query(
      `{ allDirectory(sort: [{ sourceInstanceName: DESC }, { relativePath: ASC }]) { nodes { relativePath relativeDirectory name internal { type } } } }`,
    );
    assert.deepEqual(
      data.allDirectory.nodes.map((node: { relativePath: string }) => node.relativePath),
      ["", "images", "notes", "notes/deep", ""],
    );
    assert.deepEqual(data.allDirectory.nodes[2], {
      relativePath: "notes",
      relativeDirectory: "",
      name: "notes",
      internal: { type: "Directory" },
    });
  });

  it("lists every file and directory for the watcher", () => {
    assert.ok(site.watched.includes(content));
    assert.ok(site.watched.includes(path.join(content, "notes/deep/e.txt")));
    assert.ok(site.watched.includes(path.join(root, "assets/logo.txt")));
    assert.ok(
      !site.watched.some(
        (file) =>
          file.includes("node_modules") ||
          file.includes("drafts") ||
          file.endsWith(".bak") ||
          file.endsWith(".DS_Store"),
      ),
    );
    assert.equal(site.watched.length, 13);
  });

  it("refuses a source whose path does not exist", async () => {
    await assert.rejects(
      createSiteSchema(siteData({ sources: [{ name: "posts", path: path.join(root, "missing"), ignore: [] }] }), hooks),
      /gatsby-source-filesystem "posts": its path .*missing cannot be read \(ENOENT\)/,
    );
  });
});

describe("publicURL", () => {
  it("serves a file through the hook only when a query asks for it", async () => {
    calls.publicURL.length = 0;
    await query(`{ allFile { nodes { name } } }`);
    assert.deepEqual(calls.publicURL, []);
    const data = await query(`{ file(base: { eq: "b.md" }) { publicURL } }`);
    assert.deepEqual(data.file, { publicURL: "/_ssr-pages/b.md" });
    assert.deepEqual(calls.publicURL, [path.join(content, "b.md")]);
  });
});

describe("filters", () => {
  it("eq and ne", async () => {
    assert.deepEqual(await paths(`{ extension: { eq: "md" } }`), ["b.md"]);
    assert.deepEqual(
      await paths(
        `{ sourceInstanceName: { eq: "content" }, relativeDirectory: { ne: "notes" }, extension: { ne: "jpg" } }`,
      ),
      ["a.txt", "b.md", "images/red.png", "notes/deep/e.txt"],
    );
  });

  it("in and nin", async () => {
    assert.deepEqual(await paths(`{ extension: { in: ["png", "md"] } }`), ["b.md", "images/red.png"]);
    assert.deepEqual(await paths(`{ extension: { nin: ["txt", "png"] } }`), ["b.md", "images/blue.jpg"]);
  });

  it("regex, written /pattern/flags", async () => {
    assert.deepEqual(await paths(`{ relativePath: { regex: "/^NOTES\\\\/[cd]\\\\./i" } }`), [
      "notes/c.txt",
      "notes/d.txt",
    ]);
    assert.deepEqual(await paths(`{ extension: { regex: "/(jpg)|(png)/" } }`), ["images/blue.jpg", "images/red.png"]);
  });

  it("glob", async () => {
    assert.deepEqual(await paths(`{ relativePath: { glob: "notes/**" } }`), [
      "notes/c.txt",
      "notes/d.txt",
      "notes/deep/e.txt",
    ]);
    assert.deepEqual(await paths(`{ relativePath: { glob: "*.{md,png}" } }`), ["b.md"]);
  });

  it("gt, gte, lt, lte on numbers and dates", async () => {
    assert.deepEqual(await paths(`{ size: { gt: 5, lt: 17 } }`), ["b.md", "notes/c.txt"]);
    assert.deepEqual(await paths(`{ size: { gte: 5, lte: 9 } }`), ["a.txt", "b.md", "notes/c.txt"]);
    assert.deepEqual(await paths(`{ modifiedTime: { gte: "2021-03-04T05:06:07.000Z", lt: "2023" } }`), [
      "a.txt",
      "b.md",
    ]);
  });

  it("nested objects, lists of scalars (any item) and elemMatch on lists of objects", async () => {
    const count = async (filter: string) =>
      ((await query(`{ allSite(filter: ${filter}) { totalCount } }`)).allSite as { totalCount: number }).totalCount;
    assert.equal(await count(`{ siteMetadata: { tags: { eq: "tech" } } }`), 1);
    assert.equal(await count(`{ siteMetadata: { tags: { eq: "sport" } } }`), 0);
    assert.equal(await count(`{ siteMetadata: { tags: { ne: "tech" } } }`), 0);
    assert.equal(
      await count(
        `{ siteMetadata: { social: { links: { elemMatch: { name: { eq: "Mastodon" }, stars: { gte: 4 } } } } } }`,
      ),
      1,
    );
    assert.equal(
      await count(
        `{ siteMetadata: { social: { links: { elemMatch: { name: { eq: "GitHub" }, stars: { gte: 4 } } } } } }`,
      ),
      0,
    );
    assert.equal(await count(`{ siteMetadata: { description: { eq: null } } }`), 1);
  });

  it("filters on the child ImageSharp node", async () => {
    assert.deepEqual(await paths(`{ childImageSharp: { id: { ne: null } } }`), ["images/blue.jpg", "images/red.png"]);
  });

  it("takes the filter fields as arguments of the single-node field, null when none matches", async () => {
    const data = await query(
      `{ a: file(relativePath: { eq: "a.txt" }) { size } none: file(relativePath: { eq: "zzz" }) { size } page: sitePage(matchPath: { eq: "/products/*" }) { path pageContext } }`,
    );
    assert.deepEqual(data, { a: { size: 5 }, none: null, page: { path: "/products/", pageContext: {} } });
  });

  it("takes variables", async () => {
    const data = await query(
      `query Page($path: String!) { sitePage(path: { eq: $path }) { component internalComponentName } }`,
      { path: "/" },
    );
    assert.deepEqual(data.sitePage, {
      component: path.join(root, "src/pages/index.tsx"),
      internalComponentName: "ComponentIndex",
    });
  });
});

describe("sort, skip, limit", () => {
  it("sorts on two keys, each up or down", async () => {
    const names = async (sort: string) =>
      (
        (await query(`{ allFile(filter: { extension: { eq: "txt" } }, sort: ${sort}) { nodes { relativePath } } }`))
          .allFile.nodes as Array<{ relativePath: string }>
      ).map((node) => node.relativePath);
    assert.deepEqual(await names(`[{ relativeDirectory: ASC }, { name: DESC }]`), [
      "logo.txt",
      "a.txt",
      "notes/d.txt",
      "notes/c.txt",
      "notes/deep/e.txt",
    ]);
    assert.deepEqual(await names(`[{ relativeDirectory: DESC }, { name: ASC }]`), [
      "notes/deep/e.txt",
      "notes/c.txt",
      "notes/d.txt",
      "a.txt",
      "logo.txt",
    ]);
    // e.txt and logo.txt are both 4 bytes: a tie keeps the nodes' own order (sources in config order).
    assert.deepEqual(await names(`{ size: DESC }`), [
      "notes/d.txt",
      "notes/c.txt",
      "a.txt",
      "notes/deep/e.txt",
      "logo.txt",
    ]);
  });

  it("puts missing values last going up, first going down", async () => {
    const data = await query(`{
      up: allSitePage(sort: { matchPath: ASC }) { nodes { path } }
      down: allSitePage(sort: { matchPath: DESC }) { nodes { path } }
    }`);
    assert.deepEqual(data.up.nodes, [{ path: "/products/" }, { path: "/" }]);
    assert.deepEqual(data.down.nodes, [{ path: "/" }, { path: "/products/" }]);
  });

  it("pages with skip and limit, with Gatsby's pageInfo", async () => {
    const data = await query(`{
      allFile(sort: { relativePath: ASC }, skip: 2, limit: 2) {
        totalCount
        nodes { relativePath }
        edges { node { name } previous { name } next { name } }
        pageInfo { currentPage hasPreviousPage hasNextPage itemCount pageCount perPage totalCount }
      }
    }`);
    assert.deepEqual(data.allFile, {
      totalCount: 8,
      nodes: [{ relativePath: "images/blue.jpg" }, { relativePath: "images/red.png" }],
      edges: [
        { node: { name: "blue" }, previous: null, next: { name: "red" } },
        { node: { name: "red" }, previous: { name: "blue" }, next: null },
      ],
      pageInfo: {
        currentPage: 2,
        hasPreviousPage: true,
        hasNextPage: true,
        itemCount: 2,
        pageCount: 4,
        perPage: 2,
        totalCount: 8,
      },
    });
    const last = await query(`{ allFile(skip: 6, limit: 4) { pageInfo { currentPage hasNextPage itemCount } } }`);
    assert.deepEqual(last.allFile.pageInfo, { currentPage: 3, hasNextPage: false, itemCount: 2 });
  });
});

describe("distinct, group, max, min, sum", () => {
  it("distinct values of a field, sorted", async () => {
    const data = await query(
      `{ allFile { directories: distinct(field: { relativeDirectory: SELECT }) extensions: distinct(field: { extension: SELECT }) } }`,
    );
    assert.deepEqual(data.allFile, {
      directories: ["", "images", "notes", "notes/deep"],
      extensions: ["jpg", "md", "png", "txt"],
    });
  });

  it("groups by a field, each group a connection", async () => {
    const data = await query(`{
      allFile(filter: { sourceInstanceName: { eq: "content" } }) {
        group(field: { relativeDirectory: SELECT }, limit: 1) { field fieldValue totalCount nodes { name } pageInfo { hasNextPage } }
      }
    }`);
    assert.deepEqual(data.allFile.group, [
      {
        field: "relativeDirectory",
        fieldValue: "",
        totalCount: 2,
        nodes: [{ name: "a" }],
        pageInfo: { hasNextPage: true },
      },
      {
        field: "relativeDirectory",
        fieldValue: "images",
        totalCount: 2,
        nodes: [{ name: "blue" }],
        pageInfo: { hasNextPage: true },
      },
      {
        field: "relativeDirectory",
        fieldValue: "notes",
        totalCount: 2,
        nodes: [{ name: "c" }],
        pageInfo: { hasNextPage: true },
      },
      {
        field: "relativeDirectory",
        fieldValue: "notes/deep",
        totalCount: 1,
        nodes: [{ name: "e" }],
        pageInfo: { hasNextPage: false },
      },
    ]);
  });

  it("groups by each item of a list, on nested fields", async () => {
    const data = await query(
      `{ allSite { group(field: { siteMetadata: { tags: SELECT } }) { field fieldValue totalCount } } }`,
    );
    assert.deepEqual(data.allSite.group, [
      { field: "siteMetadata.tags", fieldValue: "news", totalCount: 1 },
      { field: "siteMetadata.tags", fieldValue: "tech", totalCount: 1 },
    ]);
  });

  it("max, min and sum of a number field", async () => {
    const data = await query(
      `{ allFile(filter: { extension: { eq: "txt" } }) { max(field: { size: SELECT }) min(field: { size: SELECT }) sum(field: { size: SELECT }) } }`,
    );
    assert.deepEqual(data.allFile, { max: 17, min: 4, sum: 5 + 9 + 17 + 4 + 4 });
  });

  it("says how to write a Gatsby 4 field enum in Gatsby 5's form", async () => {
    await assert.rejects(
      site.run(`{ allFile { distinct(field: relativeDirectory) } }`),
      queryError((error) => assert.match(error.message, /field: \{ relativeDirectory: SELECT \}/)),
    );
    await assert.rejects(
      site.run(`{ allFile(sort: { fields: [name], order: DESC }) { totalCount } }`),
      queryError((error) =>
        assert.match(error.message, /Gatsby 5 sorts with sort: \{ frontmatter: \{ date: DESC \} \}/),
      ),
    );
  });
});

describe("childImageSharp", () => {
  it("is the ImageSharp child of an image file, null for other files", async () => {
    const data = await query(`{
      allFile(sort: { relativePath: ASC }, filter: { sourceInstanceName: { eq: "content" }, relativeDirectory: { in: ["", "images"] } }) {
        nodes { relativePath childImageSharp { id parent { ... on File { name } } } }
      }
    }`);
    const nodes = data.allFile.nodes as Array<{
      relativePath: string;
      childImageSharp: { id: string; parent: { name: string } } | null;
    }>;
    assert.deepEqual(
      nodes.map((node) => [node.relativePath, node.childImageSharp?.parent.name ?? null]),
      [
        ["a.txt", null],
        ["b.md", null],
        ["images/blue.jpg", "blue"],
        ["images/red.png", "red"],
      ],
    );
  });

  it("passes gatsbyImageData's arguments to the image hook with gatsby-plugin-image's names", async () => {
    calls.imageData.length = 0;
    const data = await query(`{
      file(relativePath: { eq: "images/red.png" }) {
        childImageSharp {
          gatsbyImageData(
            layout: FULL_WIDTH, width: 20, aspectRatio: 1.5, placeholder: TRACED_SVG, formats: [AUTO, WEBP, AVIF, NO_CHANGE],
            quality: 70, breakpoints: [100, 200], outputPixelDensities: [1, 2.5], sizes: "100vw", backgroundColor: "#fff",
            transformOptions: { fit: INSIDE, cropFocus: ATTENTION, grayscale: true, duotone: { highlight: "#fff", shadow: "#000" } },
            jpgOptions: { progressive: false }, pngOptions: { compressionSpeed: 2 }, webpOptions: { quality: 50 }, avifOptions: { lossless: true },
            blurredOptions: { width: 10, toFormat: NO_CHANGE }, tracedSVGOptions: { threshold: 100 }
          )
        }
      }
    }`);
    assert.deepEqual(calls.imageData, [
      {
        file: path.join(content, "images/red.png"),
        options: {
          layout: "fullWidth",
          width: 20,
          aspectRatio: 1.5,
          placeholder: "tracedSVG",
          formats: ["auto", "webp", "avif", ""],
          quality: 70,
          breakpoints: [100, 200],
          outputPixelDensities: [1, 2.5],
          sizes: "100vw",
          backgroundColor: "#fff",
          transformOptions: {
            fit: "inside",
            cropFocus: "attention",
            grayscale: true,
            duotone: { highlight: "#fff", shadow: "#000" },
          },
          jpgOptions: { progressive: false },
          pngOptions: { compressionSpeed: 2 },
          webpOptions: { quality: 50 },
          avifOptions: { lossless: true },
          blurredOptions: { width: 10, toFormat: "auto" },
        },
      },
    ]);
    assert.deepEqual(data.file.childImageSharp.gatsbyImageData, {
      layout: "fullWidth",
      width: 40,
      height: 30,
      images: { fallback: { src: "/_ssr-pages/img/red.png" } },
    });
    await query(
      `{ file(relativePath: { eq: "images/blue.jpg" }) { childImageSharp { gatsbyImageData(layout: CONSTRAINED, placeholder: DOMINANT_COLOR) } } }`,
    );
    assert.deepEqual(calls.imageData[1]?.options, { layout: "constrained", placeholder: "dominantColor" });
  });

  it("gives the original size through imageInfo, and its URL only when asked", async () => {
    calls.publicURL.length = 0;
    calls.imageInfo.length = 0;
    const sizes = await query(`{ allImageSharp { totalCount nodes { original { width height } } } }`);
    assert.deepEqual(sizes.allImageSharp, {
      totalCount: 2,
      nodes: [{ original: { width: 40, height: 30 } }, { original: { width: 40, height: 30 } }],
    });
    assert.deepEqual(calls.publicURL, []);
    const src = await query(`{ imageSharp { original { src } } }`);
    assert.match(src.imageSharp.original.src, /^\/_ssr-pages\/(red\.png|blue\.jpg)$/);
  });

  it("uses Gatsby's enum type names", () => {
    for (const name of [
      "GatsbyImageLayout",
      "GatsbyImagePlaceholder",
      "ImageFormat",
      "ImageFit",
      "ImageCropFocus",
      "GatsbyImageData",
    ]) {
      assert.ok(site.schema.getType(name), name);
    }
    const field = (site.schema.getType("ImageSharp") as GraphQLObjectType).getFields().gatsbyImageData!;
    assert.equal(String(field.type), "GatsbyImageData!");
    const formats = field.args.find((arg) => arg.name === "formats")!;
    assert.ok(isListType(getNullableType(formats.type)));
    assert.equal(getNamedType(formats.type).name, "ImageFormat");
  });

  it("does not exist without gatsby-transformer-sharp", async () => {
    const plain = await createSiteSchema(siteData({ imageSharp: false }), hooks);
    for (const name of ["ImageSharp", "GatsbyImageLayout", "ImageFormat", "GatsbyImageData"])
      assert.equal(plain.schema.getType(name), undefined, name);
    await assert.rejects(
      plain.run(`{ allImageSharp { nodes { id } } }`),
      queryError((error) => {
        assert.equal(error.unknownType, "allImageSharp");
        assert.match(error.message, /Add gatsby-transformer-sharp/);
      }),
    );
    await assert.rejects(
      plain.run(`{ file(relativePath: { eq: "images/red.png" }) { childImageSharp { id } } }`),
      queryError((error) => {
        assert.equal(error.unknownType, "childImageSharp");
        assert.match(error.message, /gatsby-transformer-sharp/);
      }),
    );
  });
});

describe("errors", () => {
  it("names a root field another Gatsby plugin would provide, and what to do instead", async () => {
    await assert.rejects(
      site.run(
        `query Posts {\n  allMarkdownRemark(sort: { frontmatter: { date: DESC } }) {\n    nodes { html }\n  }\n}`,
      ),
      queryError((error) => {
        assert.equal(error.unknownType, "allMarkdownRemark");
        assert.match(error.message, /"allMarkdownRemark"/);
        assert.match(error.message, /gatsby-transformer-remark/);
        assert.match(error.message, /load that data in the page's getServerData and pass it on as props/);
        assert.deepEqual([error.line, error.column], [2, 3]);
      }),
    );
    for (const [field, plugin] of [
      ['mdx(slug: { eq: "x" })', "gatsby-plugin-mdx"],
      ["allContentfulBlogPost", "gatsby-source-contentful"],
      ["allDataJson", "gatsby-transformer-json"],
    ] as const) {
      await assert.rejects(
        site.run(`{ ${field} { id } }`),
        queryError((error) => assert.match(error.message, new RegExp(plugin))),
      );
    }
  });

  it("names a type the site does not have", async () => {
    await assert.rejects(
      site.run(`query ($filter: MdxFilterInput) { site { id } }`),
      queryError((error) => {
        assert.equal(error.unknownType, "MdxFilterInput");
        assert.match(error.message, /gatsby-plugin-mdx/);
      }),
    );
  });

  it("names a child node field of another plugin", async () => {
    await assert.rejects(
      site.run(`{ file { childMarkdownRemark { html } } }`),
      queryError((error) => {
        assert.equal(error.unknownType, "childMarkdownRemark");
        assert.match(error.message, /gatsby-transformer-remark/);
      }),
    );
  });

  it("reports a syntax error with its line and column", async () => {
    await assert.rejects(
      site.run(`{\n  site {\n    siteMetadata { title\n  }\n`),
      queryError((error) => {
        assert.match(error.message, /Syntax Error: Expected Name, found <EOF>/);
        assert.deepEqual([error.line, error.column], [5, 1]);
        assert.match(error.message, /line 5, column 1/);
      }),
    );
  });

  it("reports a missing variable", async () => {
    await assert.rejects(
      site.run(`query ($path: String!) { sitePage(path: { eq: $path }) { id } }`),
      queryError((error) => assert.match(error.message, /\$path/)),
    );
  });

  it("names a fragment defined in another template", async () => {
    await assert.rejects(
      site.run(`{ site { ...SiteInfo } }`),
      queryError((error) => assert.match(error.message, /Unknown fragment "SiteInfo".*same template/)),
    );
  });

  it("says gatsby-image's fragments and fields are not provided", async () => {
    await assert.rejects(
      site.run(`{ imageSharp { fluid { ...GatsbyImageSharpFluid } } }`),
      queryError((error) => {
        assert.match(error.message, /Cannot query field "fluid" on type "ImageSharp"\. .*use gatsbyImageData/);
        assert.match(
          error.message,
          /Unknown fragment "GatsbyImageSharpFluid"\. gatsby-image's fragments are not provided/,
        );
      }),
    );
  });

  it("runs fragments defined in the same template, used or not", async () => {
    const data = await query(`
      fragment FileInfo on File { name extension }
      fragment Unused on Site { id }
      query { file(name: { eq: "a" }) { ...FileInfo } }
    `);
    assert.deepEqual(data, { file: { name: "a", extension: "txt" } });
  });
});

describe("results", () => {
  it("are plain JSON data", async () => {
    const data = await query(
      `{ site { siteMetadata { social { links { name } } } } allFile(limit: 1) { nodes { internal { type } } } }`,
    );
    assert.deepEqual(JSON.parse(JSON.stringify(data)), data);
    assert.equal(Object.getPrototypeOf(data.site.siteMetadata.social), Object.prototype);
  });

  it("has the site's pages as SitePage nodes", async () => {
    const data = await query(
      `{ allSitePage(sort: { path: ASC }) { nodes { id path matchPath componentChunkName internal { type } } } }`,
    );
    assert.deepEqual(data.allSitePage.nodes, [
      {
        id: "SitePage /",
        path: "/",
        matchPath: null,
        componentChunkName: "component---src-pages-index-tsx",
        internal: { type: "SitePage" },
      },
      {
        id: "SitePage /products/",
        path: "/products/",
        matchPath: "/products/*",
        componentChunkName: "component---src-pages-products-tsx",
        internal: { type: "SitePage" },
      },
    ]);
  });
});
