/**
 * The Gatsby-style fixture site of test/gatsby: its files are in ./site, written here as a Gatsby
 * site's would be (JSX in .js, `from "gatsby"`, gatsby-ssr.js and gatsby-browser.js); the packages it
 * imports are made here, into its node_modules (which git ignores), before the pages compile.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const SITE = fileURLToPath(new URL("./site", import.meta.url));
export const PAGES = path.join(SITE, "src", "pages");

/** A secret only getServerData may see (Gatsby's own test uses this name). */
export const SECRET = "very-secret-value-4f1c9e";

const PACKAGES: Record<string, string | Buffer> = {
  // A carousel library with a stylesheet reached through its exports (`import "fake-carousel/css"`).
  "fake-carousel/package.json": JSON.stringify({
    name: "fake-carousel",
    main: "index.js",
    exports: { ".": "./index.js", "./css": "./dist/carousel.css" },
  }),
  "fake-carousel/index.js": `const React = require("react");\nexports.Carousel = () => React.createElement("div", { className: "fake-carousel", id: "carousel" }, "carousel");\n`,
  "fake-carousel/dist/carousel.css": `@font-face { font-family: "FakeCarousel"; src: url(./carousel.woff2) format("woff2"); }\n.fake-carousel { color: rgb(1, 122, 1); font-family: "FakeCarousel", sans-serif; }\n`,
  "fake-carousel/dist/carousel.woff2": Buffer.from("wOF2 fake carousel font"),
  // A package that throws when it loads (on the server, and in the browser).
  "fake-throws-at-load/package.json": JSON.stringify({ name: "fake-throws-at-load", main: "index.js" }),
  "fake-throws-at-load/index.js": `throw new Error("fake-throws-at-load refuses to load");\n`,
  // A Gatsby plugin that requires Gatsby itself, as i18n plugins do.
  "gatsby-plugin-fake-i18n/package.json": JSON.stringify({ name: "gatsby-plugin-fake-i18n", main: "index.js" }),
  "gatsby-plugin-fake-i18n/index.js":
    `const React = require("react");\nconst { Link } = require("gatsby");\n` +
    `exports.I18nLink = ({ language, to, ...rest }) => React.createElement(Link, { ...rest, to: to + "?lang=" + language });\n`,
};

/** Writes the site's packages into its node_modules. */
export function installPackages(): void {
  for (const [file, contents] of Object.entries(PACKAGES)) {
    const target = path.join(SITE, "node_modules", file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, contents);
  }
}
