/**
 * The request's abort signal, made only when a page asks for `context.signal`: an AbortController
 * costs more than the rest of a page-data request's own work, and most pages never read it.
 */
export class LazyAbort {
  /** True once the request was aborted (the client left, or the timeout), read or not. */
  aborted = false;
  /** Why it was aborted. */
  reason: unknown;
  private controller: AbortController | undefined;

  /**
   * @param watch Called once, when the signal is first asked for, with the function that aborts it:
   * the adapter calls that when the client goes away.
   */
  constructor(private readonly watch: ((abort: (reason: unknown) => void) => void) | undefined) {}

  /** The signal; created on first use, already aborted if the request was. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
      else this.watch?.((reason) => this.abort(reason));
    }
    return this.controller.signal;
  }

  /** Aborts the request (once); the signal fires if it was handed out. */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.controller?.abort(reason);
  }
}
