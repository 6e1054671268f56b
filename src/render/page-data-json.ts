/**
 * The page-data JSON (Gatsby's envelope, plus the browser files ssr-pages' router needs): sent for a
 * client navigation and embedded in the HTML for hydration. Built by hand from strings already JSON
 * (the props) and short ones quoted without a `JSON.stringify` call when they need no escaping: it is
 * made on every request.
 */
import { jsonParams, jsonString } from "../data/serialize.js";
import { isStaticRoute, toMatchPath } from "../routes/parse-file.js";
import type { PageEntry } from "../runtime/build.js";
import { INTERNAL_PREFIX } from "../shared/urls.js";

/** The parts of one page-data answer. */
export interface PageDataParts {
  entry: PageEntry;
  /** Mount-relative page URL with its query, as the page sees it. */
  url: string;
  /** The props as JSON, or `undefined` for none. */
  propsJson: string | undefined;
  params: Readonly<Record<string, string>>;
  /** The mount path. */
  base: string;
}

/**
 * `{"componentChunkName":…,"path":…,"result":{"serverData":…,"params":…},"staticQueryHashes":[],
 * "module":…,"css":[…]}`; `module` and `css` are URLs with the mount path, present when the browser
 * build has them.
 */
export function pageDataJson({ entry, url, propsJson, params, base }: PageDataParts): string {
  let files = "";
  if (entry.module !== undefined) {
    const at = base + INTERNAL_PREFIX;
    files = `,"module":${jsonString(at + entry.module)}`;
    if (entry.css.length > 0) files += `,"css":[${entry.css.map((name) => jsonString(at + name)).join(",")}]`;
  }
  return (
    `${pageDataHead(entry)}${jsonString(url)},"result":{${propsJson === undefined ? "" : `"serverData":${propsJson},`}` +
    `"params":${jsonParams(params)}},"staticQueryHashes":[]${files}}`
  );
}

/** The constant start of the page's page-data JSON (`{"componentChunkName":…,"path":`), built once, when first needed. */
function pageDataHead(entry: PageEntry): string {
  if (entry.jsonHead !== undefined) return entry.jsonHead;
  const parsed = entry.parsed;
  const matchPath = isStaticRoute(parsed.segments) ? "" : `,"matchPath":${JSON.stringify(toMatchPath(parsed.segments))}`;
  return (entry.jsonHead = `{"componentChunkName":${JSON.stringify(parsed.id)}${matchPath},"path":`);
}
