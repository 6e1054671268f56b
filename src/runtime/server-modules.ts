/**
 * The server build's CommonJS files (compile-server.ts), run on demand, the way Node's CommonJS
 * loader treats files: once, cached before they run (a cycle sees partial exports), forgotten when
 * they throw (the next `require` tries again).
 *
 * Inside a file, `require("./name")` is another file of the build. The ids in `provided` (this very
 * package: `ssr-pages`, `ssr-pages/client`) are the objects the composition root hands down, so the
 * `Link` a page renders reads the context our renderer provides and a thrown `SsrError` is ours. Any
 * other id resolves from the pages directory, as the app's own `require` would, so pages get the
 * app's React.
 */
import { createRequire } from "node:module";
import path from "node:path";
import vm from "node:vm";

/** Runs the files of one server build. */
export class ServerModules {
  private readonly modules = new Map<string, { exports: unknown }>();
  private readonly pageRequire: NodeJS.Require;

  /**
   * @param files the build's CommonJS files by name, as UTF-8 bytes; each is dropped once it has run.
   * @param dir the directory the files appear to live in: their stack frames name it.
   * @param provided module id → the exports a page gets for it, instead of the app's copy.
   */
  constructor(
    private readonly files: Map<string, Buffer>,
    private readonly dir: string,
    private readonly pagesDir: string,
    provided: ReadonlyMap<string, unknown>,
  ) {
    const appRequire = createRequire(path.join(pagesDir, "noop.js"));
    const pageRequire = (id: string): unknown => {
      const own = provided.get(id);
      if (own !== undefined) return own;
      const sibling = id.startsWith("./") ? id.slice(2) : "";
      if (this.modules.has(sibling) || this.files.has(sibling)) return this.require(sibling);
      // A package's stylesheet named without `.css` (`import "swiper/css"`, through its exports): the
      // compile could not tell it from code, and Node would run it as JavaScript. On the server CSS is nothing.
      if (isStylesheet(id, appRequire)) return {};
      return appRequire(id);
    };
    this.pageRequire = Object.assign(pageRequire, { resolve: appRequire.resolve, cache: appRequire.cache, main: appRequire.main, extensions: appRequire.extensions });
  }

  /**
   * The exports of the file `name`, run on first call.
   * @throws what the file throws; an Error when `name` is not in the build.
   */
  require(name: string): unknown {
    const cached = this.modules.get(name);
    if (cached) return cached.exports;
    const code = this.files.get(name);
    if (code === undefined) throw new Error(`ssr-pages: ${name} is not in the server build`);
    const filename = path.join(this.dir, name);
    const module = { exports: {} as unknown };
    this.modules.set(name, module);
    try {
      const run = vm.compileFunction(code.toString("utf8"), ["exports", "require", "module", "__filename", "__dirname"], { filename });
      // `__dirname` is the pages directory, as it was when all pages ran from one bundle there.
      run.call(module.exports, module.exports, this.pageRequire, module, filename, this.pagesDir);
    } catch (error) {
      this.modules.delete(name);
      throw error;
    }
    // V8 holds the compiled code (and the source it may compile lazily) from here on.
    this.files.delete(name);
    return module.exports;
  }
}

/** Whether `id`, as the app would resolve it, is a stylesheet. Runs once per package a file requires, not per request. */
function isStylesheet(id: string, appRequire: NodeJS.Require): boolean {
  if (/\.css$/i.test(id)) return true;
  if (!id.includes("/") || id.startsWith("node:")) return false; // a package's main entry is code
  try {
    return /\.css$/i.test(appRequire.resolve(id));
  } catch {
    return false; // let the require itself say why it cannot be found
  }
}
