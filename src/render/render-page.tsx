import type { ComponentType } from "react";
import { renderToStaticMarkup, renderToString } from "react-dom/server";
import { createPageElement, NO_APP, type AppWrappers, type PageElementProps } from "../shared/page-element.js";
import { RouterContext } from "../shared/router-context.js";
import { withRenderBase } from "../shared/render-base.js";

/**
 * Renders a page, inside `_app`'s wrappers, to a string: measured faster than streaming for pages
 * that do not suspend (the page data is already loaded by the time we render), and it lets a render
 * error become a clean 500 before any byte is sent.
 */
export function renderPageBody(Page: ComponentType<PageElementProps>, props: PageElementProps, base: string, app: AppWrappers): string {
  return withRenderBase(base, () => renderToString(createPageElement(Page, props, base, app)));
}

const TITLE = /<title\b[^>]*>[\s\S]*?<\/title>/g;

/**
 * Renders `_app`'s `Head` and the page's `Head` to static markup for `<head>`, site-wide tags first.
 * A `<title>` of the page's own replaces the site's default.
 */
export function renderPageHead(Head: ComponentType<PageElementProps> | undefined, props: PageElementProps, base: string, app: AppWrappers = NO_APP): string {
  const render = (Component: ComponentType<PageElementProps> | undefined): string =>
    Component
      ? withRenderBase(base, () =>
          renderToStaticMarkup(
            <RouterContext.Provider value={{ base, location: props.location }}>
              <Component serverData={props.serverData} params={props.params} location={props.location} />
            </RouterContext.Provider>,
          ),
        )
      : "";
  const page = render(Head);
  const site = render(app.Head);
  return (page.includes("<title") ? site.replace(TITLE, "") : site) + page;
}
