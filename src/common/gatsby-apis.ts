/**
 * Gatsby's API files (`gatsby-ssr`, `gatsby-browser`) of a site's plugins and of the site itself, run
 * as Gatsby's API runner runs them: in config order, the site's own file last, each given its
 * plugin's options as the second argument. Wrappers nest in that order (the first plugin's is
 * innermost, the site's outermost); hooks are called one after the other. The server (a site's
 * `gatsby-ssr`) and the browser (`gatsby-browser`) compose them here alike.
 */
import type { ReactNode } from "react";
import type { AppWrappers, PageElementProps } from "./page-element.js";

/** One API file as the compile hands it over (`ssr-pages:gatsby-ssr`, `ssr-pages:gatsby-browser`). */
export interface ApiFile {
  /** The plugin's name (`gatsby-plugin-react-helmet`), or `site` for the site's own file. */
  name: string;
  /** Its options (`{ plugins: [] }` for the site's own file). */
  options: Readonly<Record<string, unknown>>;
  /** The file's exports. */
  module: Readonly<Record<string, unknown>>;
}

/** A hook of every file that exports it, composed: each called in order with the same arguments and its own options. Returns the results. */
export type ComposedHook<A> = ((args: A) => unknown[]) | undefined;

/** The functions `name` of `files`, each with its options. */
function exportsNamed(
  files: readonly ApiFile[],
  name: string,
): Array<{ run: (args: unknown, options: unknown) => unknown; options: unknown }> {
  const found: Array<{ run: (args: unknown, options: unknown) => unknown; options: unknown }> = [];
  for (const file of files) {
    const value = apiExports(file)[name];
    if (typeof value === "function")
      found.push({ run: value as (args: unknown, options: unknown) => unknown, options: file.options });
  }
  return found;
}

/** `name` of every file that has it, as one function calling each in order (`undefined` when none has it). */
export function composeHook<A>(files: readonly ApiFile[], name: string): ComposedHook<A> {
  const found = exportsNamed(files, name);
  if (found.length === 0) return undefined;
  return (args: A) => found.map(({ run, options }) => run(args, options));
}

/**
 * `name` of the last file that has it, called with its options: for APIs only one file may answer
 * (`replaceRenderer`), where Gatsby lets the last one (the site's own, when it has one) win.
 */
export function lastHook<A>(files: readonly ApiFile[], name: string): ((args: A) => unknown) | undefined {
  const last = exportsNamed(files, name).pop();
  return last && ((args: A) => last.run(args, last.options));
}

/** `wrapRootElement` and `wrapPageElement` of every file, nested in order (the site's own file outermost). */
export function composeApiWrappers(files: readonly ApiFile[]): AppWrappers {
  const roots = exportsNamed(files, "wrapRootElement");
  const pages = exportsNamed(files, "wrapPageElement");
  return {
    wrapRootElement:
      roots.length === 0
        ? undefined
        : ({ element }) =>
            roots.reduce<ReactNode>(
              (wrapped, { run, options }) => run({ element: wrapped }, options) as ReactNode,
              element,
            ),
    wrapPageElement:
      pages.length === 0
        ? undefined
        : ({ element, props }: { element: ReactNode; props: PageElementProps }) =>
            pages.reduce<ReactNode>(
              (wrapped, { run, options }) => run({ element: wrapped, props }, options) as ReactNode,
              element,
            ),
  };
}

/** The file of `files` that exports `name` as something other than a function, or `undefined`. */
export function nonFunctionExport(
  files: readonly ApiFile[],
  names: readonly string[],
): { file: ApiFile; name: string; value: unknown } | undefined {
  for (const file of files) {
    const exported = apiExports(file);
    for (const name of names)
      if (exported[name] !== undefined && typeof exported[name] !== "function")
        return { file, name, value: exported[name] };
  }
  return undefined;
}

/**
 * A file's exports: its named exports, and those of the object a CommonJS file exports (which the
 * compile makes its default export, compile/site-options.ts).
 */
function apiExports(file: ApiFile): Readonly<Record<string, unknown>> {
  const fallback = file.module.default;
  if (typeof fallback !== "object" || fallback === null) return file.module;
  return { ...(fallback as Record<string, unknown>), ...file.module };
}
