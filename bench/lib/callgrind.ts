/**
 * Instructions per request, counted by valgrind's callgrind. On a shared VM req/s and even CPU time
 * per request move by ±20% between runs; an instruction count does not depend on what else the
 * machine is doing, so it is the figure that can settle a floor a few percent away.
 *
 * The server runs under callgrind with instrumentation off until it has started (the compile is
 * not what is measured), then requests are sent one at a time over one keep-alive connection;
 * `callgrind_control --dump` writes the counts so far and zeroes them, so each dump is one batch.
 * Counts include every thread of the server (V8's compiler and GC helpers too), in user space only:
 * the kernel's share (sockets) is the same for every contestant and is not counted.
 */
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { promisify } from "node:util";
import { startServer, type RunningServer } from "./server.js";

const run = promisify(execFile);

/** A server running under callgrind. */
export interface CountedServer extends RunningServer {
  /** Sends `count` requests to `url` (with request `headers`, if given) one after another, and returns the instructions they cost. */
  count(url: string, count: number, status: number, headers?: Record<string, string>): Promise<number>;
}

/** Starts `servers/<name>` under callgrind, writing its dumps into `dir`. */
export async function startCounted(
  name: string,
  env: Record<string, string>,
  probe: string,
  dir: string,
): Promise<CountedServer> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const server = await startServer(name, env, probe, [
    "valgrind",
    "--tool=callgrind",
    "--instr-atstart=no",
    `--callgrind-out-file=${path.join(dir, "callgrind.out")}`,
    `--log-file=${path.join(dir, "valgrind.log")}`,
  ]);
  const pid = String(server.child.pid);
  await control(pid, "--instr=on");
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  // Dumps are numbered from 1; everything before the first batch (start-up, probes) is dump 1.
  await control(pid, "--dump");
  return {
    ...server,
    async count(url, count, status, headers) {
      for (let i = 0; i < count; i++) await get(url, agent, status, headers);
      await control(pid, "--dump");
      return lastTotal(dir);
    },
  };
}

/**
 * A bound on one callgrind_control call, and on a request's silence (no byte for this long). Under
 * callgrind a request takes tens of milliseconds and a dump seconds at most, even on a loaded
 * machine: past this, something hangs, and the run says which call rather than waiting on it for ever.
 */
const STALLED_MS = 60_000;

async function control(pid: string, command: string): Promise<void> {
  const { stdout } = await run("callgrind_control", [command, pid], { timeout: STALLED_MS }).catch((error: unknown) => {
    // On the bound, execFile kills the call and rejects with "Command failed", which does not say why.
    if ((error as { killed?: boolean }).killed)
      throw new Error(`callgrind_control ${command} ${pid}: no answer within ${STALLED_MS / 1000} s`);
    throw error;
  });
  if (!stdout.includes("OK")) throw new Error(`callgrind_control ${command} ${pid}: ${stdout}`);
}

/**
 * One request. A server under callgrind is slow enough that its idle keep-alive timeout can close the
 * socket just as the next request goes out on it: that request never reached the server, so it is
 * sent again (the retry Node's documentation gives for `reusedSocket`).
 */
function get(url: string, agent: http.Agent, status: number, headers?: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent, timeout: STALLED_MS, ...(headers ? { headers } : {}) }, (response) => {
      if (response.statusCode !== status)
        reject(new Error(`${url} answered ${response.statusCode}, expected ${status}`));
      response.resume().once("end", resolve);
    });
    request.once("timeout", () => request.destroy(new Error(`${url}: no answer within ${STALLED_MS / 1000} s`)));
    request.once("error", (error: NodeJS.ErrnoException) => {
      if (request.reusedSocket && error.code === "ECONNRESET") get(url, agent, status, headers).then(resolve, reject);
      else reject(error);
    });
  });
}

/** The `totals:` line of the newest dump in `dir`. */
function lastTotal(dir: string): number {
  const dumps = readdirSync(dir)
    .map((file) => /^callgrind\.out\.(\d+)$/.exec(file))
    .filter((match) => match !== null)
    .sort((a, b) => Number(a[1]) - Number(b[1]));
  const newest = dumps[dumps.length - 1];
  if (!newest) throw new Error(`no callgrind dump in ${dir}`);
  const total = /^totals: (\d+)/m.exec(readFileSync(path.join(dir, newest[0]), "utf8"))?.[1];
  if (total === undefined) throw new Error(`no totals line in ${path.join(dir, newest[0])}`);
  return Number(total);
}
