/**
 * The development loop: watch the pages and what they import, rebuild on a save with the same
 * esbuild contexts (incremental), hand the new {@link Build} to the handler as a whole, and tell the
 * open tabs. Production never loads this file's work: the handler starts it only with `watch`.
 *
 * A rebuild that fails (a route conflict, a broken `_app`) leaves the last good build serving; its
 * errors go to `onError` and to the overlay. Saves during a rebuild are gathered into one more.
 */
import path from "node:path";
import { CompileSession } from "../compile/compile.js";
import { holdEsbuild } from "../compile/esbuild.js";
import type { CompileError } from "../compile/compile.js";
import type { Build } from "../runtime/build.js";
import { EventHub, type DevError } from "./event-stream.js";
import { FolderWatcher } from "./watch.js";

/** What the loop needs from the handler. */
export interface DevLoopOptions {
  pagesDir: string;
  /** Folders whose files are watched on their own (a Gatsby site's root, for `gatsby-browser`/`gatsby-ssr`). */
  folders: readonly string[];
  /** Discovers and compiles the pages with the session: the first build, and each rebuild. */
  load: (session: CompileSession) => Promise<Build>;
  /** The new build is ready: from the next request on, it answers. */
  swap: (build: Build) => void;
  /** A rebuild failed as a whole (the last good build keeps serving). */
  onFailure: (error: unknown) => void;
}

/** A running development loop. */
export class DevLoop {
  readonly events: EventHub;
  private readonly watcher: FolderWatcher;
  /** The compile session every build of this loop goes through. */
  readonly session: CompileSession;
  private readonly releaseEsbuild: () => Promise<void>;
  private building: Promise<void> | undefined;
  /** The files the build being served read (for {@link matters}). */
  private sources: ReadonlySet<string> = new Set();
  private again = false;
  private id = 0;
  private closed = false;
  /** Resolves after each build or failed rebuild has been swapped in and announced (tests and benches wait on it). */
  private waiters: Array<() => void> = [];

  constructor(private readonly options: DevLoopOptions) {
    const { esbuild, release } = holdEsbuild();
    this.releaseEsbuild = release;
    this.session = new CompileSession(esbuild);
    // Incremental rebuilds while a tab listens (see CompileSession.setIncremental).
    this.events = new EventHub((tabs) => this.session.setIncremental(tabs > 0 && !this.closed));
    this.watcher = new FolderWatcher((files) => this.changed(files));
  }

  /** Takes the first build (started with {@link session}); the watcher runs once it resolves. */
  async start(first: Promise<Build>): Promise<Build> {
    let build: Build;
    try {
      build = await first;
    } catch (error) {
      await this.close(); // nothing to watch for: the middleware's `ready` rejects
      throw error;
    }
    this.follow(build);
    this.announce(build.client, build.errors, build.pageErrors);
    return build;
  }

  /** Settles after the next build (or failed rebuild) is in place. */
  nextBuild(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Stops watching, ends the event streams, disposes the esbuild contexts and stops esbuild's process. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.watcher.close();
    this.events.close();
    await this.building?.catch(() => undefined);
    await this.session.close();
    await this.releaseEsbuild();
  }

  private changed(files: string[]): void {
    if (!this.closed && files.some((file) => isSource(file) && this.matters(file))) this.schedule();
  }

  /**
   * Whether a change can touch the build. Everything in a watched folder does, but in a Gatsby
   * site's root (watched for its `gatsby-*` files) only those, the configs read from there and the
   * files the build read: the root is also where an app writes its logs, a database, uploads, and a
   * log line written for a failed rebuild must not start the next one.
   */
  private matters(file: string): boolean {
    if (!this.options.folders.includes(path.dirname(file))) return true;
    return ROOT_CONFIG.test(path.basename(file)) || this.sources.has(file);
  }

  /** A rebuild now, or one more after the one under way (saves during it are gathered into it). */
  private schedule(): void {
    if (this.building) {
      this.again = true;
      return;
    }
    this.building = this.rebuild().finally(() => {
      this.building = undefined;
      if (this.again && !this.closed) {
        this.again = false;
        this.schedule();
      }
    });
  }

  private async rebuild(): Promise<void> {
    let build: Build;
    try {
      build = await this.options.load(this.session);
    } catch (error) {
      if (this.closed) return;
      this.options.onFailure(error);
      this.announce(undefined, [error as CompileError], undefined);
      return;
    }
    if (this.closed) return;
    this.options.swap(build);
    this.follow(build);
    this.announce(build.client, build.errors, build.pageErrors);
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

  private announce(client: Build["client"], errors: readonly unknown[], pageErrors: ReadonlySet<string> | undefined): void {
    const shown: DevError[] = errors.map((error) => {
      const message = error instanceof Error ? error.message : String(error);
      return { file: (error as Partial<CompileError>).file, message, scope: pageErrors?.has(message) ? "pages" : "site" };
    });
    this.events.send({ type: "build", id: ++this.id, entry: client?.entry, entryCss: client?.css ?? [], errors: shown });
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}

/** What a Gatsby site's root holds that changes a build: its API files and config, and the tools' configs read from there. */
const ROOT_CONFIG = /^(gatsby-(config|ssr|browser|node)\.[cm]?[jt]sx?|postcss\.config\.[cm]?[jt]s|\.postcssrc(\.\w+)?|tailwind\.config\.[cm]?[jt]s|\.browserslistrc|package\.json|tsconfig\.json|\.env(\..+)?)$/;

/** Saves that can change a build: anything but editor droppings (`.swp`, `4913`, `~` backups). */
function isSource(file: string): boolean {
  const name = path.basename(file);
  return !(name.endsWith("~") || /\.(swp|swx|tmp)$/.test(name) || /^\d+$/.test(name) || name.startsWith(".#"));
}
