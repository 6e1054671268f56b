import { SsrError } from "../errors.js";
import type { LazyAbort } from "../request/abort.js";
import type { GetServerData, GetServerDataContext } from "../types.js";

/**
 * Calls a page's `getServerData`, sync or async. An async one that is still running after `timeout` ms
 * is abandoned with a 504 and its `signal` aborted, so its fetches stop too; a late rejection is
 * already handled by the race and never becomes an unhandled rejection.
 */
export async function runServerData(
  getServerData: GetServerData,
  context: GetServerDataContext,
  timeout: number,
  abort: LazyAbort,
  page: string,
): Promise<unknown> {
  const result: unknown = getServerData(context);
  if (!isThenable(result)) return result;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new SsrError(504, `getServerData in ${page} did not finish within ${timeout} ms (the timeout option)`, { page });
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
