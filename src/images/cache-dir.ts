import path from "node:path";

/** Where images' placeholders and variants are kept between starts: `node_modules/.cache`, as other build tools do. */
export function imageCacheDir(root: string): string {
  return path.join(root, "node_modules", ".cache", "ssr-pages", "images");
}
