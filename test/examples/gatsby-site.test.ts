// The Gatsby site example (examples/gatsby-site, which docs/gatsby.md shows file by file): its
// config, static and page queries, images and manifest work as the guide says.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import express from "express";
import sharp from "sharp";
import request from "supertest";
import { ssrMiddleware } from "../../adapters/express.js";
import { createApp } from "../../examples/gatsby-site/server.js";

describe("the Gatsby site example", () => {
  const app = createApp({ dev: false });
  before(() => app.ready);
  after(() => app.close());

  it("answers the layout's static query and the config's lang on every page, and redirects to the trailing slash", async () => {
    const home = await request(app).get("/").expect(200);
    assert.match(home.text, /<html lang="en">/);
    assert.match(home.text, /<header><a aria-current="page" href="\/">Trail Notes<\/a>/);
    // Gatsby's Link writes its paths by the same rule: no link costs the redirect.
    assert.match(home.text, /<a href="\/weather\/">Weather<\/a>/);
    const redirect = await request(app).get("/photos?from=home").expect(301);
    assert.equal(redirect.headers.location, "/photos/?from=home");
  });

  it("renders the StaticImage with a blurred placeholder and serves its variants", async () => {
    const home = await request(app).get("/").expect(200);
    assert.match(
      home.text,
      /<div data-gatsby-image-wrapper="" class="gatsby-image-wrapper gatsby-image-wrapper-constrained">/,
    );
    assert.match(home.text, /<img[^>]*data-placeholder-image=""[^>]*src="data:image\//);
    assert.ok(
      !home.text.includes(".gatsby-image-wrapper [data-main-image]{opacity:1!important}"),
      "the client reveals the image once loaded",
    );
    const src = /<img data-main-image=""[^>]*src="([^"]+)"/.exec(home.text)?.[1];
    assert.ok(src !== undefined && src.startsWith("/_ssr-pages/img/"), home.text);
    const image = await request(app)
      .get(src)
      .expect(200)
      .expect("cache-control", /immutable/);
    const { width, format } = await sharp(image.body as Buffer).metadata();
    assert.equal(width, 640);
    assert.equal(format, "jpeg");
  });

  it("lists the photos from its page query, with their publicURL and a GatsbyImage each", async () => {
    const photos = await request(app).get("/photos/").expect(200);
    assert.match(photos.text, /<h1>2<!-- --> photos<\/h1>/);
    assert.match(photos.text, /<a href="\/_ssr-pages\/meadow-\w+\.jpg">meadow<\/a>/);
    // Two images, each in its <picture> and again in its <noscript>.
    assert.equal(photos.text.match(/<source type="image\/avif"/g)?.length, 4);
    const data = JSON.parse((await request(app).get("/page-data/photos/page-data.json").expect(200)).text) as {
      result: { data: { allFile: { nodes: Array<{ name: string }> } } };
    };
    assert.deepEqual(
      data.result.data.allFile.nodes.map((node) => node.name),
      ["meadow", "ridge"],
    );
  });

  it("serves the manifest with icons made from the configured one, and links it from every page", async () => {
    const manifest = await request(app)
      .get("/manifest.webmanifest")
      .expect(200)
      .expect("content-type", /application\/manifest\+json/);
    const body = JSON.parse(manifest.text) as { name: string; icons: Array<{ src: string; sizes: string }> };
    assert.equal(body.name, "Trail Notes");
    const icon = body.icons.find((one) => one.sizes === "192x192");
    assert.ok(icon);
    const png = await request(app).get(`/${icon.src}`).expect(200).expect("content-type", "image/png");
    assert.deepEqual(
      await sharp(png.body as Buffer)
        .metadata()
        .then(({ width, height }) => [width, height]),
      [192, 192],
    );
    assert.match(
      (await request(app).get("/").expect(200)).text,
      /<link rel="manifest" href="\/manifest.webmanifest" crossorigin="anonymous">/,
    );
  });

  it("keeps getServerData pages as they were", async () => {
    const weather = await request(app)
      .get("/weather/?place=Skye")
      .expect(200)
      .expect("cache-control", "public, max-age=60");
    assert.match(weather.text, /Clear skies over Skye\./);
  });
});

describe("the Gatsby site example without a client (client: false)", () => {
  const pages = ssrMiddleware(fileURLToPath(new URL("../../examples/gatsby-site/src/pages", import.meta.url)), {
    dev: false,
    client: false,
  });
  const app = express();
  app.use(pages);
  before(() => pages.ready);
  after(() => pages.close());

  it("shows the images at once: no script would reveal them on load, and the browser skips <noscript>", async () => {
    const home = await request(app).get("/").expect(200);
    assert.doesNotMatch(home.text, /<script type="module"/);
    assert.ok(
      home.text.includes(
        "<style>.gatsby-image-wrapper [data-main-image]{opacity:1!important}.gatsby-image-wrapper [data-placeholder-image]{opacity:0!important}</style>",
      ),
      home.text,
    );
  });
});
