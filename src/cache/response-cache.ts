/**
 * The response cache that a page's `Cache-Control` addresses (the Gatsby API's "for caching, set
 * custom cache headers"): fresh entries are answered without running the page, stale ones within
 * `stale-while-revalidate` at once while one revalidation runs, and within `stale-if-error` when
 * the page fails. Concurrent misses of a key run the page once. A fill stores both variants (HTML
 * and page data) from its one `getServerData` run. Every page response says what happened in
 * `Cache-Status` (RFC 9211) and `x-ssr-pages-cache`.
 */
import type { SsrResponse } from "../protocol.js";
import type { RawHeaders } from "../request/headers.js";
import { sharedLifetime } from "./cache-control.js";
import { copyHeaders, entryResponse, freshUntil, storedEntry, windowsOf, type Outcome } from "./entry.js";
import { cacheKey, keyQuery, pathTag, varyKey, varyNames, varyValues } from "./key.js";
import {
  LONGEST_FILL_MS,
  MemoryStore,
  NEVER_INVALIDATED,
  type CacheStore,
  type Invalidation,
  type MaybePromise,
  type StoredEntry,
  type StoredResponse,
} from "./store.js";

/** A page request as the cache sees it. */
export interface CacheRequest {
  kind: "html" | "json";
  method: string;
  /** The id of the build that answers: part of the key (see {@link ResponseCache.keyOf}). */
  build: string;
  base: string;
  /** Mount-relative page path, as requested (for page data: the page's). */
  pagePath: string;
  search: string;
  headers: RawHeaders;
  /** Its key before `Vary` ({@link ResponseCache.keyOf}). */
  key: string;
}

/**
 * Runs the page once: the response asked for, and a way to the other variant from the same run
 * (which may throw; it is then not stored). `background`: a revalidation no client waits for.
 */
export type Fill = (background: boolean) => FillResult | Promise<FillResult>;

/** A page's run for the cache (see {@link Fill}). */
export interface FillResult {
  own: SsrResponse;
  /** The other variant (a promise when the page streams); throws or rejects when it cannot be had. */
  other: () => SsrResponse | Promise<SsrResponse>;
}

/** What the cache needs besides its store. */
export interface ResponseCacheOptions {
  store: CacheStore;
  /** Query parameters left out of the key. */
  ignoredParam: (name: string) => boolean;
  /** Milliseconds a store call may take before the request runs uncached. */
  timeout: number;
  /** How long a cross-instance lock holds (the page's own timeout and a margin): a dead holder frees it then. */
  lockMs: number;
  /** A store that failed or timed out, and a background revalidation that threw. */
  onError: (error: unknown) => void;
}

interface Filled {
  response: SsrResponse;
  /** Already carries the cache's headers (an entry another instance stored meanwhile). */
  final?: boolean;
  /** That entry, and until when it is fresh: a waiter with the same Vary values is answered from it for its own request. */
  entry?: { stored: StoredResponse; freshUntil: number };
  /** The request header values the stored response varies on, to tell whether a waiting request may share it. */
  vary: readonly string[] | undefined;
  varyValues: string;
  stored: boolean;
  /** Any waiting request with the same Vary values may have it: stored, or storable though the store was away. */
  shareable: boolean;
}

/** The cache of one middleware. */
export class ResponseCache {
  private readonly flights = new Map<string, Promise<Filled>>();
  private readonly store: CacheStore;

  constructor(private readonly options: ResponseCacheOptions) {
    this.store = options.store;
  }

  /**
   * Answers a page request from the store, or by running the page (once per key at a time). A miss
   * of a page whose headers allow no storing, in a store that answers at once (memory), is answered
   * without a promise, like an uncached page: most pages are never stored, and a promise and its
   * microtasks per request are a measurable share of a small page's cost.
   */
  answer(request: CacheRequest, fill: Fill): SsrResponse | Promise<SsrResponse> {
    const primary = request.key;
    let first: MaybePromise<StoredEntry | undefined>;
    try {
      first = this.store.get(primary);
    } catch (error) {
      first = Promise.reject(error);
    }
    if (first !== undefined || this.flights.has(primary)) return this.answerFound(primary, request, fill, first);
    const startedAt = Date.now();
    const filled = fill(false);
    if (!(filled instanceof Promise)) return this.missed(primary, request, filled, startedAt);
    // An async page: concurrent misses join this run, unless the key's last answer could not be
    // stored (a private page's answer is its client's alone; those run side by side).
    if (request.method === "HEAD" || this.unstorable.has(primary))
      return filled.then((result) => this.missed(primary, request, result, startedAt));
    const flight = filled
      .then((result) => this.storeIfAllowed(primary, request, result, startedAt))
      .finally(() => this.flights.delete(primary));
    this.flights.set(primary, flight);
    return flight.then(markMiss);
  }

  /** Settles once the runs under way (a background revalidation too) have stored their entries: a server stopping waits for them. */
  async settled(): Promise<void> {
    while (this.flights.size > 0) await Promise.allSettled([...this.flights.values()]);
  }

  /** The key of a page request, before `Vary`: computed once per request, for {@link freshHit} and {@link answer}. */
  keyOf(kind: "html" | "json", build: string, base: string, pagePath: string, search: string): string {
    return cacheKey(kind, build, base, pagePath, keyQuery(search, this.options.ignoredParam));
  }

  /**
   * A fresh hit, when the store answers at once (memory) and holds one for this request without
   * `Vary`: the response, with no promise and before the route is even looked up. `undefined`
   * otherwise: then {@link answer} takes over.
   */
  freshHit(key: string, headers: RawHeaders): SsrResponse | undefined {
    // Only a store known to answer at once: another store's promise would be asked for twice.
    if (!(this.store instanceof MemoryStore)) return undefined;
    const stored = this.store.get(key);
    if (stored === undefined || stored.kind !== "response") return undefined;
    const invalidation = this.store.invalidatedAt(stored.tags);
    if (invalidation.hard >= stored.storedAt) return undefined;
    const fresh = freshUntil(stored, invalidation);
    const now = Date.now();
    return now < fresh ? entryResponse(stored, headers, "HIT", now, fresh) : undefined;
  }

  /** A miss the page has answered: out at once when it may not be stored, else stored first (joined by concurrent misses). */
  private missed(
    primary: string,
    request: CacheRequest,
    result: FillResult,
    startedAt: number,
  ): SsrResponse | Promise<SsrResponse> {
    if (request.method === "HEAD" || "reason" in sharedLifetime(result.own.status, result.own.headers))
      return mark(result.own, "MISS", "fwd=miss");
    const flight = this.storeFilled(primary, request, result, startedAt).finally(() => this.flights.delete(primary));
    this.flights.set(primary, flight);
    return flight.then(markMiss);
  }

  private storeIfAllowed(
    primary: string,
    request: CacheRequest,
    result: FillResult,
    startedAt: number,
  ): Filled | Promise<Filled> {
    if (!("reason" in sharedLifetime(result.own.status, result.own.headers)))
      return this.storeFilled(primary, request, result, startedAt);
    this.remember(primary, false);
    return { response: result.own, vary: undefined, varyValues: "", stored: false, shareable: false };
  }

  /**
   * Keys whose last answer could not be stored: their misses do not wait for each other. Bounded by
   * the characters of its keys (a query string may be long; the oldest are forgotten first), and a
   * key leaves it when an answer of it is stored.
   */
  private readonly unstorable = new Set<string>();
  private unstorableChars = 0;

  private remember(primary: string, storable: boolean): void {
    if (storable) {
      if (this.unstorable.delete(primary)) this.unstorableChars -= primary.length;
      return;
    }
    if (this.unstorable.has(primary)) return;
    this.unstorable.add(primary);
    this.unstorableChars += primary.length;
    for (const oldest of this.unstorable) {
      if (this.unstorableChars <= UNSTORABLE_CHARS) break;
      this.unstorable.delete(oldest);
      this.unstorableChars -= oldest.length;
    }
  }

  /** The full path: an entry (or a running fill) was there, or the store answers later. */
  private async answerFound(
    primary: string,
    request: CacheRequest,
    fill: Fill,
    first: MaybePromise<StoredEntry | undefined>,
  ): Promise<SsrResponse> {
    let found: StoredResponse | undefined;
    let invalidation: Invalidation;
    try {
      found = await this.lookup(primary, request.headers, first);
      // A store may have read the tag times with the entry (Redis: one round trip for both).
      invalidation = found
        ? (found.invalidation ?? (await this.call(this.store.invalidatedAt(found.tags))))
        : NEVER_INVALIDATED;
    } catch (error) {
      this.reportStoreError(error);
      // Uncached, but still one run per key at a time: a slow store is when a burst of misses is
      // likeliest, and every request running the page would add to the load that slowed it.
      if (request.method === "HEAD")
        return mark((await fill(false)).own, "BYPASS", "fwd=bypass; detail=store-unavailable");
      const filled = await this.flight(primary, request, fill, false);
      return filled.final ? filled.response : mark(filled.response, "BYPASS", "fwd=bypass; detail=store-unavailable");
    }
    const now = Date.now();
    let staleIfErrorUntil = 0;
    if (found && invalidation.hard < found.storedAt) {
      const windows = windowsOf(found, invalidation);
      if (now < windows.fresh) return entryResponse(found, request.headers, "HIT", now, windows.fresh);
      if (now < windows.staleWhileRevalidate) {
        this.revalidate(primary, request, fill);
        return entryResponse(found, request.headers, "STALE", now, windows.fresh, "stale-while-revalidate");
      }
      staleIfErrorUntil = windows.staleIfError;
    }
    if (request.method === "HEAD") {
      // A HEAD never fills the cache (its answer has no body to store): the page runs for it alone.
      return mark((await fill(false)).own, "MISS", "fwd=miss");
    }
    const filled = await this.flight(primary, request, fill);
    if (found && filled.response.status >= 500 && Date.now() < staleIfErrorUntil) {
      return entryResponse(
        found,
        request.headers,
        "STALE",
        Date.now(),
        freshUntil(found, invalidation),
        "stale-if-error",
      );
    }
    return markMiss(filled);
  }

  /** Hard: entries of these tags or page paths are gone; soft: stale from now on. O(1) in the number of entries. */
  async invalidate(
    targets: { tags?: readonly string[]; paths?: readonly string[] },
    mode: "hard" | "soft",
  ): Promise<void> {
    const tags = [...(targets.tags ?? []), ...(targets.paths ?? []).map(pathTag)];
    if (tags.length > 0) await this.store.invalidate(tags, mode, Date.now());
  }

  /** The response for these request headers, given what the primary key holds (`first`). */
  private async lookup(
    primary: string,
    headers: RawHeaders,
    stored: MaybePromise<StoredEntry | undefined>,
  ): Promise<StoredResponse | undefined> {
    const first = await this.call(stored);
    if (first?.kind !== "vary") return first;
    const second = await this.call(this.store.get(varyKey(primary, first.names, headers)));
    return second?.kind === "response" ? second : undefined;
  }

  /**
   * Concurrent misses of one key share one run; a waiter whose `Vary` headers differ runs its own.
   * `withStore` false: the store failed this request, so its own run neither locks nor stores.
   */
  private async flight(primary: string, request: CacheRequest, fill: Fill, withStore = true): Promise<Filled> {
    const runOwn = () =>
      withStore ? this.fillAndStore(primary, request, fill, false) : this.fillUnstored(primary, request, fill);
    // A key whose last answer could not be stored: its misses run side by side, each its own client's.
    if (this.unstorable.has(primary)) return runOwn();
    const running = this.flights.get(primary);
    if (running) {
      const shared = await running;
      // What another instance stored was answered for the request that found it (its Vary
      // headers, its encoding, its If-None-Match): this one looks it up for itself.
      if (shared.entry && varyValues(shared.vary, request.headers) === shared.varyValues) {
        const { stored, freshUntil: until } = shared.entry;
        return { ...shared, response: entryResponse(stored, request.headers, "HIT", Date.now(), until) };
      }
      if (shared.final) {
        let mine: Filled | undefined;
        try {
          if (withStore) mine = await this.storedFor(primary, request);
        } catch (error) {
          this.reportStoreError(error);
        }
        return mine ?? runOwn();
      }
      // Only a storable answer is everyone's; an unstorable one (private, a Set-Cookie) was its client's.
      if (
        shared.shareable &&
        (shared.vary === undefined || varyValues(shared.vary, request.headers) === shared.varyValues)
      ) {
        // Each waiter's own copy: the adapters write into a response's headers.
        return { ...shared, response: { ...shared.response, headers: copyHeaders(shared.response.headers) } };
      }
      return runOwn();
    }
    const started = (withStore ? this.acrossInstances(primary, request, fill) : runOwn()).finally(() =>
      this.flights.delete(primary),
    );
    this.flights.set(primary, started);
    return started;
  }

  /**
   * Single flight across instances, for a store with locks: the instance that takes the key's lock
   * runs the page; the others poll the store for its entry, and run the page themselves (holding
   * the lock in turn) once the holder let the lock go without storing one (the answer could not be
   * stored) or the lock expired (its holder died).
   */
  private async acrossInstances(primary: string, request: CacheRequest, fill: Fill): Promise<Filled> {
    if (!this.store.lock) return this.fillAndStore(primary, request, fill, false);
    let release = await this.takeLock(primary);
    while (release === null) {
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
      let found: Filled | undefined;
      try {
        found = await this.storedFor(primary, request);
      } catch (error) {
        this.reportStoreError(error);
        break;
      }
      if (found) return found;
      release = await this.takeLock(primary);
    }
    try {
      return await this.fillAndStore(primary, request, fill, false);
    } finally {
      if (release) this.releaseLock(release);
    }
  }

  /** The key's lock: a release, `null` when another instance holds it, `undefined` when the store failed (then the page runs). */
  private async takeLock(primary: string): Promise<(() => unknown) | null | undefined> {
    try {
      return await this.call(
        (this.store.lock as NonNullable<CacheStore["lock"]>).call(this.store, primary, this.options.lockMs),
      );
    } catch (error) {
      this.reportStoreError(error);
      return undefined;
    }
  }

  private releaseLock(release: () => unknown): void {
    try {
      Promise.resolve(release()).catch((error: unknown) => this.reportStoreError(error));
    } catch (error) {
      // A store's release that throws at once: the request was answered all the same.
      this.reportStoreError(error);
    }
  }

  /**
   * A fresh, not invalidated entry for this request (its own Vary headers, encoding and
   * If-None-Match), answered as a hit; `undefined` when there is none. Only a new entry: the one a
   * running fill replaces (stale, or invalidated) may still be in the store.
   */
  private async storedFor(primary: string, request: CacheRequest): Promise<Filled | undefined> {
    const found = await this.lookup(primary, request.headers, this.store.get(primary));
    const usable = found && (await this.freshFor(found));
    if (!found || !usable) return undefined;
    const vary = varyNames(found.headers.vary);
    return {
      response: entryResponse(found, request.headers, "HIT", Date.now(), usable),
      vary,
      varyValues: varyValues(vary, request.headers),
      stored: true,
      shareable: true,
      final: true,
      entry: { stored: found, freshUntil: usable },
    };
  }

  /** When `entry` stops being fresh, or `undefined` when it is not fresh now (expired, or invalidated). */
  private async freshFor(entry: StoredResponse): Promise<number | undefined> {
    const invalidation = entry.invalidation ?? (await this.call(this.store.invalidatedAt(entry.tags)));
    if (invalidation.hard >= entry.storedAt) return undefined;
    const fresh = freshUntil(entry, invalidation);
    return Date.now() < fresh ? fresh : undefined;
  }

  private lastStoreReport = 0;
  private unreported = 0;

  /** A store that failed or timed out: one line per 10 s at most (Redis down would otherwise log every request). */
  private reportStoreError(error: unknown): void {
    const now = Date.now();
    if (now - this.lastStoreReport < STORE_REPORT_MS) {
      this.unreported++;
      return;
    }
    const more = this.unreported > 0 ? ` (and ${this.unreported} more store failures since the last report)` : "";
    this.lastStoreReport = now;
    this.unreported = 0;
    this.options.onError(
      new Error(
        `ssr-pages cache: the store failed, pages are served uncached meanwhile: ${error instanceof Error ? error.message : String(error)}${more}`,
        { cause: error },
      ),
    );
  }

  /** One background revalidation per key (`stale-while-revalidate`), tied to no client. */
  private revalidate(primary: string, request: CacheRequest, fill: Fill): void {
    if (this.flights.has(primary)) return;
    const started = this.fillAndStore(primary, { ...request, method: "GET" }, fill, true).finally(() =>
      this.flights.delete(primary),
    );
    this.flights.set(primary, started);
    started.catch((error: unknown) => this.options.onError(error));
  }

  private async fillAndStore(primary: string, request: CacheRequest, fill: Fill, background: boolean): Promise<Filled> {
    const startedAt = Date.now();
    return this.storeFilled(primary, request, await fill(background), startedAt);
  }

  /** Stores a run's response (and the other variant from it) when its headers allow. */
  private async storeFilled(
    primary: string,
    request: CacheRequest,
    { own, other }: FillResult,
    startedAt: number,
  ): Promise<Filled> {
    const stored = await this.put(primary, request, own, startedAt);
    if (stored) {
      // The other variant from the same run: a visit and the client navigation after it share it.
      const otherKind = request.kind === "html" ? "json" : "html";
      try {
        const response = await other();
        await this.put(
          this.keyOf(otherKind, request.build, request.base, request.pagePath, request.search),
          { ...request, kind: otherKind },
          response,
          startedAt,
        );
      } catch {
        // It failed to render: only the variant asked for is stored.
      }
    }
    this.remember(primary, stored !== undefined);
    return {
      response: own,
      vary: stored?.vary,
      varyValues: stored ? varyValues(stored.vary, request.headers) : "",
      stored: stored !== undefined,
      shareable: stored !== undefined,
    };
  }

  /** A run while the store is away: nothing stored, shared with waiters when the page's headers would have let it be stored. */
  private async fillUnstored(primary: string, request: CacheRequest, fill: Fill): Promise<Filled> {
    const { own } = await fill(false);
    const shareable =
      (typeof own.body === "string" || Buffer.isBuffer(own.body)) &&
      own.noStore !== true &&
      !("reason" in sharedLifetime(own.status, own.headers));
    this.remember(primary, shareable);
    const vary = varyNames(own.headers.vary);
    return { response: own, vary, varyValues: varyValues(vary, request.headers), stored: false, shareable };
  }

  /** Stores `response` when its headers allow; what it varies on, or `undefined` when not stored. */
  private async put(
    primary: string,
    request: CacheRequest,
    response: SsrResponse,
    startedAt: number,
  ): Promise<{ vary: readonly string[] } | undefined> {
    const body = response.body;
    if ((typeof body !== "string" && !Buffer.isBuffer(body)) || response.noStore) return undefined;
    const lifetime = sharedLifetime(response.status, response.headers);
    if ("reason" in lifetime) return undefined;
    const entry = await storedEntry(response, body, lifetime, pathTag(request.pagePath), startedAt);
    const vary = varyNames(response.headers.vary);
    // A store may forget a tag's invalidation once no fill that started before it can still be
    // running (LONGEST_FILL_MS): a fill that took longer is not stored.
    if (Date.now() - startedAt > LONGEST_FILL_MS) return undefined;
    const ttl = (lifetime.fresh + Math.max(lifetime.staleWhileRevalidate, lifetime.staleIfError)) * 1000;
    try {
      // A fill that started before an invalidation of its tags is not stored: it may hold what was invalidated.
      const invalidation = await this.call(this.store.invalidatedAt(entry.tags));
      if (invalidation.hard >= startedAt || invalidation.soft >= startedAt) return undefined;
      if (vary.length > 0) {
        await this.call(this.store.set(primary, { kind: "vary", names: vary }, ttl));
        await this.call(this.store.set(varyKey(primary, vary, request.headers), entry, ttl));
      } else await this.call(this.store.set(primary, entry, ttl));
    } catch (error) {
      this.reportStoreError(error);
      return undefined;
    }
    return { vary };
  }

  /** A store call, given up after the timeout (a slow or unreachable store must not hold a request). */
  private call<T>(value: T | Promise<T>): T | Promise<T> {
    if (!(value instanceof Promise)) return value;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`ssr-pages cache: the store did not answer within ${this.options.timeout} ms`)),
        this.options.timeout,
      );
    });
    return Promise.race([value, timeout]).finally(() => clearTimeout(timer));
  }
}

const LOCK_POLL_MS = 25;
/** At most this many characters of keys are remembered as unstorable (about 2 MB of strings). */
const UNSTORABLE_CHARS = 1_000_000;
const STORE_REPORT_MS = 10_000;

const markMiss = (filled: Filled): SsrResponse =>
  filled.final ? filled.response : mark(filled.response, "MISS", filled.stored ? "fwd=miss; stored" : "fwd=miss");

/**
 * Adds the cache's headers to a response that did not come from the store; `Cache-Tag` never goes
 * out. In place: the response and its headers are this request's own (what was stored is a copy).
 */
function mark(response: SsrResponse, outcome: Outcome, status: string): SsrResponse {
  const headers = response.headers;
  headers["cache-status"] = status === "fwd=miss" ? MISS_STATUS : `ssr-pages; ${status}`;
  headers["x-ssr-pages-cache"] = outcome;
  if (headers["cache-tag"] !== undefined) delete headers["cache-tag"];
  return response;
}

const MISS_STATUS = "ssr-pages; fwd=miss";
