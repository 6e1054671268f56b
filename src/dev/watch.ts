/**
 * Watches folders for changed files: the pages directory with every folder below it, and single
 * folders that hold a page's imports from elsewhere (`../components`).
 *
 * One non-recursive `fs.watch` per folder, not Node's recursive one. On Linux, Node 20's recursive
 * watcher misses files in a folder created after it started, and loses a file an editor saves the
 * way vim and JetBrains do (write a new file, rename it over the old): after the first such save no
 * later one is seen. A folder's own watch sees every rename in it, the replacement too; a new folder
 * gets its own watch as soon as it appears, and what is already in it counts as changed.
 */
import { watch, readdirSync, statSync, type FSWatcher } from "node:fs";
import path from "node:path";

/** Folders never watched: packages (and, below, every dot-folder: .git, .cache, .ssr-pages). */
const SKIPPED = new Set(["node_modules"]);

/** A watch over some folders; `onChange` gets the changed paths (absolute) a short quiet time after the last change. */
export class FolderWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly recursive = new Set<string>();
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  /** @param quietMs how long after the last event to report (an editor's save is several events). */
  constructor(
    private readonly onChange: (files: string[]) => void,
    private readonly quietMs = 20,
  ) {}

  /** Watches `dir` and every folder below it (new ones too). */
  watchTree(dir: string): void {
    this.recursive.add(dir);
    this.watchFolder(dir, true);
  }

  /** Watches the files directly in `dir` (a folder outside the pages directory that holds an import). */
  watchFolder(dir: string, tree = this.inTree(dir)): void {
    if (this.closed || this.watchers.has(dir)) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, { persistent: false }, (_event, name) =>
        this.changed(dir, name === null ? null : String(name)),
      );
    } catch {
      return; // gone already, or not a folder: its parent's watch reports it
    }
    watcher.on("error", () => this.unwatch(dir));
    this.watchers.set(dir, watcher);
    if (!tree) return;
    for (const child of subfolders(dir)) this.watchFolder(child, true);
  }

  /** Whether `dir` is followed (for tests). */
  has(dir: string): boolean {
    return this.watchers.has(dir);
  }

  /** Stops every watch; no `onChange` after this. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }

  private changed(dir: string, name: string | null): void {
    if (this.closed) return;
    const file = name === null ? dir : path.join(dir, name);
    this.pending.add(file);
    // A folder that appeared in a watched tree is watched now, and its files (made before we looked,
    // `mkdir -p a/b && touch a/b/c.tsx`) are changes too.
    if (name !== null && this.inTree(dir) && !SKIPPED.has(name) && !name.startsWith(".") && isFolder(file)) {
      this.watchFolder(file, true);
      for (const found of filesBelow(file)) this.pending.add(found);
    }
    if (name !== null && !isFolder(file) && this.watchers.has(file)) this.unwatch(file); // a watched folder went away
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.quietMs);
  }

  private flush(): void {
    const files = [...this.pending];
    this.pending = new Set();
    if (files.length > 0 && !this.closed) this.onChange(files);
  }

  private unwatch(dir: string): void {
    for (const [watched, watcher] of this.watchers) {
      if (watched === dir || watched.startsWith(dir + path.sep)) {
        watcher.close();
        this.watchers.delete(watched);
      }
    }
  }

  private inTree(dir: string): boolean {
    for (const root of this.recursive) if (dir === root || dir.startsWith(root + path.sep)) return true;
    return false;
  }
}

function isFolder(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

function subfolders(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !SKIPPED.has(entry.name) && !entry.name.startsWith("."))
      .map((entry) => path.join(dir, entry.name));
  } catch {
    return [];
  }
}

function filesBelow(dir: string): string[] {
  const files: string[] = [];
  try {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED.has(entry.name) && !entry.name.startsWith(".")) files.push(...filesBelow(full));
      } else files.push(full);
    }
  } catch {
    // gone again
  }
  return files;
}
