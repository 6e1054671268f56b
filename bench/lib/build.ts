/**
 * Servers run as a user's app would: plain Node on compiled JavaScript, importing ssr-pages through
 * the package's own `exports`, with no TypeScript loader in the way. The package is compiled into
 * .tmp/bench/pkg (with a copy of package.json), not dist/, so a bench never races `npm pack`.
 */
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import * as esbuild from "esbuild";

const run = promisify(execFile);

/** The repository root; the compiled package; the built servers (inside it: `ssr-pages/*` resolves there). */
export const ROOT = path.resolve(import.meta.dirname, "../..");
const PACKAGE = path.join(ROOT, ".tmp", "bench", "pkg");
export const OUT = path.join(PACKAGE, "servers");

/**
 * Compiles ssr-pages with tsc into `dir/dist`, beside a copy of its package.json, so that
 * `ssr-pages/*` resolves there through the package's own `exports`. Incrementally: tsc keeps what it
 * knows in `dir`, so a second bench run (or the test suite's second smoke run) on an unchanged tree
 * takes a second or two, not a whole compile; removing `dir` removes that knowledge with the output.
 * @throws the tsc run's error (its `stdout` holds the diagnostics).
 */
export async function compilePackageInto(dir: string, timeoutMs = 0): Promise<void> {
  mkdirSync(dir, { recursive: true });
  copyFileSync(path.join(ROOT, "package.json"), path.join(dir, "package.json"));
  const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
  const args = ["-p", "tsconfig.build.json", "--outDir", path.join(dir, "dist")];
  args.push("--incremental", "--tsBuildInfoFile", path.join(dir, "tsbuildinfo.json"));
  await run(process.execPath, [tsc, ...args], {
    cwd: ROOT,
    timeout: timeoutMs,
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
