/**
 * The site's nodes, made as Gatsby makes them: `Site` and `SiteBuildMetadata` from the config,
 * a `SitePage` per route, a `File` or `Directory` per entry of each `gatsby-source-filesystem`
 * instance (the fields of gatsby-source-filesystem's `createFileNode`), and an `ImageSharp` child
 * per image file when gatsby-transformer-sharp is configured.
 */
import type { Stats } from "node:fs";
import path from "node:path";
import type { SiteData, SitePageNode } from "../contracts.js";
import { fileDigest, mediaTypeOf, nodeId, prettySize, toSlash, valueDigest } from "./file-facts.js";
import { NodeStore, type SiteNode } from "./node-store.js";
import { walkSources, type SourceEntry } from "./source-walk.js";

/** The extensions gatsby-transformer-sharp makes `ImageSharp` nodes for. */
export const SHARP_EXTENSIONS: ReadonlySet<string> = new Set(["jpeg", "jpg", "png", "webp", "tif", "tiff", "avif"]);

/** The type names of the node types, as `internal.type` holds them. */
export const NODE_TYPE = {
  site: "Site",
  buildMetadata: "SiteBuildMetadata",
  page: "SitePage",
  file: "File",
  directory: "Directory",
  imageSharp: "ImageSharp",
} as const;

/** A site's nodes and what the dev watcher needs to watch for them. */
export interface SiteNodes {
  readonly store: NodeStore;
  /** Every file and directory the filesystem sources hold (absolute). */
  readonly watched: readonly string[];
}

/** Makes every node of the site (stat'ing each source entry once; no file is read). */
export function collectNodes(data: SiteData): SiteNodes {
  const store = new NodeStore();
  const buildTime = data.buildTime.toISOString();
  store.add(siteNode(data, buildTime));
  store.add(internalNode(NODE_TYPE.buildMetadata, "SiteBuildMetadata", { buildTime }));
  for (const page of data.pages) {
    const node = pageNode(page);
    // A route listed twice is one page.
    if (store.get(node.id) === undefined) store.add(node);
  }
  const entries = walkSources(data.sources);
  for (const entry of entries) {
    const isImage =
      data.imageSharp && !entry.stats.isDirectory() && SHARP_EXTENSIONS.has(extensionOf(entry.absolutePath));
    const node = fileSystemNode(entry, isImage);
    // Two sources that hold the same file make one node, as in Gatsby (ids come from the path).
    if (store.get(node.id) !== undefined) continue;
    store.add(node);
    if (isImage) store.add(imageSharpNode(node));
  }
  return { store, watched: [...new Set(entries.map((entry) => entry.absolutePath))] };
}

function siteNode(data: SiteData, buildTime: string): SiteNode {
  const siteMetadata = plainValue(data.siteMetadata) ?? {};
  return internalNode(NODE_TYPE.site, "Site", {
    siteMetadata,
    buildTime,
    pathPrefix: data.pathPrefix,
    // Gatsby's Site node has these from the running `gatsby develop` and the config; the site data
    // handed to the schema does not carry them.
    host: null,
    port: null,
    polyfill: null,
    jsxRuntime: null,
    trailingSlash: null,
  });
}

function pageNode(page: SitePageNode): SiteNode {
  return internalNode(NODE_TYPE.page, `SitePage ${page.path}`, {
    path: page.path,
    matchPath: page.matchPath ?? null,
    component: page.component,
    componentChunkName: page.componentChunkName,
    internalComponentName: page.internalComponentName,
    // getServerData pages get their data per request: there is no page context at build time.
    pageContext: {},
  });
}

/** A node Gatsby makes itself (owner `internal-data-bridge`), its digest taken from its fields. */
function internalNode(type: string, id: string, fields: Record<string, unknown>): SiteNode {
  return {
    id,
    parent: null,
    children: [],
    internal: { type, owner: "internal-data-bridge", contentDigest: valueDigest(fields) },
    ...fields,
  };
}

function extensionOf(file: string): string {
  return path.extname(file).slice(1).toLowerCase();
}

/** gatsby-source-filesystem's node of a file or directory, with `stats` as its JSON has them. */
function fileSystemNode({ source, absolutePath, relativePath, stats }: SourceEntry, isImage: boolean): SiteNode {
  const slashed = toSlash(absolutePath);
  const parsed = path.posix.parse(slashed);
  const isDirectory = stats.isDirectory();
  const id = nodeId(slashed);
  const extension = parsed.ext.slice(1).toLowerCase();
  const times = {
    modified: isoTime(stats.mtimeMs),
    accessed: isoTime(stats.atimeMs),
    changed: isoTime(stats.ctimeMs),
    born: isoTime(stats.birthtimeMs),
  };
  let digest: string | undefined;
  return {
    id,
    parent: null,
    children: isImage ? [imageSharpId(id)] : [],
    internal: {
      type: isDirectory ? NODE_TYPE.directory : NODE_TYPE.file,
      owner: "gatsby-source-filesystem",
      ...(isDirectory ? {} : { mediaType: mediaTypeOf(extension) }),
      // Reading every file for a digest few queries ask for would cost more than the rest of the
      // build of the nodes: it is worked out when first read.
      get contentDigest(): string {
        digest ??= isDirectory ? valueDigest({ stats, absolutePath: slashed }) : fileDigest(absolutePath);
        return digest;
      },
    },
    sourceInstanceName: source.name,
    absolutePath: slashed,
    relativePath,
    extension,
    size: stats.size,
    prettySize: prettySize(stats.size),
    modifiedTime: times.modified,
    accessTime: times.accessed,
    changeTime: times.changed,
    birthTime: times.born,
    root: parsed.root,
    dir: parsed.dir,
    base: parsed.base,
    ext: parsed.ext,
    name: parsed.name,
    relativeDirectory: relativeDirectoryOf(relativePath),
    ...statsFields(stats, times),
  };
}

/** `path.relative(source, dirname(entry))`, as gatsby-source-filesystem has it: `..` for the source itself. */
function relativeDirectoryOf(relativePath: string): string {
  if (relativePath === "") return "..";
  const slash = relativePath.lastIndexOf("/");
  return slash === -1 ? "" : relativePath.slice(0, slash);
}

function statsFields(
  stats: Stats,
  times: Record<"modified" | "accessed" | "changed" | "born", string | null>,
): Record<string, unknown> {
  return {
    dev: stats.dev,
    mode: stats.mode,
    nlink: stats.nlink,
    uid: stats.uid,
    gid: stats.gid,
    rdev: stats.rdev,
    blksize: stats.blksize,
    ino: stats.ino,
    blocks: stats.blocks,
    atimeMs: stats.atimeMs,
    mtimeMs: stats.mtimeMs,
    ctimeMs: stats.ctimeMs,
    birthtimeMs: stats.birthtimeMs,
    atime: times.accessed,
    mtime: times.modified,
    ctime: times.changed,
    birthtime: times.born,
  };
}

/** A stat time as its JSON has it (the `Date`s of `Stats` are made on each read: the milliseconds are cheaper). */
function isoTime(milliseconds: number): string | null {
  return Number.isFinite(milliseconds) ? new Date(milliseconds).toISOString() : null;
}

function imageSharpId(fileId: string): string {
  // gatsby-transformer-sharp names its node after the file node's id the same way.
  return nodeId(`${fileId} >> ImageSharp`);
}

function imageSharpNode(file: SiteNode): SiteNode {
  return {
    id: imageSharpId(file.id),
    parent: file.id,
    children: [],
    internal: {
      type: NODE_TYPE.imageSharp,
      owner: "gatsby-transformer-sharp",
      get contentDigest(): string {
        return file.internal.contentDigest;
      },
    },
  };
}

/**
 * A config value as a node holds it (as its JSON would be): dates as ISO strings, without
 * `undefined`, functions or symbols; `undefined` for nothing left.
 */
function plainValue(value: unknown, seen = new WeakSet<object>()): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value !== "object" || seen.has(value)) return undefined;
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => plainValue(item, seen) ?? null);
    const plain: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const converted = plainValue(item, seen);
      if (converted !== undefined) plain[key] = converted;
    }
    return plain;
  } finally {
    // Only a value inside itself is a cycle; the same object twice side by side is not.
    seen.delete(value);
  }
}
