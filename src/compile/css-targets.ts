/**
 * The browsers an app supports, from its browserslist config (`"browserslist"` in `package.json`,
 * or `.browserslistrc`, from the pages directory upward), as esbuild targets: esbuild then prefixes
 * and lowers the app's CSS for them (`-webkit-user-select`, nesting unwrapped, `oklch()` as `rgb()`).
 * No config: CSS is left as written, as before.
 */
import { createRequire } from "node:module";

/**
 * The browserslist names esbuild knows an engine for. Chrome for Android is Chrome; so is Android's
 * WebView from version 37, when it took Chrome's version numbers (its 2.x–4.4 are left out).
 */
const ENGINES: Readonly<Record<string, string>> = {
  chrome: "chrome",
  and_chr: "chrome",
  android: "chrome",
  ie_mob: "ie",
  edge: "edge",
  firefox: "firefox",
  and_ff: "firefox",
  safari: "safari",
  ios_saf: "ios",
  opera: "opera",
  ie: "ie",
};

interface Browserslist {
  (queries: string[] | string, options: { path: string; env: string }): string[];
}

interface ConfigLookup {
  loadConfig(options: { path: string; env: string }): string[] | undefined;
}

/**
 * esbuild's targets for the app's browserslist config (`["chrome109", "safari15.6", …]`, the oldest
 * version of each engine), or `undefined` when the app has none. Browsers esbuild has no engine for
 * (Opera Mini, Samsung Internet, UC, QQ, KaiOS, Baidu) are left out: they take what the others get.
 * @throws browserslist's error for a query it does not understand.
 */
export function browserTargets(pagesDir: string, dev: boolean): string[] | undefined {
  const env = dev ? "development" : "production";
  const require = createRequire(import.meta.url);
  // browserslist's own config lookup (its `node` module, ~6 ms to load) first; its browser data
  // (~20 ms more) only for an app that has a config.
  try {
    const queries = (require("browserslist/node") as ConfigLookup).loadConfig({ path: pagesDir, env });
    if (queries === undefined) return undefined;
    return esbuildTargets((require("browserslist") as Browserslist)(queries, { path: pagesDir, env }));
  } catch (error) {
    throw new Error(
      `the browserslist config (in package.json or .browserslistrc, from ${pagesDir} upward): ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

/** browserslist's answer (`"safari 15.2-15.3"`, `"ios_saf 16.4"`) as esbuild targets: the oldest version per engine. */
export function esbuildTargets(browsers: readonly string[]): string[] {
  const oldest = new Map<string, number[]>();
  for (const browser of browsers) {
    const [name = "", range = ""] = browser.split(" ");
    const engine = ENGINES[name];
    // "15.2-15.3": a range's first version; "TP" (Safari's preview) and "all" are no version.
    const version = range.split("-")[0] ?? "";
    if (engine === undefined || !/^\d+(\.\d+)*$/.test(version)) continue;
    const parts = version.split(".").map(Number);
    if (name === "android" && (parts[0] ?? 0) < 37) continue;
    const known = oldest.get(engine);
    if (known === undefined || compareVersions(parts, known) < 0) oldest.set(engine, parts);
  }
  return [...oldest].map(([engine, parts]) => engine + parts.join(".")).sort();
}

function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}
