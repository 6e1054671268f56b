/**
 * The module ids whose objects a page's server code gets from the running ssr-pages itself
 * (handler.ts's `PROVIDED`): this package's entries, and Gatsby's modules it stands in for. The
 * server build never bundles them, so a page's `SsrError` is the class the core recognises and its
 * `Link` reads the router context the renderer provides.
 */
export const PROVIDED_IDS = [
  "ssr-pages",
  "ssr-pages/client",
  "gatsby",
  "ssr-pages/gatsby",
  "gatsby-plugin-image",
] as const;

/** One of {@link PROVIDED_IDS}. */
export type ProvidedId = (typeof PROVIDED_IDS)[number];
