/**
 * How both builds read source files. Gatsby sites (and much React code) write JSX in plain `.js`
 * files, which esbuild's default `js` loader refuses ("The JSX syntax extension is not currently
 * enabled"); JavaScript without JSX parses the same under the `jsx` loader, so every `.js`, `.mjs` and
 * `.cjs` file is read as JSX.
 */
import type * as EsbuildApi from "esbuild";

/** esbuild loaders by extension: JSX allowed in every JavaScript file (`.ts`, `.tsx`, `.jsx` keep esbuild's own). */
export const SOURCE_LOADERS: Readonly<Record<string, EsbuildApi.Loader>> = {
  ".js": "jsx",
  ".mjs": "jsx",
  ".cjs": "jsx",
};
