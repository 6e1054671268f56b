/**
 * The framework file: React, React DOM and the scheduler built once, apart from the app, into one
 * browser module (`framework-<hash>.js`) that every browser build of the process shares.
 *
 * Why: React DOM is most of what a browser build bundles (about 1 MB in development), and every
 * compile used to bundle it again: 150–270 ms of esbuild in development (source map included), 55–70
 * ms in production, for each development rebuild, each middleware of a process and each test. Built
 * once per process, a compile bundles only the app. And the file's name is a hash of its bytes, the
 * same from one deploy to the next while React's version holds, so a returning visitor's browser
 * keeps React across deploys (Next.js's `framework` chunk does the same).
 *
 * How: the app's build resolves each of {@link FRAMEWORK_MODULES} to a small module that re-exports
 * one of the framework file's exports (the package's `module.exports`) under its names. That module is
 * ESM, so CommonJS packages that `require("react")` get its namespace (names and `default`), as
 * esbuild gives any ESM module to `require`.
 */
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import path from "node:path";
import type * as EsbuildApi from "esbuild";
import { BoundedMap } from "../common/bounded-map.js";
import type { Esbuild } from "./esbuild.js";

/** The modules the framework file holds: those of which a page must never run two copies. */
export const FRAMEWORK_MODULES = [
  "react",
  "react/jsx-runtime",
  "react/jsx-dev-runtime",
  "react-dom",
  "react-dom/client",
  "scheduler",
] as const;

/** The framework file of a browser build, and how the app's modules reach it. */
export interface FrameworkFile {
  /** Its file name (`framework-<hash>.js`), served with the build's other files. */
  name: string;
  /** The file, and in development its source map. */
  files: Array<{ name: string; contents: Uint8Array }>;
  /** Module id (one of {@link FRAMEWORK_MODULES} that resolves) → the names the package exports. */
  modules: ReadonlyMap<string, readonly string[]>;
}

/**
 * The framework file for the React that `pagesDir` resolves, in development or production; built on
 * first use and kept for the process (by the packages' folders and versions, and the mode).
 * `undefined` when the pages cannot resolve `react`: the browser build then bundles what it finds,
 * and reports what it does not, as it would without this file.
 */
export function frameworkFile(esbuild: Esbuild, pagesDir: string, dev: boolean): Promise<FrameworkFile | undefined> {
  const found = resolveFramework(pagesDir);
  if (found === undefined) return Promise.resolve(undefined);
  const key = JSON.stringify([found.packages, dev]);
  const made = built.get(key, () => buildFramework(esbuild, found, dev));
  // A failure is not kept: the next compile tries again.
  void made.then((file) => file ?? built.delete(key));
  return made;
}

/** Built framework files: a process meets one React, or a few (tests, or a monorepo's apps). */
const built = new BoundedMap<string, Promise<FrameworkFile | undefined>>(4);

/** The framework modules the pages resolve (id → file), where React lives, and each package's folder and version. */
interface FoundFramework {
  root: string;
  modules: Map<string, string>;
  packages: string[];
}

/** Names a module's exports are re-exported under (`export const { … }`): JavaScript names, not these. */
const NAME = /^[A-Za-z_$][\w$]*$/;
const NOT_NAMES = new Set(["default", "__esModule"]);

/** The framework modules `pagesDir` resolves, as Node resolves them (React's packages have no browser-only files). */
function resolveFramework(pagesDir: string): FoundFramework | undefined {
  const require = createRequire(path.join(pagesDir, "noop.js"));
  const modules = new Map<string, string>();
  const packages = new Set<string>();
  for (const id of FRAMEWORK_MODULES) {
    let file: string;
    try {
      file = require.resolve(id);
    } catch {
      if (id === "react") return undefined;
      continue;
    }
    modules.set(id, file);
    packages.add(packageOf(id, file));
  }
  const react = modules.get("react") as string;
  return {
    root: path.dirname(path.dirname(packageFolder("react", react))),
    modules,
    // Folders and versions: an `npm install` during a development session makes a new file.
    packages: [...packages].sort(),
  };
}

/**
 * The names each module exports, read by loading it in this process, then dropped from Node's
 * module cache again, so a server that never renders with React DOM's client build does not keep it.
 *
 * The names are those of the build `NODE_ENV` selects in this process: a development compile in a
 * process run with `NODE_ENV=production` lacks React's two development-only exports (`act`,
 * `captureOwnerStack`), which are then `undefined` in the browser.
 */
function exportNames(modules: ReadonlyMap<string, string>): Map<string, readonly string[]> {
  const require = createRequire(import.meta.url);
  const cached = new Set(Object.keys(require.cache));
  try {
    return new Map(
      [...modules].map(([id, file]) => {
        const exported: unknown = require(file);
        const names =
          exported !== null && (typeof exported === "object" || typeof exported === "function")
            ? Object.keys(exported).filter((name) => NAME.test(name) && !NOT_NAMES.has(name))
            : [];
        return [id, names];
      }),
    );
  } finally {
    for (const file of Object.keys(require.cache)) if (!cached.has(file)) delete require.cache[file];
  }
}

/** `<folder>@<version>` of the package that holds module `id`, resolved at `file`. */
function packageOf(id: string, file: string): string {
  const folder = packageFolder(id, file);
  const { version } = JSON.parse(readFileSync(path.join(folder, "package.json"), "utf8")) as { version?: string };
  return `${folder}@${version ?? ""}`;
}

/** The folder of the package of module `id` (`react-dom/client` → `…/node_modules/react-dom`), from its resolved `file`. */
function packageFolder(id: string, file: string): string {
  const name = id.split("/")[0] as string;
  const marker = `${path.sep}node_modules${path.sep}${name}${path.sep}`;
  const at = file.lastIndexOf(marker);
  return at === -1 ? path.dirname(file) : file.slice(0, at + marker.length - 1);
}

/** The framework file's export that holds module `id`'s `module.exports` (`react-dom/client` → `react_dom_client`). */
export function frameworkExport(id: string): string {
  return id.replace(/[^\w]/g, "_");
}

/**
 * Builds the framework file, or gives `undefined` when React's packages cannot be built or loaded
 * here: the app's build then bundles them as it finds them, and reports their errors against the
 * pages that import them, which a failure of this build could not.
 */
async function buildFramework(
  esbuild: Esbuild,
  found: FoundFramework,
  dev: boolean,
): Promise<FrameworkFile | undefined> {
  const ids = [...found.modules.keys()];
  const entry = [
    ...ids.map((id) => `import ${frameworkExport(id)} from ${JSON.stringify(id)};`),
    `export { ${ids.map(frameworkExport).join(", ")} };`,
  ].join("\n");
  // Built where the React it found lives, not in a pages directory: the same bytes (and source map)
  // for every pages directory of the process that resolves this React.
  const outdir = path.join(found.root, ".ssr-pages", "browser");
  const building = esbuild.build({
    stdin: { contents: entry, resolveDir: found.root, sourcefile: "ssr-pages-framework.js" },
    absWorkingDir: found.root,
    outdir,
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
  } satisfies EsbuildApi.BuildOptions);
  // Read while esbuild's process builds: loading React DOM takes this thread 60–110 ms.
  let modules: Map<string, readonly string[]> | undefined;
  try {
    modules = exportNames(found.modules);
  } catch {
    modules = undefined;
  }
  const result = await building.catch(() => undefined);
  if (result === undefined || modules === undefined) return undefined;
  const files = result.outputFiles.map((output) => ({ name: path.basename(output.path), contents: output.contents }));
  const code = result.outputFiles.find((output) => output.path.endsWith(".js")) as EsbuildApi.OutputFile;
  return { name: path.basename(code.path), files, modules };
}

/**
 * Resolves the framework modules in an app's browser build to re-exports of the framework file,
 * which stays outside the build (`./<name>`: the build's files share one folder).
 */
export function frameworkPlugin(framework: FrameworkFile): EsbuildApi.Plugin {
  const ids = [...framework.modules.keys()];
  const filter = new RegExp(`^(${ids.map((id) => id.replace(/[/]/g, "\\/")).join("|")})$`);
  return {
    name: "ssr-pages-framework",
    setup(build) {
      build.onResolve({ filter }, (args) => ({ path: args.path, namespace: "ssr-framework" }));
      build.onResolve({ filter: /^ssr-pages-framework-file$/ }, () => ({
        path: `./${framework.name}`,
        external: true,
      }));
      build.onLoad({ filter: /.*/, namespace: "ssr-framework" }, (args) => {
        const names = framework.modules.get(args.path) ?? [];
        const held = frameworkExport(args.path);
        const lines = [`import { ${held} } from "ssr-pages-framework-file";`, `export default ${held};`];
        if (names.length > 0) lines.push(`export const { ${names.join(", ")} } = ${held};`);
        return { contents: lines.join("\n"), loader: "js" };
      });
    },
  };
}
