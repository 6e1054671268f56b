/**
 * `ssr-pages/redis`: the response cache in Redis, shared by every instance of an app. Over a
 * node-redis (v5 or later) client that the app creates and connects; any client with the same three
 * methods works (docs/caching.md shows ioredis). Entries expire by TTL (their fresh and stale windows);
 * invalidation is a timestamp per tag that every instance reads when it serves an entry, in the
 * same round trip as the entry (no SCAN, seen by all at once); single flight across instances is a lock (`SET NX PX`, released with a
 * compare-and-delete, freed by its expiry when its holder dies).
 *
 * Create the client with `disableOfflineQueue: true`: by default node-redis holds commands while
 * Redis is away, and a request would wait for its return; the cache gives up on a store call after
 * its `timeout` anyway, but the commands would pile up meanwhile.
 */
import { randomUUID } from "node:crypto";
import type { CacheStore, Invalidation, StoredEntry } from "./store.js";

/** What the store needs of a Redis client: node-redis v5+ has these as they are. */
export interface RedisClientLike {
  set(
    key: string,
    value: string,
    options: { expiration: { type: "PX"; value: number }; condition?: "NX" },
  ): Promise<unknown>;
  mGet(keys: string[]): Promise<unknown[]>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/**
 * A hit in one round trip: the entry, and the latest hard and soft time of the tags it names in its
 * first lines (see {@link serializeEntry}). The tag keys are built here from `ARGV[1]`, the prefix:
 * so the store wants one Redis primary, not a Redis Cluster (whose keys must all be declared).
 */
const GET_WITH_TAG_TIMES = `local value = redis.call('GET', KEYS[1])
if not value then return false end
local hard, soft = 0, 0
local cut = string.find(value, '\\n\\n', 1, true)
if cut then
  for tag in string.gmatch(string.sub(value, 1, cut - 1), '[^\\n]+') do
    hard = math.max(hard, tonumber(redis.call('GET', ARGV[1] .. 'h:' .. tag) or '0') or 0)
    soft = math.max(soft, tonumber(redis.call('GET', ARGV[1] .. 's:' .. tag) or '0') or 0)
  end
end
return {value, hard, soft}`;

/**
 * Raises each tag key to `ARGV[1]` unless it already holds a later time (clocks of instances differ
 * a little). Tag keys have no TTL, on purpose: under a `volatile-*` eviction policy Redis then
 * evicts entries (which all have one) and never the times that keep invalidated entries out.
 */
const RAISE = `for _, key in ipairs(KEYS) do
  local current = tonumber(redis.call('GET', key) or '0')
  if tonumber(ARGV[1]) > current then redis.call('SET', key, ARGV[1]) end
end
return 1`;

/** Deletes the lock only if it is still ours (it may have expired and been taken by another instance). */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * A cache store in Redis.
 * @param client a connected node-redis client (or one with the same methods)
 * @param options.prefix what every key starts with (default `ssr-pages:`), for apps that share a Redis
 * @example
 * import { createClient } from "redis";
 * import { redisStore } from "ssr-pages/redis";
 * const client = await createClient({ url: process.env.REDIS_URL, disableOfflineQueue: true }).on("error", console.error).connect();
 * app.use(ssrMiddleware(pagesDir, { cache: { store: redisStore(client) } }));
 */
export function redisStore(client: RedisClientLike, options: { prefix?: string } = {}): CacheStore {
  const prefix = options.prefix ?? "ssr-pages:";
  const entryKey = (key: string) => `${prefix}e:${key}`;
  const tagKeys = (tags: readonly string[], mode: "hard" | "soft") =>
    tags.map((tag) => `${prefix}${mode === "hard" ? "h" : "s"}:${tag}`);
  return {
    async get(key) {
      const found = await client.eval(GET_WITH_TAG_TIMES, { keys: [entryKey(key)], arguments: [prefix] });
      if (!Array.isArray(found) || typeof found[0] !== "string") return undefined;
      const text = found[0];
      const entry = parseEntry(text);
      // The tag times came with it only when the entry names its tags first (an entry of an older
      // version does not: the cache then asks invalidatedAt, as it did).
      if (entry?.kind === "response" && text.indexOf(TAGS_END) !== -1)
        entry.invalidation = { hard: Number(found[1]) || 0, soft: Number(found[2]) || 0 };
      return entry;
    },
    async set(key, entry, ttlMs) {
      await client.set(entryKey(key), serializeEntry(entry), {
        expiration: { type: "PX", value: Math.max(1, Math.ceil(ttlMs)) },
      });
    },
    async invalidatedAt(tags) {
      if (tags.length === 0) return { hard: 0, soft: 0 };
      const values = await client.mGet([...tagKeys(tags, "hard"), ...tagKeys(tags, "soft")]);
      const latest = (from: number): number =>
        values
          .slice(from, from + tags.length)
          .reduce<number>((max, value) => Math.max(max, Number(value ?? 0) || 0), 0);
      return { hard: latest(0), soft: latest(tags.length) } satisfies Invalidation;
    },
    async invalidate(tags, mode, at) {
      if (tags.length > 0) await client.eval(RAISE, { keys: tagKeys(tags, mode), arguments: [String(at)] });
    },
    async lock(key, ttlMs) {
      const lockKey = `${prefix}l:${key}`;
      const token = randomUUID();
      const taken = await client.set(lockKey, token, {
        expiration: { type: "PX", value: Math.max(1, Math.ceil(ttlMs)) },
        condition: "NX",
      });
      if (taken !== "OK") return null;
      return async () => {
        await client.eval(RELEASE, { keys: [lockKey], arguments: [token] });
      };
    },
  };
}

/**
 * An entry as text: for a response, its tags first, one a line, ended by an empty line (what
 * {@link GET_WITH_TAG_TIMES} reads; a tag holds no line break, being a header value or a URL path),
 * then the entry as JSON with its bodies in base64.
 */
function serializeEntry(entry: StoredEntry): string {
  if (entry.kind === "vary") return JSON.stringify(entry);
  const { invalidation: _read, ...kept } = entry;
  const json = JSON.stringify({
    ...kept,
    body: entry.body.toString("base64"),
    br: entry.br?.toString("base64"),
    gzip: entry.gzip?.toString("base64"),
  });
  return `${entry.tags.join("\n")}${TAGS_END}${json}`;
}

/** Where a response entry's tags end (JSON holds no raw line break, so no entry has it elsewhere). */
const TAGS_END = "\n\n";

/** The entry again (of this version or the one before, whose entries were JSON alone); `undefined` for junk. */
function parseEntry(text: string): StoredEntry | undefined {
  try {
    const cut = text.indexOf(TAGS_END);
    const value = JSON.parse(cut === -1 ? text : text.slice(cut + 2)) as Record<string, unknown>;
    if (value.kind === "vary" && Array.isArray(value.names)) return value as unknown as StoredEntry;
    if (value.kind !== "response" || typeof value.body !== "string" || typeof value.storedAt !== "number")
      return undefined;
    const bytes = (field: unknown) => (typeof field === "string" ? Buffer.from(field, "base64") : undefined);
    return {
      ...(value as unknown as StoredEntry & { kind: "response" }),
      body: Buffer.from(value.body, "base64"),
      br: bytes(value.br),
      gzip: bytes(value.gzip),
    };
  } catch {
    return undefined;
  }
}
