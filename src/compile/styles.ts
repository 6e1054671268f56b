/**
 * CSS that pages import: plain stylesheets (`import "./site.css"`) and CSS modules
 * (`import styles from "./card.module.css"`, scoped class names).
 *
 * In the browser build esbuild bundles a page's CSS into one stylesheet per page, which the HTML links
 * and the client router loads before it shows the page. On the server CSS is nothing, except the
 * class names of a CSS module, which the server render needs too.
 *
 * Why CSS modules are compiled here, once per file, and not by esbuild inside each build: esbuild
 * names a local class after its file (`card_card`), renames clashes within one build by its order
 * (`card_card2`), and shortens every name when it minifies (`.o`). The server and the browser build
 * see different sets of files, and only the browser build is minified, so the server rendered
 * `class="card_card"` beside a stylesheet that said `.o`. Here each file is compiled on its own under
 * a name of its own (its stem and a hash of its path relative to the pages directory), unminified, and
 * both builds take the result: one set of names, the same on every start and every machine.
 */
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import path from "node:path";
import vm from "node:vm";
import type * as EsbuildApi from "esbuild";
import { assetsPlugin, type AssetFiles } from "./assets.js";
import type { Esbuild } from "./esbuild.js";
import { loadOrReport } from "./style-error.js";
import type { StyleTransform } from "./style-transform.js";
import { moduleFile, moduleKey } from "./compile-errors.js";

/** Stylesheets pages import: CSS, and Sass in both syntaxes. */
export const STYLESHEET = /\.(css|s[ac]ss)$/i;

/** CSS modules: `card.module.css`, `card.module.scss`, `card.module.sass`. */
const CSS_MODULE = /\.module\.(css|s[ac]ss)$/i;

/** A compiled CSS module: its class names (local name → the names to put in `class`), and its CSS. */
export interface CompiledCssModule {
  names: Record<string, string>;
  css: string;
}

/** The CSS modules of one compile, each compiled once, shared by its server and browser builds. */
export class CssModules {
  private readonly compiled = new Map<string, Promise<CompiledCssModule>>();

  constructor(
    private readonly esbuild: Esbuild,
    private readonly pagesDir: string,
    private readonly assets: AssetFiles,
    private readonly styles: StyleTransform,
  ) {}

  /** Forgets every compiled module (the development compiler, before a rebuild: any of them may have changed). */
  clear(): void {
    this.compiled.clear();
  }

  /** The module at `file` (absolute), compiled on first use. */
  compile(file: string): Promise<CompiledCssModule> {
    let entry = this.compiled.get(file);
    if (!entry) {
      entry = this.run(file);
      this.compiled.set(file, entry);
    }
    return entry;
  }

  /**
   * The name esbuild compiles `file` under: its directory, and `<stem>-<hash>.module.css`, so its
   * classes are `<stem>_<hash>_<class>`. (esbuild takes a local name's prefix from the file name.)
   */
  private nameFor(file: string): string {
    const relative = path.relative(this.pagesDir, file).split(path.sep).join("/");
    const hash = createHash("sha256").update(relative).digest("hex").slice(0, 8);
    const stem =
      path
        .basename(file)
        .replace(CSS_MODULE, "")
        .replace(/[^\w-]+/g, "_") || "css";
    return path.join(path.dirname(file), `${stem}-${hash}.module.css`);
  }

  private async run(file: string): Promise<CompiledCssModule> {
    const named = new Map<string, string>(); // the name it is compiled under → the real file
    const nameOf = (real: string) => {
      const name = this.nameFor(real);
      named.set(name, real);
      return name;
    };
    const styles = this.styles;
    let result: EsbuildApi.BuildResult & { outputFiles: EsbuildApi.OutputFile[] };
    try {
      result = await this.esbuild.build({
        stdin: {
          contents: `export { default } from ${JSON.stringify(nameOf(file))};`,
          resolveDir: path.dirname(file),
          loader: "js",
        },
        bundle: true,
        write: false,
        format: "cjs",
        // Messages name files relative to this: the pages directory, as the main builds' do.
        absWorkingDir: this.pagesDir,
        outdir: path.join(this.pagesDir, ".ssr-pages", "css-modules"),
        logLevel: "silent",
        plugins: [
          // A file's `url()`s are resolved here, from the file itself, so an error points at its own
          // lines; the compiled CSS then holds the served names, which the browser build leaves alone.
          assetsPlugin(this.assets),
          {
            name: "ssr-pages-css-module",
            setup(build) {
              // This file and any it `composes` from, each under its own name.
              build.onResolve({ filter: CSS_MODULE }, (args) => {
                if (args.kind === "url-token" || args.kind === "import-rule") return undefined;
                const target = named.has(args.path) ? args.path : nameOf(path.resolve(args.resolveDir, args.path));
                return { path: target, namespace: "ssr-css-module" };
              });
              // Its source through Sass and PostCSS first (style-transform.ts): esbuild gets CSS.
              build.onLoad({ filter: /.*/, namespace: "ssr-css-module" }, (args) => {
                const real = named.get(args.path) as string;
                return loadOrReport(real, async () => ({
                  contents: (await styles.transform(real)).css,
                  loader: "local-css",
                  resolveDir: path.dirname(real),
                  watchFiles: [real],
                }));
              });
              // Any other `url()` and `@import` stays as written: the page's build resolves it, from this file's folder.
              build.onResolve({ filter: /.*/ }, (args) =>
                args.kind === "url-token" || args.kind === "import-rule"
                  ? { path: args.path, external: true }
                  : undefined,
              );
            },
          },
        ],
      });
    } catch (error) {
      // Its messages name the files as they were compiled (`card-3f2a1b9c.module.css`): name the real ones.
      for (const message of (error as { errors?: EsbuildApi.Message[] }).errors ?? []) {
        const compiledAs = message.location?.file.replace(/^ssr-css-module:/, "");
        const real = compiledAs === undefined ? undefined : named.get(path.resolve(this.pagesDir, compiledAs));
        if (message.location && real !== undefined) message.location.file = real;
      }
      throw error;
    }
    const js = result.outputFiles.find((output) => output.path.endsWith(".js"))?.text ?? "";
    // esbuild heads each file's rules with a comment naming it by its absolute path: not for a browser.
    const css = (result.outputFiles.find((output) => output.path.endsWith(".css"))?.text ?? "").replace(
      /^\/\* ssr-css-module:.*\*\/\n/gm,
      "",
    );
    return { names: evaluateNames(js), css };
  }
}

/** The class-name object of esbuild's CommonJS output for one CSS module (our own build's code, a literal). */
function evaluateNames(js: string): Record<string, string> {
  const module = { exports: {} as { default?: Record<string, string> } };
  vm.runInNewContext(js, { module, exports: module.exports });
  return { ...module.exports.default };
}

const RESERVED = new Set(
  "break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await".split(
    " ",
  ),
);

/** A CSS module as JavaScript: the names as its default export, and as named exports where a name is an identifier. */
function namesModule(names: Record<string, string>): string {
  const named = Object.entries(names)
    .filter(([name]) => /^[A-Za-z_$][\w$]*$/.test(name) && !RESERVED.has(name))
    .map(([name, value]) => `export const ${name} = ${JSON.stringify(value)};`);
  return `export default ${JSON.stringify(names)};\n${named.join("\n")}\n`;
}

/**
 * The esbuild plugin for CSS imported from JavaScript. Server: plain CSS is an empty module, a CSS
 * module its names. Browser: a CSS module is its names plus its compiled CSS, which esbuild then
 * bundles into the page's stylesheet like any plain CSS (resolving its `url()`s from the file's folder).
 */
export function stylesPlugin(
  { cssModules: modules, styles }: { cssModules: CssModules; styles: StyleTransform },
  target: "server" | "browser",
): EsbuildApi.Plugin {
  return {
    name: `ssr-pages-styles-${target}`,
    setup(build) {
      const pagesDir = build.initialOptions.absWorkingDir ?? "";
      build.onResolve({ filter: STYLESHEET }, (args) => {
        if (
          args.kind === "url-token" ||
          args.kind === "import-rule" ||
          args.namespace === "ssr-css-text" ||
          args.path.startsWith("ssr-css-text:")
        )
          return undefined;
        let file: string;
        if (args.path.startsWith(".") || path.isAbsolute(args.path)) {
          file = path.resolve(args.resolveDir, args.path);
        } else {
          // A package's CSS (`some-ui/dist/styles.css`), found as Node finds it: the server build keeps
          // packages external, where Node would load the stylesheet as JavaScript and fail.
          try {
            file = createRequire(path.join(args.resolveDir, "noop.js")).resolve(args.path);
          } catch (error) {
            return {
              errors: [
                {
                  text: `Could not find the stylesheet ${JSON.stringify(args.path)}: ${(error as Error).message.split("\n", 1)[0]}`,
                },
              ],
            };
          }
        }
        if (CSS_MODULE.test(file)) return { path: moduleKey(pagesDir, file), namespace: "ssr-css-module" };
        return target === "server" ? { path: moduleKey(pagesDir, file), namespace: "ssr-css-none" } : { path: file };
      });
      build.onLoad({ filter: /.*/, namespace: "ssr-css-module" }, async (args) => {
        const file = moduleFile(pagesDir, args.path);
        let compiled: CompiledCssModule;
        try {
          compiled = await modules.compile(file);
        } catch (error) {
          // Each message says which module failed (`detail.module`), wherever its location points
          // (a partial, a file it composes from): the browser build stands that module in (compile.ts).
          const messages: EsbuildApi.PartialMessage[] = (error as { errors?: EsbuildApi.Message[] }).errors ?? [
            { text: `${file}: ${(error as Error).message}` },
          ];
          return { errors: messages.map((message) => ({ ...message, detail: { module: file } })), watchFiles: [file] };
        }
        const css = target === "browser" ? `import ${JSON.stringify(`ssr-css-text:${args.path}`)};\n` : "";
        return {
          contents: css + namesModule(compiled.names),
          loader: "js",
          resolveDir: path.dirname(file),
          watchFiles: [file],
        };
      });
      build.onLoad({ filter: /.*/, namespace: "ssr-css-none" }, (args) => ({
        contents: "",
        loader: "js",
        watchFiles: [moduleFile(pagesDir, args.path)],
      }));
      if (target === "browser") {
        // Every stylesheet of the bundle, imported from code or by another stylesheet's `@import`,
        // reaches esbuild through the transform: Sass to CSS, then the app's PostCSS.
        build.onLoad({ filter: STYLESHEET, namespace: "file" }, (args) =>
          loadOrReport(args.path, async () => ({
            contents: (await styles.transform(args.path)).css,
            loader: "css",
            resolveDir: path.dirname(args.path),
            watchFiles: [args.path],
          })),
        );
        build.onResolve({ filter: /^ssr-css-text:/ }, (args) => ({
          path: args.path.slice("ssr-css-text:".length),
          namespace: "ssr-css-text",
        }));
        build.onLoad({ filter: /.*/, namespace: "ssr-css-text" }, async (args) => ({
          contents: (await modules.compile(moduleFile(pagesDir, args.path))).css,
          loader: "css",
          resolveDir: path.dirname(moduleFile(pagesDir, args.path)),
        }));
      }
    },
  };
}
