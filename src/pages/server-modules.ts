/**
 * The server build's files, loaded on demand. A file is first `prepare`d: turned into CommonJS with
 * every file it requires (Node cannot evaluate ES modules from memory without a flag), asynchronously
 * and once per file. Then `require` runs it synchronously, once, the way Node's CommonJS loader
 * treats files: cached before it runs (a cycle sees partial exports), forgotten when it throws (the
 * next `require` tries again).
 *
 * Inside a file, `require("./name")` is another file of the build. Any other id resolves from the
 * pages directory, as the app's own `require` would, so pages get the app's React; `ssr-pages/client`
 * and `ssr-pages` are this very package, so the `Link` a page renders reads the context our renderer
 * provides.
 */
import { createRequire } from "node:module";
import path from "node:path";
import vm from "node:vm";
import * as esbuild from "esbuild";
import * as clientModule from "../client/index.js";
import * as coreModule from "../index.js";
import type { StackMapper } from "./source-map.js";

/** How esbuild prints a require of another file of the same build. */
const SIBLING = /\brequire\("\.\/([\w.-]+\.js)"\)/g;

/** Loads the files of one server build. */
export class ServerModules {
  /** Transformed, not yet run: CommonJS code (normally run right after its tree is prepared). */
  private readonly cjs = new Map<string, string>();
  private readonly modules = new Map<string, { exports: unknown }>();
  /** A file → the files it requires, once transformed. */
  private readonly transforms = new Map<string, Promise<string[]>>();
  /** A file → its require tree being transformed, or `true` once it is. */
  private readonly trees = new Map<string, Promise<void> | true>();
  private readonly pageRequire: NodeJS.Require;

  /**
   * @param esm the build's ES module files by name, as UTF-8 bytes; each is dropped once transformed.
   * @param dir the directory the files appear to live in: their stack frames name it.
   */
  constructor(
    private readonly esm: Map<string, Uint8Array>,
    private readonly dir: string,
    private readonly pagesDir: string,
    private readonly dev: boolean,
    private readonly stacks: StackMapper,
  ) {
    const appRequire = createRequire(path.join(pagesDir, "noop.js"));
    const pageRequire = (id: string): unknown => {
      if (id === "ssr-pages/client") return clientModule;
      if (id === "ssr-pages") return coreModule;
      const sibling = id.startsWith("./") ? id.slice(2) : "";
      return this.modules.has(sibling) || this.cjs.has(sibling) ? this.run(sibling) : appRequire(id);
    };
    this.pageRequire = Object.assign(pageRequire, { resolve: appRequire.resolve, cache: appRequire.cache, main: appRequire.main, extensions: appRequire.extensions });
  }

  /** Makes `name` and every file it requires ready to `require`; `undefined` when they already are. */
  prepare(name: string): Promise<void> | undefined {
    const tree = this.trees.get(name);
    if (tree === true) return undefined;
    if (tree) return tree;
    const pending = this.transformTree(name).then(
      () => void this.trees.set(name, true),
      (error: unknown) => {
        this.trees.delete(name);
        throw error;
      },
    );
    this.trees.set(name, pending);
    return pending;
  }

  /**
   * The exports of the prepared file `name`, run on first call.
   * @throws what the file throws; an Error when `name` and all it requires were not prepared first.
   */
  require(name: string): unknown {
    if (this.trees.get(name) !== true) throw new Error(`ssr-pages: ${name} is not in the server build, or was not prepared`);
    return this.run(name);
  }

  /** Runs a transformed file once, the way Node's CommonJS loader does. */
  private run(name: string): unknown {
    const cached = this.modules.get(name);
    if (cached) return cached.exports;
    const code = this.cjs.get(name);
    if (code === undefined) throw new Error(`ssr-pages: ${name} is not in the server build, or was not prepared`);
    const filename = path.join(this.dir, name);
    const module = { exports: {} as unknown };
    this.modules.set(name, module);
    try {
      const run = vm.compileFunction(code, ["exports", "require", "module", "__filename", "__dirname"], { filename });
      // `__dirname` is the pages directory, as it was when all pages ran from one bundle there.
      run.call(module.exports, module.exports, this.pageRequire, module, filename, this.pagesDir);
    } catch (error) {
      this.modules.delete(name);
      throw error;
    }
    // V8 holds the compiled code (and the source it may compile lazily) from here on.
    this.cjs.delete(name);
    return module.exports;
  }

  /** Transforms `name` and what it requires; `seen` and the shared transform promises keep a cycle between files from waiting on itself. */
  private async transformTree(name: string): Promise<void> {
    const seen = new Set([name]);
    let frontier = [name];
    while (frontier.length > 0) {
      const required = await Promise.all(frontier.map((file) => this.transform(file)));
      frontier = required.flat().filter((file) => !seen.has(file) && seen.add(file));
    }
  }

  private transform(name: string): Promise<string[]> {
    let pending = this.transforms.get(name);
    if (pending) return pending;
    pending = (async () => {
      const source = this.esm.get(name);
      if (!source) throw new Error(`ssr-pages: ${name} is missing from the server build`);
      const filename = path.join(this.dir, name);
      const result = await esbuild.transform(source, {
        format: "cjs",
        loader: "js",
        target: "node20",
        // A page's `import("./x")` must become a require of the sibling file: code run by
        // vm.compileFunction has no dynamic import of its own.
        supported: { "dynamic-import": false },
        sourcefile: filename,
        sourcemap: this.dev ? "external" : false,
        logLevel: "silent",
      });
      if (this.dev) this.stacks.add(filename, absoluteSources(result.map, this.dir));
      this.cjs.set(name, result.code);
      this.esm.delete(name);
      return [...result.code.matchAll(SIBLING)].map((match) => match[1] as string).filter((file) => this.esm.has(file) || this.transforms.has(file));
    })();
    pending.catch(() => this.transforms.delete(name));
    this.transforms.set(name, pending);
    return pending;
  }
}

/** Rewrites a source map's `sources` (relative to the files' directory) as absolute paths. */
function absoluteSources(map: string, dir: string): string {
  const parsed = JSON.parse(map) as { sources: string[] };
  parsed.sources = parsed.sources.map((source) => path.resolve(dir, source));
  return JSON.stringify(parsed);
}
