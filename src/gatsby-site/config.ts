/**
 * A Gatsby site's `gatsby-config` (`.js`, `.cjs`, `.mjs`, `.ts`), read once per compile: the site's
 * metadata, its plugins with their options and files, and the settings that change how pages are
 * served (`trailingSlash`, `jsxRuntime`, `pathPrefix`).
 *
 * The file is bundled with esbuild (TypeScript, ES module or CommonJS alike; its packages stay
 * `require`s of the site's own `node_modules`) and run as CommonJS with the site's `require`,
 * `__dirname` and `__filename`: configs use all three (`path: \`${__dirname}/src/images\``).
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import vm from "node:vm";
import type * as EsbuildApi from "esbuild";

type Esbuild = typeof EsbuildApi;

import type { TrailingSlash } from "../common/urls.js";

export type { TrailingSlash } from "../common/urls.js";

/** A plugin of the config, resolved. */
export interface SitePlugin {
  /** As written in the config (`gatsby-plugin-image`, `./plugins/my-plugin`). */
  name: string;
  /** Its folder (local plugins: `<site>/plugins/<name>`), or `undefined` when it is not installed. */
  dir: string | undefined;
  /** Its options as Gatsby gives them to its APIs (`plugins: []` included). */
  options: Readonly<Record<string, unknown>>;
  /** Its `gatsby-ssr`, `gatsby-browser` and `gatsby-node` files, absolute, where it has them. */
  files: { ssr: string | undefined; browser: string | undefined; node: string | undefined };
}

/** What the site's config says. */
export interface SiteConfig {
  /** The file read, absolute (`undefined`: the site has no config: everything is Gatsby's default). */
  file: string | undefined;
  /** It and the site's own files it imports (absolute), which the dev loop watches. */
  files: readonly string[];
  siteMetadata: Readonly<Record<string, unknown>>;
  plugins: readonly SitePlugin[];
  trailingSlash: TrailingSlash;
  /** As written (`""` without one). The mount path is what the pages are served under: see {@link configWarnings}. */
  pathPrefix: string;
  /** `classic` (Gatsby's default) or `automatic`. */
  jsxRuntime: "classic" | "automatic";
  /** With the automatic runtime: the package `jsx` comes from (`react` by default; `@emotion/react`…). */
  jsxImportSource: string | undefined;
}

const CONFIG_EXTENSIONS = [".js", ".cjs", ".mjs", ".ts", ".mts", ".cts"];
const PLUGIN_FILE_EXTENSIONS = [".js", ".cjs", ".mjs", ".jsx", ".ts", ".tsx"];

/** The `gatsby-config` file of the site at `root`, or `undefined`. */
export function findConfigFile(root: string): string | undefined {
  for (const ext of CONFIG_EXTENSIONS) {
    const file = path.join(root, `gatsby-config${ext}`);
    if (existsSync(file)) return file;
  }
  return undefined;
}

/**
 * Reads the config of the site at `root` (Gatsby's defaults without one).
 * @throws Error naming the file when it cannot be compiled or throws while running, or when a value
 *   has the wrong type (a `plugins` entry that is neither a name nor `{ resolve }`).
 */
export async function loadSiteConfig(root: string, esbuild: Esbuild): Promise<SiteConfig> {
  const file = findConfigFile(root);
  if (file === undefined) return defaultConfig(root);
  const { exported, files } = await runConfigFile(file, esbuild);
  const config =
    (exported && typeof exported === "object" && "default" in exported
      ? (exported as { default: unknown }).default
      : exported) ?? {};
  if (typeof config !== "object" || Array.isArray(config))
    throw new Error(`${file} must export the site's config object, got ${typeof config}`);
  // Gatsby reads the object as it is: a promise (an async function's result) would never be its config.
  if (typeof (config as { then?: unknown }).then === "function")
    throw new Error(`${file} exports a promise: it must export the site's config object itself`);
  const values = config as Record<string, unknown>;
  const siteMetadata = values.siteMetadata ?? {};
  if (typeof siteMetadata !== "object" || siteMetadata === null || Array.isArray(siteMetadata))
    throw new Error(`${file}: siteMetadata must be an object`);
  const trailingSlash = values.trailingSlash ?? "always";
  if (trailingSlash !== "always" && trailingSlash !== "never" && trailingSlash !== "ignore") {
    throw new Error(
      `${file}: trailingSlash must be "always", "never" or "ignore", got ${JSON.stringify(trailingSlash)}`,
    );
  }
  const jsxRuntime = values.jsxRuntime ?? "classic";
  if (jsxRuntime !== "classic" && jsxRuntime !== "automatic")
    throw new Error(`${file}: jsxRuntime must be "classic" or "automatic", got ${JSON.stringify(jsxRuntime)}`);
  const pathPrefix = values.pathPrefix ?? "";
  if (typeof pathPrefix !== "string") throw new Error(`${file}: pathPrefix must be a string`);
  const plugins = values.plugins ?? [];
  if (!Array.isArray(plugins)) throw new Error(`${file}: plugins must be an array`);
  return {
    file,
    files,
    siteMetadata: siteMetadata as Record<string, unknown>,
    plugins: plugins
      .filter((entry) => entry !== false && entry != null)
      .map((entry: unknown) => resolvePlugin(entry, root, file)),
    trailingSlash,
    pathPrefix,
    jsxRuntime,
    jsxImportSource: typeof values.jsxImportSource === "string" ? values.jsxImportSource : undefined,
  };
}

function defaultConfig(_root: string): SiteConfig {
  // No config: nothing of Gatsby's build applies (its `always` rule would redirect URLs that worked before).
  return {
    file: undefined,
    files: [],
    siteMetadata: {},
    plugins: [],
    trailingSlash: "ignore",
    pathPrefix: "",
    jsxRuntime: "classic",
    jsxImportSource: undefined,
  };
}

/**
 * Bundles the config to CommonJS and runs it as the site's own module: what it exports (in an object,
 * so a promise it exports is not awaited here), and the site's files it is made of.
 */
async function runConfigFile(file: string, esbuild: Esbuild): Promise<{ exported: unknown; files: string[] }> {
  let code: string;
  let files: string[];
  try {
    const result = await esbuild.build({
      entryPoints: [file],
      bundle: true,
      packages: "external",
      platform: "node",
      format: "cjs",
      target: "node20",
      write: false,
      logLevel: "silent",
      metafile: true,
      // An ES module config may read `import.meta.url` / `import.meta.dirname`: they are the config's own.
      define: {
        "import.meta.url": JSON.stringify(pathToFileURL(file).href),
        "import.meta.dirname": JSON.stringify(path.dirname(file)),
        "import.meta.filename": JSON.stringify(file),
      },
    });
    code = result.outputFiles[0]?.text ?? "";
    files = Object.keys(result.metafile.inputs).map((input) => path.resolve(input));
  } catch (error) {
    const first = (error as { errors?: Array<{ text: string; location?: { line: number; column: number } | null }> })
      .errors?.[0];
    const where = first?.location ? `:${first.location.line}:${first.location.column + 1}` : "";
    throw new Error(`${file}${where}: ${first?.text ?? (error as Error).message}`, { cause: error });
  }
  const module = { exports: {} as unknown };
  const require = createRequire(file);
  try {
    const run = vm.compileFunction(code, ["exports", "require", "module", "__filename", "__dirname"], {
      filename: file,
    });
    run(module.exports, require, module, file, path.dirname(file));
  } catch (error) {
    throw new Error(`${file} threw while loading: ${(error as Error)?.message ?? String(error)}`, { cause: error });
  }
  return { exported: module.exports, files };
}

/** A `plugins` entry → its folder, options and files. Local plugins (`<site>/plugins/<name>`) first, as Gatsby looks. */
function resolvePlugin(entry: unknown, root: string, configFile: string): SitePlugin {
  let name: string;
  let options: Record<string, unknown> = {};
  if (typeof entry === "string") {
    name = entry;
  } else if (
    typeof entry === "object" &&
    entry !== null &&
    typeof (entry as { resolve?: unknown }).resolve === "string"
  ) {
    name = (entry as { resolve: string }).resolve;
    const given = (entry as { options?: unknown }).options;
    if (given !== undefined && (typeof given !== "object" || given === null))
      throw new Error(`${configFile}: the options of plugin ${name} must be an object`);
    options = { ...(given as Record<string, unknown> | undefined) };
  } else {
    throw new Error(
      `${configFile}: each plugin must be a package name or { resolve, options }, got ${JSON.stringify(entry)}`,
    );
  }
  const dir = pluginDir(name, root);
  const find = (stem: string): string | undefined => {
    if (dir === undefined) return undefined;
    const ext = PLUGIN_FILE_EXTENSIONS.find((candidate) => existsSync(path.join(dir, stem + candidate)));
    return ext === undefined ? undefined : path.join(dir, stem + ext);
  };
  return {
    name,
    dir,
    options: { plugins: [], ...options },
    files: { ssr: find("gatsby-ssr"), browser: find("gatsby-browser"), node: find("gatsby-node") },
  };
}

function pluginDir(name: string, root: string): string | undefined {
  if (name.startsWith(".") || path.isAbsolute(name)) {
    const dir = path.resolve(root, name);
    return existsSync(dir) ? dir : undefined;
  }
  const local = path.join(root, "plugins", name);
  if (existsSync(path.join(local, "package.json")) || existsSync(local)) return local;
  try {
    return path.dirname(createRequire(path.join(root, "noop.js")).resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}
