/**
 * The site's routes as Gatsby's `SitePage` nodes (`allSitePage` in a query): the path each page is
 * served at, with the config's trailing-slash rule, and the names Gatsby gives its component.
 */
import path from "node:path";
import { isStaticRoute, toMatchPath, type ParsedPage } from "../routes/parse-file.js";
import { withTrailingSlashRule, type TrailingSlash } from "../common/urls.js";
import type { SitePageNode } from "./contracts.js";

/** `pages` (of `pagesDir`, in the site at `root`) as `SitePage` nodes; the 404 page as Gatsby names it. */
export function sitePageNodes(
  pages: readonly ParsedPage[],
  notFound: string | undefined,
  pagesDir: string,
  root: string,
  trailingSlash: TrailingSlash,
): SitePageNode[] {
  const nodes = pages.map((page) => {
    const pattern = toMatchPath(page.segments);
    const dynamic = !isStaticRoute(page.segments);
    return node(
      page.file,
      dynamic ? pattern : withTrailingSlashRule(pattern, trailingSlash),
      dynamic ? pattern : undefined,
      pagesDir,
      root,
    );
  });
  if (notFound !== undefined)
    nodes.push(
      node(notFound, "/404/", undefined, pagesDir, root),
      node(notFound, "/404.html", undefined, pagesDir, root),
    );
  return nodes;
}

function node(
  file: string,
  pathname: string,
  matchPath: string | undefined,
  pagesDir: string,
  root: string,
): SitePageNode {
  const component = path.join(pagesDir, file);
  const fromRoot = path.relative(root, component).split(path.sep).join("/");
  const chunk = fromRoot.replace(/[^a-zA-Z0-9_]+/g, "-").toLowerCase();
  const internal = `Component${pathname.replace(/[^a-zA-Z0-9]+(\w)?/g, (_all, next: string | undefined) => (next ?? "").toUpperCase())}`;
  return {
    path: pathname,
    matchPath,
    component,
    componentChunkName: `component---${chunk}`,
    internalComponentName: internal === "Component" ? "ComponentIndex" : internal,
  };
}
