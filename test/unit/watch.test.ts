/**
 * The folder watcher: a folder made inside a watched tree after the watch started is followed, and
 * the files made in it before the watcher looked count as changed (`mkdir -p a/b && touch a/b/c`).
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { FolderWatcher } from "../../src/dev/watch.js";

describe("FolderWatcher", () => {
  it(
    "follows a new nested folder and reports the files made in it at once and later",
    { timeout: 10_000 },
    async () => {
      const root = mkdtempSync(path.join(os.tmpdir(), "ssr-pages-watch-"));
      const seen = new Set<string>();
      let notify: () => void = () => undefined;
      const watcher = new FolderWatcher((files) => {
        for (const file of files) seen.add(file);
        notify();
      });
      const until = (file: string) =>
        new Promise<void>((resolve) => {
          if (seen.has(file)) return resolve();
          notify = () => seen.has(file) && resolve();
        });
      // The watches do not keep the process alive (a server does): the test does, meanwhile.
      const alive = setInterval(() => undefined, 1_000);
      try {
        watcher.watchTree(root);
        const first = path.join(root, "a", "b", "first.tsx");
        mkdirSync(path.dirname(first), { recursive: true });
        writeFileSync(first, "1");
        await until(first);
        assert.ok(watcher.has(path.join(root, "a", "b")), "the new folder is watched");
        const later = path.join(root, "a", "b", "later.tsx");
        writeFileSync(later, "2");
        await until(later);
        mkdirSync(path.join(root, "node_modules", "x"), { recursive: true });
        assert.equal(watcher.has(path.join(root, "node_modules")), false, "node_modules is never watched");
      } finally {
        clearInterval(alive);
        watcher.close();
        rmSync(root, { recursive: true, force: true });
      }
    },
  );
});
