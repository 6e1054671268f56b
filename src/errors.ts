/** Shared by every copy of this module (`Symbol.for`), so their errors recognise each other. */
const BRAND: unique symbol = Symbol.for("ssr-pages.SsrError") as typeof BRAND;

/**
 * The one error type of the request path. It knows its status and whether its message is safe to show
 * to a client (`expose`); everything thrown anywhere is normalised into it by {@link toSsrError}.
 * Pages may throw it too, for a 4xx or 5xx from deep inside their data code.
 *
 * @example
 * import { SsrError } from "ssr-pages";
 * export async function getServerData({ params }) {
 *   const user = await findUser(params.id);
 *   if (!user) throw new SsrError(404, `No user ${params.id}`);
 *   return { props: { user } };
 * }
 */
export class SsrError extends Error {
  /** The HTTP status this error answers with. */
  readonly status: number;
  /** True when the message may reach the client in production (bad input), false for server faults. */
  readonly expose: boolean;
  /** The page file (relative to the pages directory) the error belongs to, when there is one. */
  page: string | undefined;

  /** Marks this class (not its subclasses) as the one that answers `instanceof` by the brand. */
  static readonly [BRAND] = true;

  /**
   * `error instanceof SsrError` holds for an `SsrError` of any copy of this package: a page whose
   * bundler inlined its own copy (a tsconfig `paths` alias, a linked checkout) throws one the core
   * must still recognise, or its 404 would be a 500. Subclasses keep the ordinary check.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    if (!Object.hasOwn(this, BRAND)) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === "object" && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
  }

  constructor(status: number, message: string, options: { expose?: boolean; page?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "SsrError";
    this.status = status;
    this.expose = options.expose ?? status < 500;
    this.page = options.page;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/** True for the error of the `timeout` option, as opposed to any other abort (the client leaving). */
export function isTimeout(reason: unknown): boolean {
  return reason instanceof SsrError && reason.status === 504;
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
  // A page may throw SsrError itself; only an error status may come of it (a 302 without Location
  // or a 999 would be a broken response).
  if (thrown instanceof SsrError && thrown.status >= 400 && thrown.status <= 599) {
    thrown.page ??= page;
    return thrown;
  }
  if (thrown instanceof SsrError) {
    return new SsrError(
      500,
      `${page ? `${page}: ` : ""}an SsrError was thrown with status ${thrown.status}; use 400-599`,
      { page, cause: thrown },
    );
  }
  const message = thrown instanceof Error ? thrown.message : `A non-Error value was thrown: ${describeThrown(thrown)}`;
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

/** A compile error tied to a file, with its location in the message (made by compile/compile-errors.ts; a build keeps those it met). */
export class CompileError extends Error {
  constructor(
    message: string,
    readonly file: string | undefined,
  ) {
    super(message);
    this.name = "CompileError";
  }
}
