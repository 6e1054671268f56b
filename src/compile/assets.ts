/**
 * Files pages import that are neither code nor CSS: images, fonts, media, documents. Each becomes a
 * content-hashed file served under `<mount>/_ssr-pages/`, named by its bytes (so the name is the same
 * on every start and on every machine of a deployment, and a changed file is a new URL).
 *
 * - Imported from JavaScript (`import logo from "./logo.png"`), the module's value is the
 *   mount-relative URL, `/_ssr-pages/logo-3kq9x2ab.png`, the same string in the server and the
 *   browser build. The mount path is only known per request: `withPrefix(logo)` adds it.
 * - Referenced from CSS (`url(./bg.png)`), the reference becomes `./bg-….png`, relative to the
 *   stylesheet, which is served from the same folder: it works under any mount path.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type * as EsbuildApi from "esbuild";
import { ASSET_TYPES } from "../common/content-types.js";
import { INTERNAL_PREFIX } from "../common/urls.js";
import { moduleKey } from "./compile-errors.js";

/** An asset path with an optional `?query` or `#hash` (fonts in CSS: `font.woff2?v=4`, `font.svg#icon`). */
const ASSET_FILTER = new RegExp(`\\.(${Object.keys(ASSET_TYPES).join("|")})([?#].*)?$`, "i");

/** The assets one compile found, shared by its server and browser builds. */
export class AssetFiles {
  private readonly files = new Map<string, Promise<{ name: string; contents: Buffer }>>();

  /**
   * The served name of `file` (read and hashed once, however many modules import it).
   * @throws (rejects) when the file cannot be read.
   */
  async add(file: string): Promise<string> {
    let entry = this.files.get(file);
    if (!entry) {
      entry = readFile(file).then((contents) => ({ name: assetName(file, contents), contents }));
      this.files.set(file, entry);
      // A failure is reported to the module that imports it; nobody else waits for this one.
      entry.catch(() => undefined);
    }
    return (await entry).name;
  }

  /** Forgets every asset (the development compiler, before a rebuild: any of them may have changed). */
  clear(): void {
    this.files.clear();
  }

  /** Every asset that could be read, by served name. */
  async collect(): Promise<Array<{ name: string; contents: Uint8Array }>> {
    const settled = await Promise.allSettled(this.files.values());
    const byName = new Map<string, Uint8Array>();
    for (const outcome of settled)
      if (outcome.status === "fulfilled") byName.set(outcome.value.name, outcome.value.contents);
    return [...byName].map(([name, contents]) => ({ name, contents }));
  }
}

/** `logo-3kq9x2ab.png`: the file's own name (cut to something safe in a URL) and the first bytes of its SHA-256. */
function assetName(file: string, contents: Buffer): string {
  const ext = path.extname(file).toLowerCase();
  const stem =
    path
      .basename(file, path.extname(file))
      .replace(/[^\w-]+/g, "_")
      .slice(0, 40) || "asset";
  const hash = createHash("sha256").update(contents).digest("base64url").slice(0, 10).replace(/[-_]/g, "x");
  return `${stem}-${hash}${ext}`;
}

/** The esbuild plugin that gives asset imports their URL, in the server and the browser build alike. */
export function assetsPlugin(assets: AssetFiles): EsbuildApi.Plugin {
  return {
    name: "ssr-pages-assets",
    setup(build) {
      build.onResolve({ filter: ASSET_FILTER }, async (args) => {
        // A compiled CSS module's `url()`s already name served files (see styles.ts).
        if (args.namespace === "ssr-css-text") return { path: args.path, external: true };
        const cut = args.path.search(/[?#]/);
        const target = cut === -1 ? args.path : args.path.slice(0, cut);
        const suffix = cut === -1 ? "" : args.path.slice(cut);
        const fromCss = args.kind === "url-token" || args.kind === "import-rule";
        // Another origin, a data URL, or a path of the host's own (`url(/images/x.png)`): not ours to touch.
        if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("/"))
          return fromCss ? { path: args.path, external: true } : undefined;
        let file: string;
        if (target.startsWith("./") || target.startsWith("../") || (fromCss && !target.startsWith("~"))) {
          file = path.resolve(args.resolveDir, target);
        } else {
          // A package's file (`@fontsource/inter/files/x.woff2`), found as Node finds it: the server
          // build keeps packages external, so esbuild's resolver would not say where it is.
          try {
            file = createRequire(path.join(args.resolveDir, "noop.js")).resolve(target.replace(/^~/, ""));
          } catch (error) {
            return {
              errors: [
                { text: `Could not find ${JSON.stringify(args.path)}: ${(error as Error).message.split("\n", 1)[0]}` },
              ],
            };
          }
        }
        let name: string;
        try {
          name = await assets.add(file);
        } catch (error) {
          return { errors: [{ text: `Could not read ${JSON.stringify(args.path)}: ${(error as Error).message}` }] };
        }
        if (fromCss) return { path: `./${name}${suffix}`, external: true };
        return {
          path: moduleKey(build.initialOptions.absWorkingDir ?? "", file),
          namespace: "ssr-asset",
          pluginData: name,
          watchFiles: [file],
        };
      });
      build.onLoad({ filter: /.*/, namespace: "ssr-asset" }, (args) => ({
        contents: `export default ${JSON.stringify(INTERNAL_PREFIX + String(args.pluginData))};`,
        loader: "js",
      }));
    },
  };
}
