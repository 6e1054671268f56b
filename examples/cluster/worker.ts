// examples/cluster/worker.ts
/**
 * One worker of the cluster example (examples/cluster/server.ts forks it; run alone, it is a
 * single-process server): an Express app serving the production build of the example pages, with
 * the response cache in the Redis every worker shares, a `/health` route, and a graceful stop on
 * SIGTERM or SIGINT: stop accepting, finish the requests in flight, close the middleware and the
 * Redis client, exit 0.
 */
import cluster from "node:cluster";
import { readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import express from "express";
import { createClient } from "redis";
import { ssrMiddleware } from "ssr-pages/express";
import { redisStore, type RedisClientLike } from "ssr-pages/redis";
import { readConfig, type ClusterConfig } from "./config.js";

/** How long closing the Redis client may wait for its last commands before it is dropped. */
const REDIS_CLOSE_MS = 1_000;

/**
 * The id of the build in `buildDir`, read from the manifest `ssr-pages build` writes last
 * (`ssr-pages.json`): one small file, read once at start. `undefined` when there is no readable
 * manifest; the middleware then refuses the folder with an error saying why.
 */
export function readBuildId(buildDir: string): string | undefined {
  try {
    const manifest = JSON.parse(readFileSync(path.join(buildDir, "ssr-pages.json"), "utf8")) as { buildId?: unknown };
    return typeof manifest.buildId === "string" ? manifest.buildId : undefined;
  } catch {
    return undefined;
  }
}

/** What {@link createApp} serves, and with what. */
export interface AppOptions {
  /** The pages directory the build was made from (the build is checked against it). */
  pagesDir: string;
  /** The production build's folder. */
  buildDir: string;
  /** A node-redis client, connected or still connecting: the cache serves uncached while it is not ready. */
  redis: RedisClientLike & { readonly isReady: boolean };
  /** True once this worker is stopping: `/health` then answers 503, so a load balancer sends its traffic elsewhere. */
  stopping?: () => boolean;
}

/**
 * The worker's app: `/health`, the pages served from their build (refused here, with an Error, if
 * the folder is not a complete build of these pages), and the 404 page for everything else.
 */
export function createApp({ pagesDir, buildDir, redis, stopping = () => false }: AppOptions) {
  const buildId = readBuildId(buildDir);
  const pages = ssrMiddleware(pagesDir, {
    build: buildDir,
    // Every worker's hits are every other's. The keys name the build, so workers of the next build
    // never answer with what the last one stored; entries of a build that is gone expire by their TTL.
    cache: { store: redisStore(redis) },
  });
  const app = express();
  // Which worker answered, on every response (a cache hit too): for reading a load balancer's logs,
  // and for the example's test. Leave it out if you would rather not publish process ids.
  app.use((_req, res, next) => {
    res.setHeader("X-Served-By", `worker-${process.pid}`);
    next();
  });
  app.get("/health", (_req, res) => {
    // 200 while Redis is away too: the worker still answers every page (uncached, so slower), and a
    // cache outage must not take every worker out of the load balancer at once.
    const ok = !stopping();
    res.status(ok ? 200 : 503).json({ ok, pid: process.pid, buildId, redis: redis.isReady ? "ready" : "unavailable" });
  });
  app.use(pages);
  app.use(pages.notFound);
  return Object.assign(app, { pages, buildId });
}

/**
 * Runs this process as a worker: starts connecting to Redis, serves {@link createApp} on
 * `config.port` (in a cluster, the port every worker shares through the primary), and stops
 * gracefully on SIGTERM or SIGINT. Exits the process: 0 after a graceful stop, 1 if the app could
 * not start or requests had to be cut off after `shutdownTimeoutMs`.
 */
export async function startWorker(config: ClusterConfig = readConfig()): Promise<void> {
  const log = (message: string) => console.log(`[worker ${process.pid}] ${message}`);
  let stopping: Promise<void> | undefined;

  const redis = newRedisClient(config.redisUrl);
  watchRedis(redis, log);
  // Not awaited: the worker serves without Redis rather than not at all; node-redis keeps retrying,
  // and a close() during shutdown settles this promise with an error nobody needs.
  redis.connect().catch(() => undefined);

  let app: ReturnType<typeof createApp>;
  try {
    app = createApp({
      pagesDir: config.pagesDir,
      buildDir: config.buildDir,
      redis,
      stopping: () => stopping !== undefined,
    });
  } catch (error) {
    // No build, an incomplete one, or one of other pages: say so and exit; the primary will not
    // restart a worker that never listened.
    console.error(`[worker ${process.pid}] ${error instanceof Error ? error.message : String(error)}`);
    redis.destroy();
    process.exit(1);
  }

  const server = http.createServer(app);
  // The responses in flight, for the shutdown: each must finish, and its connection must then close
  // rather than sit idle in keep-alive (server.close() closes only the connections idle when it is
  // called, and waits for the others: a kept-alive one would hold the exit for keepAliveTimeout).
  const inFlight = new Set<http.ServerResponse>();
  server.prependListener("request", (_req: http.IncomingMessage, res: http.ServerResponse) => {
    if (stopping) res.setHeader("Connection", "close");
    inFlight.add(res);
    res.once("close", () => {
      inFlight.delete(res);
      // After the response's socket is released: setImmediate, not at once.
      if (stopping) setImmediate(() => server.closeIdleConnections());
    });
  });
  const listening = new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  server.listen(config.port);

  const shutdown = async (reason: string): Promise<void> => {
    let forced = false;
    try {
      log(`${reason}: stopping, ${inFlight.size} request(s) in flight`);
      // Responses not yet started tell their client this connection ends with them.
      for (const res of inFlight) if (!res.headersSent) res.setHeader("Connection", "close");
      const cutOff = setTimeout(() => {
        forced = true;
        log(`shutdown timeout (${config.shutdownTimeoutMs} ms): cutting off ${inFlight.size} request(s)`);
        server.closeAllConnections();
      }, config.shutdownTimeoutMs);
      await listening.catch(() => undefined);
      // Stops accepting (in a cluster: the primary stops handing this worker connections) and
      // calls back once every connection has ended, that is once the requests in flight are answered.
      await new Promise<void>((resolve) => server.close(() => resolve()));
      clearTimeout(cutOff);
      // Nothing to stop for a build today, but the middleware's contract is to be closed.
      await app.pages.close();
      await closeRedis(redis);
      log(forced ? "stopped, requests were cut off" : "stopped");
    } catch (error) {
      console.error(`[worker ${process.pid}] shutdown failed:`, error);
      forced = true;
    }
    process.exit(forced ? 1 : 0);
  };
  const stop = (reason: string) => {
    stopping ??= shutdown(reason);
  };
  // SIGTERM comes from the primary (which forwards its own); SIGINT also reaches every worker
  // directly when Ctrl-C is pressed in a terminal. Either starts the one shutdown.
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  // No handler for the primary's death (SIGKILL, a crash): node:cluster itself exits a worker at
  // once when its IPC channel closes unexpectedly, requests in flight included. The primary only
  // supervises, so it has little reason to die; an orchestrator restarts the whole group if it does.

  try {
    await listening;
  } catch (error) {
    console.error(
      `[worker ${process.pid}] cannot listen on port ${config.port}: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  }
  if (!cluster.isWorker) {
    const { port } = server.address() as { port: number };
    log(`serving build ${app.buildId} on http://localhost:${port}/`);
  }
}

/**
 * The worker's client. disableOfflineQueue: while Redis is away a cache call fails at once (the page
 * is then rendered uncached) instead of queueing until Redis returns.
 */
function newRedisClient(url: string) {
  return createClient({ url, disableOfflineQueue: true });
}

type RedisClient = ReturnType<typeof newRedisClient>;

/** Logs Redis going away and coming back, once each (node-redis emits an error on every retry). */
function watchRedis(redis: RedisClient, log: (message: string) => void): void {
  let down = false;
  // An 'error' listener is required: without one, node-redis's error would crash the worker.
  redis.on("error", (error: Error) => {
    if (down) return;
    down = true;
    log(`Redis unavailable (${error.message}): pages are rendered uncached until it is back`);
  });
  redis.on("ready", () => {
    if (down) log("Redis is back: the shared cache is in use again");
    down = false;
  });
}

/**
 * Closes the client after its last commands (a response being stored), but no longer than
 * {@link REDIS_CLOSE_MS}: a Redis that stopped answering must not hold the worker's exit.
 */
async function closeRedis(redis: RedisClient): Promise<void> {
  if (!redis.isOpen) return;
  const closed = redis.close().then(
    () => true,
    () => false,
  );
  const late = new Promise<false>((resolve) => setTimeout(resolve, REDIS_CLOSE_MS, false).unref());
  if (!(await Promise.race([closed, late])) && redis.isOpen) redis.destroy();
}

// Forked by the primary, or run alone (`node --import tsx examples/cluster/worker.ts`): start.
if (cluster.isWorker || (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1]))) {
  await startWorker();
}
