/**
 * ssr-pages: Gatsby's `getServerData` pages for any Express or Koa app. This entry holds the
 * framework-blind core and the types pages use; the middleware lives in `ssr-pages/express` and
 * `ssr-pages/koa`, the `Link` in `ssr-pages/client`.
 *
 * @module
 */
export { build, createSsrHandler, type CacheTargets, type SsrHandler } from "./handler.js";
export { BuildError, type BuildOptions, type BuildSummary } from "./artifact/contracts.js";
export {
  MemoryStore,
  type CacheStore,
  type Invalidation,
  type StoredEntry,
  type StoredResponse,
  type VaryRecord,
} from "./cache/store.js";
export type { SharedLifetime } from "./cache/cache-control.js";
export type { SsrRequest, SsrResponse } from "./protocol.js";
export type { CacheOptions, ErrorInfo, SsrOptions } from "./options.js";
export { SsrError } from "./errors.js";
export type {
  GetServerData,
  GetServerDataContext,
  GetServerDataResult,
  GetServerDataReturn,
  HeadProps,
  InferServerData,
  PageLocation,
  PageProps,
  Params,
  Query,
  RequestHeaders,
  ServerDataHeaders,
  WrapPageElementArgs,
  WrapRootElementArgs,
} from "./types.js";
