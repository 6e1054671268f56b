// The hand-off between the browser entry (which owns the React root and the router) and the public
// `navigate` / `Link` that pages import. Pages must not import react-dom or the router themselves: on
// the server they only need `Link` to render an `<a>`, and in the browser the entry may live in a
// different chunk (or, with a misconfigured bundle, in a different copy of this module). The router
// therefore registers itself under a `Symbol.for` key that every copy can find.

/**
 * Options for the public `navigate` (and {@link ClientRuntime.navigate}).
 *
 * @example
 * ```ts
 * import { navigate, type NavigateOptions } from "ssr-pages/client";
 *
 * const options: NavigateOptions = { replace: true };
 * void navigate("/login", options);
 * ```
 */
export interface NavigateOptions {
  /**
   * Replace the current history entry instead of pushing a new one.
   * @default false
   */
  replace?: boolean;
  /**
   * Kept with the history entry and given to the new page as `location.state` (Gatsby's `state`),
   * also when the user comes back to it. Structured-cloneable, as for `history.pushState`.
   */
  state?: unknown;
}

/** What the browser entry installs once the page has hydrated. */
export interface ClientRuntime {
  /** The mount path the server embedded in the page (`""` or e.g. `"/shop"`). */
  readonly base: string;
  /** Fetch the page data for `to` (mount-relative, or any URL) and render it, or fall back to a full load. */
  navigate(to: string, options: NavigateOptions): Promise<void>;
}

const RUNTIME_KEY: unique symbol = Symbol.for("ssr-pages.client-runtime") as typeof RUNTIME_KEY;
const registry = globalThis as { [RUNTIME_KEY]?: ClientRuntime };

/** The router installed by the browser entry, or `undefined` on the server and before hydration. */
export function getClientRuntime(): ClientRuntime | undefined {
  return registry[RUNTIME_KEY];
}

/** Called once by the browser entry. */
export function setClientRuntime(runtime: ClientRuntime): void {
  registry[RUNTIME_KEY] = runtime;
}
