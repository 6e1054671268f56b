import { currentBase } from "./base.js";
import { hrefFor } from "./paths.js";
import { getClientRuntime } from "./runtime.js";
import type { NavigateOptions } from "./runtime.js";

/**
 * Go to another page without reloading the document: fetch its page data (which runs its
 * `getServerData` on the server, on every navigation), render it, then update the address bar, the
 * scroll position and the `Head`. When the server does not answer with page data (network error, an
 * error page, a page that is not ours) the browser loads the URL normally, so the server has the last word.
 *
 * `to` is mount-relative (`/blog/1?tab=2#comments`, the same string you give `Link`); relative URLs are
 * resolved against the current page. A number moves through history like `history.go(n)`.
 * The promise resolves once the new page is on screen (or a full load has started); it never rejects
 * in the browser.
 *
 * @example
 * ```tsx
 * import { navigate } from "ssr-pages/client";
 *
 * export default function Search() {
 *   return (
 *     <form onSubmit={(event) => {
 *       event.preventDefault();
 *       const q = new FormData(event.currentTarget).get("q");
 *       void navigate(`/search?q=${encodeURIComponent(String(q))}`);
 *     }}>
 *       <input name="q" />
 *     </form>
 *   );
 * }
 * // navigate(-1) goes back; navigate("/login", { replace: true }) replaces the history entry.
 * ```
 */
export function navigate(to: string | number, options: NavigateOptions = {}): Promise<void> {
  if (typeof window === "undefined") {
    return Promise.reject(
      new Error("ssr-pages: navigate() can only run in the browser (call it from an event handler or an effect)"),
    );
  }
  if (typeof to === "number") {
    history.go(to);
    return Promise.resolve();
  }
  const runtime = getClientRuntime();
  if (runtime) return runtime.navigate(to, options);
  // The entry has not started (the page is still loading, or its script failed): a normal page load
  // still works, it only costs a document request.
  const href = hrefFor(currentBase(), to);
  if (options.replace) location.replace(href);
  else location.assign(href);
  return Promise.resolve();
}
