/**
 * The pages' server code, from one esbuild build of code-split ES modules. The pages are grouped,
 * PAGES_PER_GROUP to an entry whose default export is an array of loaders, one per page, each
 * evaluating its page on first call (esbuild wraps every `require`d local ES module in a lazy init;
 * packages from node_modules are imported at the top of the file, so they load with the group).
 * Modules that several groups use go into shared files, so each still exists once. Each output is
 * then turned into CommonJS (Node cannot evaluate ES modules from memory without a flag), here, while
 * esbuild's service is still running: nothing needs esbuild after the compile, so its process can end
 * (see esbuild.ts). The files are kept as bytes, off the JS heap, until server-modules.ts runs them.
 *
 * Why groups: one bundle of every page, evaluated at the first request, created ~20 objects per page
 * up front (esbuild hoists each page's functions and export getters to the bundle's top level): 26 MB
 * of heap at 10,000 pages, which every later garbage collection walked. One entry per page would be
 * lazier still, but esbuild's code splitting slows down with the number of entries (10.9 s against
 * 2.7 s at 10,000 pages).
 */
import { createRequire } from "node:module";
import path from "node:path";
import type * as EsbuildApi from "esbuild";
import { assetsPlugin } from "./assets.js";
import type { CompileContext, InMemoryOptions } from "./compile-context.js";
import { CompileError, fileErrors, withoutNamespace } from "./compile-errors.js";
import type { Esbuild } from "./esbuild.js";
import { SOURCE_LOADERS } from "./loaders.js";
import { groupName, PAGES_PER_GROUP } from "../common/page-groups.js";
import { OWN_IDS } from "../common/provided-ids.js";
import { styledIdsPlugin } from "./styled-ids.js";
import { stylesPlugin } from "./styles.js";
import { siteBuildOptions } from "./site-options.js";

/** The directory the server files appear to live in (nothing is written there): their stack frames name it. */
const SERVER_DIR_NAME = "ssr-pages-server";

/** The server side of a compile. */
export interface ServerBuild {
  /** The directory the files appear to live in (nothing is written there): a file's stack frames name `dir/name`. */
  dir: string;
  /** Output name (`pages-3.js`, `shared-….js`) → its CommonJS code as UTF-8 bytes; empty when no page compiled. */
  files: Map<string, Buffer>;
  /** Development builds: a file's path (`dir/name`) → its source map, back to the pages' own lines. */
  maps: Map<string, string>;
  /**
   * Page file → its loader's slot, which `loaderAt` (common/page-groups.ts) turns into the group
   * file and the index of the loader there. A number rather than an object per page: ten thousand pages are ten thousand
   * fewer objects for every garbage collection to walk.
   */
  pages: Map<string, number>;
  /** Output file name → the packages its `import` statements name (a failed one is stood in for: server-modules.ts). */
  imports: Map<string, ReadonlySet<string>>;
  /** Page file → why it did not compile. */
  failed: Map<string, CompileError>;
  /**
   * Page file → the packages it imports, itself or through its local modules, as written
   * (`react`, `lodash/get`), sorted; pages with the same set share one array. A package that fails
   * to load fails only the pages that import it (runtime/build.ts).
   */
  packages: Map<string, readonly string[]>;
  /** Development only (else empty): the local source files the build read (absolute), which the watcher follows. */
  sources: readonly string[];
}

/**
 * Compiles `files` (relative to `pagesDir`) for the server; each of `isolated` gets a group of its
 * own, so no other page's broken package can fail it. Failures are per file.
 */
export async function buildServer(
  context: CompileContext,
  files: readonly string[],
  isolated: ReadonlySet<string>,
): Promise<ServerBuild> {
  const { esbuild, pagesDir, dev } = context;
  const dir = path.join(pagesDir, SERVER_DIR_NAME);
  const server: ServerBuild = {
    dir,
    files: new Map(),
    maps: new Map(),
    pages: new Map(),
    failed: new Map(),
    packages: new Map(),
    imports: new Map(),
    sources: [],
  };
  if (files.length === 0) return server;
  const collect = async (subset: readonly string[]) => {
    const groups = groupPages(subset, isolated);
    const { outputs, metafile } = await build(context, dir, groups);
    Object.assign(server, await toCommonJs(esbuild, outputs, dir, dev));
    groups.forEach((group, g) => group.forEach((file, index) => server.pages.set(file, g * PAGES_PER_GROUP + index)));
    server.packages = packagesOfPages(subset, metafile);
    server.imports = importedPackages(metafile);
    if (dev) server.sources = localSources(metafile, pagesDir);
  };
  try {
    await collect(files);
  } catch {
    // Something broke the shared build: build each page on its own to learn which, so each error
    // names its own file, then build the others so they still serve. (Only to learn which: these
    // builds' outputs are thrown away, so they are not turned into CommonJS.)
    const good = new Set<string>();
    await Promise.all(
      files.map(async (file) => {
        try {
          await build(context, dir, [[file]], false);
          good.add(file);
        } catch (error) {
          // One page per build: its first error is the one that names it.
          server.failed.set(file, fileErrors(error, pagesDir, `${file} failed to compile`)[0] as CompileError);
        }
      }),
    );
    // In the caller's order, so groups keep neighbouring pages together. Each page built alone, but
    // together they can still fail (two pages' chunks clashing): then every one of them says so.
    const rest = files.filter((file) => good.has(file));
    if (rest.length > 0) {
      try {
        await collect(rest);
      } catch (error) {
        // One cause, one error: every page fails with the same one, reported once. (`collect` fills
        // `pages` only after its build succeeds, so nothing is left in it to undo.)
        const failure = new CompileError(
          `ssr-pages: the server build failed for all pages that compile on their own: ${error instanceof Error ? error.message : String(error)}`,
          undefined,
        );
        for (const file of rest) server.failed.set(file, failure);
      }
    }
  }
  return server;
}

/** PAGES_PER_GROUP pages to a group, in the given order (neighbouring pages together); each isolated file alone. */
function groupPages(files: readonly string[], isolated: ReadonlySet<string>): string[][] {
  const grouped = files.filter((file) => !isolated.has(file));
  const groups: string[][] = [];
  for (let start = 0; start < grouped.length; start += PAGES_PER_GROUP)
    groups.push(grouped.slice(start, start + PAGES_PER_GROUP));
  for (const file of files) if (isolated.has(file)) groups.push([file]);
  return groups;
}

/** Bundles the groups into `outdir`: the ES module outputs, and the import graph. */
async function build(
  context: CompileContext,
  outdir: string,
  groups: ReadonlyArray<readonly string[]>,
  main = true,
): Promise<{ outputs: EsbuildApi.OutputFile[]; metafile: EsbuildApi.Metafile }> {
  const { esbuild, pagesDir, dev } = context;
  // The main build may be an incremental rebuild (development); the one-page builds that find a
  // broken page are one-shot.
  const site = siteBuildOptions(context, "server", undefined);
  const run = main
    ? (options: InMemoryOptions) => context.run("server", JSON.stringify(groups) + (site?.signature ?? ""), options)
    : (options: InMemoryOptions) => esbuild.build(options);
  const result = await run({
    entryPoints: groups.map((_, group) => ({ in: `ssr-group:${group}`, out: groupName(group).slice(0, -3) })),
    absWorkingDir: pagesDir,
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    // The CommonJS the files become cannot await at the top level: say so at compile time, per page.
    supported: { "top-level-await": false },
    // Inline, so the CommonJS transform reads it and maps its output to the pages' own lines.
    sourcemap: dev ? "inline" : false,
    sourcesContent: false,
    // Bundling renames clashing names (Page → Page2); keep the real ones for React's dev messages.
    keepNames: dev,
    jsx: "automatic",
    loader: SOURCE_LOADERS,
    chunkNames: "shared-[hash]",
    ...site?.options,
    write: false,
    logLevel: "silent",
    // Which page imports which package (through which local modules): see packagesOfPages.
    metafile: true,
    // Dependencies stay imports, resolved from the pages directory at run time, so pages share the
    // app's React. (tsconfig `paths` aliases are applied first, so `@/lib/x` is still bundled.)
    packages: "external",
    plugins: [
      ...(site?.options.plugins ?? []),
      pageGroups(pagesDir, groups),
      ownModules(),
      gatsbyPackages(),
      styledIdsPlugin(pagesDir),
      stylesPlugin(context, "server"),
      assetsPlugin(context.assets),
    ],
  });
  return {
    outputs: result.outputFiles.filter((output) => output.path.endsWith(".js")),
    metafile: result.metafile as EsbuildApi.Metafile,
  };
}

/** The metafile's inputs that are files of the app's own (not in node_modules, not a plugin's virtual module), as absolute paths. */
function localSources(metafile: EsbuildApi.Metafile, pagesDir: string): string[] {
  const files: string[] = [];
  for (const input of Object.keys(metafile.inputs)) {
    // Other namespaced inputs than a plugin's file (`ssr-group:0`) are virtual.
    const named = withoutNamespace(input);
    if (/^[\w-]+:/.test(named)) continue;
    const file = path.resolve(pagesDir, named);
    if (!file.split(path.sep).includes("node_modules")) files.push(file);
  }
  return files;
}

/**
 * The packages each of `pages` imports, itself or through the local files it imports, from the
 * build's import graph (the metafile's inputs, keyed by path relative to the pages directory). Files
 * that import each other (a barrel file its components also import) reach the same packages, so
 * each strongly connected set of files is found once (Tarjan's algorithm) and gets one set: linear
 * in the size of the graph, however tangled. Pages that import the same things share one array.
 */
export function packagesOfPages(
  pages: readonly string[],
  metafile: Pick<EsbuildApi.Metafile, "inputs">,
): Map<string, readonly string[]> {
  const reached = reachedPackages(metafile.inputs, pages);
  const shared = new Map<string, readonly string[]>();
  const result = new Map<string, readonly string[]>();
  for (const page of pages) {
    const names = [...(reached.get(page) ?? [])].sort();
    const key = names.join("\n");
    let set = shared.get(key);
    if (!set) shared.set(key, (set = Object.freeze(names)));
    result.set(page, set);
  }
  return result;
}

/** Each output file's `import` statements of packages (not its `require` calls), by file name. */
function importedPackages(metafile: EsbuildApi.Metafile): Map<string, ReadonlySet<string>> {
  const imports = new Map<string, ReadonlySet<string>>();
  for (const [output, { imports: named }] of Object.entries(metafile.outputs)) {
    const packages = named
      .filter((imported) => imported.external && imported.kind === "import-statement")
      .map((imported) => imported.path);
    if (packages.length > 0) imports.set(path.basename(output), new Set(packages));
  }
  return imports;
}

/** File → the packages it reaches; files of one cycle share one set. */
function reachedPackages(
  inputs: EsbuildApi.Metafile["inputs"],
  roots: readonly string[],
): Map<string, ReadonlySet<string>> {
  const reached = new Map<string, ReadonlySet<string>>();
  const order = new Map<string, number>(); // when each file was first seen
  const low = new Map<string, number>(); // the earliest file still on the stack that it leads back to
  const stack: string[] = [];
  const onStack = new Set<string>();
  const localImports = (file: string) =>
    (inputs[file]?.imports ?? []).filter((imported) => !imported.external).map((imported) => imported.path);
  const visit = (file: string): void => {
    order.set(file, order.size);
    low.set(file, order.get(file) as number);
    stack.push(file);
    onStack.add(file);
    for (const next of localImports(file)) {
      if (!order.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file) as number, low.get(next) as number));
      } else if (onStack.has(next)) {
        low.set(file, Math.min(low.get(file) as number, order.get(next) as number));
      }
    }
    if (low.get(file) !== order.get(file)) return;
    // `file` heads a strongly connected set: every set it imports from is finished already.
    const members = new Set<string>();
    let member: string;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      members.add(member);
    } while (member !== file);
    const names = new Set<string>();
    for (const one of members) {
      for (const imported of inputs[one]?.imports ?? []) {
        if (imported.external) names.add(imported.path);
        else if (!members.has(imported.path)) for (const name of reached.get(imported.path) ?? []) names.add(name);
      }
    }
    for (const one of members) reached.set(one, names);
  };
  for (const root of roots) if (!order.has(root)) visit(root);
  return reached;
}

/**
 * Turns each output into CommonJS. Every transform is waited for, even after one failed, so none is
 * still running when the compile ends and esbuild's process is stopped.
 */
async function toCommonJs(
  esbuild: Esbuild,
  outputs: readonly EsbuildApi.OutputFile[],
  outdir: string,
  dev: boolean,
): Promise<Pick<ServerBuild, "files" | "maps">> {
  const built: Pick<ServerBuild, "files" | "maps"> = { files: new Map(), maps: new Map() };
  const settled = await Promise.allSettled(
    outputs.map(async (output) => {
      const name = path.basename(output.path);
      // The file name its stack frames carry (server-modules.ts runs it under this name).
      const file = path.join(outdir, name);
      const commonJs = await esbuild.transform(output.contents, {
        format: "cjs",
        loader: "js",
        target: "node20",
        // A page's `import("./x")` must become a require of the sibling file: code run by
        // vm.compileFunction has no dynamic import of its own.
        supported: { "dynamic-import": false },
        sourcefile: file,
        sourcemap: dev ? "external" : false,
        logLevel: "silent",
      });
      built.files.set(name, Buffer.from(commonJs.code));
      if (dev) built.maps.set(file, absoluteSources(commonJs.map, outdir));
    }),
  );
  const failure = settled.find((outcome) => outcome.status === "rejected");
  if (failure) throw failure.reason;
  return built;
}

/** Rewrites a source map's `sources` (relative to the files' directory) as absolute paths. */
function absoluteSources(map: string, dir: string): string {
  const parsed = JSON.parse(map) as { sources: string[] };
  parsed.sources = parsed.sources.map((source) => path.resolve(dir, source));
  return JSON.stringify(parsed);
}

/** {@link OWN_IDS} as one exact pattern (none has a character special to one): no other import pays a plugin call. */
const OWN_FILTER = new RegExp(`^(${OWN_IDS.join("|")})$`);

/**
 * ssr-pages' own ids (and Gatsby's module it stands in for) stay `require`s, which the server
 * modules answer with the running package's objects, even where the app's tsconfig `paths` maps them
 * to sources (a monorepo, a package's own tests): `packages: "external"` yields to `paths`, and the
 * bundled copy was a second `SsrError` class and a compile of the whole package beside every page.
 */
function ownModules(): EsbuildApi.Plugin {
  return {
    name: "ssr-pages-own-ids",
    setup(build) {
      build.onResolve({ filter: OWN_FILTER }, (args) => ({ path: args.path, external: true }));
    },
  };
}

/**
 * Gatsby plugins and helpers (`gatsby-*`, `@scope/gatsby-*`) are bundled, not left to Node: they
 * `require("gatsby")`, which only the server modules' own `require` can answer (with ssr-pages'
 * `gatsby`), without a process-wide require hook. What they import in turn stays external. An exact
 * pattern, so no other import pays a plugin call.
 */
function gatsbyPackages(): EsbuildApi.Plugin {
  return {
    name: "ssr-pages-gatsby-packages",
    setup(build) {
      build.onResolve({ filter: /^(@[^/]+\/)?gatsby-[^/]+(\/.*)?$/ }, (args) => {
        try {
          return { path: createRequire(path.join(args.resolveDir, "noop.js")).resolve(args.path) };
        } catch {
          return undefined; // not installed: it stays external, and the page that imports it fails at run time, naming it
        }
      });
    },
  };
}

/** The virtual group entries: `export default [() => require(page), …]`. */
function pageGroups(pagesDir: string, groups: ReadonlyArray<readonly string[]>): EsbuildApi.Plugin {
  return {
    name: "ssr-pages-groups",
    setup(build) {
      build.onResolve({ filter: /^ssr-group:\d+$/ }, (args) => ({ path: args.path, namespace: "ssr-group" }));
      build.onLoad({ filter: /.*/, namespace: "ssr-group" }, (args) => {
        const group = groups[Number(args.path.slice("ssr-group:".length))] ?? [];
        // A virtual module (a Gatsby site's `ssr-pages:gatsby-ssr`) by its id, every other file by its path.
        const loaders = group.map(
          (file) =>
            `() => require(${JSON.stringify(file.startsWith("ssr-pages:") ? file : path.join(pagesDir, file))})`,
        );
        return { contents: `export default [\n${loaders.join(",\n")}\n];\n`, resolveDir: pagesDir, loader: "js" };
      });
    },
  };
}
