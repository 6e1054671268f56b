/**
 * `ssr-pages build`: the pages compiled once for production, their static pages rendered, and all
 * of it written to a folder that `ssrMiddleware(pagesDir, { build })` serves on any number of
 * servers, none of which compiles. The CLI (cli.ts) is a thin shell around {@link build}.
 */
import path from "node:path";
import { compileOutput, partsInMemory } from "../load-pages.js";
import { buildIdOf } from "../compile/build-id.js";
import { resolveOptions } from "../options.js";
import { buildOf, planPages } from "../page-plan.js";
import { ImageVariants } from "../images/image-variants.js";
import { imageCacheDir } from "../images/cache-dir.js";
import type { Build } from "../runtime/build.js";
import { prerender } from "./prerender.js";
import { topLevelOf } from "./read-build.js";
import { writeBuild, type WrittenBuild } from "./write-build.js";
import { BuildError, type BuildOptions, type BuildSummary } from "./contracts.js";

/**
 * Builds the pages of `pagesDir` for production into `options.out`.
 * @param provided what pages get for `ssr-pages` and `ssr-pages/client` (the handler's: the static pages render as a server would)
 * @throws TypeError for bad options or a `pagesDir` that is not a directory; {@link BuildError} naming each file that failed.
 */
export async function build(
  pagesDir: string,
  options: BuildOptions = {},
  provided: ReadonlyMap<string, unknown>,
): Promise<BuildSummary> {
  const started = performance.now();
  const {
    out: outOption,
    keepPrevious = 0,
    basePath = "",
    client = true,
    gatsbyRoot,
    lang,
    ...rest
  } = checkBuildOptions(options);
  const resolved = resolveOptions({
    dev: false,
    watch: false,
    cache: false,
    basePath,
    client,
    gatsbyRoot,
    lang,
    ...rest,
    onError: () => undefined,
  });
  const dir = path.resolve(pagesDir);
  const out = path.resolve(outOption ?? path.join(dir, "..", ".ssr-pages"));
  const plan = planPages(dir, resolved.gatsbyRoot);
  const output = await withGoMemoryLimit(() => compileOutput(plan, { dev: false, client, sequential: true }));
  if (output.errors.length > 0)
    throw new BuildError(output.errors.map((error) => ({ file: error.file, message: error.message })));
  // What the code is, and what the static pages were rendered with: another mount path is another build.
  const buildId = buildIdOf(output, `${resolved.basePath}\0${resolved.lang}`);
  // The static pages are rendered by a build in memory, which forgets each server file once it has run: it gets a copy of the list.
  const inMemory = partsInMemory(output, buildId);
  const served = buildOf(
    plan,
    { ...inMemory, server: { ...inMemory.server, files: new Map(output.server.files) } },
    provided,
  );
  const rendered = await prerender(served, plan.entries, resolved.basePath, resolved);
  if (rendered.failed.length > 0)
    throw new BuildError(
      rendered.failed.map((error) => ({ file: error.file, message: `${error.message}${stackOf(error.cause)}` })),
    );
  const images = await makeImages(served);
  const special = plan.discovered;
  const written: WrittenBuild = await writeBuild(output, {
    out,
    pagesDir: dir,
    buildId,
    routes: plan.discovered.pages,
    topLevel: topLevelOf(plan.discovered),
    special: {
      notFoundPage: special.notFoundPage ?? null,
      errorPage: special.errorPage ?? null,
      app: special.app ?? null,
      gatsbySsr: plan.special.gatsbySsr?.parsed.file ?? null,
    },
    options: {
      client,
      gatsbyRoot:
        typeof resolved.gatsbyRoot === "string"
          ? path.relative(dir, resolved.gatsbyRoot).split(path.sep).join("/") || "."
          : (resolved.gatsbyRoot ?? null),
    },
    statics: { base: resolved.basePath, lang: resolved.lang, pages: rendered.pages },
    images,
    keepPrevious,
  });
  return {
    out,
    buildId,
    pages: plan.entries.length,
    staticPages: rendered.pages.length,
    images: images?.size ?? 0,
    ...written,
    milliseconds: Math.round(performance.now() - started),
  };
}

/** @throws TypeError for an option `build` does not know or a bad value. */
function checkBuildOptions(options: BuildOptions): BuildOptions {
  if (typeof options !== "object" || options === null)
    throw new TypeError("ssr-pages: build options must be an object");
  const known = new Set(["out", "basePath", "client", "gatsbyRoot", "lang", "keepPrevious"]);
  for (const key of Object.keys(options))
    if (!known.has(key))
      throw new TypeError(`ssr-pages: unknown build option "${key}" (known: ${[...known].join(", ")})`);
  if (options.out !== undefined && (typeof options.out !== "string" || options.out === ""))
    throw new TypeError("ssr-pages: out must be the path of a folder");
  const keep = options.keepPrevious;
  if (keep !== undefined && (!Number.isInteger(keep) || keep < 0))
    throw new TypeError("ssr-pages: keepPrevious must be a whole number of builds (0 or more)");
  return options;
}

/** The first lines of a render error's stack: which component threw. */
function stackOf(error: unknown): string {
  const stack = error instanceof Error ? error.stack : undefined;
  const frames =
    stack
      ?.split("\n")
      .filter((line) => line.trimStart().startsWith("at "))
      .slice(0, 4) ?? [];
  return frames.length > 0 ? `\n${frames.join("\n")}` : "";
}

/**
 * Every image variant a Gatsby site's pages name, made now (through the site's own disk cache, so a
 * rebuild makes only new ones), for the build to hold: servers need neither sharp nor the sources.
 * `undefined` for a site without images.
 * @throws BuildError naming each image that could not be made.
 */
async function makeImages(served: Build): Promise<Map<string, Uint8Array> | undefined> {
  const site = served.site;
  if (site === undefined || site.variants.size === 0) return undefined;
  const variants = new ImageVariants({
    variants: site.variants,
    fromDir: site.root,
    cacheDir: imageCacheDir(site.root),
    memoryBytes: 0,
  });
  const made = new Map<string, Uint8Array>();
  const failed: Array<{ file: string | undefined; message: string }> = [];
  await Promise.all(
    [...site.variants.values()].map((variant) =>
      variants.get(variant.name).then(
        (image) => void made.set(variant.name, image.body),
        (error: unknown) =>
          void failed.push({
            file: path.relative(site.root, variant.source),
            message: `${path.relative(site.root, variant.source)}: its image ${variant.name} could not be made: ${(error as Error)?.message ?? String(error)}`,
          }),
      ),
    ),
  );
  if (failed.length > 0) throw new BuildError(failed);
  return new Map([...made].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Runs `work` with a soft memory limit for esbuild's service, a Go process that inherits this
 * environment and lets its heap grow to about twice what it holds: at 10,000 pages it peaked at
 * 0.9–1.15 GiB, with `GOMEMLIMIT=700MiB` at 880 MiB for about 8 % more CPU (bench/BUILD.md). Soft:
 * a build that needs more gets a busier garbage collector, never an out-of-memory error. The user's
 * own setting wins; the environment is put back after.
 */
async function withGoMemoryLimit<T>(work: () => Promise<T>): Promise<T> {
  if (process.env.GOMEMLIMIT !== undefined) return work();
  process.env.GOMEMLIMIT = "700MiB";
  try {
    return await work();
  } finally {
    delete process.env.GOMEMLIMIT;
  }
}
