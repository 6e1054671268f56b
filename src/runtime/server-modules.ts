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
import type { ServerFiles } from "./build-parts.js";

/** Runs the files of one server build. */
export class ServerModules {
  private readonly modules = new Map<string, { exports: unknown }>();
  private readonly pageRequire: NodeJS.Require;
  private readonly appRequire: NodeJS.Require;
  /** Packages that could not be loaded (not installed, or threw while loading), and why. */
  readonly failedPackages = new Map<string, unknown>();
  /** The files whose top level is running, innermost last. */
  private readonly running: string[] = [];

  /**
   * @param files the build's CommonJS files by name, as UTF-8 bytes; each is dropped once it has run.
   * @param dir the directory the files appear to live in: their stack frames name it.
   * @param provided module id → the exports a page gets for it, instead of the app's copy.
   * @param imports file name → the packages its `import` statements name (hoisted to its top).
   */
  constructor(
    private readonly files: ServerFiles,
    private readonly dir: string,
    private readonly pagesDir: string,
    provided: ReadonlyMap<string, unknown>,
    private readonly imports: ReadonlyMap<string, ReadonlySet<string>> = new Map(),
  ) {
    const appRequire = createRequire(path.join(pagesDir, "noop.js"));
    this.appRequire = appRequire;
    const pageRequire = (id: string): unknown => {
      const own = provided.get(id);
      if (own !== undefined) return own;
      const sibling = id.startsWith("./") ? id.slice(2) : "";
      if (this.modules.has(sibling) || this.files.has(sibling)) return this.require(sibling);
      // A package's stylesheet named without `.css` (`import "swiper/css"`, through its exports): the
      // compile could not tell it from code, and Node would run it as JavaScript. On the server CSS is nothing.
      if (isStylesheet(id, appRequire)) return {};
      // A path (a sibling the build does not have, a file of the app's) is code's own mistake: as Node says it.
      if (id.startsWith(".") || path.isAbsolute(id)) return appRequire(id);
      return this.requirePackage(id, appRequire);
    };
    this.pageRequire = Object.assign(pageRequire, {
      resolve: appRequire.resolve,
      cache: appRequire.cache,
      main: appRequire.main,
      extensions: appRequire.extensions,
    });
  }

  /**
   * A package, as the app would load it. One that cannot be loaded is not the end of the file that
   * imports it: a group of pages imports its packages at its top, and one page's broken package
   * must not fail the others. Only there, an `import` statement of the file whose top level is
   * running, is the failure recorded (pages that import it fail, naming it: see runtime/build.ts)
   * and stood in for by a value that throws that error on any use. Any other `require` throws as
   * Node's does, so `try { require("optional") } catch {}` still finds it missing.
   */
  private requirePackage(id: string, appRequire: NodeJS.Require): unknown {
    const top = this.running[this.running.length - 1];
    if (top === undefined || this.imports.get(top)?.has(id) !== true) return appRequire(id);
    const failed = this.failedPackages.get(id);
    if (failed !== undefined) return failedPackage(id, failed);
    try {
      return appRequire(id);
    } catch (error) {
      this.failedPackages.set(id, error);
      return failedPackage(id, error);
    }
  }

  /**
   * A package for the code around the pages (the render's collectors), the very copy the pages load:
   * resolved as theirs, failing as it failed for them.
   * @throws what loading it threw, for the pages or now.
   */
  requireForRender(id: string): unknown {
    const failed = this.failedPackages.get(id);
    if (failed !== undefined) throw failed;
    return this.appRequire(id);
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
      const run = vm.compileFunction(
        code.toString("utf8"),
        ["exports", "require", "module", "__filename", "__dirname"],
        { filename },
      );
      // `__dirname` is the pages directory, as it was when all pages ran from one bundle there.
      this.running.push(name);
      run.call(module.exports, module.exports, this.pageRequire, module, filename, this.pagesDir);
    } catch (error) {
      this.modules.delete(name);
      throw error;
    } finally {
      if (this.running[this.running.length - 1] === name) this.running.pop();
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

/** What happened to a package that could not be loaded: `is not installed (…)` or `threw while loading: …`. */
export function packageFailure(id: string, error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).split("\n", 1)[0] ?? "";
  return (error as { code?: unknown } | null)?.code === "MODULE_NOT_FOUND" && message.includes(`'${id}'`)
    ? `is not installed (${message})`
    : `threw while loading: ${message}`;
}

/**
 * What a page gets for a package that failed: a function whose every use throws why. esbuild's
 * CommonJS interop reads `__esModule` and the own keys of a required module (there are none), so
 * those are answered; a page that uses it fails, and the others of its group do not.
 */
function failedPackage(id: string, error: unknown): unknown {
  const fail = (): never => {
    throw new Error(`ssr-pages: the package "${id}" ${packageFailure(id, error)}`, { cause: error });
  };
  return new Proxy(function failed() {}, {
    get: (_target, key) => (key === "__esModule" || key === Symbol.toPrimitive || key === "then" ? undefined : fail()),
    apply: fail,
    construct: fail,
    ownKeys: () => ["prototype"],
    getOwnPropertyDescriptor: (target, key) => Reflect.getOwnPropertyDescriptor(target, key),
  });
}
