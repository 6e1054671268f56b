/**
 * The server build's files, loaded on demand. A file is first `prepare`d (turned into CommonJS with
 * the files it requires, asynchronously, off the request path's hot loop), then `require`d
 * synchronously, each once, the way Node's CommonJS loader treats files: cached before it runs (a
 * cycle sees partial exports), forgotten when it throws (the next `require` tries again).
 */
import path from "node:path";
import * as esbuild from "esbuild";
import { createModuleEvaluator, type ModuleEvaluator } from "./load.js";
import type { StackMapper } from "./source-map.js";

/** How esbuild prints a require of another file of the same build. */
const SIBLING = /\brequire\("\.\/([\w.-]+\.js)"\)/g;
const decoder = new TextDecoder();

/** Loads the files of one server build. */
export class ServerModules {
  /** Transformed, not yet evaluated: CommonJS code as UTF-8 bytes. */
  private readonly cjs = new Map<string, Uint8Array>();
  private readonly modules = new Map<string, { exports: unknown }>();
  /** A file → the files it requires, once transformed. */
  private readonly transforms = new Map<string, Promise<string[]>>();
  private readonly preparing = new Map<string, Promise<void>>();
  /** Files whose whole require tree is transformed: `require` may run them. */
  private readonly prepared = new Set<string>();
  private readonly evaluate: ModuleEvaluator;

  /**
   * @param esm the build's ES module files by name; each is dropped once transformed.
   * @param dir the directory the files appear to live in: their stack frames name it.
   */
  constructor(
    private readonly esm: Map<string, Uint8Array>,
    private readonly dir: string,
    pagesDir: string,
    private readonly dev: boolean,
    private readonly stacks: StackMapper,
  ) {
    this.evaluate = createModuleEvaluator(pagesDir, (name) => (this.cjs.has(name) || this.modules.has(name) ? { found: this.require(name) } : undefined));
  }

  /** Makes `name` and every file it requires ready to `require`; `undefined` when they already are. */
  prepare(name: string): Promise<void> | undefined {
    if (this.prepared.has(name)) return undefined;
    let pending = this.preparing.get(name);
    if (!pending) {
      pending = this.transformTree(name).then(
        () => {
          this.prepared.add(name);
          this.preparing.delete(name);
        },
        (error: unknown) => {
          this.preparing.delete(name);
          throw error;
        },
      );
      this.preparing.set(name, pending);
    }
    return pending;
  }

  /** The exports of the prepared file `name`, evaluated on first call. @throws what the file throws. */
  require(name: string): unknown {
    const cached = this.modules.get(name);
    if (cached) return cached.exports;
    const code = this.cjs.get(name);
    if (!code) throw new Error(`ssr-pages: ${name} is not in the server build, or was not prepared`);
    const module = { exports: {} as unknown };
    this.modules.set(name, module);
    try {
      this.evaluate(decoder.decode(code), path.join(this.dir, name), module);
    } catch (error) {
      this.modules.delete(name);
      throw error;
    }
    // V8 holds the compiled code (and the source it may compile lazily) from here on.
    this.cjs.delete(name);
    return module.exports;
  }

  /** Transforms `name` and what it requires; the `seen` set and the shared transform promises keep a cycle between files from waiting on itself. */
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
      this.cjs.set(name, Buffer.from(result.code));
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
