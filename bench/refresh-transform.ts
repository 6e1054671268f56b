/**
 * What Fast Refresh's transform costs per file (compile/refresh-transform.ts: oxc's transform with
 * React's refresh registration, plus oxc's parse for the exports), against baselines measured in the
 * same run: esbuild's own transform of the same file with the build's JSX settings, and an esbuild
 * build of all the files without the refresh plugin against one with it (the cost a development
 * build pays). The files are the app components and pages of this repository's examples and test
 * fixtures (`.tsx`/`.jsx`, outside node_modules, those that compile).
 *
 * Run: npm run bench:refresh. ROUNDS=n changes the number of passes over the files (20).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import * as esbuild from "esbuild";
import { jsxOf, refreshPlugin, refreshSource } from "../src/compile/refresh-transform.js";
import { fmt, median } from "./lib/stats.js";

const ROUNDS = Number(process.env.ROUNDS ?? 20);
const ROOTS = ["examples", "test/fixtures", "test/gatsby-starter/site/src"];

/** The component and page files under `dir`. */
function sources(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) found.push(...sources(file));
    else if (/\.[jt]sx$/.test(name)) found.push(file);
  }
  return found;
}

const jsx = jsxOf({ jsx: "automatic" });
const plain = (file: string, source: string) =>
  esbuild.transform(source, {
    loader: file.endsWith(".tsx") ? "tsx" : "jsx",
    jsx: "automatic",
    sourcemap: "inline",
    format: "esm",
  });
// The fixtures that are broken on purpose (syntax errors for the overlay's tests) are left out.
const all = ROOTS.flatMap((root) => sources(path.resolve(root))).map((file) => ({
  file,
  source: readFileSync(file, "utf8"),
}));
const compiles = await Promise.all(
  all.map(({ file, source }) =>
    plain(file, source).then(
      () => true,
      () => false,
    ),
  ),
);
const files = all.filter((_, index) => compiles[index]);

/** Per-file times (µs) of `work` over every file, one number per round. */
async function perFile(work: (file: string, source: string) => Promise<unknown>): Promise<number[]> {
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    for (const { file, source } of files) await work(file, source);
    rounds.push(((performance.now() - started) * 1000) / files.length);
  }
  return rounds;
}

// A warm-up pass of each, so neither pays a first load (the native binding, esbuild's service).
const refresh = (file: string, source: string) =>
  refreshSource(file, source, { id: path.basename(file), counted: undefined }, jsx);
await perFile(refresh);
await perFile(plain);
const refreshed = median(await perFile(refresh));
const baseline = median(await perFile(plain));
const registered = (await Promise.all(files.map(({ file, source }) => refresh(file, source)))).filter(
  (code) => code !== undefined,
).length;

// In a build, where the cost shows: every file as an entry (no bundling, so nothing else differs),
// with the refresh plugin loading each file and without (esbuild reads them itself).
const build = (plugins: () => esbuild.Plugin[]) => async () => {
  const started = performance.now();
  await esbuild.build({
    entryPoints: files.map(({ file }) => file),
    outdir: "/tmp/ssr-pages-refresh-bench",
    write: false,
    jsx: "automatic",
    format: "esm",
    sourcemap: "linked",
    logLevel: "silent",
    plugins: plugins(),
  });
  return performance.now() - started;
};
// A new owner each round: its transforms are kept for it, and each round is to pay for them.
const withPlugin = build(() => [
  refreshPlugin({
    pagesDir: path.resolve("."),
    runtime: path.resolve("src/client/refresh-runtime.ts"),
    counted: new Map(),
    owner: {},
  }),
]);
const without = build(() => []);
const builds = { with: [] as number[], without: [] as number[] };
for (let round = 0; round < ROUNDS; round++) {
  builds.with.push(await withPlugin());
  builds.without.push(await without());
}
await esbuild.stop();
const added = ((median(builds.with) - median(builds.without)) * 1000) / files.length;

console.log(
  `Fast Refresh transform, ${files.length} files (${registered} with components), median of ${ROUNDS} rounds`,
);
console.log(`  oxc refresh transform + exports parse: ${fmt(refreshed, 1)} µs/file`);
console.log(`  esbuild transform (baseline, same run): ${fmt(baseline, 1)} µs/file`);
console.log(
  `  ratio refresh / esbuild transform: ${fmt(refreshed / baseline, 2)} (esbuild's includes a round trip to its service per call)`,
);
console.log(
  `A build of the ${files.length} files: ${fmt(median(builds.without), 1)} ms without the plugin, ${fmt(median(builds.with), 1)} ms with it (ratio ${fmt(median(builds.with) / median(builds.without), 2)}): ${fmt(added, 1)} µs added per file`,
);
