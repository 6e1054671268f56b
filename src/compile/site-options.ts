/**
 * What a Gatsby site changes in both builds: its JSX runtime (Gatsby's `classic` by default), its
 * sources' queries and `StaticImage`s filled in (gatsby-site/source-plugin.ts), `gatsby-plugin-image`
 * as ssr-pages' own module, and one module per side that gathers the `gatsby-ssr` / `gatsby-browser`
 * files of its plugins and of the site, in the order Gatsby runs them.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseSync } from "oxc-parser";
import type * as EsbuildApi from "esbuild";
import { gatsbySourcesPlugin } from "../gatsby-site/source-plugin.js";
import type { RunnablePlugin } from "../gatsby-site/plugins.js";
import type { SiteBuild } from "../gatsby-site/site-build.js";

/** The module that gathers the API files (`export const plugins = [{ name, options, module }]`). */
export const GATSBY_API_MODULE = { server: "ssr-pages:gatsby-ssr", browser: "ssr-pages:gatsby-browser" } as const;

/** The esbuild options a Gatsby site adds to a build of `target`. */
export function siteBuildOptions(site: SiteBuild, target: "server" | "browser", siteFile: string | undefined, gatsbyImage: string | undefined): Partial<EsbuildApi.BuildOptions> & { plugins: EsbuildApi.Plugin[] } {
  const config = site.config;
  const files = target === "server" ? site.plugins.ssr : site.plugins.browser;
  const apiFiles = [...files.map((one) => one.file), ...(siteFile === undefined ? [] : [siteFile])];
  const classic = config.file !== undefined && config.jsxRuntime === "classic";
  const plugins = [commonJsApiFiles(apiFiles), gatsbySourcesPlugin(site, classic), apiModule(GATSBY_API_MODULE[target], files, siteFile), imagePackage(target, gatsbyImage)];
  // Gatsby compiles a site's JSX with its `jsxRuntime` setting, `classic` unless the config says
  // `automatic`: under React 19's automatic runtime a function component's `defaultProps` are
  // dropped, and packages that rely on them (react-helmet) throw. Only for a site with a config:
  // an app that merely has `src/pages` keeps the automatic runtime.
  if (config.file === undefined || config.jsxRuntime === "automatic") {
    return { plugins, ...(config.jsxImportSource ? { jsxImportSource: config.jsxImportSource } : {}) };
  }
  plugins.push(reactShim());
  return { plugins, jsx: "transform", jsxFactory: "React.createElement", jsxFragment: "React.Fragment", inject: [REACT_SHIM] };
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
      build.onResolve({ filter: /^ssr-pages:react-shim$/ }, (args) => ({ path: args.path, namespace: "ssr-react-shim" }));
      build.onLoad({ filter: /.*/, namespace: "ssr-react-shim" }, () => ({ contents: `import * as React from "react";\nexport { React };\n`, loader: "js", resolveDir: build.initialOptions.absWorkingDir }));
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
        if (parsed.errors.length > 0 || parsed.module.hasModuleSyntax || !/\b(module\.)?exports\b/.test(source)) return undefined;
        const loader = args.path.endsWith(".ts") ? "ts" : args.path.endsWith(".tsx") ? "tsx" : "jsx";
        return { contents: `var module = { exports: {} }, exports = module.exports;\n${source}\nexport default module.exports;\n`, loader, resolveDir: path.dirname(args.path) };
      });
    },
  };
}

/** The module gathering `files` and then the site's own `siteFile` (absolute), each with its options. */
function apiModule(id: string, files: readonly RunnablePlugin[], siteFile: string | undefined): EsbuildApi.Plugin {
  const all = [...files, ...(siteFile === undefined ? [] : [{ name: "site", file: siteFile, options: { plugins: [] } }])];
  const contents =
    all.map((one, index) => `import * as m${index} from ${JSON.stringify(one.file)};\n`).join("") +
    `export const plugins = [${all.map((one, index) => `{ name: ${JSON.stringify(one.name)}, options: ${JSON.stringify(one.options)}, module: m${index} }`).join(", ")}];\n`;
  const filter = new RegExp(`^${id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
  return {
    name: "ssr-pages-gatsby-apis",
    setup(build) {
      build.onResolve({ filter }, (args) => ({ path: args.path, namespace: "ssr-gatsby-apis" }));
      build.onLoad({ filter: /.*/, namespace: "ssr-gatsby-apis" }, () => ({ contents, loader: "js", resolveDir: all[0] ? path.dirname(all[0].file) : build.initialOptions.absWorkingDir }));
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
      build.onResolve({ filter: /^gatsby-plugin-image$/ }, () => (target === "server" || file === undefined ? { path: "gatsby-plugin-image", external: true } : { path: file }));
    },
  };
}
