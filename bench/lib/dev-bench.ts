/**
 * What bench/dev-loop.ts and its child server (bench/lib/dev-server.ts) share: the messages they
 * exchange over the IPC channel, and a plain GET. Kept apart from the child's module, whose top level
 * starts a server: the parent must be able to import these without running it.
 */
import http from "node:http";

/** A desktop Chrome's User-Agent: the pages are answered as to a browser, not a bot. */
const CHROME_UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/** The child's first report, once it answered its first page. All times are milliseconds. */
export interface StartedMessage {
  type: "started";
  /** The loopback port it listens on. */
  port: number;
  /** From the process's start (Node's time origin) to the adapter imported: Node, tsx's loader, and the library's modules. */
  importMs: number;
  /** The process tree's RSS (MiB) just before the middleware is created: Node, tsx and tsx's own esbuild service. */
  idleTreeMiB: number;
  /** From `createRequestListener` called to `ready` settled. */
  readyMs: number;
  /** From `createRequestListener` called to the end of the first page's 200 (requested as soon as the server listens). */
  first200Ms: number;
  /** The first page's status (anything but 200 fails the bench). */
  firstStatus: number;
}

/** The child's answer to {@link RestartMessage}: each restart's milliseconds to `ready`. */
export interface RestartsMessage {
  type: "restarts";
  ms: number[];
}

/** From the child: its reports, and what its `onError` received (the bench fails on any). */
export type FromDevServer = StartedMessage | RestartsMessage | { type: "error"; message: string };

/**
 * To the child: stop the watched middleware, then time `runs` restarts of it (a middleware without
 * `watch`, whose `ready` means every page compiled: what a developer without the dev loop waits for).
 */
export interface RestartMessage {
  type: "restart";
  runs: number;
}

/** A response read to its end. */
export interface Fetched {
  status: number;
  body: string;
  /** From the request's start to the body's end. */
  ms: number;
}

/**
 * GETs `url` as a browser's navigation would (HTML, Chrome's User-Agent), on a fresh connection.
 * `node:http` rather than `fetch`: undici's first use in a process costs tens of milliseconds, which
 * would land in the first figure measured.
 */
export function httpGet(url: string): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const request = http.get(
      url,
      { agent: false, headers: { "user-agent": CHROME_UA, accept: "text/html" } },
      (response) => {
        response.setEncoding("utf8");
        let body = "";
        response.on("data", (chunk: string) => (body += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body, ms: performance.now() - start }));
        response.on("error", reject);
      },
    );
    request.on("error", reject);
  });
}
