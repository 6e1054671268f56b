// The browser entry the server bundles (ESM, code-split): hydrate the server-rendered page, then hand
// the React root to the client router. Pages are separate chunks, imported by the URL the server
// embedded, so this file knows no page in advance.

import { hydrateRoot } from "react-dom/client";
import type { Root } from "react-dom/client";
import { createPageElement } from "./page-element.js";
import { importPageModule, isPageData, pageProps } from "./page-data.js";
import type { BootData } from "./page-data.js";
import { createRouter } from "./router.js";
import type { Router } from "./router.js";
import { setClientRuntime } from "./runtime.js";

function readBootData(): BootData | undefined {
  const text = document.getElementById("__SSR_PAGES_DATA__")?.textContent;
  if (!text) return undefined;
  const data = JSON.parse(text) as Partial<BootData>;
  return typeof data.base === "string" && isPageData(data.pageData) ? (data as BootData) : undefined;
}

async function start(): Promise<void> {
  const data = readBootData();
  const container = document.getElementById("___ssr-pages");
  if (!data || !container) {
    console.error("ssr-pages: the page has no #__SSR_PAGES_DATA__ boot data or no #___ssr-pages root; not hydrating");
    return;
  }
  const { base, pageData } = data;
  const mod = await importPageModule(pageData.module);
  let router: Router | undefined;
  const root: Root = hydrateRoot(container, createPageElement(mod.default, pageProps(pageData), base), {
    onUncaughtError(error, info) {
      console.error(error, info.componentStack ?? "");
      router?.recoverFromRenderError();
    },
  });
  router = createRouter({ root, container, base });
  setClientRuntime(router);
}

void start().catch((error: unknown) => {
  // The server-rendered HTML stays usable: links are real <a href>s, so navigation falls back to full loads.
  console.error("ssr-pages: could not start the client", error);
});
