/**
 * ssr-pages: Gatsby's `getServerData` pages for any Express or Koa app. This entry holds the
 * framework-blind core and the types pages use; the middleware lives in `ssr-pages/express` and
 * `ssr-pages/koa`, the `Link` in `ssr-pages/client`.
 *
 * @module
 */
export { createSsrHandler, type SsrHandler } from "./handler.js";
export type { SsrRequest, SsrResponse } from "./http.js";
export type { ErrorInfo, SsrOptions } from "./options.js";
export { SsrError } from "./errors.js";
export type {
  GetServerData,
  GetServerDataContext,
  GetServerDataResult,
  GetServerDataReturn,
  HeadProps,
  PageProps,
  Params,
  Query,
  RequestHeaders,
  ServerDataHeaders,
} from "./types.js";
