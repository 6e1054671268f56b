/**
 * The framework-blind core, and its composition root: a request in, a response (or `null`: "no page
 * here, fall through") out. It holds the current {@link Build} and hands each request to it.
 */
import path from "node:path";
import * as clientModule from "./client/index.js";
import * as gatsbyModule from "./gatsby/index.js";
import { SsrError } from "./errors.js";
import { BuildError, type BuildOptions, type BuildSummary } from "./artifact/contracts.js";
import type { DevLoop } from "./dev/dev-loop.js";
import type { LoadOptions } from "./load-pages.js";
import { planPages } from "./page-plan.js";
import { readBuild } from "./artifact/read-build.js";
import { resolveOptions, type SsrOptions } from "./options.js";
import type { SsrRequest, SsrResponse } from "./protocol.js";
import { LazyAbort } from "./request/abort.js";
import { decodePath, originForm, splitUrl, type SplitUrl } from "./request/url.js";
import { respondWithAsset } from "./respond/asset.js";
import { MANIFEST_PATH, respondWithImage, respondWithManifest, trailingSlashRedirect } from "./respond/site-files.js";
import { isPage } from "./respond/redirect.js";
import { respondRenderedElsewhere, respondWithStored } from "./respond/static-page.js";
import * as gatsbyImageModule from "./gatsby-image/index.js";
import { respondWithError, type FailedRequest } from "./respond/error.js";
import { notFoundJson, respondNotFound, type NotFoundRequest } from "./respond/not-found.js";
import { respondWithRun, runPage, type PageRequest, type PageRun } from "./respond/page.js";
import { ResponseCache, type FillResult } from "./cache/response-cache.js";
import { MemoryStore } from "./cache/store.js";
import type { Build, PageEntry } from "./runtime/build.js";
import { EVENTS_PATH, INTERNAL_PREFIX, pagePathOfPageData } from "./common/urls.js";
import type { ProvidedId } from "./common/provided-ids.js";

/** The core request handler of one pages directory. */
export interface SsrHandler {
  /**
   * Answers a request, or resolves `null` when no page (nor page-data, nor asset) is asked for:
   * other methods than GET and HEAD, paths outside `basePath`, paths that match no page. Rejects only
   * when the compile itself could not run; page errors become 5xx responses.
   */
  handle(request: SsrRequest): Promise<SsrResponse | null>;
  /**
   * `handle` without a promise when the answer is ready at once (a loaded page whose
   * `getServerData` is synchronous, a miss, an asset); a promise only when something had to wait.
   * The adapters use it: a promise and its microtasks per request are a measurable share of a
   * small page's cost. Never throws: a failure is a rejected promise, as from `handle`.
   */
  answer(request: SsrRequest): SsrResponse | null | Promise<SsrResponse | null>;
  /**
   * The not-found answer for any request, whatever its path or method: the app's `404` page with
   * status 404 (its page data for a page-data URL), or a plain 404 document. For the final handler an
   * app puts after all its routes. Never throws.
   */
  notFound(request: SsrRequest): SsrResponse | Promise<SsrResponse>;
  /**
   * Settles when the pages are compiled; in development with `watch`, once the routes are known and
   * the watcher runs (each page is compiled on its first request, which waits for it). Requests that
   * come earlier wait for it.
   */
  ready: Promise<void>;
  /**
   * Stops the development loop (the watcher, esbuild's contexts and process, and every open event
   * stream: their responses end), and waits for the runs the response cache is storing (a
   * background revalidation), so a store closed next is not cut off mid-write. A server shutting
   * down calls it after its requests in flight have finished.
   */
  close(): Promise<void>;
  /**
   * The response cache's controls. `invalidate` is hard (the next request misses); `expire` is soft
   * (entries are stale: served stale only within their `stale-while-revalidate`). `tags` are the
   * pages' `Cache-Tag` values; `paths` are page paths relative to the mount, without a query (both
   * variants, every query string). No-ops without a cache.
   */
  cache: { invalidate(targets: CacheTargets): Promise<void>; expire(targets: CacheTargets): Promise<void> };
}

/** What to invalidate: `Cache-Tag` tags, and page paths relative to the mount. */
export interface CacheTargets {
  tags?: readonly string[];
  paths?: readonly string[];
}

/**
 * Creates the core handler for a pages directory: discovers the pages and builds the route table now
 * (a route conflict or a bad option throws here), and starts compiling them.
 *
 * @example
 * import { createSsrHandler } from "ssr-pages";
 * const handler = createSsrHandler(path.join(import.meta.dirname, "pages"));
 * const response = await handler.handle({ method: "GET", url: "/products/1", base: "", headers: {} });
 */
export function createSsrHandler(pagesDir: string, options: SsrOptions = {}): SsrHandler {
  const resolved = resolveOptions(options);
  const cache =
    resolved.cache &&
    new ResponseCache({
      ...resolved.cache,
      lockMs: resolved.timeout + 1_000,
      onError: (error) => resolved.onError(error, { phase: "request", page: undefined, url: "", method: "" }),
    });
  let current: Build | undefined;
  const dir = typeof pagesDir === "string" ? path.resolve(pagesDir) : pagesDir;
  const loadOptions: LoadOptions = {
    dev: resolved.dev,
    client: resolved.client,
    gatsbyRoot: resolved.gatsbyRoot,
    provided: PROVIDED,
    onCompileError: (error) => resolved.onError(error, { phase: "compile", page: error.file, url: "", method: "" }),
  };
  let loop: DevLoop | undefined;
  /** Settles once the development loop (if any) exists: `close` waits for it, so a loop that starts late is still stopped. */
  let looping: Promise<DevLoop | undefined> = Promise.resolve(undefined);
  let ready: Promise<void>;
  if (resolved.build !== undefined) {
    // A production build: read now (a build that cannot be served is refused from the factory), never compiled.
    const onStale = (error: Error) =>
      resolved.onError(error, { phase: "compile", page: undefined, url: "", method: "" });
    current = readBuild(dir, resolved.build, {
      provided: PROVIDED,
      client: options.client,
      gatsbyRoot: resolved.gatsbyRoot,
      onStale,
    });
    ready = Promise.resolve();
  } else {
    // Discovered now, so a route conflict throws from the factory; compiled in the background, by
    // a module loaded only here (a server started from a build never loads the compiler).
    const plan = planPages(dir, resolved.gatsbyRoot);
    // Development with `watch`: the loop compiles pages as they are asked for, rebuilds on save and
    // swaps `current`; production (and development without `watch`) compiles every page once.
    // (Only the loop is kept: the first build's promise would keep that build alive after every rebuild.)
    const onFailure = (error: unknown) =>
      resolved.onError(error, { phase: "compile", page: (error as { file?: string }).file, url: "", method: "" });
    const dev = resolved.dev && resolved.watch ? { swap: (build: Build) => (current = build), onFailure } : undefined;
    let first: Promise<Build> | undefined;
    looping = import("./load-pages.js").then((compiler) => {
      const started = compiler.startCompiling(plan, loadOptions, dev);
      first = started.loaded;
      return (loop = started.loop);
    });
    ready = looping.then(async () => {
      const build = await (first as Promise<Build>);
      first = undefined; // not kept past the first build
      current = build;
    });
    looping.catch(() => undefined);
  }
  // A failure is delivered to every request that awaits `ready`; it must not also surface as an
  // unhandled rejection when nobody awaits it yet.
  ready.catch(() => undefined);

  function answer(request: SsrRequest): SsrResponse | null | Promise<SsrResponse | null> {
    try {
      // What is not ours falls through at once, also before the compile ends.
      const { method } = request;
      if (method !== "GET" && method !== "HEAD") return null;
      const url = mountRelativeUrl(request);
      const split = url === null ? null : splitUrl(url);
      if (split === null) return null;
      const build = current;
      return build ? answerWith(build, request, split) : ready.then(() => answerWith(current as Build, request, split));
    } catch (error) {
      // Only a failure of the failure path itself (respondWithError) gets here.
      return Promise.reject(error);
    }
  }

  /** The request's URL relative to the mount, or `null` when it is not ours (outside `basePath`, not a path). */
  function mountRelativeUrl(request: SsrRequest): string | null {
    const url = originForm(request.url);
    return url === null || resolved.basePath === "" ? url : stripPrefix(url, resolved.basePath);
  }

  /** `build`'s answer. `waited`: `build` is the one compiled for this request (see {@link compiledAnswer}). */
  function answerWith(
    build: Build,
    request: SsrRequest,
    split: SplitUrl,
    waited = false,
  ): SsrResponse | null | Promise<SsrResponse | null> {
    const { method } = request;
    const { pathname, search } = split;
    const base = resolved.basePath === "" ? request.base : request.base + resolved.basePath;

    if (pathname.startsWith(INTERNAL_PREFIX)) {
      if (loop && pathname === EVENTS_PATH && method === "GET") return loop.events.open();
      const name = pathname.slice(INTERNAL_PREFIX.length);
      const asset = respondWithAsset(name, build.files, request.headers, !resolved.dev);
      if (asset !== null) return asset;
      const later = waited ? undefined : compiledAnswer(build, request, split, undefined, "html", undefined);
      if (later !== undefined) return later;
      // An image variant that cannot be made is a server fault like any other: reported, and answered without its stack.
      return (
        respondWithImage(name, build)?.catch((error: unknown) =>
          respondWithError(
            error,
            { kind: "html", method, url: pathname, base, page: undefined, abort: undefined },
            build,
            resolved,
          ),
        ) ?? null
      );
    }
    if (pathname === MANIFEST_PATH) {
      const later = waited ? undefined : compiledAnswer(build, request, split, undefined, "html", undefined);
      if (later !== undefined) return later;
      const manifest = respondWithManifest(build, base);
      if (manifest) return manifest;
    }

    const pageDataOf = pagePathOfPageData(pathname);
    const kind = pageDataOf === null ? "html" : "json";
    const pagePath = pageDataOf ?? pathname;
    // A Gatsby site's trailing-slash rule, as `gatsby serve` applies it: HTML requests of its pages,
    // before the cache (whose entry for the page may have been stored under either form).
    if (kind === "html" && build.site !== undefined) {
      const redirect = trailingSlashRedirect(build, pagePath, search, base);
      if (redirect && isPage(pagePath, build)) return redirect;
    }
    // A production build's static page: its stored answer, before the route and the cache (a fresh hit costs more).
    const statics = build.statics;
    if (statics !== undefined) {
      const stored = respondWithStored(statics, kind, pagePath, base, resolved.lang, request.headers);
      if (stored !== null)
        return stored instanceof Promise
          ? stored.then(
              (response) =>
                response ??
                respondWithError(
                  new SsrError(
                    500,
                    `ssr-pages: a file of the build in ${resolved.build} cannot be read: was the folder changed under the server?`,
                  ),
                  { kind, method, url: pagePath + search, base, page: undefined, abort: undefined },
                  build,
                  resolved,
                ),
            )
          : stored;
    }
    // A fresh hit needs neither the route nor the page: answered before either is looked up.
    const key = cache ? cache.keyOf(kind, build.buildId, base, pagePath, search) : "";
    const hit = cache?.freshHit(key, request.headers);
    if (hit) return hit;
    let entry: PageEntry | undefined;
    try {
      const decoded = decodePath(pagePath);
      if ("unmatched" in decoded) {
        if (kind === "html") return null;
        if (decoded.unmatched === "dot-segment")
          throw new SsrError(400, "Bad Request: a page-data path may not contain . or .. segments");
        return notFoundJson();
      }
      const match = build.match(decoded.segments);
      // No page: the host's routes and 404 keep working. (A page-data URL is ours: the client
      // router falls back to a full load, which the host then answers.)
      if (!match) return kind === "html" ? null : notFoundJson();
      entry = match.page;
      const later = waited ? undefined : compiledAnswer(build, request, split, entry.parsed.file, kind, entry);
      if (later !== undefined) return later;
      // A static page under another mount path (or lang) than the build rendered it with: rendered there once, and kept.
      if (statics !== undefined) {
        const page = entry;
        const elsewhere = respondRenderedElsewhere(statics, entry, kind, pagePath, base, request.headers, () =>
          answerPage(build, request, kind, page, match.params, pagePath, search, base, key),
        );
        if (elsewhere !== null) return elsewhere;
      }
      return answerPage(build, request, kind, entry, match.params, pagePath, search, base, key);
    } catch (thrown) {
      return respondWithError(
        thrown,
        { kind, method, url: pagePath + search, base, page: entry, abort: undefined },
        build,
        resolved,
      );
    }
  }

  /**
   * In development with `watch`, the answer to a request for a page `build` did not compile (nor any
   * later build yet; `undefined`: what only a compiled build serves, the site's manifest and images):
   * that of the build compiled for it, from the start, its route matched again (each build has
   * entries of its own). `undefined` when `build` has it, and always in production.
   */
  function compiledAnswer(
    build: Build,
    request: SsrRequest,
    split: SplitUrl,
    page: string | undefined,
    kind: "html" | "json",
    entry: PageEntry | undefined,
  ): SsrResponse | null | Promise<SsrResponse | null> | undefined {
    if (loop === undefined) return undefined;
    const next = loop.buildWith(build, page);
    if (next === build) return undefined;
    if (!(next instanceof Promise)) return answerWith(next, request, split, true);
    // A compile that failed as a whole (or a server closing) fails the requests that waited for it.
    const failed = (error: unknown): SsrResponse => {
      const base = resolved.basePath === "" ? request.base : request.base + resolved.basePath;
      return respondWithError(
        error,
        { kind, method: request.method, url: split.pathname + split.search, base, page: entry, abort: undefined },
        build,
        resolved,
      );
    };
    return next.then((ready) => answerWith(ready, request, split, true), failed);
  }

  /** A matched page's answer: from the response cache, or a run of the page. */
  function answerPage(
    build: Build,
    request: SsrRequest,
    kind: "html" | "json",
    entry: PageEntry,
    params: Record<string, string>,
    pagePath: string,
    search: string,
    base: string,
    key: string,
  ): SsrResponse | Promise<SsrResponse> {
    const { method } = request;
    const pageUrl = pagePath + search;
    let abort: LazyAbort | undefined;
    try {
      abort = new LazyAbort(request.onAbort);
      const page: PageRequest = {
        kind,
        entry,
        params,
        method,
        url: pageUrl,
        search,
        base,
        headers: request.headers,
        locals: request.locals,
        abort,
        startedAt: undefined,
        earlyHints: kind === "html" && resolved.earlyHints ? request.earlyHints : undefined,
      };
      if (cache)
        return cache.answer(
          { kind, method, build: build.buildId, base, pagePath, search, headers: request.headers, key },
          (background) => fillPage(page, background, build),
        );
      // Without a cache, the same run answers alone (a promise only when getServerData was async).
      const filled = fillPage(page, false, build);
      return filled instanceof Promise ? filled.then(ownResponse) : filled.own;
    } catch (thrown) {
      return respondWithError(thrown, { kind, method, url: pageUrl, base, page: entry, abort }, build, resolved);
    }
  }

  /**
   * One run of a page: the response asked for (an error page when it fails) and, for the cache, the
   * other variant from the same run. A background revalidation has a signal of its own, tied to no
   * client, and the page's timeout.
   */
  function fillPage(request: PageRequest, background: boolean, build: Build): FillResult | Promise<FillResult> {
    // A revalidation is a GET whatever request found the entry stale (a HEAD's answer has no body to store).
    const page = background
      ? { ...request, method: "GET", abort: new LazyAbort(undefined), earlyHints: undefined }
      : request;
    let run: PageRun | Promise<PageRun>;
    try {
      run = runPage(page, build, resolved);
    } catch (thrown) {
      return failedFill(thrown, page, build);
    }
    // A promise only when getServerData was async; a sync page is answered without one.
    if (run instanceof Promise)
      return run.then(
        (settled) => answeredFill(settled, page, build),
        (thrown: unknown) => failedFill(thrown, page, build),
      );
    return answeredFill(run, page, build);
  }

  function answeredFill(run: PageRun, page: PageRequest, build: Build): FillResult | Promise<FillResult> {
    let own: SsrResponse | Promise<SsrResponse>;
    try {
      own = respondWithRun(run, page.kind, page, build, resolved);
    } catch (thrown) {
      return failedFill(thrown, page, build);
    }
    const other = () => respondWithRun(run, page.kind === "html" ? "json" : "html", page, build, resolved);
    // A streamed page: its answer once its shell is ready (or it is whole), a 500 page if the shell threw.
    if (own instanceof Promise)
      return own.then(
        (streamed) => ({ own: streamed, other }),
        (thrown: unknown) => failedFill(thrown, page, build),
      );
    return { own, other };
  }

  function failedFill(thrown: unknown, page: PageRequest, build: Build): FillResult {
    const failed: FailedRequest = {
      kind: page.kind,
      method: page.method,
      url: page.url,
      base: page.base,
      page: page.entry,
      abort: page.abort,
    };
    return {
      own: respondWithError(thrown, failed, build, resolved),
      other: () => {
        throw thrown;
      },
    };
  }

  function notFound(request: SsrRequest): SsrResponse | Promise<SsrResponse> {
    try {
      // Whatever reaches the final handler: outside `basePath` too, where the mount is the host's own.
      const relative = mountRelativeUrl(request);
      const base = relative === null || resolved.basePath === "" ? request.base : request.base + resolved.basePath;
      const split = splitUrl(relative ?? originForm(request.url) ?? "/") ?? { pathname: "/", search: "" };
      const pageDataOf = pagePathOfPageData(split.pathname);
      const missing: NotFoundRequest = {
        kind: pageDataOf === null ? "html" : "json",
        method: request.method,
        url: (pageDataOf ?? split.pathname) + split.search,
        base,
      };
      const answerFor = (build: Build): SsrResponse | Promise<SsrResponse> => {
        // In development with `watch`, from a build that compiled the 404 page (when there is one):
        // any compiled build has it, as it has every special file.
        const ready = loop === undefined || build.notFound === undefined ? build : loop.buildWith(build, undefined);
        if (!(ready instanceof Promise)) return respondNotFound(missing, ready, resolved);
        // A compile that failed as a whole (or a server closing) fails the requests that waited for it.
        return ready.then(
          (compiled) => respondNotFound(missing, compiled, resolved),
          (error: unknown) =>
            respondWithError(error, { ...missing, page: undefined, abort: undefined }, build, resolved),
        );
      };
      const build = current;
      return build ? answerFor(build) : ready.then(() => answerFor(current as Build));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  const handle = async (request: SsrRequest): Promise<SsrResponse | null> => answer(request);
  const cacheControls = {
    invalidate: (targets: CacheTargets) => (cache ? cache.invalidate(targets, "hard") : Promise.resolve()),
    expire: (targets: CacheTargets) => (cache ? cache.invalidate(targets, "soft") : Promise.resolve()),
  };
  const close = async (): Promise<void> => {
    const started = await looping.catch(() => undefined);
    await started?.close();
    // Runs the cache is still storing (a stale-while-revalidate run no client waits for) end first: the store may be closed next.
    await cache?.settled();
  };
  return { handle, answer, notFound, ready, close, cache: cacheControls };
}

const ownResponse = (filled: FillResult): SsrResponse => filled.own;

/**
 * What pages get for this package's own module ids (and for `gatsby`): these very objects, not
 * another copy, so the `SsrError` a page throws is the one the core recognises, and the `Link` it
 * renders reads the router context the renderer provides. Handed down to the server modules from here (the
 * composition root), so nothing below imports the public entry.
 */
export const PROVIDED: ReadonlyMap<string, unknown> = new Map(
  Object.entries({
    "ssr-pages": Object.freeze({ SsrError, createSsrHandler, MemoryStore, build, BuildError }),
    "ssr-pages/client": clientModule,
    // Gatsby's own module, for pages moved over from Gatsby (and `gatsby-*` packages that require it).
    gatsby: gatsbyModule,
    "ssr-pages/gatsby": gatsbyModule,
    // gatsby-plugin-image's components, with images this package makes (see compile/site-options.ts).
    "gatsby-plugin-image": gatsbyImageModule,
  } satisfies Record<ProvidedId, unknown>),
);

/**
 * Builds the pages of `pagesDir` for production (what `npx ssr-pages build` runs): compiled once,
 * the static pages rendered, written to `options.out` for `ssrMiddleware(pagesDir, { build: out })`.
 * The compiler is loaded now, not when a server that serves a build imports `ssr-pages`.
 * @throws TypeError for bad options; BuildError naming each file that failed (nothing is written as if good).
 * @example
 * import { build } from "ssr-pages";
 * const summary = await build(path.join(import.meta.dirname, "pages"));
 * console.log(`${summary.pages} pages, ${summary.staticPages} static, in ${summary.out}`);
 */
export async function build(pagesDir: string, options?: BuildOptions): Promise<BuildSummary> {
  const builder = await import("./artifact/build.js");
  return builder.build(pagesDir, options, PROVIDED);
}

/** `/shop/a?b` minus `/shop` → `/a?b`; `/shop` → `/`; `/shopping` → null. */
function stripPrefix(url: string, prefix: string): string | null {
  if (!url.startsWith(prefix)) return null;
  const rest = url.slice(prefix.length);
  if (rest === "") return "/";
  if (rest.startsWith("/")) return rest;
  if (rest.startsWith("?")) return `/${rest}`;
  return null;
}
