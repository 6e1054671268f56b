/**
 * The cache's storage, behind one small interface so that another store (Redis: redis-store.ts;
 * Memcached, or a CDN purge hook) can be written against it. The in-memory store is here.
 */
import type { SharedLifetime } from "./cache-control.js";

/** A value or its promise: the memory store answers at once, a network store later. */
export type MaybePromise<T> = T | Promise<T>;

/** A stored response, as it went out (less its framing headers). */
export interface StoredResponse {
  kind: "response";
  status: number;
  /** Lower-case names, `Cache-Control` as the page set it; no `Content-Length`, `Content-Encoding` or `Cache-Tag`. */
  headers: Record<string, string | string[]>;
  /** The body's bytes, and the same compressed once when it was stored. */
  body: Buffer;
  br: Buffer | undefined;
  gzip: Buffer | undefined;
  /** Weak: the same for every encoding of the body. */
  etag: string;
  /** When the page answered, in ms since the epoch. */
  storedAt: number;
  lifetime: SharedLifetime;
  /** `Cache-Tag`'s tags and the page path's own. */
  tags: readonly string[];
  /**
   * The latest invalidation of `tags`, when the store read it along with the entry, for this one
   * lookup (the Redis store does: one round trip per hit instead of two); the cache then does not
   * ask `invalidatedAt`. Never stored; a store that keeps entries it read must not keep this.
   */
  invalidation?: Invalidation;
}

/** What is stored under a key whose response named request headers in `Vary`: where to look next. */
export interface VaryRecord {
  kind: "vary";
  /** Lower-case header names. */
  names: readonly string[];
}

/** What a key holds. */
export type StoredEntry = StoredResponse | VaryRecord;

/** The latest invalidation of any of some tags: hard (gone) and soft (stale), ms since the epoch, 0 for never. */
export interface Invalidation {
  hard: number;
  soft: number;
}

/**
 * A cache store. Every method may answer at once or with a promise; a rejection (or no answer within
 * the cache's `timeout`) makes the request run uncached, never fail.
 */
export interface CacheStore {
  get(key: string): MaybePromise<StoredEntry | undefined>;
  /** Stores `entry` for `ttlMs` (its fresh and stale windows): after that it may be dropped. */
  set(key: string, entry: StoredEntry, ttlMs: number): MaybePromise<void>;
  /** The latest invalidation of any of `tags`. Called for every stored response served. */
  invalidatedAt(tags: readonly string[]): MaybePromise<Invalidation>;
  /** Marks `tags` invalidated at `at` (hard: entries stored before are gone; soft: stale). */
  invalidate(tags: readonly string[], mode: "hard" | "soft", at: number): MaybePromise<void>;
  /**
   * Optional: takes a lock on `key` for at most `ttlMs` (single flight across instances). Resolves a
   * release function, or `null` when another instance holds it.
   */
  lock?(key: string, ttlMs: number): MaybePromise<(() => MaybePromise<void>) | null>;
}

/** Roughly what an entry costs in memory beyond its bodies: the objects, the key, the headers. */
const ENTRY_OVERHEAD = 400;

/** The size the memory store counts for `entry` under `key`. */
export function entryBytes(key: string, entry: StoredEntry): number {
  if (entry.kind === "vary") return ENTRY_OVERHEAD + key.length * 2 + entry.names.join("").length * 2;
  let headers = 0;
  for (const name in entry.headers) {
    const value = entry.headers[name] as string | string[];
    headers += name.length + (typeof value === "string" ? value.length : value.join("").length);
  }
  const tags = entry.tags.reduce((sum, tag) => sum + tag.length, 0);
  return (
    ENTRY_OVERHEAD +
    (key.length + headers * 2 + tags * 2 + entry.etag.length * 2) * 2 +
    entry.body.length +
    (entry.br?.length ?? 0) +
    (entry.gzip?.length ?? 0)
  );
}

/** No invalidation of any tag: what most lookups find. */
export const NEVER_INVALIDATED: Invalidation = Object.freeze({ hard: 0, soft: 0 });

/**
 * The longest a fill may take and still be stored (the cache checks). A store may forget a tag's
 * invalidation time once it holds no entry stored before it and this long has passed: a fill that
 * started before the invalidation (and must not be stored) has ended by then.
 */
export const LONGEST_FILL_MS = 10 * 60_000;

interface Held {
  entry: StoredEntry;
  bytes: number;
  expiresAt: number;
  /** The store's insertion count when this was last put at the newest end. */
  insertedAt: number;
}

/**
 * An in-memory LRU store bounded by bytes (bodies, compressed bodies, keys and headers, counted as
 * {@link entryBytes} counts them). Least recently used entries go first (nearly: see `get`); expired
 * ones as they are met; tag times once no entry can be concerned by them.
 */
export class MemoryStore implements CacheStore {
  private readonly entries = new Map<string, Held>();
  private readonly tagTimes = new Map<string, Invalidation>();
  private bytes = 0;
  private insertions = 0;
  private pruneTagsAt = 1024;

  /** @param maxBytes the most the entries may hold (default 64 MiB). */
  constructor(readonly maxBytes = 64 * 1024 * 1024) {}

  /** What the entries hold now, as counted, and how many tags have an invalidation time. */
  get size(): { entries: number; bytes: number; tags: number } {
    return { entries: this.entries.size, bytes: this.bytes, tags: this.tagTimes.size };
  }

  get(key: string): StoredEntry | undefined {
    const held = this.entries.get(key);
    if (!held) return undefined;
    if (held.expiresAt <= Date.now()) {
      this.entries.delete(key);
      this.bytes -= held.bytes;
      return undefined;
    }
    // Most recently used goes last (a Map keeps insertion order), but only from the older half: an
    // entry among the newer half is half the store's insertions away from eviction, and moving it on
    // every hit (a delete and a set) was a third of a hit's own time. So the order is nearly LRU: a
    // use while among the newer half does not count, and no entry is evicted within half the store's
    // size in insertions after its last use.
    if (this.insertions - held.insertedAt >= (this.entries.size + 1) >> 1) {
      this.entries.delete(key);
      this.entries.set(key, held);
      held.insertedAt = ++this.insertions;
    }
    return held.entry;
  }

  set(key: string, entry: StoredEntry, ttlMs: number): void {
    const previous = this.entries.get(key);
    if (previous) {
      this.entries.delete(key);
      this.bytes -= previous.bytes;
    }
    const bytes = entryBytes(key, entry);
    if (bytes > this.maxBytes) return;
    this.entries.set(key, { entry, bytes, expiresAt: Date.now() + ttlMs, insertedAt: ++this.insertions });
    this.bytes += bytes;
    for (const [oldest, held] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= held.bytes;
    }
  }

  invalidatedAt(tags: readonly string[]): Invalidation {
    if (this.tagTimes.size === 0) return NEVER_INVALIDATED;
    let hard = 0;
    let soft = 0;
    for (const tag of tags) {
      const times = this.tagTimes.get(tag);
      if (!times) continue;
      if (times.hard > hard) hard = times.hard;
      if (times.soft > soft) soft = times.soft;
    }
    return hard === 0 && soft === 0 ? NEVER_INVALIDATED : { hard, soft };
  }

  invalidate(tags: readonly string[], mode: "hard" | "soft", at: number): void {
    for (const tag of tags) {
      const times = this.tagTimes.get(tag) ?? { hard: 0, soft: 0 };
      if (mode === "hard") times.hard = Math.max(times.hard, at);
      else times.soft = Math.max(times.soft, at);
      this.tagTimes.set(tag, times);
    }
    if (this.tagTimes.size >= this.pruneTagsAt) this.pruneTagTimes(Date.now());
  }

  /**
   * Forgets the tag times no entry can be concerned by any more: every entry held was stored after
   * them, and every fill started before them has ended (LONGEST_FILL_MS). Run when their number
   * doubles, and not before as many invalidations as there are entries: invalidating stays O(1)
   * amortised (the walk over the entries is paid for by them), and an app that tags every
   * product does not grow without bound.
   */
  private pruneTagTimes(now: number): void {
    let horizon = now - LONGEST_FILL_MS;
    for (const held of this.entries.values())
      if (held.entry.kind === "response" && held.entry.storedAt < horizon) horizon = held.entry.storedAt;
    for (const [tag, times] of this.tagTimes) if (Math.max(times.hard, times.soft) < horizon) this.tagTimes.delete(tag);
    this.pruneTagsAt = Math.max(1024, this.tagTimes.size * 2, this.tagTimes.size + this.entries.size);
  }
}
