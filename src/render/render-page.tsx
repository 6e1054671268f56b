import type { ComponentType, ReactElement } from "react";
import { renderToStaticMarkup, renderToString } from "react-dom/server";
import { createPageElement, NO_APP, type AppWrappers, type PageElementProps } from "../shared/page-element.js";
import { setRenderBase } from "../shared/render-base.js";
import { RouterContext } from "../shared/router-context.js";

/** `NODE_ENV` and the public variables: what components see as `process.env` on the server, as in the browser. */
export type RenderEnv = Readonly<Record<string, string>>;

/**
 * Renders `element` synchronously with `base` as the mount path (for `withPrefix`) and `env` as
 * `process.env`. A component that reads `process.env` must render the same on both sides (else
 * hydration fails), and must never print a server secret into the HTML. `getServerData` ran
 * before, outside the render, with the real environment, and nothing else runs while a synchronous
 * render does, so no other code sees the swap. (No closure per render: this runs on every request.)
 */
function renderIn(element: ReactElement, base: string, env: RenderEnv, toMarkup: (element: ReactElement) => string): string {
  const real = process.env;
  const previousBase = setRenderBase(base);
  process.env = env as NodeJS.ProcessEnv;
  try {
    return toMarkup(element);
  } finally {
    process.env = real;
    setRenderBase(previousBase);
  }
}

/**
 * Renders a page, inside `_app`'s wrappers, to a string: measured faster than streaming for pages
 * that do not suspend (the page data is already loaded by the time we render), and it lets a render
 * error become a clean 500 before any byte is sent.
 */
export function renderPageBody(Page: ComponentType<PageElementProps>, props: PageElementProps, base: string, env: RenderEnv, app: AppWrappers): string {
  return renderIn(createPageElement(Page, props, base, app), base, env, renderToString);
}

const TITLE = /<title\b[^>]*>[\s\S]*?<\/title>/g;

/**
 * Renders `_app`'s `Head` and the page's `Head` to static markup for `<head>`, site-wide tags first.
 * A `<title>` of the page's own replaces the site's default.
 */
export function renderPageHead(Head: ComponentType<PageElementProps> | undefined, props: PageElementProps, base: string, env: RenderEnv, app: AppWrappers = NO_APP): string {
  const page = Head ? renderHead(Head, props, base, env) : "";
  const site = app.Head ? renderHead(app.Head, props, base, env) : "";
  return (page.includes("<title") ? site.replace(TITLE, "") : site) + page;
}

function renderHead(Head: ComponentType<PageElementProps>, props: PageElementProps, base: string, env: RenderEnv): string {
  const element = (
    <RouterContext.Provider value={{ base, location: props.location }}>
      <Head serverData={props.serverData} params={props.params} location={props.location} />
    </RouterContext.Provider>
  );
  return renderIn(element, base, env, renderToStaticMarkup);
}
