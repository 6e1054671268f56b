// Types for what pages import besides code, as ssr-pages compiles it. Add to your tsconfig
// `"types": ["ssr-pages/assets"]` (beside your others, such as "node"), or put
// `/// <reference types="ssr-pages/assets" />` in a .d.ts file of your pages.

/** A CSS module: its local class names, each the scoped name to put in `className`. */
declare module "*.module.css" {
  const classes: { readonly [name: string]: string };
  export default classes;
}

/** A CSS module in Sass (SCSS syntax), compiled with the app's `sass` or `sass-embedded`: like a `.module.css`. */
declare module "*.module.scss" {
  const classes: { readonly [name: string]: string };
  export default classes;
}

/** A CSS module in Sass's indented syntax: like a `.module.css`. */
declare module "*.module.sass" {
  const classes: { readonly [name: string]: string };
  export default classes;
}

/** A plain stylesheet: imported for its effect, linked in the page's <head>. */
declare module "*.css" {}

/** A Sass stylesheet (SCSS syntax): imported for its effect, compiled to CSS and linked like a `.css` file. */
declare module "*.scss" {}

/** A Sass stylesheet in the indented syntax: imported for its effect, like a `.scss` file. */
declare module "*.sass" {}

/** The mount-relative URL of the file (`/_ssr-pages/name-hash.png`): pass it through `withPrefix` from `ssr-pages/client`. */
declare module "*.png" {
  const url: string;
  export default url;
}

/** The mount-relative URL of the file (`/_ssr-pages/name-hash.jpg`): pass it through `withPrefix` from `ssr-pages/client`. */
declare module "*.jpg" {
  const url: string;
  export default url;
}

/** The mount-relative URL of the file (`/_ssr-pages/name-hash.jpeg`): pass it through `withPrefix` from `ssr-pages/client`. */
declare module "*.jpeg" {
  const url: string;
  export default url;
}

/** The mount-relative URL of the file (`/_ssr-pages/name-hash.gif`): pass it through `withPrefix` from `ssr-pages/client`. */
declare module "*.gif" {
  const url: string;
  export default url;
}

/** The mount-relative URL of the file (`/_ssr-pages/name-hash.webp`): pass it through `withPrefix` from `ssr-pages/client`. */
declare module "*.webp" {
  const url: string;
  export default url;
}

/** The mount-relative URL of the file (`/_ssr-pages/name-hash.avif`): pass it through `withPrefix` from `ssr-pages/client`. */
declare module "*.avif" {
  const url: string;
  export default url;
}

/** The mount-relative URL of the file (`/_ssr-pages/name-hash.svg`): pass it through `withPrefix` from `ssr-pages/client`. */
declare module "*.svg" {
  const url: string;
  export default url;
}

/** The mount-relative URL of the file (`/_ssr-pages/name-hash.ico`): pass it through `withPrefix` from `ssr-pages/client`. */
declare module "*.ico" {
  const url: string;
  export default url;
}

/** The mount-relative URL of the file (`/_ssr-pages/name-hash.bmp`): pass it through `withPrefix` from `ssr-pages/client`. */
declare module "*.bmp" {
  const url: string;
  export default url;
}

/** The mount-relative URL of the file (`/_ssr-pages/name-hash.woff`): pass it through `withPrefix` from `ssr-pages/client`. */
declare module "*.woff" {
  const url: string;
  export default url;
}

/** The mount-relative URL of the file (`/_ssr-pages/name-hash.woff2`): pass it through `withPrefix` from `ssr-pages/client`. */
declare module "*.woff2" {
  const url: string;
  export default url;
}

/** The mount-relative URL of the file (`/_ssr-pages/name-hash.ttf`): pass it through `withPrefix` from `ssr-pages/client`. */
declare module "*.ttf" {
  const url: string;
  export default url;
}

/** The mount-relative URL of the file (`/_ssr-pages/name-hash.otf`): pass it through `withPrefix` from `ssr-pages/client`. */
declare module "*.otf" {
  const url: string;
  export default url;
}

/** The mount-relative URL of the file (`/_ssr-pages/name-hash.eot`): pass it through `withPrefix` from `ssr-pages/client`. */
declare module "*.eot" {
  const url: string;
  export default url;
}

/** The mount-relative URL of the file (`/_ssr-pages/name-hash.mp4`): pass it through `withPrefix` from `ssr-pages/client`. */
declare module "*.mp4" {
  const url: string;
  export default url;
}

/** The mount-relative URL of the file (`/_ssr-pages/name-hash.webm`): pass it through `withPrefix` from `ssr-pages/client`. */
declare module "*.webm" {
  const url: string;
  export default url;
}

/** The mount-relative URL of the file (`/_ssr-pages/name-hash.ogg`): pass it through `withPrefix` from `ssr-pages/client`. */
declare module "*.ogg" {
  const url: string;
  export default url;
}

/** The mount-relative URL of the file (`/_ssr-pages/name-hash.mp3`): pass it through `withPrefix` from `ssr-pages/client`. */
declare module "*.mp3" {
  const url: string;
  export default url;
}

/** The mount-relative URL of the file (`/_ssr-pages/name-hash.wav`): pass it through `withPrefix` from `ssr-pages/client`. */
declare module "*.wav" {
  const url: string;
  export default url;
}

/** The mount-relative URL of the file (`/_ssr-pages/name-hash.txt`): pass it through `withPrefix` from `ssr-pages/client`. */
declare module "*.txt" {
  const url: string;
  export default url;
}

/** The mount-relative URL of the file (`/_ssr-pages/name-hash.pdf`): pass it through `withPrefix` from `ssr-pages/client`. */
declare module "*.pdf" {
  const url: string;
  export default url;
}
