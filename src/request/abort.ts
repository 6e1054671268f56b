/** The abort reason for a client that left: an `AbortError`, as `AbortController.abort()` would give. */
export function clientLeft(): DOMException {
  return new DOMException("ssr-pages: the client closed the connection", "AbortError");
}

/**
 * The request's abort signal, made only when a page asks for `context.signal`: an AbortController
 * costs more than the rest of a page-data request's own work, and most pages never read it.
 *
 * Made late, it is also connected to the connection late: by the time a page first reads it (or the
 * timeout fires), the client may long have gone. So the adapter's `watch` must report a client that
 * already left at once, not only one that leaves later.
 */
export class LazyAbort {
  /** True once the request was aborted (the client left, or the timeout), read or not. */
  aborted = false;
  /** Why it was aborted. */
  reason: unknown;
  private controller: AbortController | undefined;
  private watching = false;

  /**
   * @param watch Called once, the first time the signal is asked for or the request's fate is
   * decided (see {@link watchClient}), with the function that aborts it: the adapter calls that when
   * the client goes away, synchronously when it is gone already.
   */
  constructor(private readonly watch: ((abort: (reason: unknown) => void) => void) | undefined) {}

  /** The signal; created on first use, already aborted if the request was (or if its client has gone). */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
      else this.watchClient();
    }
    return this.controller.signal;
  }

  /**
   * Connects the request to its connection, once: a client that has already gone aborts it now,
   * with the adapter's reason. Called on first read of the signal, and before the timeout aborts the
   * request, so a request whose client left is never blamed on the timeout.
   */
  watchClient(): void {
    if (this.watching) return;
    this.watching = true;
    this.watch?.((reason) => this.abort(reason));
  }

  /** Aborts the request (once); the signal fires if it was handed out. */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.controller?.abort(reason);
  }
}
