/**
 * The browser build: one code-split ES module build of the client entry and one entry per page, in
 * which each page keeps only its `default` and `Head` exports, so `getServerData` and what only it
 * uses never reach the browser. Each page's CSS (its own and all it imports) is one stylesheet; the
 * entry's stylesheet holds what `_app` imports.
 */
import { createHash } from "node:crypto";
import { builtinModules, createRequire } from "node:module";
import path from "node:path";
import type * as EsbuildApi from "esbuild";
import { assetsPlugin } from "./assets.js";
import { BROWSER_ENV_MODULE, browserEnvDefines, browserEnvPlugin } from "./browser-env.js";
import type { CompileContext, InMemoryOptions } from "./compile-context.js";
import { moduleKey, withoutNamespace } from "./compile-errors.js";
import { SOURCE_LOADERS } from "./loaders.js";
import { styledIdsPlugin } from "./styled-ids.js";
import { STYLESHEET, stylesPlugin } from "./styles.js";
import { siteBuildOptions } from "./site-options.js";
import type { RefreshOptions } from "./refresh-transform.js";
import { refreshPreamble } from "./refresh-preamble-build.js";
import { fileHash } from "./file-hash.js";
import { frameworkFile, frameworkPlugin } from "./framework-chunk.js";

/** Where the browser runtime's sources live, found once at start-up. */
export interface ClientFiles {
  /** The browser entry (hydration and the router). */
  entry: string;
  /** What `ssr-pages/client` is in the browser. */
  index: string;
  /** What `gatsby` (and `ssr-pages/gatsby`) is in the browser. */
  gatsby: string;
  /** The development client (live updates, the compile-error overlay): in development builds only. */
  devClient: string;
  /** Fast Refresh's registration module (`ssr-pages:refresh`) and its preamble: in development builds only. */
  refreshRuntime: string;
  refreshPreamble: string;
  /** What `gatsby-plugin-image` is in the browser, for a Gatsby site. */
  gatsbyImage: string;
}

/** The browser build's output. */
export interface BrowserBuild {
  /** Every file to serve under `<mount>/_ssr-pages/`, by name. */
  files: Array<{ name: string; contents: Uint8Array }>;
  /** The file name of the client entry. */
  entry: string;
  /** The entry's stylesheets (what `_app` imports), linked on every page. */
  entryCss: string[];
  /** Page file → its module's and stylesheets' file names. */
  pages: Map<string, { module: string; css: string[] }>;
  /** Built with stubs: page file (`""` for the client entry) → the stubbed module it reaches. Else empty. */
  reaching: ReadonlyMap<string, string>;
  /**
   * The framework file (compile/framework-chunk.ts), among `files`: React, which every page loads,
   * preloaded with the entry. `undefined` when the pages resolve no React of their own, or it does
   * not build (React is then bundled with the app).
   */
  framework?: string | undefined;
  /**
   * With Fast Refresh (development with the dev loop): the refresh preamble's file name, loaded as a
   * classic script before the entry (see client/refresh-preamble.ts); else `undefined`.
   */
  preamble?: string | undefined;
  /**
   * With Fast Refresh: names the shared chunks that hold React, React DOM or ssr-pages' browser
   * runtime. While it stays the same, a tab can run modules of a newer build next to its own (one
   * React); when it changes, only a full load can bring the new build in. `undefined` otherwise.
   */
  runtimeKey?: string | undefined;
}

/** Node builtins and `*.server.*` files: nothing a browser can run. Exact names, so no other import pays a plugin call. */
const SERVER_ONLY = new RegExp(
  `^(node:.*|${builtinModules.map((name) => name.replace(/[/]/g, "\\/")).join("|")})$|\\.server\\.[cm]?[jt]sx?$`,
);
const SKIP = Symbol("ssr-pages: resolving");

/**
 * Builds `files` (page files relative to the pages directory; the not-found page among them) and the
 * client entry, with `app` (the `_app` file, if any) imported by the entry.
 *
 * `stubbed` are modules known to fail (absolute paths): each is built as an empty module instead, and
 * the result says which pages import one, itself or through other modules (see compile.ts).
 */
export async function buildBrowser(
  context: CompileContext,
  files: readonly string[],
  client: ClientFiles,
  wrappers: { app: string | undefined; gatsbyBrowser: string | undefined },
  stubbed: ReadonlySet<string> = NO_STUBS,
): Promise<BrowserBuild> {
  const { pagesDir, dev } = context;
  const stubs = stubbed.size > 0;
  const refresh = context.refresh === true && dev;
  const counted = refresh ? refreshCounted(pagesDir, files, wrappers) : undefined;
  // Loaded in development only: a production compile never starts oxc's native transform.
  const refreshPlugin = refresh ? (await import("./refresh-transform.js")).refreshPlugin : undefined;
  const site = siteBuildOptions(context, "browser", client.gatsbyImage, counted);
  const framework = await (context.framework ??= frameworkFile(pagesDir, dev));
  const options: InMemoryOptions = {
    // With Fast Refresh, the pinned module is an entry of its own too (see PINNED_MODULE).
    entryPoints: [
      { in: client.entry, out: "entry" },
      ...(refresh ? [{ in: PINNED_MODULE, out: "runtime" }] : []),
      ...files.map((_, index) => ({ in: `ssr-page:${index}`, out: `p${index}` })),
    ],
    absWorkingDir: pagesDir,
    outdir: path.join(pagesDir, ".ssr-pages", "browser"),
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "browser",
    target: "es2020",
    jsx: "automatic",
    loader: SOURCE_LOADERS,
    ...site?.options,
    minify: !dev,
    sourcemap: dev ? "linked" : false,
    // The sources would carry each page's whole file, getServerData included, to the browser.
    sourcesContent: false,
    entryNames: "[name]-[hash]",
    chunkNames: "chunk-[hash]",
    define: browserEnvDefines(context.env),
    inject: [...(site?.options.inject ?? []), BROWSER_ENV_MODULE],
    write: false,
    logLevel: "silent",
    // A page without `Head` makes `m.Head` undefined on purpose.
    logOverride: { "import-is-undefined": "silent" },
    // Only to learn which pages reach a stubbed module, or which chunks hold React (Fast Refresh,
    // where the pages are those a developer asked for): a metafile of a thousand pages is costly.
    metafile: stubs || refresh,
    plugins: [
      ...(stubs ? [stubModules(stubbed, pagesDir)] : []),
      browserEnvPlugin(context.env),
      ...(site?.options.plugins ?? []),
      // After the site's plugins: a file they transform (a Gatsby query) is theirs to load.
      ...(refreshPlugin
        ? [
            refreshPlugin({
              pagesDir,
              runtime: client.refreshRuntime,
              counted: counted ?? new Map(),
              owner: context,
            } satisfies RefreshOptions),
          ]
        : []),
      ...(framework ? [frameworkPlugin(framework)] : []),
      browserPages(pagesDir, files, client, wrappers, dev, refresh),
      styledIdsPlugin(pagesDir),
      stylesPlugin(context, "browser"),
      assetsPlugin(context.assets),
    ],
  };
  // A build with stubs is a one-off on the way to a working build: not kept as the incremental one.
  const result = stubs
    ? await context.esbuild.build(options)
    : await context.run("browser", JSON.stringify([files, wrappers, site?.signature, framework?.name]), options);
  const targets = context.styles.browserTargets();
  if (targets) await lowerStylesheets(context, result.outputFiles, targets);
  const outputs: BrowserBuild["files"] = framework ? [...framework.files] : [];
  const pages: BrowserBuild["pages"] = new Map();
  let entry = "";
  const entryCss: string[] = [];
  // Outputs are told apart by name (`entry-…js`, `p12-…js`, `p12-…css`): cheaper than a metafile,
  // which for a thousand pages is a large JSON to build and parse.
  for (const output of result.outputFiles) {
    const name = ownString(path.basename(output.path));
    outputs.push({ name, contents: output.contents });
    if (/^entry-\w+\.js$/.test(name)) entry = name;
    if (/^entry-\w+\.css$/.test(name)) entryCss.push(name);
    const own = /^p(\d+)-\w+\.(js|css)$/.exec(name);
    const file = own ? files[Number(own[1])] : undefined;
    if (!own || file === undefined) continue;
    const page = pages.get(file) ?? { module: "", css: [] };
    if (own[2] === "js") page.module = name;
    else page.css.push(name);
    pages.set(file, page);
  }
  const reaching = stubs
    ? reachingStubs(result.metafile as EsbuildApi.Metafile, stubbed, pagesDir, files, client.entry)
    : NO_REACH;
  const build: BrowserBuild = { files: outputs, entry, entryCss, pages, reaching, framework: framework?.name };
  if (!refresh) return build;
  const preamble = await refreshPreamble(context.esbuild, client.refreshPreamble);
  outputs.push(preamble);
  return {
    ...build,
    preamble: preamble.name,
    runtimeKey: runtimeKeyOf(
      result.metafile as EsbuildApi.Metafile,
      pagesDir,
      path.dirname(path.dirname(client.entry)),
      framework?.name,
    ),
  };
}

/** What Fast Refresh counts of the pages', `_app`'s and `gatsby-browser`'s exports (see refresh-transform.ts), by absolute path. */
function refreshCounted(
  pagesDir: string,
  files: readonly string[],
  wrappers: { app: string | undefined; gatsbyBrowser: string | undefined },
): Map<string, ReadonlySet<string>> {
  const counted = new Map<string, ReadonlySet<string>>(files.map((file) => [path.join(pagesDir, file), PAGE_EXPORTS]));
  if (wrappers.app !== undefined) counted.set(path.join(pagesDir, wrappers.app), APP_EXPORTS);
  if (wrappers.gatsbyBrowser !== undefined) counted.set(path.resolve(pagesDir, wrappers.gatsbyBrowser), NO_EXPORTS);
  return counted;
}

const PAGE_EXPORTS: ReadonlySet<string> = new Set(["default", "Head"]);
const APP_EXPORTS: ReadonlySet<string> = new Set(["Head"]);
const NO_EXPORTS: ReadonlySet<string> = new Set();

/**
 * A short hash of the framework file's name (React, when there is one) and of the names of the
 * shared chunks that hold React, React DOM, its scheduler or a module of ssr-pages' browser runtime (below `runtimeDir`; inputs are relative to `pagesDir`): see {@link BrowserBuild.runtimeKey}. The
 * entry is left out: a new entry (`_app` changed) can be imported next to the running one, its
 * bootstrap does not start twice (client/entry.tsx), and its modules reach the same shared chunks.
 */
function runtimeKeyOf(
  metafile: EsbuildApi.Metafile,
  pagesDir: string,
  runtimeDir: string,
  framework: string | undefined,
): string {
  const held: string[] = framework === undefined ? [] : [framework];
  for (const [output, { inputs }] of Object.entries(metafile.outputs)) {
    const name = path.basename(output);
    if (!/^chunk-\w+\.js$/.test(name)) continue;
    if (
      Object.keys(inputs).some(
        (input) =>
          PINNED.test(input) || path.resolve(pagesDir, withoutNamespace(input)).startsWith(runtimeDir + path.sep),
      )
    )
      held.push(name);
  }
  return createHash("sha256").update(held.sort().join("\n")).digest("base64url").slice(0, 10);
}

/**
 * With Fast Refresh, an entry of its own that every page entry imports too: React, React DOM and
 * ssr-pages' browser runtime are then reached by this entry, the client entry and every page alike,
 * whatever each page imports, and nothing else is (no app module is imported by this entry), so
 * esbuild keeps them in one shared chunk that holds nothing else and whose name stays the same when
 * a page is first compiled, is stood in for while it does not compile, or a component `_app` and
 * the pages share is saved. (Without it, a page that stops importing React moves React to a chunk
 * of another name, and every open tab would have to load in full.) The browser never loads the
 * entry's own file.
 */
const PINNED_MODULE = "ssr-pages:pinned";
const PINNED_IMPORTS = [
  "react",
  "react/jsx-runtime",
  "react-dom/client",
  "ssr-pages/client",
  "gatsby",
  "ssr-pages:refresh",
]
  .map((name) => `import ${JSON.stringify(name)};`)
  .join("\n");

/** The packages of which a tab must never run two copies. */
const PINNED = /(^|[/\\])node_modules[/\\](react|react-dom|scheduler)[/\\]/;

/**
 * Prefixes and lowers each stylesheet the browser gets for the app's browserslist targets (esbuild's
 * CSS transform), minified in production. After bundling, not before: the bundle's own minifier,
 * which knows only the JavaScript target, would put back what a stylesheet was lowered from
 * (`#00000080` for `rgba(0, 0, 0, 0.5)`, `inset` for `top/right/bottom/left`). Each is named again
 * by its new bytes: stylesheets are served as immutable, and a change of the targets alone must be a
 * new URL. (No code names a stylesheet: the page-to-stylesheet lists are made from these names.)
 */
async function lowerStylesheets(
  context: CompileContext,
  files: EsbuildApi.OutputFile[],
  targets: string[],
): Promise<void> {
  // A development rebuild lowers only the stylesheets that changed: esbuild names each by a hash of
  // its bytes, so a name seen in the last build (with the same targets) is the same stylesheet.
  const key = targets.join(",");
  const previous = lowered.get(context);
  const current = new Map<string, EsbuildApi.OutputFile>();
  await Promise.all(
    files.map(async (file, index) => {
      if (!file.path.endsWith(".css")) return;
      const known = previous?.key === key ? previous.files.get(file.path) : undefined;
      files[index] = known ?? (await lowerStylesheet(context, file, targets));
      current.set(file.path, files[index]);
    }),
  );
  if (context.dev) lowered.set(context, { key, files: current });
}

/** The lowered stylesheets of each development compile context's last build, by their bundled path. */
const lowered = new WeakMap<CompileContext, { key: string; files: Map<string, EsbuildApi.OutputFile> }>();

/** One stylesheet lowered for `targets`, under its new name. */
async function lowerStylesheet(
  context: CompileContext,
  file: EsbuildApi.OutputFile,
  targets: string[],
): Promise<EsbuildApi.OutputFile> {
  const result = await context.esbuild.transform(file.contents, {
    loader: "css",
    target: targets,
    minify: !context.dev,
    logLevel: "silent",
  });
  // The transform drops the link to the bundle's source map: put it back (development).
  const link = /\/\*# sourceMappingURL=[^*]+\*\/\s*$/.exec(file.text)?.[0];
  const text = link === undefined ? result.code : `${result.code}${link}`;
  const contents = Buffer.from(text);
  const hash = fileHash(contents);
  const renamed = path.join(path.dirname(file.path), path.basename(file.path).replace(/-\w+\.css$/, `-${hash}.css`));
  return { path: renamed, contents, hash, text };
}

const NO_STUBS: ReadonlySet<string> = new Set();
const NO_REACH: ReadonlyMap<string, string> = new Map();

/**
 * Stands in for modules that fail to build (a stylesheet whose `@import` is missing, a Sass error, a
 * module importing what the browser cannot resolve): a stylesheet is empty, any other module an empty
 * CommonJS module (so a named import of it is `undefined`, not a new error). First among the
 * plugins, matched by exact path, so no other module pays a call.
 */
function stubModules(stubbed: ReadonlySet<string>, pagesDir: string): EsbuildApi.Plugin {
  // A file by its path, or (loaded under one of our plugins' namespaces) by its name relative to the pages directory.
  const names = [...stubbed].flatMap((file) => [file, moduleKey(pagesDir, file)]);
  const exact = new RegExp(`^(${names.map((file) => file.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&")).join("|")})$`);
  return {
    name: "ssr-pages-stubs",
    setup(build) {
      build.onLoad({ filter: exact }, (args) =>
        args.namespace === "ssr-css-text" || (args.namespace === "file" && STYLESHEET.test(args.path))
          ? { contents: "", loader: "css" }
          : { contents: "module.exports = {};", loader: "js" },
      );
    },
  };
}

/**
 * Page file → the stubbed module it reaches (the first found), from the build's import graph: the
 * pages whose code or styles would be missing a part, which compile.ts fails. The client entry is
 * the key `""`: what it reaches (`_app`, `gatsby-browser`) is on every page.
 */
function reachingStubs(
  metafile: EsbuildApi.Metafile,
  stubbed: ReadonlySet<string>,
  pagesDir: string,
  files: readonly string[],
  clientEntry: string,
): Map<string, string> {
  // Reverse edges: module → the modules that import it. Keys are as the metafile writes them.
  const importers = new Map<string, string[]>();
  for (const [input, { imports }] of Object.entries(metafile.inputs)) {
    for (const imported of imports) {
      const list = importers.get(imported.path) ?? [];
      list.push(input);
      importers.set(imported.path, list);
    }
  }
  const reaching = new Map<string, string>();
  for (const input of Object.keys(metafile.inputs)) {
    const file = path.resolve(pagesDir, withoutNamespace(input));
    if (!stubbed.has(file)) continue;
    // Walk up from the stub to the entries that lead to it.
    const seen = new Set<string>([input]);
    const queue = [input];
    for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
      const page = /^ssr-page:ssr-page:(\d+)$/.exec(next);
      if (page) {
        const name = files[Number(page[1])];
        if (name !== undefined && !reaching.has(name)) reaching.set(name, file);
      } else if (path.resolve(pagesDir, next) === clientEntry && !reaching.has("")) {
        reaching.set("", file);
      }
      for (const importer of importers.get(next) ?? []) {
        if (!seen.has(importer)) {
          seen.add(importer);
          queue.push(importer);
        }
      }
    }
  }
  return reaching;
}

/**
 * Virtual page entries that re-export only what the browser needs, the `_app` module the entry
 * imports, one React for pages and runtime, and empty modules for what cannot run in a browser (Node
 * builtins, `*.server.*` files).
 */
function browserPages(
  pagesDir: string,
  files: readonly string[],
  client: ClientFiles,
  wrappers: { app: string | undefined; gatsbyBrowser: string | undefined },
  dev: boolean,
  pinned: boolean,
): EsbuildApi.Plugin {
  return {
    name: "ssr-pages-browser",
    setup(build) {
      build.onResolve({ filter: /^ssr-page:\d+$/ }, (args) => ({ path: args.path, namespace: "ssr-page" }));
      build.onLoad({ filter: /.*/, namespace: "ssr-page" }, (args) => {
        const file = files[Number(args.path.slice("ssr-page:".length))] as string;
        const source = JSON.stringify(path.join(pagesDir, file));
        const pin = pinned ? `import "${PINNED_MODULE}";\n` : "";
        return {
          contents: `${pin}import * as m from ${source};\nexport default m.default;\nexport const Head = m.Head;\n`,
          resolveDir: pagesDir,
          loader: "js",
        };
      });
      // `_app`, which the entry imports: the file, or nothing. (A Gatsby site's `gatsby-browser` files
      // are gathered by the site's own module, compile/site-options.ts; without a site, nothing.)
      build.onResolve({ filter: /^ssr-pages:(app|gatsby-browser)$/ }, (args) =>
        args.path === "ssr-pages:app" && wrappers.app !== undefined
          ? { path: path.join(pagesDir, wrappers.app) }
          : { path: args.path, namespace: "ssr-empty" },
      );
      // Fast Refresh: what every page imports, so React and the browser runtime stay in one chunk (see PINNED_MODULE).
      build.onResolve({ filter: /^ssr-pages:pinned$/ }, (args) => ({ path: args.path, namespace: "ssr-pinned" }));
      build.onLoad({ filter: /.*/, namespace: "ssr-pinned" }, () => ({
        contents: PINNED_IMPORTS,
        resolveDir: pagesDir,
        loader: "js",
      }));
      // The development client, which production builds do not contain at all.
      build.onResolve({ filter: /^ssr-pages:dev-client$/ }, (args) =>
        dev ? { path: client.devClient } : { path: args.path, namespace: "ssr-empty" },
      );
      build.onResolve({ filter: /^ssr-pages(\/client)?$/ }, (args) =>
        args.path === "ssr-pages/client" ? { path: client.index } : { path: args.path, namespace: "ssr-empty" },
      );
      build.onResolve({ filter: /^(gatsby|ssr-pages\/gatsby)$/ }, () => ({ path: client.gatsby }));
      // When the runtime would find another copy of React than the pages do (a linked ssr-pages),
      // resolve React from the pages directory for everyone: one React in the browser.
      if (!sameReact(pagesDir, client.index)) {
        build.onResolve({ filter: /^react(-dom)?(\/|$)/ }, (args) =>
          args.pluginData === SKIP
            ? undefined
            : build.resolve(args.path, { kind: args.kind, resolveDir: pagesDir, pluginData: SKIP }),
        );
      }
      build.onResolve({ filter: SERVER_ONLY }, (args) => ({ path: args.path, namespace: "ssr-empty" }));
      // CommonJS, so any named import of it is simply undefined instead of a build error.
      build.onLoad({ filter: /.*/, namespace: "ssr-empty" }, () => ({
        contents: "module.exports = {};",
        loader: "js",
      }));
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
