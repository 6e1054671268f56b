/**
 * `npm start` as the README gives it: the example shop serves, and one SIGINT (Ctrl-C) or SIGTERM
 * to npm's process leaves no process behind (no orphaned server, no esbuild service).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { describe, it } from "node:test";
import { alive } from "./processes.js";

const root = path.resolve(import.meta.dirname, "../..");

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Every process below `pid`, from /proc. */
function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // it ended while we looked
    }
  }
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const [child, of] of parents) {
      if (of !== parent) continue;
      found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}

describe("npm start", { timeout: 90_000 }, () => {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`serves the example shop, and one ${signal} to npm leaves no process behind`, async () => {
      const port = await freePort();
      const npm = spawn("npm", ["start"], {
        cwd: root,
        env: { ...process.env, PORT: String(port) },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      let tree: number[] = [];
      try {
        await new Promise<void>((resolve, reject) => {
          const onData = (chunk: Buffer) => {
            output += chunk.toString();
            if (output.includes(`http://localhost:${port}/`)) resolve();
          };
          npm.stdout.on("data", onData);
          npm.stderr.on("data", onData);
          npm.once("exit", (code) => reject(new Error(`npm start exited with ${code}: ${output}`)));
          setTimeout(() => reject(new Error(`npm start did not serve: ${output}`)), 60_000).unref();
        });
        const home = await fetch(`http://127.0.0.1:${port}/`);
        assert.equal(home.status, 200);
        assert.match(await home.text(), /All products/);
        tree = descendants(npm.pid as number);
        assert.ok(tree.length > 0, "npm runs the server as its child");
        npm.kill(signal);
        const deadline = Date.now() + 10_000;
        while ((alive(npm.pid as number) || tree.some(alive)) && Date.now() < deadline)
          await new Promise((resolve) => setTimeout(resolve, 50));
        assert.deepEqual(tree.filter(alive), [], `left behind after ${signal}`);
        assert.equal(alive(npm.pid as number), false, "npm itself ended");
      } finally {
        // Whatever was left (an orphan holds npm's output pipes open, which would hold this test too).
        for (const pid of new Set([npm.pid as number, ...tree, ...descendants(npm.pid as number)]))
          if (alive(pid)) process.kill(pid, "SIGKILL");
        npm.stdout.destroy();
        npm.stderr.destroy();
      }
    });
  }
});
