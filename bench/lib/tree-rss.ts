/**
 * Resident memory of a process tree (a server or a build, and every process it starts: esbuild's
 * service, Sass's compiler), sampled every few milliseconds from /proc (Linux) by a worker thread,
 * so neither this process's event loop nor the child's timing decides when a sample is taken.
 *
 * The sum of the tree's VmRSS at one instant is what the machine must hold then; its peak over a
 * start or a build is what a container's memory limit must allow. Pages shared between processes
 * (the node binary's text) count once per process, as a cgroup does not, so the sum can overstate
 * by a few MiB; it never misses a process.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/** One process at a sample: its name (`comm`) and resident KiB. */
export interface ProcessRss {
  name: string;
  kib: number;
}

/** What a sampler saw between `attach` and `stop`. */
export interface TreeRss {
  /** The highest sum over the tree at one sample, KiB. */
  peakKib: number;
  /** The processes at that sample. */
  atPeak: ProcessRss[];
  /** Each process name's own highest RSS, KiB (the largest of that name when several). */
  peakByName: Record<string, number>;
  samples: number;
}

/**
 * The tree rooted at `pid` and each process's RSS, now (processes that end meanwhile are left out).
 * Plain JavaScript in a string: the worker evaluates the same code (it cannot import this module
 * when a TypeScript loader runs the bench).
 */
const TREE_RSS = `function treeRss(pid) {
  const { readdirSync, readFileSync } = require("node:fs");
  const found = [];
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) {
    const own = pids[i];
    let status;
    try {
      status = readFileSync("/proc/" + own + "/status", "utf8");
    } catch {
      continue;
    }
    found.push({ name: /^Name:\\s+(.*)$/m.exec(status)?.[1] ?? "?", kib: Number(/^VmRSS:\\s+(\\d+)/m.exec(status)?.[1] ?? 0) });
    // A process's children are listed per thread (the one that forked them): read every thread's.
    let tasks = [];
    try {
      tasks = readdirSync("/proc/" + own + "/task");
    } catch {
      continue;
    }
    for (const task of tasks) {
      try {
        for (const child of readFileSync("/proc/" + own + "/task/" + task + "/children", "utf8").split(" ")) if (child.trim() !== "") pids.push(Number(child));
      } catch {
        // the thread ended
      }
    }
  }
  return found;
}`;

export const treeRss = new Function("require", `${TREE_RSS}\nreturn treeRss;`)(createRequire(import.meta.url)) as (
  pid: number,
) => ProcessRss[];

/** The tree's total RSS now, MiB. */
export const treeMiB = (pid: number): number => treeRss(pid).reduce((sum, one) => sum + one.kib, 0) / 1024;

/** The worker's loop: wait for a pid, sample its tree until told to stop, post what it saw. */
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
${TREE_RSS}
const control = new Int32Array(workerData.shared); // [pid, stop]
Atomics.wait(control, 0, 0);
const pid = Atomics.load(control, 0);
let peakKib = 0, atPeak = [], samples = 0;
const peakByName = {};
const sleeper = new Int32Array(new SharedArrayBuffer(4));
while (pid > 0) {
  const stopping = Atomics.load(control, 1) === 1;
  const tree = treeRss(pid);
  samples++;
  let total = 0;
  for (const one of tree) {
    total += one.kib;
    if ((peakByName[one.name] ?? 0) < one.kib) peakByName[one.name] = one.kib;
  }
  if (total > peakKib) { peakKib = total; atPeak = tree; }
  if (stopping) break;
  Atomics.wait(sleeper, 0, 0, workerData.intervalMs);
}
parentPort.postMessage({ peakKib, atPeak, peakByName, samples });
`;

/** A sampler, started before the child is spawned (a worker takes tens of milliseconds to start), attached to it once it is. */
export class TreeSampler {
  private readonly control = new Int32Array(new SharedArrayBuffer(8));
  private readonly worker: Worker;
  private readonly result: Promise<TreeRss>;
  private readonly ready: Promise<void>;

  constructor(intervalMs = 2) {
    this.worker = new Worker(WORKER, { eval: true, workerData: { shared: this.control.buffer, intervalMs } });
    this.ready = new Promise((resolve, reject) => {
      this.worker.once("online", () => resolve());
      this.worker.once("error", reject);
    });
    this.result = new Promise((resolve, reject) => {
      this.worker.once("message", resolve);
      this.worker.once("error", reject);
    });
  }

  /** Waits until the worker runs (call before spawning what it watches). */
  async started(): Promise<void> {
    await this.ready;
  }

  /** Starts sampling the tree of `pid`. */
  attach(pid: number): void {
    Atomics.store(this.control, 0, pid);
    Atomics.notify(this.control, 0);
  }

  /** Takes a last sample and returns what was seen. */
  async stop(): Promise<TreeRss> {
    Atomics.store(this.control, 1, 1);
    if (Atomics.load(this.control, 0) === 0) {
      Atomics.store(this.control, 0, -1);
      Atomics.notify(this.control, 0);
    }
    const result = await this.result;
    await this.worker.terminate();
    return result;
  }
}
