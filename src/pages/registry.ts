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
import { compilePages, SERVER_BUNDLE_NAME, type BrowserBuild, type ClientRuntime, type CompileError, type ServerBundle } from "./compile.js";
import { discoverPages, type PagesFileSystem } from "./discover.js";
import { checkPageModule, createModuleEvaluator, type PageModule } from "./load.js";
import { StackMapper } from "./source-map.js";

/** One page, as the request path uses it. */
export interface PageEntry {
  parsed: ParsedPage;
  /** The constant start of this page's page-data JSON (`{"componentChunkName":…,"path":`). */
  jsonHead: string;
  /** The page's browser module file name, when the browser build has it. */
  module: string | undefined;
  css: string | undefined;
  /** Its loader in the server bundle until first use, then the evaluated module (or why it cannot be used). */
  state: { index: number } | { module: PageModule } | { error: SsrError } | undefined;
}

/** The pages of one pages directory. */
export class PageRegistry {
  readonly ready: Promise<void>;
  /** True once `ready` has settled successfully: lets requests skip an `await`. */
  isReady = false;
  readonly table: RouteTable<PageEntry>;
  errorPage: PageEntry | undefined;
  browser: BrowserBuild | undefined;
  private readonly evaluate: (code: string, filename: string) => unknown;
  /** The compiled server code, until its first evaluation turns it into `loaders`. */
  private bundle: ServerBundle | undefined;
  /** The server bundle's page loaders, once the bundle has been evaluated (on the first page load). */
  private loaders: Array<() => Record<string, unknown>> | undefined;
  private readonly stacks = new StackMapper();

  constructor(
    readonly pagesDir: string,
    options: { dev: boolean; client: boolean; onCompileError: (error: CompileError) => void; fileSystem?: PagesFileSystem },
  ) {
    checkPagesDir(pagesDir);
    const { pages, errorPage } = discoverPages(pagesDir, options.fileSystem);
    const entries = pages.map((parsed) => createEntry(parsed));
    this.table = new RouteTable(entries.map((entry) => ({ parsed: entry.parsed, value: entry })));
    const errorEntry = errorPage === undefined ? undefined : createEntry({ file: errorPage, id: "500", segments: [] });
    this.evaluate = createModuleEvaluator(pagesDir);

    const all = errorEntry ? [...entries, errorEntry] : entries;
    this.ready = compilePages(pagesDir, all.map((entry) => entry.parsed.file), {
      dev: options.dev,
      client: options.client ? findClientRuntime() : undefined,
    }).then((output) => {
      for (const entry of all) {
        const index = output.server.pages.get(entry.parsed.file);
        const failed = output.server.failed.get(entry.parsed.file);
        entry.state = index !== undefined ? { index } : failed ? { error: new SsrError(500, failed.message, { page: entry.parsed.file, cause: failed }) } : undefined;
        const browserPage = output.browser?.pages.get(entry.parsed.file);
        entry.module = browserPage?.module;
        entry.css = browserPage?.css;
      }
      this.bundle = output.server.bundle;
      this.browser = output.browser;
      this.errorPage = errorEntry;
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

  private loadersOfBundle(): Array<() => Record<string, unknown>> {
    if (!this.loaders) {
      const bundle = this.bundle;
      if (!bundle) return [];
      const filename = path.join(this.pagesDir, SERVER_BUNDLE_NAME);
      if (bundle.map !== undefined) this.stacks.add(filename, bundle.map);
      this.loaders = this.evaluate(bundle.code, filename) as Array<() => Record<string, unknown>>;
      this.bundle = undefined;
    }
    return this.loaders;
  }

  /** The page's module, evaluated on first use. @throws SsrError 500 when it failed to compile or to evaluate. */
  load(entry: PageEntry): PageModule {
    const state = entry.state;
    if (state === undefined) throw new SsrError(500, `${entry.parsed.file} was not compiled`, { page: entry.parsed.file });
    if ("module" in state) return state.module;
    if ("error" in state) throw state.error;
    try {
      const loader = this.loadersOfBundle()[state.index];
      if (!loader) throw new SsrError(500, `${entry.parsed.file} is missing from the server bundle`, { page: entry.parsed.file });
      const module = checkPageModule(loader(), entry.parsed.file);
      entry.state = { module };
      return module;
    } catch (thrown) {
      const error = thrown instanceof SsrError ? thrown : new SsrError(500, `${entry.parsed.file} threw while loading: ${(thrown as Error)?.message ?? String(thrown)}`, { page: entry.parsed.file, cause: thrown });
      if (thrown instanceof Error && !(thrown instanceof SsrError) && thrown.stack) error.stack = `${error.message}\n${thrown.stack.split("\n").slice(1).join("\n")}`;
      entry.state = { error };
      throw error;
    }
  }
}

function createEntry(parsed: ParsedPage): PageEntry {
  const matchPath = isStaticRoute(parsed.segments) ? "" : `,"matchPath":${JSON.stringify(toMatchPath(parsed.segments))}`;
  return {
    parsed,
    jsonHead: `{"componentChunkName":${JSON.stringify(parsed.id)}${matchPath},"path":`,
    module: undefined,
    css: undefined,
    state: undefined,
  };
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
