/** How long a wait may last: a stuck one must never hold the machine. */

/** A start-up: the production child's answer, or the dev middleware's `ready`. */
export const STARTUP_LIMIT_MS = 120_000;
/** A tab's own waits: loading, showing a save. */
export const TAB_LIMIT_MS = 15_000;

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>(
      (_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took over ${ms / 1000} s`)), ms)),
    ),
  ]).finally(() => clearTimeout(timer));
}
