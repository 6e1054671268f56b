/**
 * Writes a production build's folder (artifact/format.ts) from a compile's output and its prerendered
 * pages: every file into a staging folder first, then the staging folder renamed into place, then the
 * manifest (written last, by rename): a build that fails or is interrupted is never there as if good.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { CompileOutput } from "../compile/compile.js";
import { ssrPagesVersion } from "../common/version.js";
import { compress, COMPRESSIBLE } from "../runtime/served-files.js";
import { FORMAT, HAS_BR, HAS_GZIP, MANIFEST_FILE, type BuildManifest, type ServedList } from "./format.js";
import type { RenderedPage } from "./prerender.js";
import { strongEtag } from "../common/etag.js";

/** Smaller files are sent as they are: the saving is less than a packet. */
const SMALLEST_COMPRESSED = 1024;

/** How many files are written (and compressed) at once. */
const PARALLEL = 16;

/** What the writer is given besides the compile's output. */
export interface WriteInput {
  out: string;
  pagesDir: string;
  buildId: string;
  /** The route pages the build was made of, and the top of the pages directory (format.ts). */
  routes: BuildManifest["routes"];
  topLevel: string[];
  special: BuildManifest["special"];
  options: BuildManifest["options"];
  /** The prerendered pages, and the mount path and `lang` they were rendered with. */
  statics: { base: string; lang: string; pages: readonly RenderedPage[] };
  /** Image variants made at build time (name → bytes); `undefined` when none were made. */
  images: ReadonlyMap<string, Uint8Array> | undefined;
  /** How many earlier builds' browser files stay served. */
  keepPrevious: number;
}

/** What was written, for the report. */
export interface WrittenBuild {
  serverBytes: number;
  browserBytes: number;
  /** Bytes of the brotli copies (what a browser downloads). */
  browserBrotliBytes: number;
  staticBytes: number;
  files: number;
}

/** Writes the build. @returns its sizes. */
export async function writeBuild(output: CompileOutput, input: WriteInput): Promise<WrittenBuild> {
  const { out, buildId } = input;
  await mkdir(out, { recursive: true });
  const stage = path.join(out, `.${buildId}.partial-${process.pid}`);
  await rm(stage, { recursive: true, force: true });
  const written: WrittenBuild = { serverBytes: 0, browserBytes: 0, browserBrotliBytes: 0, staticBytes: 0, files: 0 };
  const jobs: Array<() => Promise<void>> = [];
  /** Each folder made once, not once per file (ten thousand browser files share one). */
  const folders = new Map<string, Promise<unknown>>();
  const folder = (dir: string) => folders.get(dir) ?? folders.set(dir, mkdir(dir, { recursive: true })).get(dir);
  const put = (file: string, bytes: Uint8Array) =>
    jobs.push(async () => {
      await folder(path.dirname(file));
      await writeFile(file, bytes);
      written.files++;
    });
  /**
   * Writes a served file and its compressed copies; returns its flags. `always`: copies whatever its
   * size (a prerendered page's are always looked for: read-build.ts).
   */
  const serve = (
    dir: string,
    name: string,
    bytes: Uint8Array,
    count: (plain: number, brotli: number) => void,
    always = false,
  ): number => {
    const file = path.join(stage, dir, ...name.split("/"));
    put(file, bytes);
    if (!always && (!COMPRESSIBLE.test(name) || bytes.byteLength < SMALLEST_COMPRESSED)) {
      count(bytes.byteLength, bytes.byteLength);
      return 0;
    }
    jobs.push(async () => {
      const [br, gz] = await Promise.all([compress(bytes, "br", 11), compress(bytes, "gzip")]);
      count(bytes.byteLength, br.byteLength);
      await folder(path.dirname(file));
      await Promise.all([writeFile(`${file}.br`, br), writeFile(`${file}.gz`, gz)]);
      written.files += 2;
    });
    return HAS_BR | HAS_GZIP;
  };

  for (const [name, code] of output.server.files) {
    put(path.join(stage, "server", name), code);
    written.serverBytes += code.byteLength;
  }
  const files: ServedList = { names: [], encodings: "" };
  const browserCount = (plain: number, brotli: number) => {
    written.browserBytes += plain;
    written.browserBrotliBytes += brotli;
  };
  for (const file of sortedByName([...(output.browser?.files ?? []), ...output.assets])) {
    files.names.push(file.name);
    files.encodings += String(serve("browser", file.name, file.contents, browserCount));
  }
  const staticPages: BuildManifest["static"]["pages"] = {};
  const staticCount = (plain: number) => (written.staticBytes += plain);
  for (const page of [...input.statics.pages].sort((a, b) => compare(a.file, b.file))) {
    const stem = page.path === "/" ? "" : `${page.path.slice(1).replace(/\/$/, "")}/`;
    const html = { name: `${stem}index.html`, etag: strongEtag(page.html) };
    const json = { name: `${stem}page-data.json`, etag: strongEtag(page.json) };
    serve("static", html.name, page.html, staticCount, true);
    serve("static", json.name, page.json, staticCount, true);
    staticPages[page.file] = { path: page.path, html, json };
  }
  for (const [name, bytes] of input.images ?? []) put(path.join(stage, "images", ...name.split("/")), bytes);
  try {
    await runAll(jobs);
  } catch (error) {
    await rm(stage, { recursive: true, force: true }); // a full disk, a folder it may not write: nothing left half-written
    throw error;
  }

  const manifest = await manifestOf(output, input, files, staticPages);
  const own = path.join(out, buildId);
  // The same build again (same id): its folder is put aside, not emptied in place under a server reading it.
  const aside = path.join(out, `.${buildId}.replaced-${process.pid}`);
  const replacing = await rename(own, aside).then(
    () => true,
    () => false,
  );
  await rename(stage, own);
  if (replacing) await rm(aside, { recursive: true, force: true });
  // The manifest last, by rename: until then the last build's manifest (and its folder) are whole.
  const temporary = path.join(out, `.${MANIFEST_FILE}.${process.pid}`);
  await writeFile(temporary, `${JSON.stringify(manifest)}\n`);
  await rename(temporary, path.join(out, MANIFEST_FILE));
  await removeOtherBuilds(out, new Set([buildId, ...manifest.previous.map((previous) => previous.buildId)]));
  return written;
}

/** The manifest of the build being written (the earlier builds kept are read from the manifest in place, if any). */
async function manifestOf(
  output: CompileOutput,
  input: WriteInput,
  files: ServedList,
  staticPages: BuildManifest["static"]["pages"],
): Promise<BuildManifest> {
  const { server, browser, site } = output;
  const packageLists = new Lists();
  const cssLists = new Lists();
  const special = input.special;
  const pageFiles = [
    ...input.routes.map((route) => route.file),
    ...[special.notFoundPage, special.errorPage, special.app, special.gatsbySsr].filter((file) => file !== null),
  ];
  const pages: BuildManifest["pages"] = { files: pageFiles, slots: [], packages: [], modules: [], css: [] };
  for (const file of pageFiles) {
    const own = browser?.pages.get(file);
    pages.slots.push(server.pages.get(file) ?? -1);
    pages.packages.push(packageLists.indexOf(server.packages.get(file) ?? []));
    pages.modules.push(own?.module ?? null);
    pages.css.push(cssLists.indexOf(own?.css ?? []));
  }
  const root = site?.root;
  return {
    ssrPages: ssrPagesVersion(),
    format: FORMAT,
    buildId: input.buildId,
    routes: input.routes,
    topLevel: input.topLevel,
    special: input.special,
    options: input.options,
    pages,
    packageLists: packageLists.all,
    cssLists: cssLists.all,
    server: {
      files: [...server.files.keys()].sort(compare),
      imports: sortedRecord(server.imports, (names) => [...names].sort(compare)),
    },
    // (No framework file: JSON leaves the `undefined` out.)
    browser:
      browser === undefined
        ? null
        : { entry: browser.entry, entryCss: [...browser.entryCss], framework: browser.framework },
    files,
    env: Object.fromEntries(Object.entries(output.env).sort(([a], [b]) => compare(a, b))),
    site:
      site === undefined || root === undefined
        ? null
        : {
            root: relative(input.pagesDir, root),
            trailingSlash: site.trailingSlash,
            variants: [...site.variants.values()]
              .sort((a, b) => compare(a.name, b.name))
              .map((variant) => ({ ...variant, source: relative(root, variant.source) })),
            manifest: site.manifest ?? null,
            usesImages: site.usesImages,
            imagesMade: input.images !== undefined,
          },
    static: { base: input.statics.base, lang: input.statics.lang, pages: staticPages },
    previous: input.keepPrevious > 0 ? await previousBuilds(input.out, input.buildId, input.keepPrevious) : [],
  };
}

/** The builds in `out` before this one whose browser files stay, the newest first, at most `keep`. */
async function previousBuilds(out: string, buildId: string, keep: number): Promise<BuildManifest["previous"]> {
  let manifest: BuildManifest;
  try {
    manifest = JSON.parse(await readFile(path.join(out, MANIFEST_FILE), "utf8")) as BuildManifest;
  } catch {
    return []; // none, or not one we can read: nothing to keep
  }
  if (manifest.format !== FORMAT || typeof manifest.buildId !== "string") return [];
  const candidates = [{ buildId: manifest.buildId, files: manifest.files }, ...(manifest.previous ?? [])];
  const seen = new Set([buildId]);
  const kept: BuildManifest["previous"] = [];
  for (const one of candidates) {
    if (seen.has(one.buildId)) continue;
    seen.add(one.buildId);
    kept.push({ buildId: one.buildId, files: one.files });
    if (kept.length === keep) break;
  }
  return kept;
}

/** Removes the folders of builds not kept (and staging folders left by interrupted builds). */
async function removeOtherBuilds(out: string, kept: ReadonlySet<string>): Promise<void> {
  for (const entry of await readdir(out, { withFileTypes: true })) {
    if (!entry.isDirectory() || kept.has(entry.name)) continue;
    // Only what a build writes: a build id (16 base64url characters) or a staging folder.
    if (/^[\w-]{16}$/.test(entry.name) || /^\.[\w-]{16}\.(partial|replaced)-\d+$/.test(entry.name))
      await rm(path.join(out, entry.name), { recursive: true, force: true });
  }
}

async function runAll(jobs: ReadonlyArray<() => Promise<void>>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) await (jobs[next++] as () => Promise<void>)();
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, jobs.length) }, worker));
}

/** Distinct lists, each given an index once (pages importing the same share one). */
class Lists {
  readonly all: string[][] = [];
  private readonly index = new Map<string, number>();

  indexOf(list: readonly string[]): number {
    const key = list.join("\0");
    let found = this.index.get(key);
    if (found === undefined) {
      found = this.all.push([...list]) - 1;
      this.index.set(key, found);
    }
    return found;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortedByName<T extends { name: string }>(files: T[]): T[] {
  return files.sort((a, b) => compare(a.name, b.name));
}

function sortedRecord<V, R>(map: ReadonlyMap<string, V>, value: (one: V) => R): Record<string, R> {
  const record: Record<string, R> = {};
  for (const key of [...map.keys()].sort(compare)) record[key] = value(map.get(key) as V);
  return record;
}

/** `to` relative to `from`, with forward slashes (the same on every machine). */
function relative(from: string, to: string): string {
  return path.relative(from, to).split(path.sep).join("/") || ".";
}
