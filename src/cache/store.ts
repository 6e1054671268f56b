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
  return ENTRY_OVERHEAD + (key.length + headers * 2 + tags * 2 + entry.etag.length * 2) * 2 + entry.body.length + (entry.br?.length ?? 0) + (entry.gzip?.length ?? 0);
}

/**
 * An in-memory LRU store bounded by bytes (bodies, compressed bodies, keys and headers, counted as
 * {@link entryBytes} counts them). Least recently used entries go first; expired ones as they are met.
 */
export class MemoryStore implements CacheStore {
  private readonly entries = new Map<string, { entry: StoredEntry; bytes: number; expiresAt: number }>();
  private readonly tagTimes = new Map<string, Invalidation>();
  private bytes = 0;

  /** @param maxBytes the most the entries may hold (default 64 MiB). */
  constructor(readonly maxBytes = 64 * 1024 * 1024) {}

  /** What the entries hold now, as counted. */
  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  get(key: string): StoredEntry | undefined {
    const held = this.entries.get(key);
    if (!held) return undefined;
    this.entries.delete(key);
    if (held.expiresAt <= Date.now()) {
      this.bytes -= held.bytes;
      return undefined;
    }
    this.entries.set(key, held); // most recently used: last
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
    this.entries.set(key, { entry, bytes, expiresAt: Date.now() + ttlMs });
    this.bytes += bytes;
    for (const [oldest, held] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= held.bytes;
    }
  }

  invalidatedAt(tags: readonly string[]): Invalidation {
    let hard = 0;
    let soft = 0;
    for (const tag of tags) {
      const times = this.tagTimes.get(tag);
      if (!times) continue;
      if (times.hard > hard) hard = times.hard;
      if (times.soft > soft) soft = times.soft;
    }
    return { hard, soft };
  }

  invalidate(tags: readonly string[], mode: "hard" | "soft", at: number): void {
    for (const tag of tags) {
      const times = this.tagTimes.get(tag) ?? { hard: 0, soft: 0 };
      if (mode === "hard") times.hard = Math.max(times.hard, at);
      else times.soft = Math.max(times.soft, at);
      this.tagTimes.set(tag, times);
    }
  }
}
