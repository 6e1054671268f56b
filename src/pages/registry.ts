/**
 * Everything known about the pages: the route table (built synchronously, so a route conflict throws
 * from the factory), the compiled modules (ready when the compile ends) and the browser assets.
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SsrError } from "../errors.js";
import { isStaticRoute, toMatchPath, type ParsedPage } from "../routes/parse-file.js";
import { RouteTable, type RouteMatch } from "../routes/route-table.js";
import { compilePages, type BrowserAssets, type ClientRuntime, type CompileError } from "./compile.js";
import { loaderAt } from "./compile-server.js";
import { discoverPages, type PagesFileSystem } from "./discover.js";
import { checkPageModule, type PageModule } from "./page-module.js";
import { ServerModules } from "./server-modules.js";
import { StackMapper } from "./source-map.js";

/**
 * One page, as the request path uses it. Kept small: a server holds one per page for its whole life,
 * and every garbage collection walks them all.
 */
export interface PageEntry {
  parsed: ParsedPage;
  /** The constant start of this page's page-data JSON, built on its first JSON response (see `pageDataHead`). */
  jsonHead: string | undefined;
  /** The page's browser module file name, when the browser build has it. */
  module: string | undefined;
  css: string | undefined;
  /** Its loader's slot in the server build until first use, then the evaluated module (or why it cannot be used). */
  state: number | { module: PageModule } | { error: SsrError } | undefined;
}

/** The app's `500` page: its module, or what it threw while loading (reported when it is needed). */
export type ErrorPage = { file: string; module: PageModule } | { file: string; error: unknown };

/** The pages of one pages directory. */
export class PageRegistry {
  readonly ready: Promise<void>;
  /** True once `ready` has settled successfully: lets requests skip an `await`. */
  isReady = false;
  readonly table: RouteTable<PageEntry>;
  /** The app's `500` page, loaded when the compile ends (or why it cannot be used); undefined without one. */
  errorPage: ErrorPage | undefined;
  /** The browser build's files; `undefined` without a client or when the browser build failed. */
  browser: BrowserAssets | undefined;
  /** The compiled server code, evaluated a file at a time as pages are first used. */
  private modules: ServerModules | undefined;
  private readonly stacks = new StackMapper();

  constructor(
    readonly pagesDir: string,
    options: { dev: boolean; client: boolean; onCompileError: (error: CompileError) => void; fileSystem?: PagesFileSystem },
  ) {
    checkPagesDir(pagesDir);
    const { pages, errorPage } = discoverPages(pagesDir, options.fileSystem);
    const entries = pages.map((parsed) => createEntry(parsed));
    this.table = new RouteTable(entries);
    const errorEntry = errorPage === undefined ? undefined : createEntry({ file: errorPage, id: "500", segments: [] });

    const all = errorEntry ? [...entries, errorEntry] : entries;
    this.ready = compilePages(pagesDir, all.map((entry) => entry.parsed.file), {
      dev: options.dev,
      client: options.client ? findClientRuntime() : undefined,
      isolated: new Set(errorPage === undefined ? [] : [errorPage]),
    }).then((output) => {
      for (const entry of all) {
        const loader = output.server.pages.get(entry.parsed.file);
        const failed = output.server.failed.get(entry.parsed.file);
        entry.state = loader !== undefined ? loader : failed ? { error: new SsrError(500, failed.message, { page: entry.parsed.file, cause: failed }) } : undefined;
        const browserPage = output.browser?.pages.get(entry.parsed.file);
        entry.module = browserPage?.module;
        entry.css = browserPage?.css;
      }
      this.modules = new ServerModules(output.server.files, output.server.dir, pagesDir);
      for (const [file, map] of output.server.maps) this.stacks.add(file, map);
      // The error page answers from a failure path that must not fail in turn: load it now.
      this.errorPage = errorEntry && this.loadErrorPage(errorEntry);
      // Not its per-page map: each entry now holds its own file names.
      this.browser = output.browser && { assets: output.browser.assets, entry: output.browser.entry };
      for (const error of output.errors) options.onCompileError(error);
      this.isReady = true;
    });
    // A failure is delivered to every request that awaits `ready`; it must not also surface as an
    // unhandled rejection when nobody awaits it yet.
    this.ready.catch(() => undefined);
  }

  /** Maps stack frames inside page bundles back to the pages' own lines (development builds only). */
  mapStack(stack: string): string {
    return this.stacks.map(stack);
  }

  /** Finds the page for decoded path segments. */
  match(segments: readonly string[]): RouteMatch<PageEntry> | null {
    return this.table.match(segments);
  }

  /** The page's module, evaluated on first use. @throws SsrError 500 when it failed to compile or to evaluate. */
  load(entry: PageEntry): PageModule {
    const state = entry.state;
    if (state === undefined) throw new SsrError(500, `${entry.parsed.file} was not compiled`, { page: entry.parsed.file });
    if (typeof state !== "number") {
      if ("module" in state) return state.module;
      throw state.error;
    }
    const at = loaderAt(state);
    try {
      const group = this.modules?.require(at.group) as { default?: Array<() => Record<string, unknown>> } | undefined;
      const loader = group?.default?.[at.index];
      if (!loader) throw new SsrError(500, `${entry.parsed.file} is missing from the server build`, { page: entry.parsed.file });
      const module = checkPageModule(loader(), entry.parsed.file);
      entry.state = { module };
      return module;
    } catch (thrown) {
      // Kept: a page that failed to load answers every later request with the same error.
      const error = thrown instanceof SsrError ? thrown : new SsrError(500, `${entry.parsed.file} threw while loading: ${(thrown as Error)?.message ?? String(thrown)}`, { page: entry.parsed.file, cause: thrown });
      if (thrown instanceof Error && !(thrown instanceof SsrError) && thrown.stack) error.stack = `${error.message}\n${thrown.stack.split("\n").slice(1).join("\n")}`;
      entry.state = { error };
      throw error;
    }
  }

  private loadErrorPage(entry: PageEntry): ErrorPage {
    try {
      return { file: entry.parsed.file, module: this.load(entry) };
    } catch (error) {
      return { file: entry.parsed.file, error };
    }
  }
}

function createEntry(parsed: ParsedPage): PageEntry {
  return { parsed, jsonHead: undefined, module: undefined, css: undefined, state: undefined };
}

/** The constant start of the page's page-data JSON (`{"componentChunkName":…,"path":`), built once, when first needed. */
export function pageDataHead(entry: PageEntry): string {
  if (entry.jsonHead !== undefined) return entry.jsonHead;
  const parsed = entry.parsed;
  const matchPath = isStaticRoute(parsed.segments) ? "" : `,"matchPath":${JSON.stringify(toMatchPath(parsed.segments))}`;
  return (entry.jsonHead = `{"componentChunkName":${JSON.stringify(parsed.id)}${matchPath},"path":`);
}

function checkPagesDir(pagesDir: unknown): asserts pagesDir is string {
  if (typeof pagesDir !== "string" || pagesDir === "") throw new TypeError("ssr-pages: pagesDir must be the path of a directory");
  if (!path.isAbsolute(pagesDir)) throw new TypeError(`ssr-pages: pagesDir must be an absolute path (use path.join(__dirname, "pages")), got ${JSON.stringify(pagesDir)}`);
  if (!existsSync(pagesDir) || !statSync(pagesDir).isDirectory()) throw new TypeError(`ssr-pages: pagesDir ${pagesDir} is not a directory`);
}

/** The browser runtime's files: `.tsx` sources in this repository, `.js` once built into dist. */
function findClientRuntime(): ClientRuntime {
  const dir = fileURLToPath(new URL("../client/", import.meta.url));
  const find = (name: string): string => {
    for (const ext of [".js", ".tsx", ".ts"]) {
      const file = path.join(dir, name + ext);
      if (existsSync(file)) return file;
    }
    throw new Error(`ssr-pages: the browser runtime ${name} is missing from ${dir}; reinstall ssr-pages`);
  };
  return { entry: find("entry"), index: find("index") };
}
