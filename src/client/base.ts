import { renderBase } from "../common/render-base.js";
import { getClientRuntime } from "./runtime.js";

/**
 * The mount path of the page: the one being rendered (on the server, per request), the router's once
 * the page has hydrated, else the one the server embedded in the page, else the root.
 */
export function currentBase(): string {
  const rendering = renderBase();
  if (rendering !== undefined) return rendering;
  const runtime = getClientRuntime();
  if (runtime) return runtime.base;
  return typeof document === "undefined" ? "" : embeddedBase();
}

/** The mount path embedded by the server, for code that runs before the router exists. */
function embeddedBase(): string {
  try {
    const text = document.getElementById("__SSR_PAGES_DATA__")?.textContent;
    const base: unknown = text ? (JSON.parse(text) as { base?: unknown }).base : undefined;
    return typeof base === "string" ? base : "";
  } catch {
    return "";
  }
}
