// examples/cluster/server.ts
/**
 * The production example on `node:cluster`. `npm run build:example` writes the build of the shop's
 * pages (examples/.ssr-pages), then `npm run start:cluster` starts this primary, which forks
 * `WORKERS` workers (examples/cluster/worker.ts). Every worker serves that same build from Express
 * on one shared port, nothing compiled at start, and their response cache is one Redis
 * (`REDIS_URL`): a page one worker rendered and stored is a hit on every other.
 *
 * The primary only supervises: it restarts a worker that dies unexpectedly, and on SIGTERM or
 * SIGINT it forwards SIGTERM to every worker (each finishes its requests in flight, then closes its
 * middleware and Redis client and exits 0) and exits once they all have: 0 if they all stopped
 * cleanly, 1 otherwise. It loads nothing but Node's built-ins.
 *
 * Environment: WORKERS, PORT, REDIS_URL, PAGES_DIR, BUILD_DIR, SHUTDOWN_TIMEOUT_MS (see config.ts).
 */
import cluster, { type Worker } from "node:cluster";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { readConfig, type ClusterConfig } from "./config.js";

/** The worker's module, with this file's extension (worker.ts under tsx, worker.js once compiled). */
const WORKER_FILE = fileURLToPath(new URL(`./worker${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url));

/**
 * What the primary adds to the workers' own shutdown timeout (closing the middleware and Redis,
 * process exit) before it SIGKILLs the ones still running.
 */
const KILL_MARGIN_MS = 5_000;

/**
 * Starts the cluster: forks `config.workers` workers, restarts one that dies while serving, and
 * stops them all on SIGTERM or SIGINT (a second signal kills them at once). A worker that dies
 * before it ever listened (no build, a refused build, a port in use) stops the cluster instead:
 * its replacement would die the same way.
 * @returns a promise of the exit code, settled once every worker has exited: 0 when they all
 * stopped cleanly after a signal, 1 otherwise.
 */
export function startPrimary(config: ClusterConfig = readConfig()): Promise<number> {
  const log = (message: string) => console.log(`[primary ${process.pid}] ${message}`);
  // Workers run worker.ts, with the primary's execArgv (`--import tsx`) and environment.
  cluster.setupPrimary({ exec: WORKER_FILE });

  const live = new Set<Worker>();
  const listening = new Set<Worker>();
  let announced = false;
  let stopping = false;
  let failed = false;
  let killTimer: NodeJS.Timeout | undefined;
  let finish!: (code: number) => void;
  const done = new Promise<number>((resolve) => (finish = resolve));

  const fork = () => live.add(cluster.fork());

  const stop = (reason: string) => {
    if (stopping) {
      // A second Ctrl-C: the impatient way out.
      log(`${reason} again: killing ${live.size} worker(s)`);
      failed = true;
      for (const worker of live) worker.process.kill("SIGKILL");
      return;
    }
    stopping = true;
    log(`${reason}: stopping ${live.size} worker(s)`);
    if (live.size === 0) return finish(failed ? 1 : 0);
    for (const worker of live) worker.process.kill("SIGTERM");
    // Workers cut their own requests off after shutdownTimeoutMs; this is for one that hangs anyway.
    killTimer = setTimeout(() => {
      log(
        `${live.size} worker(s) still running ${config.shutdownTimeoutMs + KILL_MARGIN_MS} ms after SIGTERM: killing them`,
      );
      failed = true;
      for (const worker of live) worker.process.kill("SIGKILL");
    }, config.shutdownTimeoutMs + KILL_MARGIN_MS);
  };

  cluster.on("listening", (worker, address) => {
    listening.add(worker);
    log(`worker ${worker.process.pid} listening on port ${address.port}`);
    if (!announced && listening.size === config.workers) {
      announced = true;
      log(`${config.workers} worker(s) serving http://localhost:${address.port}/`);
    }
  });

  cluster.on("exit", (worker, code, signal) => {
    live.delete(worker);
    const wasListening = listening.delete(worker);
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (stopping) {
      // Clean: exited 0 after its graceful stop, or ended by our SIGTERM while still starting
      // (before it had installed its handlers, with nothing in flight).
      if (code !== 0 && (wasListening || signal === null)) failed = true;
      log(`worker ${worker.process.pid} exited (${how})`);
      if (live.size === 0) {
        clearTimeout(killTimer);
        finish(failed ? 1 : 0);
      }
      return;
    }
    if (!wasListening) {
      log(`worker ${worker.process.pid} exited (${how}) before it listened: stopping the cluster`);
      failed = true;
      return stop("startup failure");
    }
    // A crash, an out-of-memory kill, someone's `kill <pid>`: the others keep serving meanwhile.
    log(`worker ${worker.process.pid} died unexpectedly (${how}): starting another`);
    fork();
  });

  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));

  log(`starting ${config.workers} worker(s) for the build in ${config.buildDir}`);
  for (let i = 0; i < config.workers; i++) fork();
  return done;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  let config: ClusterConfig;
  try {
    config = readConfig();
  } catch (error) {
    console.error(`ssr-pages cluster example: ${(error as Error).message}`);
    process.exit(2);
  }
  process.exit(await startPrimary(config));
}
