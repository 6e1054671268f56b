/**
 * The server of bench/streaming.ts (bench/fixtures/streaming/server.ts) as a child process: started
 * with tsx from the sources (NODE_ENV=production, its pages compiled at start, as `npm run bench`'s
 * servers are, without the package's compile step, so `--quick` stays quick), asked over IPC for its
 * CPU time and for when requests reached it.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { ROOT } from "./build.js";
import { stopServer, type RunningServer } from "./server.js";

const SERVER = path.join(ROOT, "bench", "fixtures", "streaming", "server.ts");

/** A desktop Chrome's User-Agent: isbot counts headless Chromium, curl and bare Node among crawlers, which get whole documents. */
export const CHROME_UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/** How to start the fixture's server. */
export interface StreamingServerOptions {
  /** Express 5 over HTTP/1.1, or node:http2's secure server with `createRequestListener`. */
  kind: "express" | "h2";
  earlyHints?: boolean;
  /** With `h2`: the PEM files. */
  tls?: { key: string; cert: string };
}

/** A running fixture server. */
export interface StreamingServer extends RunningServer {
  /** The server process's own `process.cpuUsage()`, user + system, in µs. */
  cpuUs(): Promise<number>;
  /** With `h2`: the requests that reached it since the last call, at `performance.now()` of the server. */
  arrivals(): Promise<Array<{ url: string; at: number }>>;
  stop(): Promise<void>;
}

/** Starts the fixture's server and waits until its pages are compiled and it listens. */
export async function startStreamingServer(options: StreamingServerOptions): Promise<StreamingServer> {
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", SERVER], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "production",
      SERVER: options.kind,
      EARLY_HINTS: options.earlyHints === false ? "0" : "1",
      ...(options.tls ? { TLS_KEY: options.tls.key, TLS_CERT: options.tls.cert } : {}),
    },
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  const port = await new Promise<string>((resolve, reject) => {
    let output = "";
    const timer = setTimeout(
      () => reject(new Error(`the streaming fixture's server did not start: ${output}`)),
      60_000,
    );
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /READY (\d+)/.exec(output);
      if (ready) {
        clearTimeout(timer);
        resolve(ready[1] as string);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the streaming fixture's server exited with ${code}: ${output}`));
    });
  });
  /** One IPC question, one answer (questions are never in flight together). */
  const ask = <T>(question: string) =>
    new Promise<T>((resolve) => {
      child.once("message", (answer) => resolve(answer as T));
      child.send(question);
    });
  const server: RunningServer = {
    child,
    origin: `${options.kind === "h2" ? "https" : "http"}://127.0.0.1:${port}`,
    startupMs: performance.now() - started,
  };
  return {
    ...server,
    cpuUs: async () => {
      const { user, system } = await ask<NodeJS.CpuUsage>("cpu");
      return user + system;
    },
    arrivals: () => ask("arrivals"),
    stop: () => stopServer(server),
  };
}
