/**
 * devalue's decoder, in a chunk of its own: only a page with rich or deferred props loads it (plain
 * JSON props, most pages, never do). The custom types are the server's (data/deferred.ts): the
 * context's objects and `toJSON` values as plain values, deferred ids as promises from `values`.
 */
import { unflatten } from "devalue";

/** Where deferred values come from, by id. */
export interface DeferredSource {
  get(id: number): Promise<unknown>;
}

/** devalue's parsed form back to values. */
export function decode(parsed: unknown, values: DeferredSource): unknown {
  return unflatten(parsed as number | unknown[], {
    O: (value: unknown) => value,
    J: ([value]: [unknown]) => value,
    P: (id: number) => values.get(id),
  });
}
