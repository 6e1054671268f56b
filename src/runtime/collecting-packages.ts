/**
 * Which pages render with a package whose styles are collected per request (styled-components): the
 * Build decides it once, from the packages each page imports (itself or through its local files),
 * and from the packages those depend on (a UI kit written with styled-components: its components
 * write their rules into the same sheet).
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/**
 * The packages whose styles a server render must collect per request and put into `<head>`
 * (render/render-extensions.ts has a collector for each).
 */
export type CollectingPackage = "styled-components";

const COLLECTING_PACKAGES: readonly CollectingPackage[] = ["styled-components"];

/**
 * A function from a page's package list to the collecting package it needs, if any: one it imports
 * (or a subpath, `styled-components/…`), or one a package it imports depends on (`dependencies` or
 * `peerDependencies` not marked optional). When no collecting package is installed for the app at all, package manifests
 * are never read: an app without styled-components pays one failed lookup per build.
 */
export function collectingPackageOf(pagesDir: string): (packages: readonly string[]) => CollectingPackage | undefined {
  const require = createRequire(path.join(pagesDir, "noop.js"));
  const installed = COLLECTING_PACKAGES.filter((name) => resolves(require, name));
  const dependsOn = new Map<string, CollectingPackage | undefined>(); // package → what it depends on
  return (packages) => {
    for (const name of packages) {
      for (const collecting of COLLECTING_PACKAGES)
        if (name === collecting || name.startsWith(`${collecting}/`)) return collecting;
    }
    if (installed.length === 0) return undefined;
    for (const name of packages) {
      const root = packageRoot(name);
      if (!dependsOn.has(root)) dependsOn.set(root, dependencyOf(require, root, installed));
      const found = dependsOn.get(root);
      if (found !== undefined) return found;
    }
    return undefined;
  };
}

function resolves(require: NodeJS.Require, name: string): boolean {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
function packageRoot(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] as string);
}

/** The first of `candidates` that `name`'s manifest lists among its dependencies or peers. */
function dependencyOf(
  require: NodeJS.Require,
  name: string,
  candidates: readonly CollectingPackage[],
): CollectingPackage | undefined {
  const manifest = manifestOf(require, name);
  if (manifest === undefined) return undefined;
  // An optional peer is one the package works without (ssr-pages itself lists styled-components so):
  // it says nothing of what the page renders with.
  const optional = (manifest.peerDependenciesMeta ?? {}) as Record<string, { optional?: boolean } | undefined>;
  const peers = Object.keys((manifest.peerDependencies ?? {}) as object).filter(
    (peer) => optional[peer]?.optional !== true,
  );
  const declared = new Set([...Object.keys((manifest.dependencies ?? {}) as object), ...peers]);
  return candidates.find((candidate) => declared.has(candidate));
}

/** A package's `package.json`, found from its entry when its `exports` hide the manifest; `undefined` when neither resolves. */
function manifestOf(require: NodeJS.Require, name: string): Record<string, unknown> | undefined {
  let dir: string;
  try {
    dir = path.dirname(require.resolve(`${name}/package.json`));
  } catch {
    try {
      dir = path.dirname(require.resolve(name));
    } catch {
      return undefined;
    }
    while (!existsSync(path.join(dir, "package.json")) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  }
  try {
    const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as Record<string, unknown>;
    return manifest.name === name ? manifest : undefined;
  } catch {
    return undefined;
  }
}
