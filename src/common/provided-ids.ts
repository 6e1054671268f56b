/**
 * The module ids a page's server code always gets from the running ssr-pages itself (handler.ts's
 * `PROVIDED`): this package's entries, and Gatsby's module it stands in for. The server build never
 * bundles them, so a page's `SsrError` is the class the core recognises and its `Link` reads the
 * router context the renderer provides.
 */
export const OWN_IDS = ["ssr-pages", "ssr-pages/client", "gatsby", "ssr-pages/gatsby"] as const;

/**
 * Every id `PROVIDED` answers: {@link OWN_IDS}, and gatsby-plugin-image, which ssr-pages stands in
 * for in a Gatsby site only and decides so on both sides (compile/site-options.ts); another app
 * bundles the package it installed.
 */
export const PROVIDED_IDS = [...OWN_IDS, "gatsby-plugin-image"] as const;

/** One of {@link PROVIDED_IDS}. */
export type ProvidedId = (typeof PROVIDED_IDS)[number];
