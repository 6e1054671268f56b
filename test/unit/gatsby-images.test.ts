/**
 * Images at compile time (ImagePlanner: gatsby-plugin-image's data and the variants it names) and at
 * run time (ImageVariants: each variant made on first request, from the disk cache after). The
 * expected widths, sizes and dimensions are worked out by hand from gatsby-plugin-sharp's
 * `generateImageData` and gatsby-plugin-image's `responsiveImageSizes` / `fixedImageSizes`.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { unlink } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import sharp from "sharp";
import { ImagePlanner } from "../../src/gatsby-site/images/index.js";
import type { GatsbyImageData, ImageVariant } from "../../src/gatsby-site/contracts.js";
import { ImageVariants } from "../../src/images/index.js";
import { ConcurrencyLimit } from "../../src/images/concurrency-limit.js";
import { getImageData } from "../../src/gatsby-image/index.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
let dir: string;
/** A folder without sharp in reach: a planner or server loading from it fails if it needs sharp. */
let noSharp: string;
let jpg: string;
let png: string;
let webp: string;
let small: string;

before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "ssr-pages-images-"));
  noSharp = mkdtempSync(path.join(os.tmpdir(), "ssr-pages-no-sharp-"));
  jpg = path.join(dir, "photo.jpg");
  png = path.join(dir, "shot.png");
  webp = path.join(dir, "pic.webp");
  small = path.join(dir, "small.jpg");
  await sharp({ create: { width: 2000, height: 1300, channels: 3, background: "#336699" } })
    .jpeg()
    .toFile(jpg);
  await sharp({ create: { width: 2000, height: 1300, channels: 4, background: { r: 200, g: 40, b: 40, alpha: 1 } } })
    .png()
    .toFile(png);
  await sharp({ create: { width: 1200, height: 800, channels: 3, background: "#00aa00" } })
    .webp()
    .toFile(webp);
  await sharp({ create: { width: 1000, height: 650, channels: 3, background: "#777777" } })
    .jpeg()
    .toFile(small);
});

after(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(noSharp, { recursive: true, force: true });
});

function planner(cacheDir = path.join(dir, "cache"), fromDir = ROOT): ImagePlanner {
  return new ImagePlanner({ fromDir, cacheDir });
}

/** The `url width` pairs of a srcset, as `[width, "WxH.ext"]` (the name's size and format). */
function entries(srcSet: string | undefined): string[] {
  return (srcSet ?? "").split(",\n").map((entry) => {
    const [url, descriptor] = entry.split(" ");
    const match = /-(\d+x\d+\.\w+)$/.exec(url ?? "");
    return `${descriptor} ${match?.[1]}`;
  });
}

function fallbackOf(data: GatsbyImageData): { src: string; srcSet?: string; sizes?: string } {
  assert.ok(data.images.fallback, "a fallback image");
  return data.images.fallback;
}

describe("ImagePlanner.imageData, as gatsby-plugin-image", () => {
  it("constrained by default: the source's width at densities ¼, ½, 1 (2× would upscale), JPEG fallback and WebP", async () => {
    const data = await planner().imageData(jpg, {});
    assert.equal(data.layout, "constrained");
    assert.equal(data.width, 2000);
    assert.ok(Math.abs(data.height - 1300) < 1e-9);
    assert.match(data.backgroundColor ?? "", /^#[0-9a-f]{6}$/);
    const fallback = fallbackOf(data);
    assert.deepEqual(entries(fallback.srcSet), ["500w 500x325.jpg", "1000w 1000x650.jpg", "2000w 2000x1300.jpg"]);
    assert.match(fallback.src, /^\/_ssr-pages\/img\/[\w-]+-[\w-]+-2000x1300\.jpg$/);
    assert.equal(fallback.sizes, "(min-width: 2000px) 2000px, 100vw");
    assert.equal(data.images.sources?.length, 1);
    assert.equal(data.images.sources?.[0]?.type, "image/webp");
    assert.equal(data.images.sources?.[0]?.sizes, "(min-width: 2000px) 2000px, 100vw");
    assert.deepEqual(entries(data.images.sources?.[0]?.srcSet), [
      "500w 500x325.webp",
      "1000w 1000x650.webp",
      "2000w 2000x1300.webp",
    ]);
    assert.equal(data.placeholder, undefined);
  });

  it("fixed 400 wide: 1× and 2×, AVIF before WebP, sizes in pixels", async () => {
    const data = await planner().imageData(jpg, { layout: "fixed", width: 400, formats: ["auto", "webp", "avif"] });
    assert.equal(data.width, 400);
    assert.equal(data.height, 260);
    assert.deepEqual(entries(fallbackOf(data).srcSet), ["400w 400x260.jpg", "800w 800x520.jpg"]);
    assert.match(fallbackOf(data).src, /-400x260\.jpg$/);
    assert.equal(fallbackOf(data).sizes, "400px");
    assert.deepEqual(
      data.images.sources?.map((source) => source.type),
      ["image/avif", "image/webp"],
    );
    assert.deepEqual(entries(data.images.sources?.[0]?.srcSet), ["400w 400x260.avif", "800w 800x520.avif"]);
  });

  it("fixed by height: the width from the aspect ratio (round(200 × 2000/1300) = 308)", async () => {
    const data = await planner().imageData(jpg, { layout: "fixed", height: 200 });
    assert.equal(data.width, 308);
    assert.equal(data.height, 200);
    assert.deepEqual(entries(fallbackOf(data).srcSet), ["308w 308x200.jpg", "616w 616x400.jpg"]);
    assert.equal(fallbackOf(data).sizes, "308px");
  });

  it("fullWidth: the default breakpoints, the largest as the fallback, an aspect ratio as the size", async () => {
    const data = await planner().imageData(jpg, { layout: "fullWidth" });
    assert.equal(data.width, 1);
    assert.equal(data.height, 1 / (1920 / 1248));
    assert.deepEqual(entries(fallbackOf(data).srcSet), [
      "750w 750x488.jpg",
      "1080w 1080x702.jpg",
      "1366w 1366x888.jpg",
      "1920w 1920x1248.jpg",
    ]);
    assert.match(fallbackOf(data).src, /-1920x1248\.jpg$/);
    assert.equal(fallbackOf(data).sizes, "100vw");
  });

  it("fullWidth on a narrower source: breakpoints past it give way to its own width; given breakpoints are used", async () => {
    const narrow = await planner().imageData(small, { layout: "fullWidth" });
    assert.deepEqual(entries(fallbackOf(narrow).srcSet), ["750w 750x488.jpg", "1000w 1000x650.jpg"]);
    const custom = await planner().imageData(jpg, { layout: "fullWidth", breakpoints: [300, 600] });
    assert.deepEqual(entries(fallbackOf(custom).srcSet), ["300w 300x195.jpg", "600w 600x390.jpg"]);
    assert.match(fallbackOf(custom).src, /-600x390\.jpg$/);
  });

  it("an aspect ratio crops: constrained 800 wide at 1:1 is 200…1600 square", async () => {
    const data = await planner().imageData(jpg, { width: 800, aspectRatio: 1 });
    assert.equal(data.width, 800);
    assert.equal(data.height, 800);
    assert.deepEqual(entries(fallbackOf(data).srcSet), [
      "200w 200x200.jpg",
      "400w 400x400.jpg",
      "800w 800x800.jpg",
      "1600w 1600x1600.jpg",
    ]);
    assert.equal(fallbackOf(data).sizes, "(min-width: 800px) 800px, 100vw");
  });

  it("never makes a width past the source's: a wider constrained or fixed image is shown larger", async () => {
    const constrained = await planner().imageData(jpg, { width: 3000 });
    assert.deepEqual(entries(fallbackOf(constrained).srcSet), [
      "500w 500x325.jpg",
      "1000w 1000x650.jpg",
      "2000w 2000x1300.jpg",
    ]);
    assert.equal(constrained.width, 3000);
    assert.equal(fallbackOf(constrained).sizes, "(min-width: 2000px) 2000px, 100vw");
    const fixed = await planner().imageData(jpg, { layout: "fixed", width: 2500 });
    assert.deepEqual(entries(fallbackOf(fixed).srcSet), ["2000w 2000x1300.jpg"]);
    assert.equal(fixed.width, 2500);
    assert.equal(fixed.height, 1625);
    assert.equal(fallbackOf(fixed).sizes, "2000px");
    const widths = [...planner().variants().values()].map((variant) => variant.width);
    assert.ok(widths.every((width) => width <= 2000));
  });

  it("densities and sizes as given; GraphQL's enum spellings are understood", async () => {
    const data = await planner().imageData(jpg, {
      layout: "FIXED" as "fixed",
      width: 500,
      outputPixelDensities: [3, 1.5],
      sizes: "50vw",
      formats: ["JPG" as "jpg"],
    });
    assert.deepEqual(entries(fallbackOf(data).srcSet), ["500w 500x325.jpg", "750w 750x488.jpg", "1500w 1500x975.jpg"]);
    assert.equal(fallbackOf(data).sizes, "50vw");
    assert.deepEqual(data.images.sources, []);
  });

  it("the fallback's format: the source's for auto (PNG, WebP: then no WebP source), else the one asked for", async () => {
    const fromPng = await planner().imageData(png, {});
    assert.match(fallbackOf(fromPng).src, /\.png$/);
    assert.deepEqual(data(fromPng), ["image/webp"]);
    const fromWebp = await planner().imageData(webp, {});
    assert.match(fallbackOf(fromWebp).src, /\.webp$/);
    assert.deepEqual(data(fromWebp), []);
    const avifOnly = await planner().imageData(jpg, { formats: ["avif"] });
    assert.match(fallbackOf(avifOnly).src, /\.avif$/);
    function data(image: GatsbyImageData): string[] {
      return (image.images.sources ?? []).map((source) => source.type);
    }
  });

  it("placeholders: blurred is a tiny data URI of the same crop; none gives neither colour nor image", async () => {
    const blurred = await planner().imageData(jpg, { placeholder: "blurred" });
    assert.equal(blurred.backgroundColor, undefined);
    const uri = blurred.placeholder?.fallback ?? "";
    assert.match(uri, /^data:image\/jpeg;base64,/);
    const tiny = await sharp(Buffer.from(uri.slice(uri.indexOf(",") + 1), "base64")).metadata();
    assert.deepEqual([tiny.width, tiny.height], [20, 13]);
    const square = await planner().imageData(jpg, {
      placeholder: "blurred",
      aspectRatio: 1,
      blurredOptions: { width: 10, toFormat: "png" },
    });
    const squareUri = square.placeholder?.fallback ?? "";
    assert.match(squareUri, /^data:image\/png;base64,/);
    const squareTiny = await sharp(Buffer.from(squareUri.slice(squareUri.indexOf(",") + 1), "base64")).metadata();
    assert.deepEqual([squareTiny.width, squareTiny.height], [10, 10]);
    const none = await planner().imageData(jpg, { placeholder: "none", backgroundColor: "#ff0000" });
    assert.equal(none.placeholder, undefined);
    assert.equal(none.backgroundColor, "#ff0000");
    const traced = await planner().imageData(jpg, { placeholder: "tracedSVG" });
    assert.match(traced.backgroundColor ?? "", /^#[0-9a-f]{6}$/);
  });

  it("names variants the same in two planners (content-addressed), and records each one", async () => {
    const first = planner(path.join(dir, "cache-a"));
    const second = planner(path.join(dir, "cache-b"));
    const a = await first.imageData(jpg, { layout: "fixed", width: 300 });
    const b = await second.imageData(jpg, { layout: "fixed", width: 300 });
    assert.deepEqual(a, b);
    assert.deepEqual([...first.variants().keys()], [...second.variants().keys()]);
    assert.equal(first.variants().size, 4); // 300 and 600, JPEG and WebP
    const variant = first.variants().get(fallbackOf(a).src.replace("/_ssr-pages/", "")) as ImageVariant;
    assert.deepEqual(
      {
        width: variant.width,
        height: variant.height,
        format: variant.format,
        source: variant.source,
        quality: variant.quality,
        fit: variant.fit,
      },
      { width: 300, height: 195, format: "jpg", source: jpg, quality: 50, fit: "cover" },
    );
    assert.deepEqual([...first.sources], [jpg]);
    const other = await first.imageData(jpg, { layout: "fixed", width: 300, quality: 80 });
    assert.notEqual(fallbackOf(other).src, fallbackOf(a).src, "a quality of its own is another name");
  });

  it("keeps what decoding told on disk: a second planner needs no sharp (so decodes nothing)", async () => {
    const cacheDir = path.join(dir, "cache-warm");
    const options = [{}, { placeholder: "blurred" as const }, { layout: "fixed" as const, width: 120 }];
    const cold = await Promise.all(options.map((one) => planner(cacheDir).imageData(png, one)));
    const warmPlanner = planner(cacheDir, noSharp);
    const warm = await Promise.all(options.map((one) => warmPlanner.imageData(png, one)));
    assert.deepEqual(warm, cold);
    assert.deepEqual(await warmPlanner.imageInfo(png), { width: 2000, height: 1300, format: "png" });
    // The same planner without the disk cache does need sharp, and says how to install it.
    await assert.rejects(
      planner(path.join(dir, "cache-empty"), noSharp).imageData(png, {}),
      /Images \(StaticImage, gatsbyImageData\) needs the package "sharp".*npm install sharp/,
    );
  });

  it("rejects a missing image, a file that is not one, and options Gatsby does not know, naming the file", async () => {
    const missing = path.join(dir, "nope.jpg");
    await assert.rejects(planner().imageData(missing, {}), (error: Error) => error.message.includes(missing));
    const text = path.join(dir, "notes.jpg");
    await import("node:fs/promises").then((fs) => fs.writeFile(text, "not an image"));
    await assert.rejects(planner(path.join(dir, "cache-text")).imageData(text, {}), (error: Error) =>
      error.message.includes(text),
    );
    await assert.rejects(
      planner().imageData(jpg, { layout: "wide" as "fixed" }),
      (error: Error) => error.message.includes(jpg) && error.message.includes("layout"),
    );
    await assert.rejects(planner().imageData(jpg, { width: -5 }), /positive numbers/);
  });
});

describe("getImageData (image CDN URLs)", () => {
  it("builds the widths of the layout with the site's urlBuilder", () => {
    const data = getImageData({
      baseUrl: "https://cdn.test/a.jpg",
      sourceWidth: 4000,
      sourceHeight: 3000,
      width: 800,
      layout: "constrained",
      formats: ["auto", "webp"],
      urlBuilder: ({ baseUrl, width, height, format }) => `${baseUrl}?w=${width}&h=${height}&fm=${format}`,
    });
    assert.equal(data.width, 800);
    assert.equal(data.height, 600);
    assert.equal(data.images.fallback?.src, "https://cdn.test/a.jpg?w=800&h=600&fm=auto");
    assert.equal(
      data.images.fallback?.srcSet,
      "https://cdn.test/a.jpg?w=200&h=150&fm=auto 200w,\nhttps://cdn.test/a.jpg?w=400&h=300&fm=auto 400w,\nhttps://cdn.test/a.jpg?w=800&h=600&fm=auto 800w,\nhttps://cdn.test/a.jpg?w=1600&h=1200&fm=auto 1600w",
    );
    assert.equal(data.images.sources?.[0]?.type, "image/webp");
  });
});

describe("ImageVariants", () => {
  let variants: ReadonlyMap<string, ImageVariant>;
  let names: { jpg: string; webp: string; avif: string; png: string; wide: string };
  const cacheDir = (): string => path.join(dir, "served");

  before(async () => {
    const plan = planner(path.join(dir, "cache-served"));
    const photo = await plan.imageData(jpg, { layout: "fixed", width: 300, formats: ["auto", "webp", "avif"] });
    const shot = await plan.imageData(png, { layout: "fixed", width: 250 });
    const wide = await plan.imageData(jpg, { layout: "fullWidth" });
    const name = (url: string | undefined): string => (url ?? "").split(" ")[0]!.replace("/_ssr-pages/", "");
    names = {
      jpg: name(fallbackOf(photo).src),
      avif: name(photo.images.sources?.[0]?.srcSet),
      webp: name(photo.images.sources?.[1]?.srcSet),
      png: name(fallbackOf(shot).src),
      wide: name(fallbackOf(wide).src),
    };
    variants = plan.variants();
  });

  it("makes each format at the width asked for, with its type", async () => {
    const server = new ImageVariants({ variants, fromDir: ROOT, cacheDir: cacheDir() });
    for (const [name, format, type, width] of [
      [names.jpg, "jpeg", "image/jpeg", 300],
      [names.webp, "webp", "image/webp", 300],
      [names.avif, "heif", "image/avif", 300],
      [names.png, "png", "image/png", 250],
      [names.wide, "jpeg", "image/jpeg", 1920],
    ] as const) {
      assert.ok(server.has(name), name);
      const served = await server.get(name);
      assert.equal(served.type, type);
      const metadata = await sharp(served.body).metadata();
      assert.equal(metadata.format, format, name);
      assert.equal(metadata.width, width, name);
      assert.equal(metadata.height, variants.get(name)?.height, name);
    }
    assert.equal(server.has("img/unknown.jpg"), false);
    await assert.rejects(server.get("img/unknown.jpg"), /not planned/);
  });

  it("writes the disk cache once: a second server reads it without sharp, and a second get comes from memory", async () => {
    const first = new ImageVariants({ variants, fromDir: ROOT, cacheDir: cacheDir() });
    const made = await first.get(names.webp);
    const file = path.join(cacheDir(), ...names.webp.split("/"));
    assert.ok(existsSync(file));
    const written = statSync(file).mtimeMs;
    const second = new ImageVariants({ variants, fromDir: noSharp, cacheDir: cacheDir() });
    const read = await second.get(names.webp);
    assert.deepEqual(Buffer.from(read.body), Buffer.from(made.body));
    await second.get(names.webp);
    assert.deepEqual(second.counts(), { made: 0, fromDisk: 1, fromMemory: 1 });
    assert.equal(statSync(file).mtimeMs, written, "not written again");
  });

  it("shares one encode between requests that come together", async () => {
    const server = new ImageVariants({ variants, fromDir: ROOT, cacheDir: path.join(dir, "served-together") });
    const answers = await Promise.all(Array.from({ length: 6 }, () => server.get(names.avif)));
    assert.equal(server.counts().made, 1);
    assert.ok(answers.every((answer) => answer.body === answers[0]!.body));
  });

  it("says so when the source has changed or is gone since the build", async () => {
    const moved = path.join(dir, "moving.jpg");
    await sharp({ create: { width: 400, height: 300, channels: 3, background: "#102030" } })
      .jpeg()
      .toFile(moved);
    const plan = planner(path.join(dir, "cache-moving"));
    const data = await plan.imageData(moved, { layout: "fixed", width: 100, formats: ["auto"] });
    const name = fallbackOf(data).src.replace("/_ssr-pages/", "");
    await sharp({ create: { width: 400, height: 300, channels: 3, background: "#ffffff" } })
      .jpeg()
      .toFile(moved);
    const server = new ImageVariants({
      variants: plan.variants(),
      fromDir: ROOT,
      cacheDir: path.join(dir, "served-moving"),
    });
    await assert.rejects(
      server.get(name),
      (error: Error) => error.message.includes(moved) && /has changed since the build/.test(error.message),
    );
    await unlink(moved);
    await assert.rejects(
      server.get(name),
      (error: Error) => error.message.includes(moved) && /cannot be read/.test(error.message),
    );
  });
});

describe("ConcurrencyLimit", () => {
  it("runs at most N tasks at once, the others in order", async () => {
    const limit = new ConcurrencyLimit(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 7 }, (_, index) =>
        limit.run(async () => {
          running += 1;
          most = Math.max(most, running);
          await new Promise((resolve) => setTimeout(resolve, 5));
          order.push(index);
          running -= 1;
        }),
      ),
    );
    assert.equal(most, 2);
    assert.deepEqual(order, [0, 1, 2, 3, 4, 5, 6]);
  });
});
