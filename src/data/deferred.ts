/**
 * Deferred props: promises among a page's props. Each is written as an id where it stands (devalue's
 * custom type `P`), and its value (or its failure) follows once it settles, as its own piece: an
 * element streamed into the HTML, a line of the streamed page data. The same types carry the props
 * themselves; the browser's decoder (client/deferred.ts) knows the same names.
 */
import { parse, stringify } from "devalue";
import { HEADERS_PROTOTYPE } from "../request/headers.js";
import { QUERY_PROTOTYPE } from "../request/query.js";

/** What devalue is given besides its own types, by name (each name is in the encoded text). */
export const RICH_TYPES = {
  /** The context's query and headers (not plain objects, so devalue would refuse them): as plain objects. */
  O: (value: unknown) =>
    typeof value === "object" && value !== null && isContextObject(Object.getPrototypeOf(value)) && { ...value },
  /** A class instance with `toJSON` (not a Date or URL, which devalue carries as themselves): what it returns, as JSON would. */
  J: (value: unknown) =>
    typeof value === "object" &&
    value !== null &&
    typeof (value as { toJSON?: unknown }).toJSON === "function" &&
    !(value instanceof Date) &&
    !(value instanceof URL) && [(value as { toJSON(): unknown }).toJSON()],
};

const isContextObject = (proto: unknown): boolean => proto === QUERY_PROTOTYPE || proto === HEADERS_PROTOTYPE;

/**
 * Marks every promise among `props` (at any depth) handled, so that a rejection can never crash the
 * process as an unhandled one: for props never sent (a redirect, a body-less status, a page that
 * fails), and before devalue may stop at a value it cannot carry, short of the promises after it.
 */
export function handleRejections(props: unknown, seen = new Set<object>()): void {
  if (typeof props !== "object" || props === null || seen.has(props)) return;
  seen.add(props);
  if (props instanceof Promise) {
    props.catch(ignore);
    return;
  }
  const values = props instanceof Map || props instanceof Set ? props.values() : Object.values(props);
  for (const value of values) handleRejections(value, seen);
}

/** What the browser is told of a failed deferred value: its message in development, in production a generic line (a message may hold what the page meant to keep). */
export function failureMessage(error: Error, dev: boolean): string {
  return dev ? error.message : "A deferred value of this page failed on the server.";
}

/** How a settled deferred value goes out: its devalue text, or the failure's message. */
export type Settled = { id: number; json: string } | { id: number; error: Error };

/**
 * The deferred values of one response, numbered from 1 in the order devalue meets them (a value
 * that settles to more promises adds them). {@link settle} hears each once it settles.
 */
export class Deferred {
  private readonly promises: Promise<unknown>[] = [];
  private listener: ((settled: Settled) => void) | undefined;
  /** The ids being watched that have not settled. */
  private readonly pending = new Set<number>();
  private ended = false;
  /** devalue's reducers, with promises registered here. */
  readonly reducers = {
    ...RICH_TYPES,
    P: (value: unknown) => value instanceof Promise && this.add(value),
  };

  /** How many were met so far. */
  get size(): number {
    return this.promises.length;
  }

  /** The props as the server renders them: parsed back from `json` as the browser will, with the very promises in place of their ids. */
  revive(json: string): unknown {
    return parse(json, { O: identity, J: unwrap, P: (id: number) => this.promises[id - 1] });
  }

  /**
   * Calls `listener` for each value as it settles (those settled already too, in a microtask), then
   * `done` once none is left. Values settled after {@link stop} are dropped.
   */
  settle(listener: (settled: Settled) => void, done: () => void): void {
    this.listener = listener;
    this.done = done;
    this.promises.forEach((promise, index) => this.watch(promise, index + 1));
    if (this.pending.size === 0) queueMicrotask(() => this.finish());
  }

  /** No more values: a response that ended (its client left). */
  stop(): void {
    this.ended = true;
    this.listener = undefined;
  }

  /** The timeout ran out: each value still pending, failed with `reason`; nothing more after. */
  abandon(reason: Error): Settled[] {
    const failed = [...this.pending].map((id): Settled => ({ id, error: reason }));
    this.stop();
    return failed;
  }

  private done: (() => void) | undefined;

  private add(promise: Promise<unknown>): number {
    // Handled from now on: a rejection is this response's to report, never the process's to crash on.
    promise.catch(ignore);
    this.promises.push(promise);
    const id = this.promises.length;
    if (this.listener !== undefined) this.watch(promise, id);
    return id;
  }

  private watch(promise: Promise<unknown>, id: number): void {
    this.pending.add(id);
    promise.then(
      (value) => {
        let settled: Settled;
        try {
          settled = { id, json: stringify(value, this.reducers) };
        } catch (error) {
          settled = {
            id,
            error: new Error(`a deferred value (${id}) cannot be carried to the browser: ${(error as Error).message}`, {
              cause: error,
            }),
          };
        }
        this.report(settled);
      },
      (error: unknown) =>
        this.report({
          id,
          error:
            error instanceof Error ? error : new Error(`a deferred value (${id}) was rejected with ${String(error)}`),
        }),
    );
  }

  private report(settled: Settled): void {
    this.pending.delete(settled.id);
    if (this.ended) return;
    this.listener?.(settled);
    if (this.pending.size === 0) this.finish();
  }

  private finish(): void {
    if (this.ended || this.pending.size > 0) return;
    this.ended = true;
    this.done?.();
  }
}

const ignore = (): void => undefined;
const identity = <T>(value: T): T => value;
const unwrap = ([value]: [unknown]): unknown => value;
