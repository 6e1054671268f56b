/**
 * The development event stream: server-sent events under `<mount>/_ssr-pages/events`, which the dev
 * client in every open tab listens to. (Server-sent events, not a WebSocket: a middleware never sees
 * the `upgrade` a WebSocket needs.) Each tab is a Node `Readable` the adapter pipes to its response.
 */
import { Readable } from "node:stream";
import type { SsrResponse } from "../protocol.js";

export type { DevError, DevEvent } from "../common/dev-events.js";
import type { DevEvent } from "../common/dev-events.js";

/** How often a comment line goes out, so proxies and idle timeouts keep the stream open. */
const HEARTBEAT_MS = 15_000;

/** The open event streams, and what the newest of them must hear first. */
export class EventHub {
  private readonly streams = new Set<Readable>();
  private readonly heartbeat: NodeJS.Timeout;
  private last: DevEvent | undefined;
  private closed = false;

  /** @param onListeners told how many tabs listen, whenever that changes. */
  constructor(private readonly onListeners: (count: number) => void = () => undefined) {
    this.heartbeat = setInterval(() => this.write(": heartbeat\n\n"), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /**
   * A new tab's stream: it hears the latest build's state at once (a tab opened while a page does not
   * compile shows the overlay), then every event. `no-transform` keeps `compression()` from
   * buffering it; the adapters flush each event and take it out of `koa-compress` too.
   */
  open(): SsrResponse {
    const stream = new Readable({ read() {} });
    if (this.closed) stream.push(null);
    else {
      this.streams.add(stream);
      this.onListeners(this.streams.size);
      stream.once("close", () => {
        this.streams.delete(stream);
        this.onListeners(this.streams.size);
      });
      // `retry`: how soon EventSource reconnects after the server went away (a restart).
      stream.push(`retry: 500\n\n${this.last ? format(this.last) : ""}`);
    }
    return {
      status: 200,
      defaultStatus: false,
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        "x-accel-buffering": "no",
      },
      body: stream,
    };
  }

  /** Tells every open tab. */
  send(event: DevEvent): void {
    this.last = event;
    this.write(format(event));
  }

  /** How many tabs listen. */
  get size(): number {
    return this.streams.size;
  }

  /** Ends every stream (each response ends) and refuses new ones. */
  close(): void {
    this.closed = true;
    clearInterval(this.heartbeat);
    for (const stream of this.streams) stream.push(null);
    this.streams.clear();
  }

  private write(text: string): void {
    for (const stream of this.streams) stream.push(text);
  }
}

function format(event: DevEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}
