/**
 * The development loop: compile pages when they are first asked for, watch them and what they
 * import, rebuild on a save with the same esbuild contexts (incremental), hand each new
 * {@link Build} to the handler as a whole, and tell the open tabs. Production never loads this
 * file's work: the handler starts it only with `watch`.
 *
 * Its first build knows the routes and compiles nothing (esbuild is not even started). A request for
 * a page that no build has compiled adds the page to the wanted set and waits for a build that
 * started after that; every later build compiles the wanted pages (and the special files) alone, so
 * a site's size costs neither the start nor a save. A save of a file no build read, that adds or
 * removes no page, builds nothing.
 *
 * A rebuild that fails (a route conflict, a crash of the compiler) leaves the last good build
 * serving; its errors go to `onError` and to the overlay, and requests that waited for it fail with
 * it. Saves and requests that come during a build are gathered into one more.
 */
import path from "node:path";
import { CompileSession } from "../compile/compile.js";
import { holdEsbuild } from "../compile/esbuild.js";
import type { CompileError } from "../compile/compile.js";
import type { DevEvent } from "../common/dev-events.js";
import type { Build } from "../runtime/build.js";
import { EventHub, type DevError } from "./event-stream.js";
import { FolderWatcher } from "./watch.js";

/** What one build of the loop is asked to be. */
export interface DevBuildRequest {
  /**
   * The page files to compile (relative to the pages directory; the special files come with any of
   * them), or `undefined` for a build of the routes alone: nothing was asked for yet.
   */
  pages: ReadonlySet<string> | undefined;
  /** The files whose change this build is for (absolute; empty when a request made it). */
  changed: readonly string[];
  /** The loop's compile session (incremental rebuilds); made when the first page is compiled. */
  session: () => CompileSession;
}

/** What the loop needs from the handler. */
export interface DevLoopOptions {
  pagesDir: string;
  /** Folders whose files are watched on their own (a Gatsby site's root, for `gatsby-browser`/`gatsby-ssr`). */
  folders: readonly string[];
  /** Plans the pages again (walked only when a page came or went) and compiles what `request` asks for. */
  load: (request: DevBuildRequest) => Promise<Build>;
  /** Whether a change of `file` (absolute) adds or removes a page (or a folder of them): the routes change. */
  changesPages: (file: string) => boolean;
  /** The new build is ready: from the next request on, it answers. */
  swap: (build: Build) => void;
  /** A rebuild failed as a whole (the last good build keeps serving). */
  onFailure: (error: unknown) => void;
}

/** A request's wait for a build that compiled its page. */
interface Waiter {
  /** The generation a build must have started at (or after) to answer it. */
  generation: number;
  resolve: (build: Build) => void;
  reject: (error: unknown) => void;
}

/** The wanted key of "any compiled build": the special files (the 404 page, a site's manifest) come with every one. */
const ANY_PAGE = "";

/** A running development loop. */
export class DevLoop {
  readonly events: EventHub;
  private readonly watcher: FolderWatcher;
  private session: CompileSession | undefined;
  private releaseEsbuild: (() => Promise<void>) | undefined;
  private building: Promise<void> | undefined;
  /** The build being served. */
  private current: Build | undefined;
  /** The files the build being served read (for {@link matters}). */
  private sources: ReadonlySet<string> = new Set();
  /**
   * The pages asked for (relative to the pages directory), each with the generation it was last
   * asked for at. Only grows: a page once compiled is rebuilt on every save that touches it.
   */
  private readonly wanted = new Map<string, number>();
  /** Bumped by each request that needs a compile no build under way includes. */
  private generation = 0;
  /** The generation of the last build that ended, built or failed. */
  private finished = 0;
  /** The wanted pages each compiled build has (a build of the routes alone has none). */
  private readonly compiled = new WeakMap<Build, ReadonlySet<string>>();
  private waiters: Waiter[] = [];
  /** Changed files not built yet. */
  private changes = new Set<string>();
  /** The generation of the last build that started. */
  private started = 0;
  private id = 0;
  private closed = false;
  /** Resolves after each build or failed rebuild has been swapped in and announced (tests and benches wait on it). */
  private announced: Array<() => void> = [];

  constructor(private readonly options: DevLoopOptions) {
    // Incremental rebuilds while a tab listens (see CompileSession.setIncremental).
    this.events = new EventHub((tabs) => this.session?.setIncremental(tabs > 0 && !this.closed));
    this.watcher = new FolderWatcher((files) => this.changed(files));
  }

  /** Serves `first` (the routes alone, nothing compiled) and starts watching. */
  start(first: Build): Build {
    this.current = first;
    this.follow(first);
    this.announce(first, "start", []);
    return first;
  }

  /**
   * The build to answer a request for `page` with (a page file relative to the pages directory;
   * `undefined`: any compiled build, for the 404 page and what the site's build layer serves):
   * `build`, or the one being served, when it has the page compiled; else a build that started after
   * this request added the page. Rejects when that build failed as a whole, or the loop closed.
   */
  buildWith(build: Build, page: string | undefined): Build | Promise<Build> {
    if (this.has(build, page)) return build;
    const current = this.current;
    if (current !== undefined && this.has(current, page)) return current;
    if (this.closed) return Promise.reject(closedError());
    const key = page ?? ANY_PAGE;
    let generation = this.wanted.get(key);
    // Asked for already, and a build that has it is under way (or will start): wait for that one.
    // Asked for by a build that failed since: ask again.
    if (generation === undefined || generation <= this.finished) {
      generation = ++this.generation;
      this.wanted.set(key, generation);
      this.schedule();
    }
    const wanted = generation;
    return new Promise((resolve, reject) => this.waiters.push({ generation: wanted, resolve, reject }));
  }

  /** Settles after the next build (or failed rebuild) is in place. */
  nextBuild(): Promise<void> {
    return new Promise((resolve) => this.announced.push(resolve));
  }

  /**
   * Stops watching, ends the event streams, fails the requests still waiting for a compile, disposes
   * the esbuild contexts and stops esbuild's process (once a compile under way has ended).
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.watcher.close();
    this.events.close();
    for (const waiter of this.waiters.splice(0)) waiter.reject(closedError());
    await this.building?.catch(() => undefined);
    await this.session?.close();
    await this.releaseEsbuild?.();
  }

  /** Whether `build` compiled `page` (any page when `undefined`). */
  private has(build: Build, page: string | undefined): boolean {
    const pages = this.compiled.get(build);
    return pages !== undefined && (page === undefined || pages.has(page));
  }

  /** The compile session, made (and esbuild held) with the first compile: a loop that compiled nothing started nothing. */
  private sessionOf(): CompileSession {
    if (this.session) return this.session;
    const { esbuild, release } = holdEsbuild();
    this.releaseEsbuild = release;
    this.session = new CompileSession(esbuild);
    this.session.setIncremental(this.events.size > 0 && !this.closed);
    return this.session;
  }

  private changed(files: string[]): void {
    if (this.closed) return;
    const relevant = files.filter((file) => isSource(file) && this.matters(file));
    if (relevant.length === 0) return;
    for (const file of relevant) this.changes.add(file);
    this.schedule();
  }

  /**
   * Whether a change can touch the build: a file the build being served read, a config, a page that
   * came or went. A page no build compiled (nor anything only it imports) is not read by any: its
   * save builds nothing. While the build has errors, any file in a watched folder may be their fix
   * (an import that was missing), as may anything in a Gatsby site's data folders. In a Gatsby
   * site's root (watched for its `gatsby-*` files) only those, the configs read from there and the
   * files the build read count: the root is also where an app writes its logs, a database, uploads,
   * and a log line written for a failed rebuild must not start the next one.
   */
  private matters(file: string): boolean {
    if (this.sources.has(file) || ROOT_CONFIG.test(path.basename(file))) return true;
    if (this.options.folders.includes(path.dirname(file))) return false;
    if (this.options.changesPages(file)) return true;
    const build = this.current;
    if (build === undefined || !this.has(build, undefined)) return false; // nothing compiled yet
    return build.errors.length > 0 || build.folders.some((folder) => file.startsWith(folder + path.sep));
  }

  /**
   * A build soon, or one more after the one under way when saves or requests came that it does not
   * include (they are gathered into that one). Soon, not now: first requests of several pages that
   * arrive together share a compile.
   */
  private schedule(): void {
    if (this.building) return;
    this.building = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.rebuild())
      // rebuild() handles a compile's failure itself; anything else is reported, and the loop goes on.
      .catch((error: unknown) => this.reportFailure(error))
      .finally(() => {
        this.building = undefined;
        if (!this.closed && (this.changes.size > 0 || this.generation > this.started)) this.schedule();
      });
  }

  private async rebuild(): Promise<void> {
    if (this.closed) return;
    const generation = (this.started = this.generation);
    const changed = [...this.changes];
    this.changes = new Set();
    const pages =
      this.wanted.size === 0 ? undefined : new Set([...this.wanted.keys()].filter((page) => page !== ANY_PAGE));
    const cause = changed.length > 0 ? "save" : "request";
    let build: Build;
    try {
      build = await this.options.load({ pages, changed, session: () => this.sessionOf() });
    } catch (error) {
      if (this.closed) return;
      this.finished = generation;
      this.settle(generation, (waiter) => waiter.reject(error));
      this.announce(undefined, cause, changed, [error as CompileError]);
      // The app's own onError last: one that throws must not leave the loop stuck.
      this.reportFailure(error);
      return;
    }
    if (this.closed) return;
    this.finished = generation;
    if (pages !== undefined) this.compiled.set(build, pages);
    this.current = build;
    this.options.swap(build);
    this.follow(build);
    this.settle(generation, (waiter) => waiter.resolve(build));
    this.announce(build, cause, changed);
  }

  /** Hands a failure to the app's `onError`, which may itself throw: the loop goes on regardless. */
  private reportFailure(error: unknown): void {
    try {
      this.options.onFailure(error);
    } catch {
      // already announced to the tabs and answered to the waiting requests
    }
  }

  /** Answers the waiters that a build started at `generation` includes. */
  private settle(generation: number, answer: (waiter: Waiter) => void): void {
    const ready = this.waiters.filter((waiter) => waiter.generation <= generation);
    this.waiters = this.waiters.filter((waiter) => waiter.generation > generation);
    for (const waiter of ready) answer(waiter);
  }

  /** Watches the pages directory's tree, and each folder outside it that holds a file the build read. */
  private follow(build: Build): void {
    const { pagesDir } = this.options;
    this.sources = new Set(build.sources);
    this.watcher.watchTree(pagesDir);
    for (const folder of this.options.folders) this.watcher.watchFolder(folder);
    for (const folder of build.folders) this.watcher.watchTree(folder);
    for (const file of build.sources) {
      const folder = path.dirname(file);
      if (folder !== pagesDir && !folder.startsWith(pagesDir + path.sep)) this.watcher.watchFolder(folder);
    }
  }

  /** Tells the tabs about a build (`undefined`: a rebuild that failed with `errors`). */
  private announce(
    build: Build | undefined,
    cause: DevEvent["cause"],
    changed: readonly string[],
    errors: readonly unknown[] = build?.errors ?? [],
  ): void {
    const pageErrors = build?.pageErrors;
    const shown: DevError[] = errors.map((error) => {
      const message = error instanceof Error ? error.message : String(error);
      return {
        file: (error as Partial<CompileError>).file,
        message,
        scope: pageErrors?.has(message) ? "pages" : "site",
      };
    });
    const client = build?.client;
    const files = changed.map((file) => this.named(file));
    this.events.send({
      type: "build",
      id: ++this.id,
      entry: client?.entry,
      entryCss: client?.css ?? [],
      errors: shown,
      cause,
      changed: files,
    });
    for (const resolve of this.announced.splice(0)) resolve();
  }

  /** A changed file as a build event names it: relative to the pages directory with `/`, absolute outside it. */
  private named(file: string): string {
    const relative = path.relative(this.options.pagesDir, file);
    return relative === "" || relative.startsWith("..") || path.isAbsolute(relative)
      ? file
      : relative.split(path.sep).join("/");
  }
}

/** Why a request waiting for a compile is not answered by one. */
function closedError(): Error {
  return new Error("ssr-pages: the development server closed before the page was compiled");
}

/** What a Gatsby site's root holds that changes a build: its API files and config, and the tools' configs read from there. */
const ROOT_CONFIG =
  /^(gatsby-(config|ssr|browser|node)\.[cm]?[jt]sx?|postcss\.config\.[cm]?[jt]s|\.postcssrc(\.\w+)?|tailwind\.config\.[cm]?[jt]s|\.browserslistrc|package\.json|tsconfig\.json|\.env(\..+)?)$/;

/** Saves that can change a build: anything but editor droppings (`.swp`, `4913`, `~` backups). */
function isSource(file: string): boolean {
  const name = path.basename(file);
  return !(name.endsWith("~") || /\.(swp|swx|tmp)$/.test(name) || /^\d+$/.test(name) || name.startsWith(".#"));
}
