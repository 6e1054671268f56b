/**
 * Gatsby's side of part 2: gatsby-plugin-sharp 5 run with the registry's sharp 0.35.
 *
 * gatsby-plugin-sharp 5.16 depends on sharp ^0.32.6, whose install script downloads libvips from
 * GitHub (unreachable here). bench/gatsby-site/gatsby-sharp/package.json overrides sharp with 0.35.6
 * (prebuilt libvips in @img/sharp-linux-x64, no script needed), installed once with
 * `npm install --ignore-scripts` into .tmp/bench/gatsby-site/gatsby-sharp. The child
 * (gatsby-sharp/child.cjs) then plans the image with gatsby-plugin-sharp's generateImageData and makes
 * each variant with its processFile. When that cannot run (no registry, a sharp API gone), the child
 * is run in `direct` mode: sharp with gatsby-plugin-sharp's default settings, read from its source.
 */
import { execFile, spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { ROOT } from "../lib/build.js";
import { GATSBY_SHARP, WORK } from "./workspace.js";

const run = promisify(execFile);
const TEMPLATE = path.join(ROOT, "bench", "gatsby-site", "gatsby-sharp");

/** One variant as Gatsby's code made it: median ms with one libvips thread (as Gatsby) and with all. */
export interface GatsbyVariant {
  format: string;
  width: number;
  height: number;
  bytes: number;
  sha: string;
  ms: { gatsby: number; default: number };
}

export interface GatsbyResult {
  mode: "gatsby" | "direct";
  /** What failed on the way to running gatsby-plugin-sharp itself (mode `direct`). */
  failure?: string;
  /** gatsby-plugin-sharp's image data (mode `gatsby`). */
  data?: {
    backgroundColor?: string;
    width: number;
    height: number;
    images: { fallback?: { srcSet?: string }; sources?: Array<{ srcSet: string; type: string }> };
  };
  /** gatsby-plugin-sharp's blurred placeholder for the same image and options (mode `gatsby`). */
  blurred?: string;
  variants: GatsbyVariant[];
  /** Each job (one format, all widths, one decode) as Gatsby's worker runs it. */
  jobs: Array<{ format: string; widths: number[]; ms: number }>;
  warnings: string[];
  sharp: string;
  vips: string;
  /** sharp's default libvips thread count here (1 on glibc Linux without jemalloc: then Gatsby's setting and the default are the same). */
  defaultThreads: number;
  installMs?: number;
}

/** Installs gatsby-plugin-sharp with sharp 0.35 unless already there; returns what failed, if anything. */
async function ensureInstalled(): Promise<{ failure?: string; installMs?: number }> {
  const installed = path.join(GATSBY_SHARP, "node_modules", "gatsby-plugin-sharp", "package.json");
  const wanted = readFileSync(path.join(TEMPLATE, "package.json"), "utf8");
  const current = existsSync(path.join(GATSBY_SHARP, "package.json"))
    ? readFileSync(path.join(GATSBY_SHARP, "package.json"), "utf8")
    : "";
  if (existsSync(installed) && current === wanted) return {};
  mkdirSync(GATSBY_SHARP, { recursive: true });
  copyFileSync(path.join(TEMPLATE, "package.json"), path.join(GATSBY_SHARP, "package.json"));
  console.log(
    `  installing gatsby-plugin-sharp 5.16 with sharp 0.35.6 (npm install --ignore-scripts) into ${path.relative(ROOT, GATSBY_SHARP)}…`,
  );
  const started = performance.now();
  try {
    await run("npm", ["install", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], {
      cwd: GATSBY_SHARP,
      maxBuffer: 64 << 20,
      timeout: 600_000,
    });
    return { installMs: performance.now() - started };
  } catch (error) {
    return { failure: `npm install failed: ${String((error as { stderr?: string }).stderr ?? error).slice(0, 600)}` };
  }
}

function runChild(
  install: string,
  photo: string,
  rounds: number,
  width: number,
  formats: string,
  mode: "gatsby" | "direct",
): Promise<{ result?: Omit<GatsbyResult, "mode">; failure?: string }> {
  const cwd = path.join(WORK, "gatsby-sharp-out");
  rmSync(cwd, { recursive: true, force: true });
  mkdirSync(cwd, { recursive: true });
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [path.join(TEMPLATE, "child.cjs"), install, photo, String(rounds), String(width), formats, mode],
      { cwd, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("exit", (code) => {
      rmSync(cwd, { recursive: true, force: true });
      const ok = /^RESULT (.*)$/m.exec(stdout)?.[1];
      if (ok) return resolve({ result: JSON.parse(ok) as Omit<GatsbyResult, "mode"> });
      const failed = /^FAILED (.*)$/m.exec(stdout)?.[1];
      resolve({
        failure: failed
          ? (JSON.parse(failed) as { message: string }).message
          : `exited with ${code}: ${(stdout + stderr).slice(0, 1500)}`,
      });
    });
  });
}

/** Gatsby's variants of `photo` for a constrained image of `width` in `formats` (e.g. "auto,webp,avif"). */
export async function measureGatsby(
  photo: string,
  width: number,
  formats: string,
  rounds: number,
): Promise<GatsbyResult> {
  const { failure: installFailure, installMs } = await ensureInstalled();
  if (!installFailure) {
    const { result, failure } = await runChild(GATSBY_SHARP, photo, rounds, width, formats, "gatsby");
    if (result) return { mode: "gatsby", ...result, ...(installMs === undefined ? {} : { installMs }) };
    const fallback = await runChild(GATSBY_SHARP, photo, rounds, width, formats, "direct");
    if (fallback.result)
      return { mode: "direct", failure: `gatsby-plugin-sharp did not run: ${failure}`, ...fallback.result };
  }
  // No install at all: sharp from the repository, with gatsby-plugin-sharp's settings.
  const { result, failure } = await runChild(ROOT, photo, rounds, width, formats, "direct");
  if (!result)
    throw new Error(
      `neither gatsby-plugin-sharp nor sharp with its settings ran: ${installFailure ?? ""} ${failure ?? ""}`,
    );
  return { mode: "direct", failure: installFailure, ...result };
}
