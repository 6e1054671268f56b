/**
 * The one seam of a page's server render: a collector, made fresh for each request, wraps the page
 * element before the render and, after it, gives markup for `<head>`; it is sealed in a `finally`,
 * whether the render threw or not. Nothing in it outlives the request, so nothing is shared between
 * requests. CSS-in-JS libraries that keep styles in a per-render sheet go through here
 * (styled-components today); the Build decides once, per page, which one a page needs
 * (`PageEntry.collector`), so a page without one makes no collector and pays nothing.
 */
import type { Build, CollectingPackage, PageEntry } from "../runtime/build.js";
import type { RenderCollector } from "./render-collector.js";
import { createStyledComponentsCollector } from "./styled-components.js";

/**
 * How a collecting package's collector is made from the package's exports (the app's own copy).
 * A record over every {@link CollectingPackage}: TypeScript refuses a package the Build may name
 * and no collector exists for.
 */
const COLLECTORS: Readonly<Record<CollectingPackage, (exports: unknown, page: string) => RenderCollector>> = {
  "styled-components": createStyledComponentsCollector,
};

/**
 * A fresh collector for one render of `entry`, or `undefined` when its page needs none (the common
 * case: one property read).
 * @throws SsrError 500 naming the page when the package cannot be loaded (see Build.requirePackage) or is not what we expect.
 */
export function startCollector(build: Build, entry: PageEntry): RenderCollector | undefined {
  const name = entry.collector;
  if (name === undefined) return undefined;
  return COLLECTORS[name](build.requirePackage(name, entry), entry.parsed.file);
}
