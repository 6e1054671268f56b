/**
 * Compiles the pages with esbuild when the middleware starts: the server build (compile-server.ts),
 * and one code-split ES module build for the browser in which each page keeps only its `default` and
 * `Head` exports, so `getServerData` and what only it uses never reach the browser.
 */
import { builtinModules, createRequire } from "node:module";
import path from "node:path";
import type * as EsbuildApi from "esbuild";
import { CompileError, fileErrors } from "./compile-errors.js";
import { buildServer, type ServerBuild } from "./compile-server.js";
import { withEsbuild, type Esbuild } from "./esbuild.js";
import { PackedFiles } from "./packed-files.js";

export { CompileError } from "./compile-errors.js";

/** The browser build's files, served under `<mount>/_ssr-pages/`. */
export interface BrowserAssets {
  /** File name → contents, as bytes: off the JS heap, so ten thousand pages' modules add no GC work, and sent as they are. */
  assets: PackedFiles;
  /** The file name of the client entry. */
  entry: string;
}

/** The browser build: its files, and which of them each page needs. */
export interface BrowserBuild extends BrowserAssets {
  /** Page file → its module's and stylesheet's asset file names. */
  pages: Map<string, { module: string; css: string | undefined }>;
}

/** Everything the compile produced. */
export interface CompileOutput {
  server: ServerBuild;
  /** `undefined` when the browser build failed (see `errors`): pages are then served without scripts. */
  browser: BrowserBuild | undefined;
  /** Every problem found, to report once at start-up. */
  errors: CompileError[];
}

/** Where the browser runtime lives, found once at start-up. */
export interface ClientRuntime {
  entry: string;
  index: string;
}

/** How to compile: `isolated` files (the error page) get server code of their own, shared with no other page. */
export interface CompileOptions {
  /** Development builds: unminified, with source maps. */
  dev: boolean;
  /** The browser runtime; `undefined` builds nothing for the browser. */
  client: ClientRuntime | undefined;
  isolated?: ReadonlySet<string>;
}

/** Node builtins and `*.server.*` files: nothing a browser can run. Exact names, so no other import pays a plugin call. */
const SERVER_ONLY = new RegExp(`^(node:.*|${builtinModules.map((name) => name.replace(/[/]/g, "\\/")).join("|")})$|\\.server\\.[cm]?[jt]sx?$`);
const SKIP = Symbol("ssr-pages: resolving");

/** Compiles the given page files of `pagesDir` for the server and the browser, with ssr-pages' own esbuild. */
export function compilePages(
  pagesDir: string,
  files: readonly string[],
  options: CompileOptions,
): Promise<CompileOutput> {
  return withEsbuild((esbuild) => compileWith(esbuild, pagesDir, files, options));
}

async function compileWith(
  esbuild: Esbuild,
  pagesDir: string,
  files: readonly string[],
  options: CompileOptions,
): Promise<CompileOutput> {
  const client = options.client;
  const [server, browser] = await Promise.all([
    buildServer(esbuild, pagesDir, files, options.isolated ?? new Set(), options.dev),
    client ? buildBrowser(esbuild, pagesDir, files, options.dev, client).then((build) => ({ build }), (error: unknown) => ({ error })) : undefined,
  ]);
  // A failure of the whole server build is one error shared by every page: report it once.
  const errors = [...new Set(server.failed.values())];
  if (!client || !browser) return { server, browser: undefined, errors };
  if ("build" in browser) return { server, browser: browser.build, errors };

  // Broken pages fail the browser build too: build it again without them, so one syntax error does
  // not take hydration away from every other page.
  const browserErrors = fileErrors(browser.error, pagesDir);
  errors.push(...browserErrors.filter((error) => !server.failed.has(error.file as string)));
  const broken = new Set([...server.failed.keys(), ...browserErrors.map((error) => error.file)]);
  try {
    return { server, browser: await buildBrowser(esbuild, pagesDir, files.filter((file) => !broken.has(file)), options.dev, client), errors };
  } catch (retryError) {
    errors.push(...fileErrors(retryError, pagesDir, "the browser build failed, pages are served without scripts"));
    return { server, browser: undefined, errors };
  }
}

async function buildBrowser(esbuild: Esbuild, pagesDir: string, files: readonly string[], dev: boolean, client: ClientRuntime): Promise<BrowserBuild> {
  const result = await esbuild.build({
    entryPoints: [{ in: client.entry, out: "entry" }, ...files.map((_, index) => ({ in: `ssr-page:${index}`, out: `p${index}` }))],
    absWorkingDir: pagesDir,
    outdir: path.join(pagesDir, ".ssr-pages", "browser"),
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "browser",
    target: "es2020",
    jsx: "automatic",
    minify: !dev,
    sourcemap: dev ? "linked" : false,
    // The sources would carry each page's whole file, getServerData included, to the browser.
    sourcesContent: false,
    entryNames: "[name]-[hash]",
    chunkNames: "chunk-[hash]",
    assetNames: "asset-[hash]",
    define: { "process.env.NODE_ENV": JSON.stringify(dev ? "development" : "production") },
    write: false,
    logLevel: "silent",
    // A page without `Head` makes `m.Head` undefined on purpose.
    logOverride: { "import-is-undefined": "silent" },
    plugins: [browserPages(pagesDir, files, client)],
  });
  const outputs: Array<{ name: string; contents: Uint8Array }> = [];
  const pages: BrowserBuild["pages"] = new Map();
  let entry = "";
  // Outputs are told apart by name (`entry-…js`, `p12-…js`, `p12-…css`): cheaper than a metafile,
  // which for a thousand pages is a large JSON to build and parse.
  for (const output of result.outputFiles) {
    const name = ownString(path.basename(output.path));
    outputs.push({ name, contents: output.contents });
    if (/^entry-\w+\.js$/.test(name)) entry = name;
    const own = /^p(\d+)-\w+\.(js|css)$/.exec(name);
    const file = own ? files[Number(own[1])] : undefined;
    if (!own || file === undefined) continue;
    const page = pages.get(file) ?? { module: "", css: undefined };
    if (own[2] === "js") page.module = name;
    else page.css = name;
    pages.set(file, page);
  }
  return { assets: new PackedFiles(outputs), entry, pages };
}

/**
 * Virtual page entries that re-export only what the browser needs, one React for pages and runtime,
 * and empty modules for what cannot run in a browser (Node builtins, `*.server.*` files).
 */
function browserPages(pagesDir: string, files: readonly string[], client: ClientRuntime): EsbuildApi.Plugin {
  return {
    name: "ssr-pages-browser",
    setup(build) {
      build.onResolve({ filter: /^ssr-page:\d+$/ }, (args) => ({ path: args.path, namespace: "ssr-page" }));
      build.onLoad({ filter: /.*/, namespace: "ssr-page" }, (args) => {
        const file = files[Number(args.path.slice("ssr-page:".length))] as string;
        const source = JSON.stringify(path.join(pagesDir, file));
        return { contents: `import * as m from ${source};\nexport default m.default;\nexport const Head = m.Head;\n`, resolveDir: pagesDir, loader: "js" };
      });
      build.onResolve({ filter: /^ssr-pages(\/client)?$/ }, (args) =>
        args.path === "ssr-pages/client" ? { path: client.index } : { path: args.path, namespace: "ssr-empty" },
      );
      // When the runtime would find another copy of React than the pages do (a linked ssr-pages),
      // resolve React from the pages directory for everyone: one React in the browser.
      if (!sameReact(pagesDir, client.index)) {
        build.onResolve({ filter: /^react(-dom)?(\/|$)/ }, (args) =>
          args.pluginData === SKIP ? undefined : build.resolve(args.path, { kind: args.kind, resolveDir: pagesDir, pluginData: SKIP }),
        );
      }
      build.onResolve({ filter: SERVER_ONLY }, (args) => ({ path: args.path, namespace: "ssr-empty" }));
      // CommonJS, so any named import of it is simply undefined instead of a build error.
      build.onLoad({ filter: /.*/, namespace: "ssr-empty" }, () => ({ contents: "module.exports = {};", loader: "js" }));
    },
  };
}

/**
 * A copy of `text` that holds nothing else: a name cut from a longer string (`path.basename` of an
 * absolute output path) keeps the whole path alive in V8, which at ten thousand pages is a megabyte
 * of heap kept for the life of the server.
 */
function ownString(text: string): string {
  return Buffer.from(text, "utf8").toString("utf8");
}

/** Whether the pages and the browser runtime resolve the same React. */
function sameReact(pagesDir: string, runtimeFile: string): boolean {
  const from = (file: string) => {
    try {
      return createRequire(file).resolve("react/package.json");
    } catch {
      return undefined;
    }
  };
  const pages = from(path.join(pagesDir, "noop.js"));
  return pages !== undefined && pages === from(runtimeFile);
}
