/**
 * What a started site must answer (checked untimed after each start): a fast start that rendered no
 * image, or whose static query came back empty, would be no figure.
 */
import type { StartupPair } from "./startup.js";

async function get(url: string): Promise<string> {
  const response = await fetch(url);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${text.slice(0, 300)}`);
  return text;
}

const count = (text: string, needle: string | RegExp) =>
  typeof needle === "string" ? text.split(needle).length - 1 : (text.match(needle) ?? []).length;

function expect(condition: boolean, what: string): void {
  if (!condition) throw new Error(`check failed: ${what}`);
}

/** The starter: the title from the static query, the two images, the manifest (full only). */
export const checkStarter: StartupPair["check"] = async (origin, variant) => {
  const home = await get(`${origin}/`);
  expect(home.includes("<title>Home | Starter Bench</title>"), "/ has the SEO title from siteMetadata");
  expect(home.includes(">Starter Bench</a>"), "/ has the layout's title");
  const second = await get(`${origin}/page-2/`);
  if (variant === "full") {
    expect(count(home, "data-gatsby-image-wrapper") === 1, "/ has one gatsby-plugin-image wrapper");
    expect(home.includes('rel="manifest"'), "/ links the web manifest");
    expect(
      /data-placeholder-image[^>]*src="data:image\/jpeg;base64,/.test(second),
      "/page-2/ has a blurred placeholder",
    );
    expect(JSON.parse(await get(`${origin}/manifest.webmanifest`)).icons.length === 8, "the manifest lists 8 icons");
  } else {
    expect(
      count(home, "data-gatsby-image-wrapper") === 0 && !home.includes('rel="manifest"'),
      "stripped / has no image wrapper and no manifest",
    );
    expect(second.includes("<img"), "stripped /page-2/ has its plain <img>");
  }
};

/** The gallery: `count` images with blurred placeholders (full), the same names without images (stripped). */
export function checkGallery(images: number): StartupPair["check"] {
  return async (origin, variant) => {
    const home = await get(`${origin}/`);
    expect(home.includes(">Starter Bench</a>"), "/ has the layout's title");
    const gallery = await get(`${origin}/gallery/`);
    expect(
      gallery.includes(`<h1>${images}<!-- --> photographs</h1>`) || gallery.includes(`<h1>${images} photographs</h1>`),
      `/gallery/ says ${images} photographs`,
    );
    if (variant === "full") {
      expect(
        count(gallery, /<div[^>]*data-gatsby-image-wrapper/g) === images,
        `/gallery/ has ${images} image wrappers`,
      );
      expect(
        count(gallery, /data-placeholder-image[^>]*src="data:image\/jpeg;base64,/g) === images,
        `/gallery/ has ${images} blurred placeholders`,
      );
      expect(count(gallery, 'type="image/avif"') >= images, `/gallery/ offers AVIF for each image`);
    } else {
      expect(
        count(gallery, "data-gatsby-image-wrapper") === 0 && count(gallery, "<figcaption>") === images,
        "stripped /gallery/ lists the names, no images",
      );
    }
  };
}
