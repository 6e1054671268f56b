/**
 * The production build's static pages: a route without params whose module has no `getServerData`
 * has one answer, whoever asks (as Gatsby's static pages do), so it is rendered once, at build time,
 * through the very code a request runs (respond/page.ts), and served from the build with an ETag.
 */
import type { ResolvedOptions } from "../options.js";
import { LazyAbort } from "../request/abort.js";
import { respondWithRun, runPage, type PageRequest } from "../respond/page.js";
import { isStaticRoute, toMatchPath } from "../routes/parse-file.js";
import type { Build, PageEntry } from "../runtime/build.js";
import { pageIdentity, withTrailingSlashRule } from "../common/urls.js";

/** A page rendered at build time: where it is served, and both its answers. */
export interface RenderedPage {
  file: string;
  /** The mount-relative path its HTML is served at (Gatsby's trailing-slash rule applied). */
  path: string;
  html: Buffer;
  json: Buffer;
}

/** A page that could not be rendered at build time: the build fails, naming it. */
export class PrerenderError extends Error {
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(`${file}: rendering it at build time failed: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = "PrerenderError";
  }
}

/**
 * Renders every static page of `build` under the mount path `base`. A page whose module fails to
 * load or render is a {@link PrerenderError} in `failed`, not a stop: every one is named at once.
 */
export async function prerender(
  build: Build,
  entries: readonly PageEntry[],
  base: string,
  options: ResolvedOptions,
): Promise<{ pages: RenderedPage[]; failed: PrerenderError[] }> {
  const pages: RenderedPage[] = [];
  const failed: PrerenderError[] = [];
  for (const entry of entries) {
    if (!isStaticRoute(entry.parsed.segments)) continue;
    const file = entry.parsed.file;
    try {
      if (build.load(entry).getServerData !== undefined) continue;
      const path = withTrailingSlashRule(encodeURI(toMatchPath(entry.parsed.segments)), build.site?.trailingSlash);
      // Whole: a page that suspends (React.lazy) is stored with its content, not a stream's fallbacks.
      const request = (kind: "html" | "json", url: string): PageRequest => ({
        kind,
        entry,
        params: {},
        method: "GET",
        url,
        search: "",
        base,
        headers: {},
        locals: undefined,
        abort: new LazyAbort(undefined),
        whole: true,
      });
      const answer = async (kind: "html" | "json", url: string): Promise<Buffer> => {
        const page = request(kind, url);
        const run = runPage(page, build, options);
        if (run instanceof Promise) throw new Error("it has no getServerData, but its run waited");
        const response = await respondWithRun(run, kind, page, build, options);
        if (response.status !== 200 || (typeof response.body !== "string" && !Buffer.isBuffer(response.body)))
          throw new Error(`it answered ${response.status}`);
        return Buffer.from(response.body);
      };
      pages.push({ file, path, html: await answer("html", path), json: await answer("json", pageIdentity(path)) });
    } catch (error) {
      failed.push(new PrerenderError(file, error));
    }
  }
  return { pages, failed };
}
