/**
 * A real Redis for the cache tests: `redis-server` from PATH (scripts/system-deps.sh installs it),
 * one private process per call on a free loopback port, with no persistence and a throwaway
 * working directory. Tests start their own rather than use a system Redis on 6379, so they never
 * see another run's keys, never depend on a service being up, and can kill and restart the server
 * to test what the cache does when Redis goes away.
 *
 * Only Node's built-ins are used: readiness is a raw `PING` over TCP, not a client library, so a
 * harness problem is never confused with a client problem.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { connect, createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

/** A redis-server started by {@link startRedis}. */
export interface RunningRedis {
  /** The loopback port it listens on; the same after {@link RunningRedis.restart}. */
  readonly port: number;
  /** `redis://127.0.0.1:PORT`, for `createClient({ url })`. */
  readonly url: string;
  /** The current process's pid (a new one after a restart); `undefined` once it has exited. */
  readonly pid: number | undefined;
  /** SIGTERM, wait for the process to exit, remove its directory. Safe to call twice, or after kill(). */
  stop(): Promise<void>;
  /** SIGKILL now, without waiting: Redis going away as a crash or a network cut would look to a client. */
  kill(): void;
  /**
   * Start again, empty, on the same port (after kill() or stop(); a running server is stopped
   * first), resolving once it answers PING.
   */
  restart(): Promise<void>;
}

const HOST = "127.0.0.1";
const READY_DEADLINE_MS = 10_000;
const POLL_INTERVAL_MS = 25;
const STOP_GRACE_MS = 5_000;
/** Another process can take the port between our probe closing it and redis binding it. */
const BIND_ATTEMPTS = 5;
/** How much of redis-server's output to keep for error messages. */
const OUTPUT_LIMIT = 8_192;

/**
 * Every redis-server still running, killed when this process exits. The 'exit' handler covers a
 * test file that ends or throws without calling stop(); Ctrl-C reaches redis-server directly, as it
 * shares our process group. Only SIGKILL of the test process itself can leave one behind.
 */
const live = new Set<ChildProcess>();
/** Working directories not yet removed by stop() (a killed server's stays until then). */
const dirs = new Set<string>();
process.on("exit", () => {
  for (const child of live) child.kill("SIGKILL");
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/**
 * Sends one inline command (such as `PING`) to 127.0.0.1:`port` over a fresh TCP connection and
 * resolves with the raw reply (simple string, error, integer or bulk string, RESP framing
 * included), or `undefined` on a refused connection, a reset, or no complete reply within
 * `timeoutMs`. Never rejects.
 */
function rawCommand(port: number, command: string, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    let reply = "";
    const socket = connect({ host: HOST, port });
    const done = (result: string | undefined): void => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(undefined));
    socket.on("error", () => done(undefined));
    socket.on("end", () => done(undefined));
    socket.on("connect", () => socket.write(`${command}\r\n`));
    socket.on("data", (chunk) => {
      reply += chunk.toString("latin1");
      const lineEnd = reply.indexOf("\r\n");
      if (lineEnd === -1) return;
      // A bulk string ($LENGTH, then LENGTH bytes and CRLF); every other reply type is one line.
      const length = reply.startsWith("$") ? Number(reply.slice(1, lineEnd)) : -1;
      if (length < 0 || reply.length >= lineEnd + 2 + length + 2) done(reply);
    });
  });
}

/**
 * One raw `PING` to 127.0.0.1:`port`: true on `+PONG`; false on a refused connection, a reset,
 * any other reply, or no reply within `timeoutMs`. Never rejects.
 */
export async function pingRedis(port: number, timeoutMs = 1_000): Promise<boolean> {
  return (await rawCommand(port, "PING", timeoutMs)) === "+PONG\r\n";
}

/** A port nothing listens on right now (the kernel's pick for port 0), released for redis to take. */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, HOST);
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  return port;
}

/** Thrown by launch() when redis-server could not bind its port, so startRedis() tries another. */
class PortInUseError extends Error {}

/** A started process, with a promise that settles when it has exited (and been reaped). */
interface Launched {
  child: ChildProcess;
  exited: Promise<void>;
}

/**
 * Spawns redis-server on `port` with `dir` as its working directory and resolves once it answers
 * PING. Rejects (with the process gone) if it exits first, cannot be spawned, or misses the deadline.
 */
async function launch(port: number, dir: string): Promise<Launched> {
  const args = [
    "--port",
    String(port),
    "--bind",
    HOST,
    // No RDB snapshots and no AOF: nothing is written to disk, and nothing survives a restart
    // (a restarted server is empty, as a fresh cache node would be).
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    dir,
    // Startup banners would only be noise; warnings (such as a failed bind) still come through.
    "--loglevel",
    "warning",
  ];
  // Redis logs to stdout; stderr gets little, but both go into error messages.
  const child = spawn("redis-server", args, { stdio: ["ignore", "pipe", "pipe"] });
  live.add(child);
  let output = "";
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString("utf8")).slice(-OUTPUT_LIMIT);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);

  let exitCode: string | undefined;
  let spawnError: Error | undefined;
  // 'close' rather than 'exit': the output is complete by then. A failed spawn emits 'error' and
  // then 'close', so this settles either way.
  const exited = new Promise<void>((resolve) => {
    child.on("error", (error) => (spawnError = error));
    child.on("close", (code, signal) => {
      exitCode = signal ?? String(code);
      live.delete(child);
      resolve();
    });
  });

  // Don't let a forgotten stop() keep the test file's event loop alive; the 'exit' handler above
  // then kills the server. stop() and restart() take the reference back while they wait.
  unref(child);
  const killAndWait = async (): Promise<void> => {
    ref(child); // an unreferenced child's 'close' would not keep us waiting for it
    child.kill("SIGKILL");
    await exited;
  };

  const deadline = Date.now() + READY_DEADLINE_MS;
  while (exitCode === undefined) {
    if (await pingRedis(port, 250)) {
      // Ours, or another test file's server that took the port between freePort() and our bind
      // (ours then exits with "Address already in use")? Redis reports its pid in INFO server.
      const info = await rawCommand(port, "INFO server", 1_000);
      if (info?.includes(`\r\nprocess_id:${child.pid}\r\n`)) return { child, exited };
      await killAndWait();
      throw new PortInUseError(`port ${port} is served by another Redis`);
    }
    if (Date.now() > deadline) {
      await killAndWait();
      throw new Error(
        `redis-server on port ${port} did not answer PING within ${READY_DEADLINE_MS} ms; its output:\n${output.trim() || "(none)"}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  await exited;
  if (spawnError) {
    const hint =
      (spawnError as NodeJS.ErrnoException).code === "ENOENT"
        ? " (not on PATH: run scripts/system-deps.sh, or apt-get install redis-server)"
        : "";
    throw new Error(`could not start redis-server${hint}: ${spawnError.message}`);
  }
  if (/address already in use/i.test(output)) throw new PortInUseError(`port ${port} is in use: ${output.trim()}`);
  throw new Error(
    `redis-server on port ${port} exited (${exitCode}) before answering PING; its output:\n${output.trim() || "(none)"}`,
  );
}

function unref(child: ChildProcess): void {
  child.unref();
  for (const stream of [child.stdout, child.stderr]) (stream as { unref?: () => void } | null)?.unref?.();
}

function ref(child: ChildProcess): void {
  child.ref();
  for (const stream of [child.stdout, child.stderr]) (stream as { ref?: () => void } | null)?.ref?.();
}

/**
 * Starts a private redis-server on a free loopback port and resolves once it accepts connections.
 * Call `stop()` when done (an `after()` hook); a server left running is killed when the test
 * process exits.
 */
export async function startRedis(): Promise<RunningRedis> {
  const dir = mkdtempSync(path.join(tmpdir(), "ssr-pages-redis-"));
  dirs.add(dir);
  let port = 0;
  let current: Launched | undefined;
  try {
    for (let attempt = 1; !current; attempt++) {
      port = await freePort();
      try {
        current = await launch(port, dir);
      } catch (error) {
        if (!(error instanceof PortInUseError) || attempt >= BIND_ATTEMPTS) throw error;
      }
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    dirs.delete(dir);
    throw error;
  }

  let stopped = false;
  /** SIGTERM (or SIGKILL if it lingers) and wait for the process to be gone. */
  const terminate = async (): Promise<void> => {
    const { child, exited } = current!;
    ref(child); // keep the event loop alive until 'close' arrives
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };

  return {
    port,
    url: `redis://${HOST}:${port}`,
    get pid() {
      const { child } = current!;
      return child.exitCode === null && child.signalCode === null ? child.pid : undefined;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await terminate();
      rmSync(dir, { recursive: true, force: true });
      dirs.delete(dir);
    },
    kill() {
      current!.child.kill("SIGKILL");
    },
    async restart() {
      // The old process must be gone (port released) first; after kill() this only waits for it.
      await terminate();
      if (stopped) {
        // stop() removed the directory; make it again, and stop() owes its removal again.
        mkdirSync(dir, { recursive: true });
        dirs.add(dir);
        stopped = false;
      }
      // Same port on purpose, so clients configured with `url` reconnect to it. No retry on
      // another port: if something took this one meanwhile, the test should fail saying so.
      current = await launch(port, dir);
    },
  };
}
