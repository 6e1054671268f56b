/**
 * The options of the core, shared by every adapter. Resolved once when the middleware is created:
 * a bad value throws a TypeError there, never per request.
 */
import path from "node:path";
import { DEFAULT_IGNORED_PARAMS, paramMatcher } from "./cache/key.js";
import { MemoryStore, type CacheStore } from "./cache/store.js";
import { escapeHtml } from "./common/html-escape.js";

/** Where an error reported through `onError` came from. */
export interface ErrorInfo {
  /** `"compile"`: a page failed to compile at start-up. `"request"`: a request failed with a 5xx. */
  phase: "compile" | "request";
  /** The page file relative to the pages directory (`blog/[id].tsx`), when the error belongs to one. */
  page: string | undefined;
  /** The request URL as the mounted app saw it (`""` for compile errors). */
  url: string;
  /** The request method (`""` for compile errors). */
  method: string;
}

/** Options of `ssrMiddleware(pagesDir, options)` and `createSsrHandler(pagesDir, options)`. */
export interface SsrOptions {
  /**
   * A path prefix the framework does not strip. In Koa, `app.use(ssrMiddleware(dir, { basePath: "/shop" }))`
   * mounts for less than koa-mount, which rewrites the URL twice per request; with `@koa/router`, which does
   * not rewrite the URL, use `router.all("/shop{/*rest}", ssrMiddleware(dir, { basePath: "/shop" }))`.
   * Requests outside it fall through. Express's `app.use("/shop", …)` and `koa-mount` need nothing here.
   * @default ""
   * @example { basePath: "/shop" }
   */
  basePath?: string;
  /**
   * Development mode: error pages show the message and stack, browser code is not minified.
   * @default process.env.NODE_ENV !== "production"
   */
  dev?: boolean;
  /**
   * Rebuild on save: watch the pages and the local files they import, swap in the new build, and
   * update open tabs (server-sent events under `<mount>/_ssr-pages/events`). Call the middleware's
   * `close()` to stop it.
   * @default the value of `dev`
   */
  watch?: boolean;
  /**
   * Called for every 5xx a page causes and for every page that fails to compile. The middleware has
   * already answered (with the 500 page), so this is for logging and error trackers; the error does
   * not go to `next(err)`.
   * @default logs to console.error
   * @example { onError: (error, info) => Sentry.captureException(error, { extra: info }) }
   */
  onError?: (error: unknown, info: ErrorInfo) => void;
  /**
   * How long an async `getServerData` may run, in milliseconds, before the request gets a 504 and
   * the context's `signal` aborts.
   * @default 10000
   */
  timeout?: number;
  /**
   * The `lang` attribute of `<html>`.
   * @default "en"
   */
  lang?: string;
  /**
   * The `Cache-Control` sent when a page's `getServerData` sets none. The default lets no shared cache
   * store a page that may be personalised; a page opts in to caching with its own header.
   * @default "private, no-store"
   */
  cacheControl?: string;
  /**
   * Ship the browser runtime: hydration and client navigation through `Link`. With `false`, pages are
   * plain server-rendered HTML with no script.
   * @default true
   */
  client?: boolean;
  /**
   * The Gatsby site whose `gatsby-ssr.js` and `gatsby-browser.js` apply (their `wrapRootElement`,
   * `wrapPageElement`, `onRenderBody` and client hooks); `false` for none. By default, when the pages
   * directory is a Gatsby site's `src/pages`, that site.
   * @default the site of `<site>/src/pages`, else none
   * @example { gatsbyRoot: path.join(import.meta.dirname, "site") }
   */
  gatsbyRoot?: string | false;
  /**
   * The response cache that pages' `Cache-Control` headers address (`s-maxage`, or `public` with
   * `max-age`; `stale-while-revalidate`, `stale-if-error`): `true` for the in-memory store, an object
   * to size it or give another store, `false` for none. Pages that set no shared cache header are
   * never stored.
   * @default true in production, false in development
   * @example { cache: { maxBytes: 128 * 1024 * 1024 } }
   */
  cache?: boolean | CacheOptions;
  /**
   * The folder of a production build of these pages (`ssr-pages build`) to serve: nothing is compiled
   * at start, no compiler is loaded, nothing is watched. The build is checked at start: one made by
   * another version of ssr-pages, for other pages, or left incomplete is refused with an Error saying
   * which. With it, `dev` defaults to `false` (and `true` is refused: a build is production code);
   * `client` and `gatsbyRoot` are the build's (a different value is refused).
   * @default undefined (compile at start)
   * @example { build: path.join(import.meta.dirname, ".ssr-pages") }
   */
  build?: string;
  /**
   * Send a `103 Early Hints` response with the page's module preloads and stylesheets while an async
   * `getServerData` is still running, so the browser fetches them during the wait. `false` turns it
   * off (a proxy in front that mishandles 1xx responses). Never sent to HTTP/1.0 clients.
   * @default true
   * @example { earlyHints: false }
   */
  earlyHints?: boolean;
  /**
   * This request's Content-Security-Policy nonce: ssr-pages puts it as `nonce="…"` on every script
   * and module preload it writes. Apps usually make one per request in a middleware and keep it in
   * `res.locals` / `ctx.state`, which reach the function as `locals` (the adapter's `locals`
   * option's value when there is one). `undefined`: no nonce for this request.
   * @default undefined (no nonce)
   * @example { nonce: (headers, locals) => (locals as { cspNonce?: string }).cspNonce }
   */
  nonce?: (headers: Readonly<Record<string, string | string[] | undefined>>, locals: unknown) => string | undefined;
}

/** The response cache's settings. */
export interface CacheOptions {
  /** The in-memory store's bound (bodies, compressed bodies, keys, headers). @default 64 MiB */
  maxBytes?: number;
  /** Another store (see `CacheStore`); `maxBytes` is then the store's own business. */
  store?: CacheStore;
  /** Query parameters left out of the key (`prefix*` patterns allowed). @default ["utm_*", "fbclid", "gclid", "msclkid"] */
  ignoreQueryParams?: readonly string[];
  /** Milliseconds a store call may take before the request runs uncached. @default 50 */
  timeout?: number;
}

/** Options after validation, with defaults applied. */
export interface ResolvedOptions {
  basePath: string;
  dev: boolean;
  watch: boolean;
  onError: (error: unknown, info: ErrorInfo) => void;
  timeout: number;
  /** Already escaped for the attribute. */
  lang: string;
  cacheControl: string;
  client: boolean;
  /** Absolute, `false`, or `undefined` for the default. */
  gatsbyRoot: string | false | undefined;
  /** A production build's folder (absolute), or `undefined` to compile at start. */
  build: string | undefined;
  /** The response cache, or `undefined` for none. */
  cache: { store: CacheStore; ignoredParam: (name: string) => boolean; timeout: number } | undefined;
  /** Whether to send `103 Early Hints` (when the adapter can: see `SsrRequest.earlyHints`). */
  earlyHints: boolean;
  /** The request's CSP nonce, as the app gave it; `undefined` for none. */
  nonce:
    | ((headers: Readonly<Record<string, string | string[] | undefined>>, locals: unknown) => string | undefined)
    | undefined;
}

const KNOWN = new Set([
  "basePath",
  "dev",
  "watch",
  "onError",
  "timeout",
  "lang",
  "cacheControl",
  "client",
  "gatsbyRoot",
  "cache",
  "build",
  "earlyHints",
  "nonce",
]);

/** Validates options and applies defaults. @throws TypeError naming the bad option. */
export function resolveOptions(options: SsrOptions = {}): ResolvedOptions {
  if (typeof options !== "object" || options === null) throw new TypeError("ssr-pages: options must be an object");
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw new TypeError(`ssr-pages: unknown option "${key}" (known: ${[...KNOWN].join(", ")})`);
  }
  const { build } = options;
  if (build !== undefined && (typeof build !== "string" || build === ""))
    throw new TypeError("ssr-pages: build must be the path of a production build's folder (made by `ssr-pages build`)");
  if (build !== undefined && options.dev === true)
    throw new TypeError(
      "ssr-pages: dev: true cannot serve a production build (build); leave out build to compile in development",
    );
  if (build !== undefined && options.watch === true)
    throw new TypeError(
      "ssr-pages: watch: true cannot watch a production build (build); leave out build to rebuild on save",
    );
  const {
    basePath = "",
    dev = build === undefined && process.env.NODE_ENV !== "production",
    watch = dev,
    onError = logError,
    timeout = 10_000,
    lang = "en",
    cacheControl = "private, no-store",
    client = true,
    gatsbyRoot,
    cache = !dev,
    earlyHints = true,
    nonce,
  } = options;
  if (typeof basePath !== "string" || (basePath !== "" && !/^\/[^?#\s]*$/.test(basePath))) {
    throw new TypeError(
      `ssr-pages: basePath must be a path starting with "/" (like "/shop"), got ${JSON.stringify(basePath)}`,
    );
  }
  if (typeof dev !== "boolean") throw new TypeError("ssr-pages: dev must be a boolean");
  if (typeof watch !== "boolean") throw new TypeError("ssr-pages: watch must be a boolean");
  if (typeof onError !== "function") throw new TypeError("ssr-pages: onError must be a function");
  if (typeof timeout !== "number" || !(timeout > 0) || timeout > 2_147_483_647) {
    throw new TypeError("ssr-pages: timeout must be a positive number of milliseconds");
  }
  if (typeof lang !== "string" || lang === "") throw new TypeError("ssr-pages: lang must be a non-empty string");
  // Directives are ASCII; anything else would be a byte that means nothing to a cache.
  if (typeof cacheControl !== "string" || /[^\t\x20-\x7e]/.test(cacheControl)) {
    throw new TypeError(
      "ssr-pages: cacheControl must be a header value of printable ASCII (no CR, LF, NUL or other control character)",
    );
  }
  if (typeof client !== "boolean") throw new TypeError("ssr-pages: client must be a boolean");
  if (gatsbyRoot !== undefined && gatsbyRoot !== false && (typeof gatsbyRoot !== "string" || gatsbyRoot === "")) {
    throw new TypeError("ssr-pages: gatsbyRoot must be the path of a Gatsby site's folder, or false");
  }
  if (typeof earlyHints !== "boolean") throw new TypeError("ssr-pages: earlyHints must be a boolean");
  if (nonce !== undefined && typeof nonce !== "function")
    throw new TypeError("ssr-pages: nonce must be a function (headers, locals) => string | undefined");
  return {
    basePath: basePath.replace(/\/+$/, ""),
    dev,
    watch,
    onError: guard(onError),
    timeout,
    lang: escapeHtml(lang),
    cacheControl,
    client,
    gatsbyRoot: typeof gatsbyRoot === "string" ? path.resolve(gatsbyRoot) : gatsbyRoot,
    cache: resolveCache(cache),
    build: build === undefined ? undefined : path.resolve(build),
    earlyHints,
    nonce,
  };
}

/** An `onError` that throws (an error tracker not set up yet) must not break a request or the start-up. */
function guard(onError: (error: unknown, info: ErrorInfo) => void): (error: unknown, info: ErrorInfo) => void {
  return (error, info) => {
    try {
      onError(error, info);
    } catch (hookError) {
      // eslint-disable-next-line no-console -- the default reporting path: onError itself failed
      console.error(
        "ssr-pages: the onError option threw while reporting an error:",
        hookError,
        "\nThe error was:",
        error,
      );
    }
  };
}

function logError(error: unknown, info: ErrorInfo): void {
  const where = info.page ? ` in ${info.page}` : "";
  const request = info.phase === "request" ? ` (${info.method} ${info.url})` : "";
  // eslint-disable-next-line no-console -- the default onError
  console.error(`ssr-pages: ${info.phase} error${where}${request}:`, error);
}

function resolveCache(cache: unknown): ResolvedOptions["cache"] {
  if (cache === false) return undefined;
  if (cache !== true && (typeof cache !== "object" || cache === null))
    throw new TypeError("ssr-pages: cache must be true, false or { maxBytes?, store?, ignoreQueryParams?, timeout? }");
  const {
    maxBytes = 64 * 1024 * 1024,
    store,
    ignoreQueryParams = DEFAULT_IGNORED_PARAMS,
    timeout = 50,
    ...rest
  } = cache === true ? {} : (cache as CacheOptions);
  const unknown = Object.keys(rest);
  if (unknown.length > 0)
    throw new TypeError(
      `ssr-pages: unknown cache option "${unknown[0]}" (known: maxBytes, store, ignoreQueryParams, timeout)`,
    );
  if (typeof maxBytes !== "number" || !(maxBytes > 0))
    throw new TypeError("ssr-pages: cache.maxBytes must be a positive number of bytes");
  if (typeof timeout !== "number" || !(timeout > 0))
    throw new TypeError("ssr-pages: cache.timeout must be a positive number of milliseconds");
  if (!Array.isArray(ignoreQueryParams) || !ignoreQueryParams.every((name) => typeof name === "string"))
    throw new TypeError("ssr-pages: cache.ignoreQueryParams must be an array of parameter names");
  if (
    store !== undefined &&
    (typeof store !== "object" ||
      store === null ||
      typeof store.get !== "function" ||
      typeof store.set !== "function" ||
      typeof store.invalidatedAt !== "function" ||
      typeof store.invalidate !== "function")
  ) {
    throw new TypeError(
      "ssr-pages: cache.store must implement get, set, invalidatedAt and invalidate (see CacheStore)",
    );
  }
  return { store: store ?? new MemoryStore(maxBytes), ignoredParam: paramMatcher(ignoreQueryParams), timeout };
}
