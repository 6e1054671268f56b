/**
 * One Gatsby-site server process: spawned, timed from spawn to its `READY` line and to the first 200
 * of a probe URL, its `TIMING` line read, stopped. Unlike bench/lib/server.ts's startServer, a server
 * that fails to answer is stopped before the error is thrown (no orphan left holding a port).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { OUT } from "../lib/build.js";
import { SERVER } from "./build.js";

export interface SpawnedServer {
  child: ChildProcess;
  origin: string;
  /** Spawn → `READY` (Node started, express and ssr-pages imported, listening). */
  listeningMs: number;
  /** Spawn → the first 200 of the probe. */
  firstMs: number;
  /** The child's own clock (since its process began) when `ready` resolved, and when its imports were done. */
  timing: { importedMs: number; readyMs: number } | undefined;
  /** What the server printed on stderr (errors from onError). */
  stderr: string;
}

const LIMIT_MS = 120_000;

/** Starts the Gatsby-site server on `pagesDir` (under `mount` if given) and waits for the first 200 of `probe`. */
export async function startSite(pagesDir: string, probe: string, mount = ""): Promise<SpawnedServer> {
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(OUT, `${SERVER}.mjs`)], {
    env: { ...process.env, PAGES_DIR: pagesDir, NODE_ENV: "production", ...(mount ? { MOUNT: mount } : {}) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const server: SpawnedServer = {
    child,
    origin: "",
    listeningMs: Number.NaN,
    firstMs: Number.NaN,
    timing: undefined,
    get stderr() {
      return stderr;
    },
  };
  try {
    const port = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`did not print READY: ${stdout}${stderr}`)), LIMIT_MS);
      const look = () => {
        const found = /READY (\d+)/.exec(stdout);
        if (found) {
          clearTimeout(timer);
          child.stdout?.off("data", look);
          resolve(found[1] as string);
        }
      };
      child.stdout?.on("data", look);
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`exited with ${code}: ${stdout}${stderr}`));
      });
    });
    server.listeningMs = performance.now() - started;
    server.origin = `http://127.0.0.1:${port}`;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode} before ${probe} answered: ${stderr}`);
      const status = await fetch(server.origin + mount + probe).then(
        async (response) => {
          await response.arrayBuffer();
          return response.status;
        },
        () => 0,
      );
      if (status === 200) break;
      if (performance.now() - started > LIMIT_MS)
        throw new Error(`${probe} never answered 200 (last ${status}): ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    server.firstMs = performance.now() - started;
    // The TIMING line comes right after `ready` resolved, before the first 200 was sent.
    for (let i = 0; i < 100 && !/TIMING /.test(stdout); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    const timing = /TIMING (\{.*\})/.exec(stdout)?.[1];
    server.timing = timing ? (JSON.parse(timing) as SpawnedServer["timing"]) : undefined;
    return server;
  } catch (error) {
    await stopSite(server);
    throw new Error(`server on ${pagesDir}: ${(error as Error).message}`, { cause: error });
  }
}

/** Stops the server and waits for it to exit. */
export async function stopSite(server: Pick<SpawnedServer, "child">): Promise<void> {
  const child = server.child;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(killer);
}
