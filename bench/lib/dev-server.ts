/**
 * The server of bench/dev-loop.ts: one fresh process per size, so the start's time and the process
 * tree's RSS are this middleware's alone (no earlier size's builds, JIT or esbuild state). Started by
 * the bench with `fork(this file, [pagesDir, firstPath], { execArgv: ["--import", "tsx"] })`:
 *
 * 1. imports the `node:http` adapter, notes the tree's RSS, then creates
 *    `createRequestListener(pagesDir, { dev: true })` and listens on a loopback port;
 * 2. requests `firstPath` itself as soon as it listens (as a developer's open tab would), and sends
 *    {@link StartedMessage}: start → `ready`, start → that first 200;
 * 3. serves the bench (its requests, its Chromium tab) until told {@link RestartMessage}, then times
 *    the restarts and exits when the bench disconnects.
 *
 * The start is timed from `createRequestListener`, not from the process's start: what Node and tsx
 * cost to boot is the same at every size and not the dev loop's (it is reported apart, as `importMs`).
 */
import http from "node:http";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { httpGet, type FromDevServer, type RestartMessage } from "./dev-bench.js";
import { treeMiB } from "./tree-rss.js";

const [dir, firstPath] = process.argv.slice(2);
if (dir === undefined || firstPath === undefined || process.send === undefined)
  throw new Error("run by bench/dev-loop.ts: fork(dev-server.ts, [pagesDir, firstPath]) with an IPC channel");
const send = (message: FromDevServer): void => void process.send?.(message);
// Without the bench there is nothing to serve: a parent that crashed must not leave this running.
process.on("disconnect", () => process.exit(0));

// Imported here, after the time origin, so its cost is measured (tsx compiles the sources on the fly).
const { createRequestListener } = await import("../../adapters/http.js");
const importMs = performance.now();
const idleTreeMiB = treeMiB(process.pid);
// The bench fails on any error: a page that does not compile would make every figure meaningless.
const onError = (error: unknown): void =>
  send({ type: "error", message: error instanceof Error ? (error.stack ?? error.message) : String(error) });

const started = performance.now();
const listener = createRequestListener(dir, { dev: true, onError });
let readyMs = Number.NaN;
const ready = listener.ready.then(() => void (readyMs = performance.now() - started));
const server = http.createServer(listener).listen(0, "127.0.0.1");
await once(server, "listening");
const { port } = server.address() as AddressInfo;
// Not waiting for `ready`: requests that come earlier wait for it, and the figure is when the page arrives.
const first = await httpGet(`http://127.0.0.1:${port}${firstPath}`);
const first200Ms = performance.now() - started;
await ready;
send({ type: "started", port, importMs, idleTreeMiB, readyMs, first200Ms, firstStatus: first.status });

process.on("message", (message: RestartMessage) => {
  if (message.type !== "restart") return;
  void (async () => {
    await listener.close();
    server.closeAllConnections();
    server.close();
    const ms: number[] = [];
    for (let run = 0; run < message.runs; run++) {
      const restarted = performance.now();
      // Without `watch`: `ready` means every page compiled, as it was for a server restarted by hand.
      const fresh = createRequestListener(dir, { dev: true, watch: false, onError });
      await fresh.ready;
      ms.push(performance.now() - restarted);
      await fresh.close();
    }
    send({ type: "restarts", ms });
  })();
});
