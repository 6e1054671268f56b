/**
 * A production build's folder (artifact/format.ts) read back as a {@link Build}: checked first (made
 * by this version, for these pages, complete), then its files left on disk to be read when first
 * used: a server group when its first page is asked for, a browser file or a prerendered page when
 * first requested. Nothing here loads the compiler.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { imageCacheDir } from "../images/cache-dir.js";
import { ssrPagesVersion } from "../common/version.js";
import { buildOf, checkPagesDir, planOf } from "../page-plan.js";
import { listPageFiles, type DiscoveredPages } from "../routes/discover.js";
import { parsePageFile } from "../routes/parse-file.js";
import { pageIdentity } from "../common/urls.js";
import { gatsbySiteRoot } from "../routes/discover.js";
import type { Build } from "../runtime/build.js";
import type { BuildParts, ServerFiles, SiteParts, StaticPage } from "../runtime/build-parts.js";
import { DiskFiles } from "../runtime/served-files.js";
import { BoundedMap } from "../common/bounded-map.js";
import { FORMAT, HAS_BR, HAS_GZIP, MANIFEST_FILE, type BuildManifest, type ServedList } from "./format.js";

/** How long after the start the pages directory is compared with the build's pages. */
const STALE_CHECK_DELAY_MS = 2_000;

/** How many static page answers rendered under other mount paths are kept (see StaticPages.elsewhere). */
const STATIC_RENDERS_KEPT = 1024;

/** What the served build is checked against, besides the pages. */
export interface ReadOptions {
  /** What pages get for `ssr-pages` and `ssr-pages/client`. */
  provided: ReadonlyMap<string, unknown>;
  /** The `client` option as given (`undefined`: not given, the build's holds). */
  client: boolean | undefined;
  /** The `gatsbyRoot` option as given, absolute (`undefined`: not given, the build's holds). */
  gatsbyRoot: string | false | undefined;
  /** Hears, after the start, that the pages directory holds other pages than the build (pages added or removed since it). */
  onStale?: (error: Error) => void;
}

/**
 * The build in `out` of the pages in `pagesDir`.
 * @throws Error saying why the build cannot be served (none there, another version, other pages, files missing, other options).
 */
export function readBuild(pagesDir: string, out: string, options: ReadOptions): Build {
  checkPagesDir(pagesDir);
  const manifest = readManifest(out, pagesDir);
  const gatsbyRoot = checkOptions(manifest, pagesDir, out, options);
  const { notFoundPage, errorPage, app } = manifest.special;
  const discovered = {
    pages: manifest.routes,
    notFoundPage: notFoundPage ?? undefined,
    errorPage: errorPage ?? undefined,
    app: app ?? undefined,
  };
  checkPages(discovered, manifest.topLevel, pagesDir, out);
  const own = path.join(out, manifest.buildId);
  checkComplete(manifest, own, out);
  const build = buildOf(
    planOf(pagesDir, discovered, gatsbyRoot),
    partsOf(manifest, own, out, pagesDir),
    options.provided,
  );
  // The whole directory is compared once the server has started and answered its first requests: a
  // walk of ten thousand files is not for the start (its callbacks slowed the first request by ~20 ms).
  const onStale = options.onStale;
  if (onStale)
    setTimeout(() => void comparePagesLater(discovered, pagesDir, out, onStale), STALE_CHECK_DELAY_MS).unref();
  return build;
}

/** The manifest's text, parsed. @throws Error when there is none, or it is of another version or layout. */
export function readManifest(out: string, pagesDir: string): BuildManifest {
  const file = path.join(out, MANIFEST_FILE);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new Error(
      `ssr-pages: no production build in ${out} (${MANIFEST_FILE} is missing: run \`npx ssr-pages build ${pagesDir} --out ${out}\`; a build that failed or was interrupted writes none)`,
    );
  }
  let manifest: BuildManifest;
  try {
    manifest = JSON.parse(text) as BuildManifest;
  } catch (error) {
    throw new Error(
      `ssr-pages: the build in ${out} is damaged (${MANIFEST_FILE} is not JSON: ${(error as Error).message}); build again`,
      { cause: error },
    );
  }
  const version = ssrPagesVersion();
  if (manifest?.ssrPages !== version || manifest.format !== FORMAT) {
    throw new Error(
      `ssr-pages: the build in ${out} was made by ssr-pages ${String(manifest?.ssrPages)}, and this is ssr-pages ${version}: build again with this version`,
    );
  }
  return manifest;
}

/** The Gatsby site root the build was made with (absolute, or `false`), checked against the options given. */
function checkOptions(
  manifest: BuildManifest,
  pagesDir: string,
  out: string,
  options: ReadOptions,
): string | false | undefined {
  const built = manifest.options;
  if (options.client !== undefined && options.client !== built.client) {
    throw new Error(
      `ssr-pages: the build in ${out} was made with client: ${built.client}, and the middleware was given client: ${options.client}: build again with the same option, or leave it out`,
    );
  }
  const gatsbyRoot =
    typeof built.gatsbyRoot === "string" ? path.resolve(pagesDir, built.gatsbyRoot) : (built.gatsbyRoot ?? undefined);
  // The sites they come to, not the words: `false` and the default are the same for pages that are no Gatsby site's.
  const site = gatsbySiteRoot(pagesDir, gatsbyRoot);
  if (options.gatsbyRoot !== undefined && gatsbySiteRoot(pagesDir, options.gatsbyRoot) !== site) {
    throw new Error(
      `ssr-pages: the build in ${out} was made for the Gatsby site ${site ?? "(none)"}, and the middleware was given gatsbyRoot: ${JSON.stringify(options.gatsbyRoot)}: build again with the same option, or leave it out`,
    );
  }
  return gatsbyRoot;
}

/** The page files a build lists: the routes, then the special pages. */
function pageFilesOf(discovered: DiscoveredPages): string[] {
  const { notFoundPage, errorPage, app } = discovered;
  return [
    ...discovered.pages.map((page) => page.file),
    ...[notFoundPage, errorPage, app].filter((file) => file !== undefined),
  ];
}

/** The names at the top of the pages directory that hold its pages (format.ts). */
export function topLevelOf(discovered: DiscoveredPages): string[] {
  return [...new Set(pageFilesOf(discovered).map((file) => file.split("/", 1)[0] as string))].sort();
}

/** How many of the build's pages are looked for at start, spread over its list. */
const SAMPLED_PAGES = 64;

/**
 * At start, cheaply: the top of the pages directory holds the page files and folders the build's
 * do, and pages spread over the build's list are there. Another app's build, or one made before
 * pages were moved, is refused here; a page added deeper is found by {@link comparePagesLater}.
 * @throws Error saying what differs.
 */
function checkPages(discovered: DiscoveredPages, topLevel: readonly string[], pagesDir: string, out: string): void {
  const here = new Set<string>();
  for (const entry of readdirSync(pagesDir, { withFileTypes: true })) {
    const folder = entry.isDirectory() || (entry.isSymbolicLink() && existsSync(path.join(pagesDir, entry.name, ".")));
    // Page files are compared both ways; a folder only when the build has pages in it (a folder of stylesheets holds none).
    if (
      folder ? topLevel.includes(entry.name) : parsePageFile(entry.name) !== null || isSpecial(entry.name, discovered)
    )
      here.add(entry.name);
  }
  const files = pageFilesOf(discovered);
  const step = Math.max(1, Math.floor(files.length / SAMPLED_PAGES));
  const missing = [
    ...topLevel.filter((name) => !here.has(name)),
    ...files.filter(
      (file, index) => index % step === 0 && file.includes("/") && !existsSync(path.join(pagesDir, file)),
    ),
  ];
  const added = [...here].filter((name) => !topLevel.includes(name));
  if (missing.length === 0 && added.length === 0) return;
  throw new Error(
    `ssr-pages: the build in ${out} was made for other pages than ${pagesDir} holds (${differences(added, missing, pagesDir)}): build again for this pages directory`,
  );
}

function isSpecial(name: string, discovered: DiscoveredPages): boolean {
  return name === discovered.notFoundPage || name === discovered.errorPage || name === discovered.app;
}

function differences(added: readonly string[], removed: readonly string[], pagesDir: string): string {
  const list = (files: readonly string[]) =>
    files.slice(0, 5).join(", ") + (files.length > 5 ? ` and ${files.length - 5} more` : "");
  return [
    added.length > 0 ? `not in the build: ${list(added)}` : "",
    removed.length > 0 ? `in the build but not in ${pagesDir}: ${list(removed)}` : "",
  ]
    .filter(Boolean)
    .join("; ");
}

/**
 * After the start, the whole pages directory against the build's pages, walked without blocking
 * requests: a page added or removed since the build is said through `report` (the server keeps
 * serving the build it was given). Nothing is said when they agree, or the walk fails.
 */
async function comparePagesLater(
  discovered: DiscoveredPages,
  pagesDir: string,
  out: string,
  report: (error: Error) => void,
): Promise<void> {
  try {
    const known = new Set(pageFilesOf(discovered));
    const found = await listPageFiles(pagesDir, (file) => known.has(file) || parsePageFile(file) !== null);
    const present = new Set(found);
    const added = found.filter((file) => !known.has(file));
    const removed = [...known].filter((file) => !present.has(file));
    if (added.length > 0 || removed.length > 0)
      report(
        new Error(
          `ssr-pages: the build in ${out} is older than the pages in ${pagesDir} (${differences(added, removed, pagesDir)}): this server serves the build; build again`,
        ),
      );
  } catch {
    // An unreadable folder: the start's own checks passed, and requests say the rest.
  }
}

/** @throws Error naming what is missing from a build whose files were not all copied (or were removed since). */
function checkComplete(manifest: BuildManifest, own: string, out: string): void {
  const missing: string[] = [];
  const expect = (dir: string, names: Iterable<string>) => {
    const wanted = [...names];
    // A flat folder (the browser files) is listed by name alone: ten times faster than a recursive listing.
    const nested = wanted.some((name) => name.includes("/"));
    const listed = existsSync(dir)
      ? nested
        ? readdirSync(dir, { recursive: true }).map((name) => String(name).split(path.sep).join("/"))
        : readdirSync(dir)
      : [];
    const there = new Set(listed);
    for (const name of wanted) if (!there.has(name)) missing.push(path.join(path.relative(out, dir), name));
  };
  expect(path.join(own, "server"), manifest.server.files);
  expect(path.join(own, "browser"), withEncodings(manifest.files));
  const statics = Object.values(manifest.static.pages).flatMap((page) => [page.html.name, page.json.name]);
  expect(
    path.join(own, "static"),
    withEncodings({ names: statics, encodings: String(HAS_BR | HAS_GZIP).repeat(statics.length) }),
  );
  for (const previous of manifest.previous)
    expect(path.join(out, previous.buildId, "browser"), withEncodings(previous.files));
  if (missing.length === 0) return;
  throw new Error(
    `ssr-pages: the build in ${out} is incomplete: ${missing.length} of its files ${missing.length === 1 ? "is" : "are"} missing (${missing.slice(0, 5).join(", ")}${missing.length > 5 ? ", …" : ""}): copy the whole folder, or build again`,
  );
}

/** Each file's name and those of the compressed copies beside it. */
function* withEncodings(files: ServedList): Generator<string> {
  for (let index = 0; index < files.names.length; index++) {
    const name = files.names[index] as string;
    const flags = Number(files.encodings[index]);
    yield name;
    if (flags & HAS_BR) yield `${name}.br`;
    if (flags & HAS_GZIP) yield `${name}.gz`;
  }
}

/** The build's parts, its files left on disk. */
function partsOf(manifest: BuildManifest, own: string, out: string, pagesDir: string): BuildParts {
  const { server, browser, pages } = manifest;
  // Served files: this build's, then each earlier one kept, the newest first (a name in two is the same bytes: names carry hashes).
  const dirs = [
    path.join(own, "browser"),
    ...manifest.previous.map((previous) => path.join(out, previous.buildId, "browser")),
  ];
  const files = new Map<string, number>();
  [manifest.files, ...manifest.previous.map((previous) => previous.files)].forEach((list, index) => {
    list.names.forEach((name, at) => {
      if (!files.has(name)) files.set(name, index * 4 + Number(list.encodings[at]));
    });
  });
  // The pages' tables, into the maps a build is made from (pages with the same lists share one array).
  const slots = new Map<string, number>();
  const packages = new Map<string, readonly string[]>();
  const modules = new Map<string, { module: string; css: readonly string[] }>();
  pages.files.forEach((file, index) => {
    const slot = pages.slots[index] as number;
    if (slot >= 0) slots.set(file, slot);
    packages.set(file, manifest.packageLists[pages.packages[index] as number] ?? []);
    const module = pages.modules[index];
    if (module != null) modules.set(file, { module, css: manifest.cssLists[pages.css[index] as number] ?? [] });
  });
  const staticPages = new Map<string, StaticPage>(Object.entries(manifest.static.pages));
  const staticNames = new Map<string, number>();
  const byPath = new Map<string, string>();
  for (const [file, page] of staticPages) {
    for (const body of [page.html, page.json]) staticNames.set(body.name, HAS_BR | HAS_GZIP);
    byPath.set(page.path, file);
    byPath.set(`json:${pageIdentity(page.path)}`, file);
  }
  return {
    buildId: manifest.buildId,
    server: {
      dir: path.join(own, "server"),
      files: new DiskServerFiles(path.join(own, "server"), server.files),
      maps: new Map(),
      pages: slots,
      imports: new Map(Object.entries(server.imports).map(([name, imported]) => [name, new Set(imported)])),
      packages,
      sources: [],
    },
    browser:
      browser === null
        ? undefined
        : { entry: browser.entry, entryCss: browser.entryCss, framework: browser.framework, pages: modules },
    files: new DiskFiles(dirs, files),
    errors: [],
    failed: new Map(),
    env: manifest.env,
    site: siteOf(manifest, own, pagesDir),
    folders: [],
    statics: {
      base: manifest.static.base,
      lang: manifest.static.lang,
      pages: staticPages,
      byPath,
      files: new DiskFiles([path.join(own, "static")], staticNames),
      elsewhere: new BoundedMap(STATIC_RENDERS_KEPT),
    },
  };
}

/** A Gatsby site's parts, its paths made absolute again. */
function siteOf(manifest: BuildManifest, own: string, pagesDir: string): SiteParts | undefined {
  const site = manifest.site;
  if (site === null) return undefined;
  const root = path.resolve(pagesDir, site.root);
  return {
    root,
    cacheDir: site.imagesMade ? path.join(own, "images") : imageCacheDir(root),
    trailingSlash: site.trailingSlash,
    variants: new Map(
      site.variants.map((variant) => [variant.name, { ...variant, source: path.resolve(root, variant.source) }]),
    ),
    manifest: site.manifest ?? undefined,
    usesImages: site.usesImages,
  };
}

/** The server build's files in a build's folder, read when first run (runtime/server-modules.ts forgets each after). */
class DiskServerFiles implements ServerFiles {
  private readonly names: Set<string>;

  constructor(
    private readonly dir: string,
    names: readonly string[],
  ) {
    this.names = new Set(names);
  }

  has(name: string): boolean {
    return this.names.has(name);
  }

  /** Read at once: a group is run the moment it is required, as Node's own `require` reads a file. */
  get(name: string): Buffer | undefined {
    return this.names.has(name) ? readFileSync(path.join(this.dir, name)) : undefined;
  }

  delete(name: string): boolean {
    return this.names.delete(name);
  }
}
