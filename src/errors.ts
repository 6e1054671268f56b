/**
 * The one error type of the request path. It knows its status and whether its message is safe to show
 * to a client (`expose`); everything thrown anywhere is normalised into it by {@link toSsrError}.
 */
export class SsrError extends Error {
  /** The HTTP status this error answers with. */
  readonly status: number;
  /** True when the message may reach the client in production (bad input), false for server faults. */
  readonly expose: boolean;
  /** The page file (relative to the pages directory) the error belongs to, when there is one. */
  page: string | undefined;

  constructor(status: number, message: string, options: { expose?: boolean; page?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "SsrError";
    this.status = status;
    this.expose = options.expose ?? status < 500;
    this.page = options.page;
  }
}

/** The reason phrases of the statuses this package answers with itself. */
export const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: "Bad Request",
  404: "Not Found",
  500: "Internal Server Error",
  504: "Gateway Timeout",
};

/**
 * Normalises anything thrown (an `Error`, a string, `undefined`...) into an {@link SsrError}. A thrown
 * `SsrError` keeps its status; anything else is a 500 whose cause is the original value.
 */
export function toSsrError(thrown: unknown, page?: string): SsrError {
  if (thrown instanceof SsrError) {
    thrown.page ??= page;
    return thrown;
  }
  const message =
    thrown instanceof Error ? thrown.message : `A non-Error value was thrown: ${describeThrown(thrown)}`;
  const error = new SsrError(500, message, { page, cause: thrown });
  if (thrown instanceof Error && thrown.stack) error.stack = thrown.stack;
  return error;
}

function describeThrown(value: unknown): string {
  try {
    return typeof value === "string" ? JSON.stringify(value) : String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
