// Types of the `gatsby` module for this site's TypeScript page (tsc only: the build resolves
// `gatsby` to ssr-pages' own module, and the installed `gatsby` is a stub without types).
declare module "gatsby" {
  export * from "ssr-pages/gatsby";
}
