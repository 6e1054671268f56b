/**
 * styled-components' collector: a `ServerStyleSheet` per render, so the styles of one request are
 * that request's alone (without it, styled-components keeps every server render's rules in one
 * process-wide sheet, which grows for the life of the process and is never written out). Its tags go
 * into `<head>`, where styled-components' own browser runtime finds them (`style[data-styled]` of its
 * version), takes their rules over and removes them, before React hydrates.
 *
 * styled-components is an optional peer: it is never imported here. Its exports come from the app's
 * own copy (Build.requirePackage), and only the part used is typed.
 */
import type { ReactElement } from "react";
import { SsrError } from "../errors.js";
import type { RenderCollector } from "./render-collector.js";

/** The part of a `ServerStyleSheet` the collector uses (styled-components 6, the version ssr-pages supports). */
interface ServerStyleSheet {
  collectStyles(children: ReactElement): ReactElement;
  getStyleTags(): string;
  seal(): void;
}

/**
 * A collector around a new `ServerStyleSheet` of the app's styled-components (`exports`).
 * @throws SsrError 500 naming `page` when the package has no `ServerStyleSheet` (it is not styled-components 5 or 6).
 */
export function createStyledComponentsCollector(exports: unknown, page: string): RenderCollector {
  const Sheet = (exports as { ServerStyleSheet?: unknown } | null)?.ServerStyleSheet;
  if (typeof Sheet !== "function") {
    throw new SsrError(
      500,
      `${page} renders with styled-components, but the installed copy exports no ServerStyleSheet: ssr-pages needs styled-components 6`,
      { page },
    );
  }
  return new StyledComponentsCollector(new (Sheet as new () => ServerStyleSheet)());
}

/** A class, not an object of closures: one is made for every render of a styled page. */
class StyledComponentsCollector implements RenderCollector {
  constructor(private readonly sheet: ServerStyleSheet) {}

  wrap(element: ReactElement): ReactElement {
    return this.sheet.collectStyles(element);
  }

  head(): string {
    return escapeStyleText(this.sheet.getStyleTags());
  }

  seal(): void {
    this.sheet.seal();
  }
}

/**
 * styled-components writes its CSS into `<style>` as it is, so a `</` there (a prop's text in
 * `content: "…"`, say `</style><script>…`) would end the element and let the rest be read as markup.
 * In CSS `<\/` means the same as `</` (in a string, or an unquoted `url()`), so each one between the
 * opening and the closing tag is written so. The common case, none, costs one scan of the CSS.
 */
export function escapeStyleText(tags: string): string {
  const open = tags.indexOf(">") + 1;
  const close = tags.lastIndexOf("</");
  if (close <= open || tags.lastIndexOf("</", close - 1) < open) return tags;
  return tags.slice(0, open) + tags.slice(open, close).replaceAll("</", "<\\/") + tags.slice(close);
}
