/**
 * The framework file: React, React DOM and the scheduler built once, apart from the app, into one
 * browser module (`framework-<hash>.js`) that every browser build of the process shares.
 *
 * Why: React DOM is most of what a browser build bundles (about 1 MB in development), and every
 * compile used to bundle it again: about 200 ms of a 330 ms development compile here (source maps
 * included), 80 ms of a 200 ms production one, for each development rebuild, each middleware of a
 * process and each test. Built once per process, a compile bundles only the app. And the file's name
 * is a hash of its bytes, the same from one deploy to the next while React's version holds, so a
 * returning visitor's browser keeps React across deploys (Next.js's `framework` chunk does the same).
 *
 * How: the framework file exports each package's `module.exports`. In the app's build each of
 * {@link FRAMEWORK_MODULES} is a one-line CommonJS module that takes its object from the file
 * (through one ES module, the bridge, which imports the file: a CommonJS module cannot import).
 * Being CommonJS, it gives every importer what bundling React itself gave: `require("react")` is
 * React's own object, a named import reads it live, and a name React does not export is
 * `undefined`, not a build error. No export name has to be known.
 */
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import path from "node:path";
import type * as EsbuildApi from "esbuild";
import { BoundedMap } from "../common/bounded-map.js";
import { withEsbuild } from "./esbuild.js";

/** The modules the framework file holds: those of which a page must never run two copies. */
export const FRAMEWORK_MODULES = [
  "react",
  "react/jsx-runtime",
  "react/jsx-dev-runtime",
  "react-dom",
  "react-dom/client",
  "scheduler",
] as const;

/** The framework file of a browser build. */
export interface FrameworkFile {
  /** Its file name (`framework-<hash>.js`), served with the build's other files. */
  name: string;
  /** The file, and in development its source map. */
  files: Array<{ name: string; contents: Uint8Array }>;
  /** The ids of {@link FRAMEWORK_MODULES} it holds: those the pages resolve. */
  modules: readonly string[];
}

/**
 * The framework file for the React that `pagesDir` resolves, in development or production; built on
 * first use and kept for the process (by the files resolved, the packages' versions and the mode).
 * `undefined` when the pages resolve no React, or React's packages do not build: the app's build then
 * bundles what it finds, and reports what it cannot against the pages that import it, as it did
 * before this file existed. (A build error is kept as that answer too: bundling React costs no more
 * than before. Any other failure, such as esbuild's process ending, is tried again next time.)
 *
 * A kept file is about 0.2 MB in production and 1.7 MB in development (with its source map). Never
 * rejects.
 */
export function frameworkFile(pagesDir: string, dev: boolean): Promise<FrameworkFile | undefined> {
  const found = resolveFramework(pagesDir);
  if (found === undefined) return Promise.resolve(undefined);
  const key = JSON.stringify([[...found.files], found.versions, dev]);
  return built.get(key, () => buildFramework(found, dev, () => built.delete(key)));
}

/** Built framework files: a process meets one React, or a few (tests, or a monorepo's apps). */
const built = new BoundedMap<string, Promise<FrameworkFile | undefined>>(4);

/** The framework modules the pages resolve (id → file), where React lives, and the packages' versions. */
interface FoundFramework {
  root: string;
  files: Map<string, string>;
  versions: string[];
}

/**
 * The framework modules as the pages resolve them (React's packages have no browser-only files, so
 * Node's resolution is the browser build's): React and React DOM from the pages directory, the
 * scheduler from React DOM, which is its one user. `undefined` without React, or when a package is
 * not what its id says (`"react": "npm:@preact/compat"`: its browser build is not Node's, and the
 * app's own imports of it would make a second copy beside the file's) or its `package.json` cannot
 * be read.
 */
function resolveFramework(pagesDir: string): FoundFramework | undefined {
  const files = new Map<string, string>();
  for (const id of FRAMEWORK_MODULES) {
    const from = id === "scheduler" ? files.get("react-dom") : path.join(pagesDir, "noop.js");
    if (from === undefined) continue;
    try {
      files.set(id, createRequire(from).resolve(id));
    } catch {
      if (id === "react") return undefined;
    }
  }
  const react = files.get("react") as string;
  try {
    const versions = [...new Set([...files].map(([id, file]) => packageVersion(packageOf(id), file)))].sort();
    return { root: path.dirname(path.dirname(packageFolder("react", react))), files, versions };
  } catch {
    return undefined;
  }
}

/** The package of module `id` (`react-dom/client` → `react-dom`). */
const packageOf = (id: string): string => id.split("/")[0] as string;

/**
 * `<name>@<version>` of package `name`, one of whose modules resolved at `file`: a new install of
 * another version is a new file. Throws when the package found is another (an alias).
 */
function packageVersion(name: string, file: string): string {
  const manifest = JSON.parse(readFileSync(path.join(packageFolder(name, file), "package.json"), "utf8")) as {
    name?: unknown;
    version?: unknown;
  };
  if (manifest.name !== name) throw new Error(`ssr-pages: ${name} resolves to ${String(manifest.name)}`);
  return `${name}@${String(manifest.version)}`;
}

/** The folder of package `name` (`…/node_modules/react-dom`), from the resolved `file` of one of its modules. */
function packageFolder(name: string, file: string): string {
  const marker = `${path.sep}node_modules${path.sep}${name}${path.sep}`;
  const at = file.lastIndexOf(marker);
  return at === -1 ? path.dirname(file) : file.slice(0, at + marker.length - 1);
}

/** The framework file's export that holds module `id`'s `module.exports` (`react-dom/client` → `react_dom_client`). */
function exportOf(id: string): string {
  return id.replace(/\W/g, "_");
}

/**
 * Builds the framework file, or gives `undefined` when React's packages do not build (the app's
 * build then meets the same errors and names the pages they reach). On any other failure it calls
 * `forget`, so that the next compile tries again.
 */
async function buildFramework(
  found: FoundFramework,
  dev: boolean,
  forget: () => void,
): Promise<FrameworkFile | undefined> {
  const ids = [...found.files.keys()];
  // The files the pages resolve, by path: the same bytes for every pages directory that resolves them.
  const entry = [
    ...ids.map((id) => `import ${exportOf(id)} from ${JSON.stringify(found.files.get(id))};`),
    `export { ${ids.map(exportOf).join(", ")} };`,
  ].join("\n");
  try {
    // On ssr-pages' esbuild, held for this build: the compile that asked for the file may end first
    // (a Gatsby config that fails to load) and stop a service it alone held.
    const result = await withEsbuild((esbuild) =>
      esbuild.build({
        stdin: { contents: entry, resolveDir: found.root, sourcefile: "ssr-pages-framework.js" },
        // Paths in the output (development's comments, the source map) are relative to where React
        // lives, not to a pages directory or the machine's folders.
        absWorkingDir: found.root,
        outdir: path.join(found.root, ".ssr-pages", "browser"),
        entryNames: "framework-[hash]",
        bundle: true,
        format: "esm",
        platform: "browser",
        target: "es2020",
        minify: !dev,
        sourcemap: dev ? "linked" : false,
        sourcesContent: false,
        define: { "process.env.NODE_ENV": JSON.stringify(dev ? "development" : "production") },
        write: false,
        logLevel: "silent",
        // React DOM's own imports of React and the scheduler are the pages' (a nested copy would be
        // a second React in the file).
        plugins: [samePackages(found.files)],
      }),
    );
    const code = result.outputFiles.find((output) => output.path.endsWith(".js")) as EsbuildApi.OutputFile;
    return {
      name: path.basename(code.path),
      files: result.outputFiles.map((output) => ({ name: path.basename(output.path), contents: output.contents })),
      modules: ids,
    };
  } catch (error) {
    // esbuild's build errors come with their messages; anything else (its process ended) is not React's.
    if (!Array.isArray((error as { errors?: unknown }).errors)) forget();
    return undefined;
  }
}

/** Resolves the framework modules, wherever imported from in the framework build, to the files the pages resolve. */
function samePackages(files: ReadonlyMap<string, string>): EsbuildApi.Plugin {
  return {
    name: "ssr-pages-framework-packages",
    setup(build) {
      build.onResolve({ filter: exactly(files.keys()) }, (args) => ({ path: files.get(args.path) as string }));
    },
  };
}

/** The ids of the framework file in an app's build (virtual modules; `ssr-pages:` is ours). */
const BRIDGE = "ssr-pages:framework-bridge";
const FILE = "ssr-pages:framework-file";

/**
 * Resolves the framework modules in an app's browser build to CommonJS modules that take React's
 * objects from the framework file, which stays outside the build (`./<name>`: the build's files
 * share one folder).
 */
export function frameworkPlugin(framework: FrameworkFile): EsbuildApi.Plugin {
  const bridge = `export { ${framework.modules.map(exportOf).join(", ")} } from ${JSON.stringify(FILE)};`;
  return {
    name: "ssr-pages-framework",
    setup(build) {
      build.onResolve({ filter: exactly(framework.modules) }, (args) => ({
        path: args.path,
        namespace: "ssr-framework",
      }));
      build.onLoad({ filter: /.*/, namespace: "ssr-framework" }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(BRIDGE)}).${exportOf(args.path)};`,
        loader: "js",
      }));
      build.onResolve({ filter: /^ssr-pages:framework-bridge$/ }, (args) => ({
        path: args.path,
        namespace: "ssr-framework-bridge",
      }));
      build.onLoad({ filter: /.*/, namespace: "ssr-framework-bridge" }, () => ({ contents: bridge, loader: "js" }));
      build.onResolve({ filter: /^ssr-pages:framework-file$/ }, () => ({
        path: `./${framework.name}`,
        external: true,
      }));
    },
  };
}

/** A filter that matches exactly these module ids (esbuild's filters are Go regular expressions). */
function exactly(ids: Iterable<string>): RegExp {
  return new RegExp(`^(${[...ids].map((id) => id.replace(/[/]/g, "\\/")).join("|")})$`);
}
