/**
 * The framework-blind core: a request in, a response (or `null`: "no page here, fall through") out.
 */
import path from "node:path";
import { SsrError } from "./errors.js";
import type { SsrRequest, SsrResponse } from "./http.js";
import { resolveOptions, type SsrOptions } from "./options.js";
import type { PagesFileSystem } from "./pages/discover.js";
import { PageRegistry, type PageEntry } from "./pages/registry.js";
import { respondWithAsset } from "./respond/asset.js";
import { respondWithError, type FailedRequest } from "./respond/error.js";
import { respondWithPage } from "./respond/page.js";
import { LazyAbort } from "./request/abort.js";
import { decodePath, originForm, pagePathOfPageData, splitUrl } from "./request/url.js";

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
  /** Settles when the pages are compiled. Requests that come earlier wait for it. */
  ready: Promise<void>;
}

const ASSET_PREFIX = "/_ssr-pages/";
const NOT_FOUND_JSON = '{"error":"Not Found"}';

/**
 * Creates the core handler for a pages directory: discovers the pages and builds the route table now
 * (a route conflict or a bad option throws here), and starts compiling them.
 *
 * @example
 * import { createSsrHandler } from "ssr-pages";
 * const handler = createSsrHandler(path.join(__dirname, "pages"));
 * const response = await handler.handle({ method: "GET", url: "/products/1", base: "", headers: {} });
 */
export function createSsrHandler(pagesDir: string, options: SsrOptions = {}, fileSystem?: PagesFileSystem): SsrHandler {
  const resolved = resolveOptions(options);
  const registry = new PageRegistry(typeof pagesDir === "string" ? path.resolve(pagesDir) : pagesDir, {
    dev: resolved.dev,
    client: resolved.client,
    fileSystem,
    onCompileError: (error) => resolved.onError(error, { phase: "compile", page: error.file, url: "", method: "" }),
  });

  function answer(request: SsrRequest): SsrResponse | null | Promise<SsrResponse | null> {
    try {
      return answerNow(request);
    } catch (error) {
      // Only a failure of the failure path itself (respondWithError) gets here.
      return Promise.reject(error);
    }
  }

  function answerNow(request: SsrRequest): SsrResponse | null | Promise<SsrResponse | null> {
    const { method } = request;
    if (method !== "GET" && method !== "HEAD") return null;
    let url = originForm(request.url);
    if (url === null) return null;
    let base = request.base;
    if (resolved.basePath !== "") {
      const rest = stripPrefix(url, resolved.basePath);
      if (rest === null) return null;
      url = rest;
      base += resolved.basePath;
    }
    const split = splitUrl(url);
    if (!split) return null;
    const { pathname, search } = split;
    if (!registry.isReady) return registry.ready.then(() => answerNow(request));

    if (pathname.startsWith(ASSET_PREFIX)) return respondWithAsset(pathname.slice(ASSET_PREFIX.length), registry.browser);

    const pageDataOf = pagePathOfPageData(pathname);
    const kind = pageDataOf === null ? "html" : "json";
    const pagePath = pageDataOf ?? pathname;
    const pageUrl = pagePath + search;
    let entry: PageEntry | undefined;
    let abort: LazyAbort | undefined;
    try {
      const decoded = decodePath(pagePath);
      if ("unmatched" in decoded) {
        if (kind === "html") return null;
        if (decoded.unmatched === "dot-segment") throw new SsrError(400, "Bad Request: a page-data path may not contain . or .. segments");
        return notFoundJson();
      }
      const match = registry.match(decoded.segments);
      if (!match) return kind === "html" ? null : notFoundJson();
      entry = match.page;
      abort = new LazyAbort(request.onAbort);
      const response = respondWithPage(
        { kind, entry, params: match.params, method, url: pageUrl, search, base, headers: request.headers, locals: request.locals, abort },
        registry,
        resolved,
      );
      // A promise only when getServerData was async.
      if (response instanceof Promise) {
        const failed: FailedRequest = { kind, method, url: pageUrl, base, page: entry, abort };
        return response.catch((thrown: unknown) => respondWithError(thrown, failed, registry, resolved));
      }
      return response;
    } catch (thrown) {
      return respondWithError(thrown, { kind, method, url: pageUrl, base, page: entry, abort }, registry, resolved);
    }
  }

  const handle = async (request: SsrRequest): Promise<SsrResponse | null> => answer(request);
  return { handle, answer, ready: registry.ready };
}

function notFoundJson(): SsrResponse {
  return { status: 404, defaultStatus: false, headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" }, body: NOT_FOUND_JSON };
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
