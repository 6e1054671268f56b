/** Starting, probing and stopping one contestant's server process. */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readdirSync, readFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import path from "node:path";
import { OUT } from "./build.js";

/** A running server. */
export interface RunningServer {
  child: ChildProcess;
  origin: string;
  /** Milliseconds from spawn to the first 200 on the probe URL. */
  startupMs: number;
}

/**
 * Spawns `servers/<name>` with NODE_ENV=production and waits for the first 200 on `probe` (for
 * ssr-pages that includes compiling the pages). `wrapper` runs Node under another program (valgrind);
 * `onSpawn` is called with the child the moment it is spawned (to watch its memory from the start).
 */
export async function startServer(
  name: string,
  env: Record<string, string>,
  probe: string,
  wrapper: readonly string[] = [],
  onSpawn?: (child: ChildProcess) => void,
): Promise<RunningServer> {
  const started = performance.now();
  // Under valgrind everything runs many times slower, start-up included.
  const limit = wrapper.length > 0 ? 900_000 : 60_000;
  const [command = process.execPath, ...args] = [...wrapper, process.execPath, path.join(OUT, `${name}.mjs`)];
  const child = spawn(command, args, {
    env: { ...process.env, ...env, NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  onSpawn?.(child);
  const port = await new Promise<string>((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`${name} did not start: ${output}`)), limit);
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const found = /READY (\d+)/.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(found[1] as string);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}: ${output}`));
    });
  });
  const origin = `http://127.0.0.1:${port}`;
  await waitFor200(name, origin + probe, started, child, limit);
  return { child, origin, startupMs: performance.now() - started };
}

/**
 * Starts another program (a peer's own server command) on a port chosen here, and waits for the
 * first 200 on `probe`.
 */
export async function startCommand(
  name: string,
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
  probe: string,
): Promise<RunningServer> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(
    command,
    args.map((arg) => arg.replace("{port}", String(port))),
    {
      cwd,
      env: { ...process.env, ...env, NODE_ENV: "production", PORT: String(port) },
      stdio: ["ignore", "ignore", "inherit"],
      detached: true, // its own process group, so stopServer ends the npx/next/gatsby children too
    },
  );
  const origin = `http://127.0.0.1:${port}`;
  await waitFor200(name, origin + probe, started, child, 180_000);
  return { child, origin, startupMs: performance.now() - started };
}

async function waitFor200(
  name: string,
  url: string,
  started: number,
  child: ChildProcess,
  limit = 60_000,
): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} before ${url} answered`);
    const status = await fetch(url).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    if (performance.now() - started > limit) throw new Error(`${name}: ${url} never answered 200 (last ${status})`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * CPU seconds (user + system) a server has used, its child processes included, from /proc (Linux).
 * Per request, this is the figure noise moves least: a busy neighbour slows the clock, not the work a
 * request costs.
 */
export function cpuSeconds(child: ChildProcess): number {
  let ticks = 0;
  for (const pid of processTree(child)) {
    const fields = statFields(pid);
    // utime and stime are fields 14 and 15 (statFields starts at field 3); for the server itself also
    // cutime and cstime (16, 17): the children it has already reaped, which the tree no longer lists.
    const own = pid === child.pid ? Number(fields?.[13] ?? 0) + Number(fields?.[14] ?? 0) : 0;
    ticks += Number(fields?.[11] ?? 0) + Number(fields?.[12] ?? 0) + own;
  }
  return ticks / CLOCK_TICKS;
}

/** Linux's USER_HZ, fixed at 100 on every architecture Node runs on. */
const CLOCK_TICKS = 100;

/**
 * Resident set size of a server in MiB, from /proc (Linux): its child processes count too (a compiler
 * service left running, say), since the machine pays for them all the same.
 */
export function rssMiB(child: ChildProcess): number {
  let kib = 0;
  for (const pid of processTree(child)) kib += Number(/VmRSS:\s+(\d+)/.exec(readProc(pid, "status") ?? "")?.[1] ?? 0);
  return kib / 1024;
}

/** The server's process and its descendants, by the parent ids in /proc. */
function processTree(child: ChildProcess): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = Number(statFields(Number(entry))?.[1]);
    if (Number.isInteger(parent)) parents.set(Number(entry), parent);
  }
  const tree = child.pid === undefined ? [] : [child.pid];
  for (let i = 0; i < tree.length; i++) for (const [pid, parent] of parents) if (parent === tree[i]) tree.push(pid);
  return tree;
}

/** The fields of /proc/<pid>/stat from the third (state, ppid, …): the command name before them may hold spaces. */
function statFields(pid: number): string[] | undefined {
  const stat = readProc(pid, "stat");
  return stat?.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** A /proc file of `pid`; `undefined` once the process has ended. */
function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, "utf8");
  } catch {
    return undefined;
  }
}

/** Stops a server (and, for a detached one, its process group) and waits for it to exit. */
export async function stopServer(server: RunningServer): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once("exit", resolve));
  const pid = server.child.pid;
  try {
    if (pid !== undefined) process.kill(-pid);
  } catch {
    server.child.kill(); // not a group leader: a plain child
  }
  await exited;
}
