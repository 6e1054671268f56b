/** What a page's render goes through when a CSS-in-JS library collects its styles (render-extensions.ts). */
import type { ReactElement } from "react";

/**
 * One request's collector.
 *
 * @example
 * const collector = startCollector(build, entry); // undefined for most pages
 * try {
 *   const html = renderToString(collector ? collector.wrap(element) : element);
 *   const tags = collector?.head() ?? "";
 * } finally {
 *   collector?.seal();
 * }
 */
export interface RenderCollector {
  /** The element to render instead of `element` (it wrapped in the collector's provider). */
  wrap(element: ReactElement): ReactElement;
  /** After the render: tags for the end of `<head>`, safe to insert as they are. */
  head(): string;
  /** Ends the collector's life; called once, after the render, whether it threw or not. */
  seal(): void;
}
