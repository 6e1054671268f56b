/**
 * Servers run as a user's app would: plain Node on compiled JavaScript, importing ssr-pages through
 * the package's own `exports`, with no TypeScript loader in the way. The package is compiled into
 * .tmp/bench/pkg (with a copy of package.json), not dist/, so a bench never races `npm pack`.
 */
import { copyFileSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import * as esbuild from "esbuild";

/** The repository root; the compiled package; the built servers (inside it: `ssr-pages/*` resolves there). */
export const ROOT = path.resolve(import.meta.dirname, "../..");
const PACKAGE = path.join(ROOT, ".tmp", "bench", "pkg");
export const OUT = path.join(PACKAGE, "servers");

/**
 * Compiles ssr-pages into `dir/dist`, beside a copy of its package.json, so that `ssr-pages/*`
 * resolves there through the package's own `exports`: src/ and adapters/ as JavaScript, one file per
 * module, where `npm run build` (tsc) puts them. esbuild transpiles them and checks no type (the
 * typecheck is `npm test`'s): 0.5 s of CPU here, where tsc took 11.6 s (4.0 s with its incremental
 * state), and every bench run and both of the test suite's smoke runs make one.
 * @throws esbuild's error, naming the file that does not parse.
 */
export async function compilePackageInto(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  copyFileSync(path.join(ROOT, "package.json"), path.join(dir, "package.json"));
  const sources = ["src", "adapters"].flatMap((folder) =>
    readdirSync(path.join(ROOT, folder), { recursive: true, encoding: "utf8" })
      .filter((file) => /\.tsx?$/.test(file) && !file.endsWith(".d.ts"))
      .map((file) => path.join(ROOT, folder, file)),
  );
  rmSync(path.join(dir, "dist"), { recursive: true, force: true });
  await esbuild.build({
    entryPoints: sources,
    outdir: path.join(dir, "dist"),
    outbase: ROOT,
    format: "esm",
    platform: "node",
    // tsconfig.json's target and JSX, as tsc compiles the package.
    target: "es2022",
    jsx: "automatic",
    logLevel: "error",
  });
}

/** Compiles the package and the bench servers. */
export async function buildServers(
  names: readonly string[],
  others: Readonly<Record<string, string>> = {},
): Promise<void> {
  await compilePackageInto(PACKAGE);
  await esbuild.build({
    entryPoints: [
      ...names.map((name) => ({ in: path.join(ROOT, "bench", "servers", `${name}.ts`), out: name })),
      ...Object.entries(others).map(([name, file]) => ({ in: file, out: name })),
    ],
    outdir: OUT,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    packages: "external",
    // Named explicitly: tsconfig's paths would otherwise bundle the sources instead of the compiled package.
    external: ["ssr-pages", "ssr-pages/*"],
    platform: "node",
    format: "esm",
    target: "node20",
    jsx: "automatic",
    logLevel: "error",
  });
}
