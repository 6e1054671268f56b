import type { ComponentType } from "react";
import { renderToStaticMarkup, renderToString } from "react-dom/server";
import { createPageElement, NO_APP, type AppWrappers, type PageElementProps } from "../shared/page-element.js";
import { RouterContext } from "../shared/router-context.js";
import { withRenderBase } from "../shared/render-base.js";

/** What a render runs with: the mount path (for `withPrefix`) and the environment components see. */
export interface RenderScope {
  base: string;
  /** `NODE_ENV` and the public variables: `process.env` while components render, as in the browser. */
  env: Readonly<Record<string, string>>;
}

/**
 * Runs a synchronous render in its scope. `process.env` is the browser's during the render: a
 * component that reads it must render the same on both sides (else hydration fails), and must never
 * print a server secret into the HTML. `getServerData` ran before, outside the render, with the real
 * environment. Nothing else runs while a synchronous render does, so no other code sees the swap.
 */
function inScope<T>(scope: RenderScope, render: () => T): T {
  const real = process.env;
  process.env = scope.env as NodeJS.ProcessEnv;
  try {
    return withRenderBase(scope.base, render);
  } finally {
    process.env = real;
  }
}

/**
 * Renders a page, inside `_app`'s wrappers, to a string: measured faster than streaming for pages
 * that do not suspend (the page data is already loaded by the time we render), and it lets a render
 * error become a clean 500 before any byte is sent.
 */
export function renderPageBody(Page: ComponentType<PageElementProps>, props: PageElementProps, scope: RenderScope, app: AppWrappers): string {
  return inScope(scope, () => renderToString(createPageElement(Page, props, scope.base, app)));
}

const TITLE = /<title\b[^>]*>[\s\S]*?<\/title>/g;

/**
 * Renders `_app`'s `Head` and the page's `Head` to static markup for `<head>`, site-wide tags first.
 * A `<title>` of the page's own replaces the site's default.
 */
export function renderPageHead(Head: ComponentType<PageElementProps> | undefined, props: PageElementProps, scope: RenderScope, app: AppWrappers = NO_APP): string {
  const render = (Component: ComponentType<PageElementProps> | undefined): string =>
    Component
      ? inScope(scope, () =>
          renderToStaticMarkup(
            <RouterContext.Provider value={{ base: scope.base, location: props.location }}>
              <Component serverData={props.serverData} params={props.params} location={props.location} />
            </RouterContext.Provider>,
          ),
        )
      : "";
  const page = render(Head);
  const site = render(app.Head);
  return (page.includes("<title") ? site.replace(TITLE, "") : site) + page;
}
