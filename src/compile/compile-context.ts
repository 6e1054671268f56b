/** What the server and the browser build of one compile share. */
import { AssetFiles } from "./assets.js";
import type { Esbuild } from "./esbuild.js";
import { CssModules } from "./styles.js";

/** One compile's settings and the work its two builds share (each CSS module and asset is processed once). */
export interface CompileContext {
  esbuild: Esbuild;
  /** Absolute. */
  pagesDir: string;
  /** Development builds: unminified, with source maps. */
  dev: boolean;
  /** `NODE_ENV` and the public variables: what browser code sees as `process.env` (see browser-env.ts). */
  env: Readonly<Record<string, string>>;
  cssModules: CssModules;
  assets: AssetFiles;
}

/** A fresh context: nothing compiled yet. */
export function createCompileContext(esbuild: Esbuild, pagesDir: string, dev: boolean, env: Readonly<Record<string, string>>): CompileContext {
  const assets = new AssetFiles();
  return { esbuild, pagesDir, dev, env, cssModules: new CssModules(esbuild, pagesDir, assets), assets };
}
