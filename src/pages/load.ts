/**
 * Evaluates a compiled page. Its `require` resolves from the pages directory, so a page gets the
 * app's React, and `ssr-pages/client` is this very package's module: the `Link` a page renders reads
 * the context our renderer provides.
 */
import { createRequire } from "node:module";
import path from "node:path";
import vm from "node:vm";
import type { ComponentType } from "react";
import type { GetServerData } from "../types.js";
import * as clientModule from "../client/index.js";
import * as coreModule from "../index.js";
import { SsrError } from "../errors.js";

/** A page module's exports, as the core uses them. */
export interface PageModule {
  default: ComponentType<{ serverData: unknown; params: Record<string, string> }>;
  getServerData: GetServerData | undefined;
  Head: ComponentType<{ serverData: unknown; params: Record<string, string> }> | undefined;
}

/** Runs CommonJS code as the file `filename`, filling in `module.exports`. */
export type ModuleEvaluator = (code: string, filename: string, module: { exports: unknown }) => void;

/**
 * Returns a function that evaluates compiled CommonJS code. `require("./name")` asks `sibling` first
 * (the other files of the same build); every other id resolves from `pagesDir`, as the app's own
 * `require` would. `__dirname` is `pagesDir` whatever the file name, as it was for one bundle.
 */
export function createModuleEvaluator(pagesDir: string, sibling: (name: string) => { found: unknown } | undefined): ModuleEvaluator {
  const appRequire = createRequire(path.join(pagesDir, "noop.js"));
  const pageRequire = Object.assign(
    (id: string): unknown => {
      if (id === "ssr-pages/client") return clientModule;
      if (id === "ssr-pages") return coreModule;
      const own = id.startsWith("./") ? sibling(id.slice(2)) : undefined;
      return own ? own.found : appRequire(id);
    },
    { resolve: appRequire.resolve, cache: appRequire.cache, main: appRequire.main, extensions: appRequire.extensions },
  );
  return (code, filename, module) => {
    const run = vm.compileFunction(code, ["exports", "require", "module", "__filename", "__dirname"], { filename });
    run.call(module.exports, module.exports, pageRequire, module, filename, pagesDir);
  };
}

/** Checks a page's exports. @throws SsrError 500 naming the file when there is no component. */
export function checkPageModule(exports: Record<string, unknown>, file: string): PageModule {
  const component = exports.default;
  if (!isComponent(component)) {
    throw new SsrError(500, `${file} has no default export that is a React component`, { page: file });
  }
  const { getServerData, Head } = exports;
  if (getServerData !== undefined && typeof getServerData !== "function") {
    throw new SsrError(500, `${file} exports getServerData, but it is a ${typeof getServerData}, not a function`, { page: file });
  }
  return {
    default: component as PageModule["default"],
    getServerData: getServerData as GetServerData | undefined,
    Head: isComponent(Head) ? (Head as PageModule["Head"]) : undefined,
  };
}

function isComponent(value: unknown): boolean {
  // Function components, classes, and the objects React.memo / forwardRef / lazy return.
  return typeof value === "function" || (typeof value === "object" && value !== null && "$$typeof" in value);
}
