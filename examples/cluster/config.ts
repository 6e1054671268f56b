// examples/cluster/config.ts
/**
 * The cluster example's settings, from the environment: read by the primary and by every worker
 * (node:cluster gives workers the primary's environment), so they always agree. Node's built-ins
 * only: the primary loads nothing of Express, React or the pages.
 */
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";

/** What a cluster is started with. */
export interface ClusterConfig {
  /** Worker processes (`WORKERS`). */
  workers: number;
  /** The port every worker listens on (`PORT`, default 3000); 0 lets the first worker pick a free one, which the others then share. */
  port: number;
  /** The pages directory the build was made from (`PAGES_DIR`, default examples/pages). */
  pagesDir: string;
  /** The build every worker serves (`BUILD_DIR`, default examples/.ssr-pages, what `npm run build:example` writes). */
  buildDir: string;
  /** The Redis of the shared response cache (`REDIS_URL`). */
  redisUrl: string;
  /**
   * How long a worker may take to finish its in-flight requests after SIGTERM (`SHUTDOWN_TIMEOUT_MS`,
   * default 10 s) before it cuts the rest off. Keep it under the orchestrator's own grace period
   * (Kubernetes' terminationGracePeriodSeconds is 30 s by default), or the SIGKILL comes first.
   */
  shutdownTimeoutMs: number;
}

/**
 * The default number of workers when `WORKERS` is unset: one per CPU, at most this many.
 * `os.availableParallelism()` may count the host's CPUs rather than a container's CPU quota
 * (it depends on the Node version), and every worker holds its own copy of the pages, React and a
 * Redis connection; past a few workers, set `WORKERS` to what the machine really gives you.
 */
export const MAX_DEFAULT_WORKERS = 4;

/** Reads the settings from `env`. @throws Error naming the variable with a bad value. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): ClusterConfig {
  return {
    workers: integer(env, "WORKERS", Math.min(availableParallelism(), MAX_DEFAULT_WORKERS), 1, 256),
    port: integer(env, "PORT", 3000, 0, 65_535),
    pagesDir: env.PAGES_DIR || fileURLToPath(new URL("../pages", import.meta.url)),
    buildDir: env.BUILD_DIR || fileURLToPath(new URL("../.ssr-pages", import.meta.url)),
    redisUrl: env.REDIS_URL || "redis://127.0.0.1:6379",
    shutdownTimeoutMs: integer(env, "SHUTDOWN_TIMEOUT_MS", 10_000, 0, 3_600_000),
  };
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const text = env[name];
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return value;
}
