/**
 * The page-data JSON (Gatsby's envelope, plus the browser files ssr-pages' router needs): sent for a
 * client navigation and embedded in the HTML for hydration. Built by hand from strings already JSON
 * (the props) and short ones quoted without a `JSON.stringify` call when they need no escaping: it is
 * made on every request.
 */
import { jsonParams, jsonString } from "../data/serialize.js";
import { isStaticRoute, toMatchPath } from "../routes/parse-file.js";
import type { PageEntry } from "../runtime/build.js";
import { INTERNAL_PREFIX } from "../common/urls.js";

/**
 * `{"componentChunkName":…,"buildId":…,"path":…,"result":{"serverData":…,"params":…},"staticQueryHashes":[],
 * "module":…,"css":[…]}` for `entry` at `url` (mount-relative, with its query) with `propsJson`
 * (`undefined`: no props; with `rich`, devalue's text, said by `"serverDataFormat":"devalue"`);
 * `module` and `css` are URLs under `base`, present when the browser build has them. Positional parameters, not an object: this runs on every request.
 */
export function pageDataJson(
  entry: PageEntry,
  buildId: string,
  url: string,
  propsJson: string | undefined,
  params: Readonly<Record<string, string>>,
  base: string,
  dataJson?: string,
  rich?: boolean,
): string {
  let files = "";
  if (entry.module !== undefined) {
    const at = base + INTERNAL_PREFIX;
    files = `,"module":${jsonString(at + entry.module)}`;
    if (entry.css.length > 0) files += `,"css":[${entry.css.map((name) => jsonString(at + name)).join(",")}]`;
  }
  return (
    `${pageDataHead(entry, buildId)}${jsonString(url)},"result":{${dataJson === undefined ? "" : `"data":${dataJson},`}${propsJson === undefined ? "" : `"serverData":${propsJson},${rich ? `"serverDataFormat":"devalue",` : ""}`}` +
    `"params":${jsonParams(params)}},"staticQueryHashes":[]${files}}`
  );
}

/**
 * The constant start of the page's page-data JSON (`{"componentChunkName":…,"buildId":…,"path":`),
 * built once, when first needed (an entry belongs to one build, so its build id is constant too).
 */
function pageDataHead(entry: PageEntry, buildId: string): string {
  if (entry.jsonHead !== undefined) return entry.jsonHead;
  const pattern = matchPathOf(entry);
  const matchPath = pattern === null ? "" : `,"matchPath":${JSON.stringify(pattern)}`;
  return (entry.jsonHead = `{"componentChunkName":${JSON.stringify(entry.parsed.id)}${matchPath},"buildId":${JSON.stringify(buildId)},"path":`);
}

/** Each page query result's JSON, made once per result (and mount path: see withMountPath), not per request. */
const queryJsonCache = new WeakMap<object, string>();

/** The JSON of a page query's `data`. */
export function queryJson(data: object): string {
  let json = queryJsonCache.get(data);
  if (json === undefined) queryJsonCache.set(data, (json = JSON.stringify(data)));
  return json;
}

/** Gatsby's `path` prop: the route pattern of a dynamic page (`/products/:id`), the path asked for (without its query) of a static one. */
export function routePath(entry: PageEntry, url: string): string {
  const pattern = matchPathOf(entry);
  if (pattern !== null) return pattern;
  const question = url.indexOf("?");
  return question === -1 ? url : url.slice(0, question);
}

/** The entry's route pattern, or `null` for a static route: worked out once, kept on the entry. */
function matchPathOf(entry: PageEntry): string | null {
  if (entry.matchPath !== undefined) return entry.matchPath;
  const segments = entry.parsed.segments;
  return (entry.matchPath = isStaticRoute(segments) ? null : toMatchPath(segments));
}
