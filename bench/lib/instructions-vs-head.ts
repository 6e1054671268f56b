/**
 * Instructions per request of this working tree against a commit (HEAD by default): `git worktree
 * add` of it into .tmp/bench-head (node_modules linked to this tree's), then `npm run bench:instructions` with
 * `--only <id>` run in both trees, and their tables read back. The worktree is removed afterwards,
 * whatever happened.
 */
import { execFile } from "node:child_process";
import { rmSync, symlinkSync, unlinkSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { ROOT } from "./build.js";

const run = promisify(execFile);
const HEAD_TREE = path.join(ROOT, ".tmp", "bench-head");

/** A contestant's instructions per request in one tree: thousands, and how far its batches spread around their mean, in per cent. */
export interface TreeCounts {
  html: { k: number; spread: number };
  json: { k: number; spread: number };
}

/**
 * The counts of each contestant (`id`, and its `label` in the report) in this tree and at `base`. One
 * contestant at a time, the two trees side by side: one server under callgrind per core. (More at
 * once made the counts themselves move: V8's concurrent compiler and garbage collector, whose
 * instructions count too, do more or less work as they get the CPU.)
 */
export async function instructionsVsHead(
  contestants: ReadonlyArray<{ id: string; label: string }>,
  base = "HEAD",
  quick = false,
): Promise<{ tree: Record<string, TreeCounts>; head: Record<string, TreeCounts>; commit: string }> {
  await removeHeadTree();
  await git("worktree", "add", "--detach", HEAD_TREE, base);
  try {
    symlinkSync(path.join(ROOT, "node_modules"), path.join(HEAD_TREE, "node_modules"), "dir");
    const commit = (await git("rev-parse", "--short", base)).trim();
    const tree: Record<string, TreeCounts> = {};
    const head: Record<string, TreeCounts> = {};
    for (const { id, label } of contestants) {
      const [ours, theirs] = await Promise.all([countIn(ROOT, id, label, quick), countIn(HEAD_TREE, id, label, quick)]);
      tree[label] = ours;
      head[label] = theirs;
    }
    return { tree, head, commit };
  } finally {
    await removeHeadTree();
  }
}

/** Takes the worktree away: the node_modules link first (so nothing can follow it), then the tree and git's record of it. */
async function removeHeadTree(): Promise<void> {
  try {
    unlinkSync(path.join(HEAD_TREE, "node_modules"));
  } catch {
    // not there
  }
  await git("worktree", "remove", "--force", HEAD_TREE).catch(() => undefined);
  rmSync(HEAD_TREE, { recursive: true, force: true });
  await git("worktree", "prune");
}

async function git(...args: string[]): Promise<string> {
  return (await run("git", args, { cwd: ROOT })).stdout;
}

/** Runs the instruction counts in `root` for contestant `id` (`quick`: its smoke run) and reads its row (`label`) of the report. */
async function countIn(root: string, id: string, label: string, quick: boolean): Promise<TreeCounts> {
  const { stdout } = await run(
    process.execPath,
    ["--import", "tsx", "bench/instructions.ts", "--only", id, ...(quick ? ["--quick"] : [])],
    { cwd: root, maxBuffer: 16 << 20 },
  );
  // | label | 884k ±4.5% | 1.07× | 0.45× | 611k ±4.0% | …
  const cells = stdout
    .split("\n")
    .find((line) => line.startsWith(`| ${label} |`))
    ?.split("|")
    .map((cell) => cell.trim());
  const parse = (cell: string | undefined) => {
    // (One batch, in a smoke run, has no spread.)
    const match = /^(\d+)k\s*(?:±([\d.]+)%)?/.exec(cell ?? "");
    if (!match) throw new Error(`no count for ${label} in ${root}:\n${stdout}`);
    return { k: Number(match[1]), spread: Number(match[2] ?? 0) };
  };
  return { html: parse(cells?.[2]), json: parse(cells?.[5]) };
}
