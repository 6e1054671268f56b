/**
 * Generated pages directories for the scale runs: N pages mixing static, `[param]` and `[...splat]`
 * routes, plus the benchmark's product page at `/products/[id]`.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./build.js";

/**
 * Writes a pages directory with `count` pages and returns its path. With `keep`, into a folder of its
 * own that is written once and reused by later runs (a stamp beside it, written last, says the folder
 * is complete and which generator wrote it).
 */
export function generatePages(count: number, { keep = false }: { keep?: boolean } = {}): string {
  const dir = path.join(ROOT, ".tmp", "bench", keep ? `kept-pages-${count}` : `pages-${count}`);
  const stamp = `${dir}.complete`;
  const version = `${GENERATOR_VERSION} ${count}`;
  if (keep && existsSync(stamp) && readFileSync(stamp, "utf8") === version) return dir;
  rmSync(stamp, { force: true });
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
  if (keep) writeFileSync(stamp, version);
  return dir;
}

/** Changed whenever what {@link generatePages} writes changes: kept folders of another version are written again. */
const GENERATOR_VERSION = "1";
