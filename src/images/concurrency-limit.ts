/** At most N tasks at once, the rest waiting in order: a page with 30 new images does not start 30 encodes together. */
export class ConcurrencyLimit {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  /** @param max How many tasks may run at once (at least 1). */
  constructor(private readonly max: number) {}

  /** Runs `task` once a slot is free; settles as it does. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= Math.max(1, this.max)) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running += 1;
    try {
      return await task();
    } finally {
      // The slot passes straight to the next task waiting (running stays the same), else it is freed.
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}
