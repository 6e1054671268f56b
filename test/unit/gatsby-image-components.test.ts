/**
 * gatsby-plugin-image's components as ssr-pages renders them, compared with the HTML of Gatsby's own
 * server render (gatsby-image.server.tsx, written out here by hand from its source). Three
 * differences are on purpose, and `asRenderedHere` applies them to Gatsby's HTML: no inline
 * `<script type="module">` (pages run under `script-src 'self'`), so `src`/`srcset` are set directly
 * instead of `data-src`/`data-srcset` (the script would move them; `loading="lazy"` defers them
 * anyway), and no `data-gatsby-image-ssr` marker (only that script reads it).
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { createElement as h } from "react";
import { renderToString } from "react-dom/server";
import { setRenderBase } from "../../src/common/render-base.js";
import type { GatsbyImageData } from "../../src/gatsby-site/contracts.js";
import {
  GATSBY_IMAGE_HEAD_STYLES,
  GatsbyImage,
  StaticImage,
  getImage,
  getSrc,
  getSrcSet,
  withArtDirection,
  type IGatsbyImageData,
} from "../../src/gatsby-image/index.js";

const SIZES = "(min-width: 600px) 600px, 100vw";
const JPG_SET = "/_ssr-pages/img/h-o-300x200.jpg 300w,\n/_ssr-pages/img/h-o-600x400.jpg 600w";
const WEBP_SET = "/_ssr-pages/img/h-w-300x200.webp 300w,\n/_ssr-pages/img/h-w-600x400.webp 600w";
const BLUR = "data:image/jpeg;base64,/9j/AAAA";

function image(overrides: Partial<IGatsbyImageData> = {}): IGatsbyImageData {
  return {
    layout: "constrained",
    width: 600,
    height: 400,
    backgroundColor: "#123456",
    images: {
      fallback: { src: "/_ssr-pages/img/h-o-600x400.jpg", srcSet: JPG_SET, sizes: SIZES },
      sources: [{ srcSet: WEBP_SET, type: "image/webp", sizes: SIZES }],
    },
    ...overrides,
  };
}

/** Gatsby's server HTML with this implementation's three deliberate differences applied. */
function asRenderedHere(gatsbyHtml: string): string {
  return gatsbyHtml
    .replace(/<script type="module">.*?<\/script>/g, "")
    .replaceAll(' data-gatsby-image-ssr=""', "")
    .replaceAll(" data-src=", " src=")
    .replaceAll(" data-srcset=", " srcSet=");
}

const oneLine = (srcSet: string): string => srcSet.replace(/\n/g, "");
const SVG_SIZER =
  "data:image/svg+xml;charset=utf-8,%3Csvg%20height=&#x27;400&#x27;%20width=&#x27;600&#x27;%20xmlns=&#x27;http://www.w3.org/2000/svg&#x27;%20version=&#x27;1.1&#x27;%3E%3C/svg%3E";
/** Gatsby's inline loader, as it appears in its server HTML (its text does not matter here). */
const GATSBY_SCRIPT =
  '<script type="module">const t="undefined"!=typeof HTMLImageElement&&"loading"in HTMLImageElement.prototype;</script>';

describe("GatsbyImage's HTML, as gatsby-plugin-image's server render", () => {
  it("constrained with a dominant colour: sizer SVG, colour placeholder, picture with WebP, lazy image, noscript copy", () => {
    const gatsby =
      `<div data-gatsby-image-wrapper="" class="gatsby-image-wrapper gatsby-image-wrapper-constrained">` +
      `<div style="max-width:600px;display:block"><img alt="" role="presentation" aria-hidden="true" src="${SVG_SIZER}" style="max-width:100%;display:block;position:static"/></div>` +
      `<div aria-hidden="true" data-placeholder-image="" style="opacity:1;transition:opacity 500ms linear;background-color:#123456;position:absolute;top:0;left:0;bottom:0;right:0"></div>` +
      `<picture><source type="image/webp" data-srcset="${oneLine(WEBP_SET)}" sizes="${SIZES}"/>` +
      `<img data-gatsby-image-ssr="" data-main-image="" style="opacity:0" sizes="${SIZES}" decoding="async" loading="lazy" data-src="/_ssr-pages/img/h-o-600x400.jpg" data-srcset="${oneLine(JPG_SET)}" alt="A shop"/></picture>` +
      `<noscript><picture><source type="image/webp" srcSet="${oneLine(WEBP_SET)}" sizes="${SIZES}"/>` +
      `<img data-gatsby-image-ssr="" data-main-image="" style="opacity:0" sizes="${SIZES}" decoding="async" loading="lazy" src="/_ssr-pages/img/h-o-600x400.jpg" srcSet="${oneLine(JPG_SET)}" alt="A shop"/></picture></noscript>` +
      GATSBY_SCRIPT +
      `</div>`;
    assert.equal(renderToString(h(GatsbyImage, { image: image(), alt: "A shop" })), asRenderedHere(gatsby));
  });

  it("fixed with a blurred placeholder, eager, with the wrapper's and the img's class, style and object-fit", () => {
    const data = image({
      layout: "fixed",
      width: 300,
      height: 200,
      backgroundColor: undefined,
      placeholder: { fallback: BLUR },
    });
    const html = renderToString(
      h(GatsbyImage, {
        image: data,
        alt: "",
        loading: "eager",
        className: "card",
        style: { margin: 4 },
        backgroundColor: "#eee",
        imgClassName: "photo",
        imgStyle: { borderRadius: 2 },
        objectFit: "contain",
        objectPosition: "top",
        title: "Hello",
      }),
    );
    const gatsby =
      `<div data-gatsby-image-wrapper="" style="width:300px;height:200px;margin:4px;background-color:#eee" class="gatsby-image-wrapper card">` +
      `<img aria-hidden="true" data-placeholder-image="" style="opacity:1;transition:opacity 500ms linear;object-fit:contain;object-position:top" decoding="async" src="${BLUR}" alt=""/>` +
      `<picture><source type="image/webp" srcSet="${oneLine(WEBP_SET)}" sizes="${SIZES}"/>` +
      `<img data-gatsby-image-ssr="" class="photo" title="Hello" data-main-image="" style="object-fit:contain;object-position:top;background-color:#eee;border-radius:2px;opacity:0" sizes="${SIZES}" decoding="async" loading="eager" src="/_ssr-pages/img/h-o-600x400.jpg" srcSet="${oneLine(JPG_SET)}" alt=""/></picture>` +
      `<noscript><picture><source type="image/webp" srcSet="${oneLine(WEBP_SET)}" sizes="${SIZES}"/>` +
      `<img data-gatsby-image-ssr="" class="photo" title="Hello" data-main-image="" style="object-fit:contain;object-position:top;background-color:#eee;border-radius:2px;opacity:0" sizes="${SIZES}" decoding="async" loading="eager" src="/_ssr-pages/img/h-o-600x400.jpg" srcSet="${oneLine(JPG_SET)}" alt=""/></picture></noscript>` +
      GATSBY_SCRIPT +
      `</div>`;
    assert.equal(html, asRenderedHere(gatsby));
  });

  it("fixed with a dominant colour: the placeholder has the image's size, relative", () => {
    const html = renderToString(
      h(GatsbyImage, { image: image({ layout: "fixed", width: 300, height: 200 }), alt: "" }),
    );
    assert.ok(
      html.includes(
        `<div aria-hidden="true" data-placeholder-image="" style="opacity:1;transition:opacity 500ms linear;background-color:#123456;width:300px;height:200px;position:relative"></div>`,
      ),
      html,
    );
  });

  it("fullWidth without placeholder or other formats, as a section: padding sizer and a bare img", () => {
    const data = image({
      layout: "fullWidth",
      width: 1,
      height: 0.5,
      backgroundColor: undefined,
      images: {
        fallback: {
          src: "/_ssr-pages/img/f-1920x960.jpg",
          srcSet: "/_ssr-pages/img/f-750x375.jpg 750w,\n/_ssr-pages/img/f-1920x960.jpg 1920w",
          sizes: "100vw",
        },
        sources: [],
      },
    });
    const gatsby =
      `<section data-gatsby-image-wrapper="" class="gatsby-image-wrapper">` +
      `<div aria-hidden="true" style="padding-top:50%"></div>` +
      `<div aria-hidden="true" data-placeholder-image="" style="opacity:1;transition:opacity 500ms linear"></div>` +
      `<img data-gatsby-image-ssr="" data-main-image="" style="opacity:0" sizes="100vw" decoding="async" loading="lazy" data-src="/_ssr-pages/img/f-1920x960.jpg" data-srcset="/_ssr-pages/img/f-750x375.jpg 750w,/_ssr-pages/img/f-1920x960.jpg 1920w" alt="Banner"/>` +
      `<noscript><img data-gatsby-image-ssr="" data-main-image="" style="opacity:0" sizes="100vw" decoding="async" loading="lazy" src="/_ssr-pages/img/f-1920x960.jpg" srcSet="/_ssr-pages/img/f-750x375.jpg 750w,/_ssr-pages/img/f-1920x960.jpg 1920w" alt="Banner"/></noscript>` +
      GATSBY_SCRIPT +
      `</section>`;
    assert.equal(renderToString(h(GatsbyImage, { image: data, alt: "Banner", as: "section" })), asRenderedHere(gatsby));
  });

  it("renders nothing without an image", () => {
    assert.equal(renderToString(h(GatsbyImage, { image: undefined as unknown as IGatsbyImageData, alt: "" })), "");
  });

  it("art direction: each media query's sources and fallback before the default's", () => {
    const small = image({
      images: {
        fallback: { src: "/s.jpg", srcSet: "/s.jpg 300w" },
        sources: [{ srcSet: "/s.webp 300w", type: "image/webp" }],
      },
      placeholder: { fallback: "data:image/png;base64,S" },
    });
    const directed = withArtDirection(image({ placeholder: { fallback: BLUR } }), [
      { media: "(max-width: 500px)", image: small },
    ]);
    assert.deepEqual(directed.images.sources, [
      { srcSet: "/s.webp 300w", type: "image/webp", media: "(max-width: 500px)" },
      { media: "(max-width: 500px)", srcSet: "/s.jpg 300w" },
      { srcSet: WEBP_SET, type: "image/webp", sizes: SIZES },
    ]);
    assert.deepEqual(directed.placeholder, {
      fallback: BLUR,
      sources: [{ media: "(max-width: 500px)", srcSet: "data:image/png;base64,S" }],
    });
    const html = renderToString(h(GatsbyImage, { image: directed, alt: "" }));
    assert.ok(
      html.includes(
        `<picture><source media="(max-width: 500px)" srcSet="data:image/png;base64,S"/><img aria-hidden="true" data-placeholder-image=""`,
      ),
      html,
    );
    assert.ok(
      html.includes(
        `<source type="image/webp" media="(max-width: 500px)" srcSet="/s.webp 300w" sizes="${SIZES}"/><source media="(max-width: 500px)" srcSet="/s.jpg 300w" sizes="${SIZES}"/>`,
      ),
      html,
    );
  });
});

describe("StaticImage", () => {
  after(() => setRenderBase(undefined));

  it("adds the mount path to every URL of the compiled data (not to data URIs) and keeps its options off the img", () => {
    const previous = setRenderBase("/shop");
    try {
      const props = {
        src: "../images/a.jpg",
        alt: "Logo",
        width: 600,
        placeholder: "blurred",
        formats: ["auto", "webp"],
        quality: 80,
        transformOptions: { fit: "cover" },
        layout: "constrained",
        __imageData: image({ placeholder: { fallback: BLUR } }),
      };
      const html = renderToString(h(StaticImage, props as never));
      const direct = renderToString(h(GatsbyImage, { image: image({ placeholder: { fallback: BLUR } }), alt: "Logo" }));
      assert.equal(html, direct.replaceAll("/_ssr-pages/", "/shop/_ssr-pages/"));
      assert.ok(
        html.includes(`srcSet="/shop/_ssr-pages/img/h-w-300x200.webp 300w,/shop/_ssr-pages/img/h-w-600x400.webp 600w"`),
      );
      assert.ok(html.includes(`src="${BLUR}"`));
      assert.doesNotMatch(html, /quality|placeholder="|formats|layout=|width="600"/);
    } finally {
      setRenderBase(previous);
    }
  });

  it("at the root, the URLs are as compiled", () => {
    const html = renderToString(h(StaticImage, { src: "a.jpg", alt: "", __imageData: image() } as never));
    assert.ok(html.includes(`src="/_ssr-pages/img/h-o-600x400.jpg"`));
  });

  it("with the compile's error: nothing, and the error in the console", (t) => {
    const warn = t.mock.method(console, "warn", () => undefined);
    assert.equal(
      renderToString(h(StaticImage, { src: "missing.jpg", alt: "", __error: "Could not find missing.jpg" } as never)),
      "",
    );
    assert.deepEqual(warn.mock.calls[0]?.arguments, ["Could not find missing.jpg"]);
  });
});

describe("getImage, getSrc, getSrcSet", () => {
  const data = image();
  it("read image data, a node holding it, or a File with childImageSharp", () => {
    for (const node of [
      data,
      { gatsbyImageData: data },
      { childImageSharp: { gatsbyImageData: data } },
      { gatsbyImage: data },
    ]) {
      assert.equal(getImage(node), data);
      assert.equal(getSrc(node), "/_ssr-pages/img/h-o-600x400.jpg");
      assert.equal(getSrcSet(node), JPG_SET);
    }
    assert.equal(getImage(null), undefined);
    assert.equal(getImage({ childImageSharp: null }), undefined);
    assert.equal(getSrc({ publicURL: "/x" }), undefined);
  });
});

describe("the compile's image data", () => {
  it("is image data GatsbyImage takes (the contract's type is assignable to IGatsbyImageData)", () => {
    const compiled: GatsbyImageData = {
      layout: "fixed",
      width: 1,
      height: 1,
      images: { fallback: { src: "/a.jpg" } },
      placeholder: { fallback: BLUR },
    };
    const taken: IGatsbyImageData = compiled;
    assert.equal(getSrc(taken), "/a.jpg");
  });
});

describe("GATSBY_IMAGE_HEAD_STYLES", () => {
  it("is gatsby-plugin-image's onRenderBody styles, without its scripts", () => {
    assert.equal(
      GATSBY_IMAGE_HEAD_STYLES,
      "<style>.gatsby-image-wrapper{position:relative;overflow:hidden}.gatsby-image-wrapper picture.object-fit-polyfill{position:static!important}.gatsby-image-wrapper img{bottom:0;height:100%;left:0;margin:0;max-width:none;padding:0;position:absolute;right:0;top:0;width:100%;object-fit:cover}.gatsby-image-wrapper [data-main-image]{opacity:0;transform:translateZ(0);transition:opacity .25s linear;will-change:opacity}.gatsby-image-wrapper-constrained{display:inline-block;vertical-align:top}</style>" +
        "<noscript><style>.gatsby-image-wrapper noscript [data-main-image]{opacity:1!important}.gatsby-image-wrapper [data-placeholder-image]{opacity:0!important}</style></noscript>",
    );
    assert.doesNotMatch(GATSBY_IMAGE_HEAD_STYLES, /<script/);
  });
});
