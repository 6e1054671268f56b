/**
 * Generated pages directories for the scale runs: N pages mixing static, `[param]` and `[...splat]`
 * routes, plus the benchmark's product page at `/products/[id]`.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./build.js";

/** Writes a pages directory with `count` pages and returns its path. */
export function generatePages(count: number): string {
  const dir = path.join(ROOT, ".tmp", "bench", `pages-${count}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, "products"), { recursive: true });
  writeFileSync(
    path.join(dir, "products", "[id].tsx"),
    `import { loadProduct, ProductPage } from ${JSON.stringify(path.join(ROOT, "bench", "baseline", "product.tsx"))};\n` +
      `export function getServerData({ params }: { params: { id: string } }) { return { props: loadProduct(params.id) }; }\n` +
      `export default function Product({ serverData }: { serverData: ReturnType<typeof loadProduct> }) { return <ProductPage serverData={serverData} />; }\n`,
  );
  for (let i = 1; i < count; i++) {
    const section = path.join(dir, `section${i % 100}`);
    mkdirSync(section, { recursive: true });
    const kind = i % 10;
    const file = kind === 0 ? `[id${i}]/page${i}.tsx` : kind === 1 ? `splat${i}/[...rest].tsx` : `page${i}.tsx`;
    mkdirSync(path.dirname(path.join(section, file)), { recursive: true });
    writeFileSync(
      path.join(section, file),
      `export function getServerData() { return { props: { n: ${i} } }; }\nexport default function P${i}({ serverData }: { serverData: { n: number } }) { return <p>page {serverData.n}</p>; }\n`,
    );
  }
  return dir;
}
