// Not a test: what the tests of examples that are servers run as a reader runs them (a process of
// their own, `node --import tsx <file>`) share.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A running example server: where it listens, and how to stop it. */
export interface SpawnedServer {
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  /** SIGTERM, and wait for the process to exit. */
  stop(): Promise<void>;
}

/**
 * Runs `file` (relative to the repository) with `PORT` set to a free port and `env` added, and
 * resolves once it accepts connections (the examples print nothing we could wait for).
 */
export async function spawnServer(file: string, env: Record<string, string> = {}): Promise<SpawnedServer> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ["--import", "tsx", file], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let errors = "";
  child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    await once(child, "exit");
  };
  process.once("exit", () => child.kill("SIGKILL"));
  for (const deadline = Date.now() + 30_000; ;) {
    if (child.exitCode !== null) throw new Error(`${file} exited with ${child.exitCode}: ${errors}`);
    try {
      await fetch(origin, { method: "HEAD" });
      return { origin, stop };
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`${file} did not listen within 30 s: ${errors}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
