import { SsrError } from "../errors.js";
import type { LazyAbort } from "../request/abort.js";
import type { GetServerData, GetServerDataContext } from "../types.js";

/**
 * Calls a page's `getServerData`, sync or async. A sync result comes back as is, with no promise in
 * between (most pages compute their data in-process, and a microtask per request is measurable). An
 * async one that is still running after `timeout` ms is abandoned with a 504 and its `signal`
 * aborted, so its fetches stop too; a late rejection is already handled by the race and never becomes
 * an unhandled rejection.
 *
 * @returns the result, or a Promise of it when `getServerData` returned a thenable.
 */
export function runServerData(
  getServerData: GetServerData,
  context: GetServerDataContext,
  timeout: number,
  abort: LazyAbort,
  page: string,
): unknown {
  const result: unknown = getServerData(context);
  return isThenable(result) ? withTimeout(result, timeout, abort, page) : result;
}

async function withTimeout(
  result: PromiseLike<unknown>,
  timeout: number,
  abort: LazyAbort,
  page: string,
): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // A client that left before the time ran out is why nobody waits any more, not the timeout:
      // look first, so that request aborts with the client's reason and is not reported as a 504.
      abort.watchClient();
      const error = new SsrError(
        504,
        `getServerData in ${page} did not finish within ${timeout} ms (the timeout option)`,
        { page },
      );
      abort.abort(error);
      reject(error);
    }, timeout);
  });
  try {
    return await Promise.race([result, expired]);
  } finally {
    clearTimeout(timer);
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === "function";
}
