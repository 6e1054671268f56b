/**
 * React Fast Refresh for the development browser build: each of the app's own modules (not a
 * package's) goes through oxc's transform, which adds React's refresh registration (the same calls
 * `react-refresh/babel` writes: `$RefreshReg$` for each component, `$RefreshSig$` for its hooks'
 * signature), then is bundled as usual. esbuild has no such transform of its own (esbuild#151).
 *
 * The registration is bound per module, not through globals: esbuild hoists every module of a chunk
 * into one scope, so the global-swapping prelude of an unbundled dev server would name the wrong
 * module. Each module imports the runtime's `register` and `signature`, and tells the runtime, after
 * its body ran, whether it is a boundary: only a module whose every export is a component keeps its
 * components' state across an update (client/refresh-runtime.ts). A page's exports other than
 * `default` and `Head` are not the browser's: they are not counted, and nothing added here refers
 * to them. Production builds never load this file (compile-browser.ts imports it only in development).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type * as EsbuildApi from "esbuild";
import { getTsconfig } from "get-tsconfig";
import { parseSync, type StaticExport } from "oxc-parser";
import { transform, type JsxOptions } from "oxc-transform";
import { moduleKey } from "./compile-errors.js";

/** The virtual module transformed modules import the registration from (client/refresh-runtime.ts in the browser). */
export const REFRESH_MODULE = "ssr-pages:refresh";

/** What the plugin needs besides the build's own options. */
export interface RefreshOptions {
  /** Absolute: module ids (the registration's family names) are paths relative to it. */
  pagesDir: string;
  /** The browser file `ssr-pages:refresh` resolves to. */
  runtime: string;
  /**
   * Files (absolute) of which the browser reads some exports only, by those exports' names: a page's
   * `default` and `Head` (its other exports are the server's), `_app`'s `Head` (its wrappers are taken
   * anew by the running tab, client/entry.tsx), none of a Gatsby site's `gatsby-browser`. Every other
   * module counts all it exports.
   */
  counted: ReadonlyMap<string, ReadonlySet<string>>;
  /** What the transformed files are kept for: the compile context, across its builds (see {@link refreshOnce}). */
  owner: object;
}

/** The app's source files: JavaScript and TypeScript, JSX or not (declaration files excluded below). */
const SOURCE = /\.[cm]?[jt]sx?$/;

/**
 * The esbuild plugin: transforms the app's own modules (outside `node_modules`) with the refresh
 * registration, and resolves the runtime they import. A module oxc cannot parse is left to esbuild,
 * whose error (file, line, code frame) is the one the overlay shows today; one with no component
 * in it is left to esbuild as well.
 */
export function refreshPlugin(options: RefreshOptions): EsbuildApi.Plugin {
  return {
    name: "ssr-pages-refresh",
    setup(build) {
      const jsx = jsxOf(build.initialOptions);
      const importSources = new Map<string, string>();
      // Each rebuild reads the tsconfig files again: one may be what was saved.
      build.onStart(() => importSources.clear());
      build.onResolve({ filter: /^ssr-pages:refresh$/ }, () => ({ path: options.runtime }));
      build.onLoad({ filter: SOURCE, namespace: "file" }, async (args) => {
        if (
          args.path.includes(`${path.sep}node_modules${path.sep}`) ||
          args.path.endsWith(".d.ts") ||
          args.path === options.runtime
        )
          return undefined;
        const source = await readFile(args.path, "utf8");
        const contents = await refreshOnce(
          options.owner,
          args.path,
          source,
          { id: moduleKey(options.pagesDir, args.path), counted: options.counted.get(args.path) },
          withTsconfig(args.path, jsx, importSources),
        );
        return contents === undefined ? undefined : { contents, loader: "js", resolveDir: path.dirname(args.path) };
      });
    },
  };
}

/** The JSX settings of a build, for oxc: the same runtime, factory and import source esbuild would use. */
export type JsxSettings = Pick<JsxOptions, "runtime" | "importSource" | "pragma" | "pragmaFrag">;

/** The build's JSX options as oxc's (`jsx: "transform"` is the classic runtime). */
export function jsxOf(options: EsbuildApi.BuildOptions): JsxSettings {
  if (options.jsx === "transform")
    return {
      runtime: "classic",
      pragma: options.jsxFactory ?? "React.createElement",
      pragmaFrag: options.jsxFragment ?? "React.Fragment",
    };
  return { runtime: "automatic", ...(options.jsxImportSource ? { importSource: options.jsxImportSource } : {}) };
}

/**
 * Which module a source is: `id` names its components for the runtime, the same from one build to
 * the next; `counted`: the names of the only exports the browser reads (see {@link RefreshOptions.counted}).
 */
export interface RefreshModule {
  id: string;
  counted: ReadonlySet<string> | undefined;
}

/** A file's last transform: its result holds while its text, its counted exports and the JSX settings do. */
interface Transformed {
  source: string;
  counted: ReadonlySet<string> | undefined;
  jsx: string;
  contents: string | undefined;
}

/** Each owner's transformed files, by path. */
const transformedBy = new WeakMap<object, Map<string, Transformed>>();

/**
 * {@link refreshSource}, once per file and text for `owner` (a compile context): esbuild loads every
 * file again on each build, and development makes a new esbuild context whenever the pages wanted
 * change (a page's first request), so a cache of the plugin's own would start empty each time. A
 * save then costs the transform of the files saved, whichever context or plugin loads them.
 */
export async function refreshOnce(
  owner: object,
  file: string,
  source: string,
  module: RefreshModule,
  jsx: JsxSettings,
): Promise<string | undefined> {
  let files = transformedBy.get(owner);
  if (files === undefined) transformedBy.set(owner, (files = new Map()));
  const settings = JSON.stringify(jsx);
  const done = files.get(file);
  if (done !== undefined && done.source === source && done.counted === module.counted && done.jsx === settings)
    return done.contents;
  const contents = await refreshSource(file, source, module, jsx);
  files.set(file, { source, counted: module.counted, jsx: settings, contents });
  return contents;
}

/**
 * `source` (of `file`) with the refresh registration, or `undefined` when there is nothing to
 * register (no component, no hook) or oxc cannot parse it: esbuild then builds the file itself.
 */
export async function refreshSource(
  file: string,
  source: string,
  module: RefreshModule,
  jsx: JsxSettings,
): Promise<string | undefined> {
  const { id } = module;
  const result = await transform(file, source, {
    lang: langOf(file),
    sourceType: "module",
    jsx: { ...jsx, development: false, refresh: true },
    typescript: { onlyRemoveTypeImports: false },
    sourcemap: true,
  });
  if (result.errors.length > 0 || !/\$RefreshReg\$|\$RefreshSig\$/.test(result.code)) return undefined;
  // Parsed only when there is something to register (most modules of an app have no component).
  const parsed = parseSync(file, source, { lang: langOf(file), sourceType: "module" });
  // A CommonJS file (`module.exports = …`) would stop being one with the imports added below.
  if (parsed.errors.length > 0 || (!parsed.module.hasModuleSyntax && /\b(module\.)?exports\b/.test(source)))
    return undefined;
  // One line, so the source map below stays true with one more line at its start.
  const prelude =
    `import { register as __ssrRegister, signature as $RefreshSig$, settle as __ssrSettle } from "${REFRESH_MODULE}"; ` +
    `function $RefreshReg$(type, name) { __ssrRegister(${JSON.stringify(id)}, type, name); }\n`;
  const registered = new Set([...result.code.matchAll(REGISTRATION)].map((match) => match[1] as string));
  const settle = `\n__ssrSettle(${JSON.stringify(id)}, ${isBoundary(parsed.module.staticExports, module.counted, registered)});\n`;
  const map = result.map && { ...result.map, mappings: `;${result.map.mappings}` };
  const link = map
    ? `//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString("base64")}\n`
    : "";
  return prelude + result.code + settle + link;
}

/** A component's registration in oxc's output: `$RefreshReg$(_c2, "Name")`, the name as declared in the module. */
const REGISTRATION = /\$RefreshReg\$\(_c\d*, "([^"]+)"\)/g;

/**
 * Whether the module is a Fast Refresh boundary: every export the browser reads (only the
 * `counted` ones, when given) is a component the transform registered. Decided here, from names,
 * and handed to the runtime as a constant: a reference to the exported values would keep each of
 * them, and all they use, in the browser bundle (a helper only `getServerData` calls, a token it
 * holds). Not a boundary: a re-export from another module (the runtime cannot see it), a module
 * that exports nothing at all (its importers run again). An anonymous default export
 * (`export default memo(…)`) has no name to read: it counts as the component it almost always is.
 */
function isBoundary(
  staticExports: readonly StaticExport[],
  counted: ReadonlySet<string> | undefined,
  registered: ReadonlySet<string>,
): boolean {
  let exports = 0;
  for (const { entries } of staticExports) {
    for (const entry of entries) {
      if (entry.isType) continue;
      exports++;
      if (counted && !counted.has(entry.exportName.kind === "Default" ? "default" : (entry.exportName.name ?? "")))
        continue;
      if (entry.moduleRequest) return false;
      const local = entry.localName.name;
      if (local && !registered.has(local)) return false;
    }
  }
  return counted !== undefined || exports > 0;
}

/** oxc's language for a file, by its extension. */
function langOf(file: string): "js" | "jsx" | "ts" | "tsx" {
  if (/\.[cm]?tsx$/.test(file)) return "tsx";
  if (/\.[cm]?ts$/.test(file)) return "ts";
  // JSX in `.js` files is common (Gatsby sites): parse every JavaScript file as JSX.
  return "jsx";
}

/**
 * The automatic runtime's import source from the file's `tsconfig.json` (`"jsxImportSource":
 * "@emotion/react"`), which esbuild reads for the build too; the build's own option wins, as in
 * esbuild. `cache`: folder → its tsconfig's import source (`""` for none), as every file of a folder asks.
 */
export function withTsconfig(file: string, jsx: JsxSettings, cache: Map<string, string>): JsxSettings {
  if (jsx.runtime !== "automatic" || jsx.importSource !== undefined) return jsx;
  const dir = path.dirname(file);
  let source = cache.get(dir);
  if (source === undefined) {
    source = getTsconfig(dir)?.config.compilerOptions?.jsxImportSource ?? "";
    cache.set(dir, source);
  }
  return source === "" ? jsx : { ...jsx, importSource: source };
}
