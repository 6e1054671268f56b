/**
 * What a Gatsby site changes in both builds: its JSX runtime (Gatsby's `classic` by default), its
 * sources' queries and `StaticImage`s filled in (gatsby-site/source-plugin.ts), `gatsby-plugin-image`
 * as ssr-pages' own module, and one module per side that gathers the `gatsby-ssr` / `gatsby-browser`
 * files of its plugins and of the site, in the order Gatsby runs them.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseSync } from "oxc-parser";
import { GATSBY_API_MODULE } from "../routes/discover.js";
import type * as EsbuildApi from "esbuild";
import { gatsbySourcesPlugin, type FinishSource } from "../gatsby-site/source-plugin.js";
import { moduleKey } from "./compile-errors.js";
import type { RunnablePlugin } from "../gatsby-site/plugins.js";
import type { CompileContext } from "./compile-context.js";

/** What a Gatsby site adds to a build: esbuild options, and a signature of everything in them the config decides. */
export interface SiteBuildOptions {
  options: Partial<EsbuildApi.BuildOptions> & { plugins: EsbuildApi.Plugin[] };
  /**
   * Changes when the options would: a development rebuild with the same signature reuses its
   * esbuild context, whose plugins read the compile's site afresh (its queries' results, its
   * plugins' options) each time they run.
   */
  signature: string;
}

/** The esbuild options a Gatsby site (the compile's, `context.site`) adds to a build of `target`; `undefined` without one. */
export function siteBuildOptions(
  context: CompileContext,
  target: "server" | "browser",
  gatsbyImage: string | undefined,
  refreshCounted?: ReadonlyMap<string, ReadonlySet<string>>,
): SiteBuildOptions | undefined {
  const site = context.site;
  if (site === undefined) return undefined;
  const config = site.config;
  const files = apiFiles(context, target).map((one) => one.file);
  // Gatsby compiles a site's JSX with its `jsxRuntime` setting, `classic` unless the config says
  // `automatic`: under React 19's automatic runtime a function component's `defaultProps` are
  // dropped, and packages that rely on them (react-helmet) throw. Only for a site with a config:
  // an app that merely has `src/pages` keeps the automatic runtime.
  const classic = config.file !== undefined && config.jsxRuntime === "classic";
  const signature = JSON.stringify({ files, classic, source: config.jsxImportSource });
  // Fast Refresh's registration (development browser builds) for the files the site's own plugin loads.
  const finish = refreshCounted === undefined ? undefined : refreshFinish(context, refreshCounted);
  const plugins = [
    commonJsApiFiles(files),
    gatsbySourcesPlugin(() => context.site, classic, finish),
    apiModule(target, () => apiFiles(context, target)),
    imagePackage(target, gatsbyImage),
  ];
  if (!classic)
    return {
      options: { plugins, ...(config.jsxImportSource ? { jsxImportSource: config.jsxImportSource } : {}) },
      signature,
    };
  plugins.push(reactShim());
  return {
    options: {
      plugins,
      jsx: "transform",
      jsxFactory: "React.createElement",
      jsxFragment: "React.Fragment",
      inject: [REACT_SHIM],
    },
    signature,
  };
}

/** The compile's API files for `target`: its plugins', then the site's own, each with its options. */
function apiFiles(context: CompileContext, target: "server" | "browser"): RunnablePlugin[] {
  const site = context.site;
  if (site === undefined) return [];
  const own = target === "server" ? context.siteFiles?.ssr : context.siteFiles?.browser;
  return [
    ...(target === "server" ? site.plugins.ssr : site.plugins.browser),
    ...(own === undefined ? [] : [{ name: "site", file: own, options: { plugins: [] } }]),
  ];
}

const REACT_SHIM = "ssr-pages:react-shim";

/**
 * `React` for files that use the classic runtime's `React.createElement` without importing React
 * themselves (esbuild's `inject` adds the import only where `React` is not already bound).
 */
function reactShim(): EsbuildApi.Plugin {
  return {
    name: "ssr-pages-react-shim",
    setup(build) {
      build.onResolve({ filter: /^ssr-pages:react-shim$/ }, (args) => ({
        path: args.path,
        namespace: "ssr-react-shim",
      }));
      build.onLoad({ filter: /.*/, namespace: "ssr-react-shim" }, () => ({
        contents: `import * as React from "react";\nexport { React };\n`,
        loader: "js",
        resolveDir: build.initialOptions.absWorkingDir,
      }));
    },
  };
}

/**
 * Gatsby's API files are often CommonJS (`exports.onRenderBody = …`), which Gatsby's Babel takes
 * whatever the package says. esbuild goes by the nearest `package.json`: under `"type": "module"` it
 * reads such a file as an ES module in which `exports` is just an unknown global, and its exports
 * vanish without a word. So a file with no `import`/`export` of its own runs with a `module` and an
 * `exports` of its own, which it exports as its default (see common/gatsby-apis.ts, which reads both).
 */
function commonJsApiFiles(files: readonly string[]): EsbuildApi.Plugin {
  const exact = new Set(files);
  return {
    name: "ssr-pages-gatsby-commonjs",
    setup(build) {
      if (exact.size === 0) return;
      const filter = new RegExp(`^(${files.map((file) => file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})$`);
      build.onLoad({ filter }, async (args) => {
        if (!exact.has(args.path)) return undefined;
        const source = await readFile(args.path, "utf8");
        const parsed = parseSync(args.path, source, { lang: /\.tsx?$/.test(args.path) ? "tsx" : "jsx" });
        if (parsed.errors.length > 0 || parsed.module.hasModuleSyntax || !/\b(module\.)?exports\b/.test(source))
          return undefined;
        const loader = args.path.endsWith(".ts") ? "ts" : args.path.endsWith(".tsx") ? "tsx" : "jsx";
        return {
          contents: `var module = { exports: {} }, exports = module.exports;\n${source}\nexport default module.exports;\n`,
          loader,
          resolveDir: path.dirname(args.path),
        };
      });
    },
  };
}

/**
 * The module gathering the API files of `target`, read when it is loaded (so a development rebuild
 * gives each plugin its options as they are now). Each file is required inside a `try`: one that
 * throws while loading fails with a message naming its plugin and file, not the gathering module.
 */
function apiModule(target: "server" | "browser", files: () => readonly RunnablePlugin[]): EsbuildApi.Plugin {
  const id = GATSBY_API_MODULE[target];
  const kind = target === "server" ? "gatsby-ssr" : "gatsby-browser";
  return {
    name: "ssr-pages-gatsby-apis",
    setup(build) {
      build.onResolve({ filter: new RegExp(`^${id}$`) }, (args) => ({ path: args.path, namespace: "ssr-gatsby-apis" }));
      build.onLoad({ filter: /.*/, namespace: "ssr-gatsby-apis" }, () => {
        const entries = files().map((one) => {
          const owner = one.name === "site" ? `the site's ${kind}` : `${one.name}'s ${kind}`;
          let options: string;
          try {
            options = JSON.stringify(one.options);
          } catch (error) {
            return {
              errors: [
                {
                  text: `the options of ${one.name} in the site's gatsby-config cannot be given to its ${kind} (${(error as Error).message}): Gatsby passes them as JSON`,
                },
              ],
            };
          }
          return `{ name: ${JSON.stringify(one.name)}, options: ${options}, module: load(${JSON.stringify(`${owner} (${one.file})`)}, () => require(${JSON.stringify(one.file)})) }`;
        });
        const failed = entries.find((entry) => typeof entry !== "string");
        if (failed) return failed;
        const contents =
          `function load(owner, get) {\n  try { return get(); }\n  catch (error) { throw new Error(owner + " threw while loading: " + (error && error.message ? error.message : String(error)), { cause: error }); }\n}\n` +
          `export const plugins = [${entries.join(",\n")}];\n`;
        return { contents, loader: "js", resolveDir: build.initialOptions.absWorkingDir };
      });
    },
  };
}

/**
 * `gatsby-plugin-image` is ssr-pages' own module (the same HTML, with images made by ssr-pages), on
 * both sides: the server leaves the import to the page's `require`, which is given the module
 * (ServerModules), the browser bundles the module's file.
 */
function imagePackage(target: "server" | "browser", file: string | undefined): EsbuildApi.Plugin {
  return {
    name: "ssr-pages-gatsby-plugin-image",
    setup(build) {
      build.onResolve({ filter: /^gatsby-plugin-image$/ }, () =>
        target === "server" || file === undefined ? { path: "gatsby-plugin-image", external: true } : { path: file },
      );
    },
  };
}

/** Fast Refresh's registration for the files the site's own plugin loads (which the refresh plugin then never sees). */
function refreshFinish(context: CompileContext, counted: ReadonlyMap<string, ReadonlySet<string>>): FinishSource {
  const importSources = new Map<string, string>();
  // Loaded in development only (as in compile-browser.ts): production never starts oxc's transform.
  let transformModule: Promise<typeof import("./refresh-transform.js")> | undefined;
  return async (file, contents, options) => {
    const { jsxOf, refreshOnce, withTsconfig } = await (transformModule ??= import("./refresh-transform.js"));
    return refreshOnce(
      context,
      file,
      contents,
      { id: moduleKey(context.pagesDir, file), counted: counted.get(file) },
      withTsconfig(file, jsxOf(options), importSources),
    );
  };
}
