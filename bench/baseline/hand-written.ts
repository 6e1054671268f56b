/**
 * What a careful hand-written route does for the same page: render the component, embed its data
 * for hydration (escaped), wrap it in the document. The baselines call this; ssr-pages does the
 * equivalent itself.
 */
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { loadProduct, ProductPage, type ProductData } from "./product.js";

const UNSAFE = /[<>&\u2028\u2029]/g;
const escape = (char: string) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;

/** The HTML document for `/products/:id`. */
export function productDocument(id: string): string {
  const data = loadProduct(id);
  const body = renderToString(createElement(ProductPage, { serverData: data }));
  const json = JSON.stringify(data).replace(UNSAFE, escape);
  return (
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${data.title}</title></head><body><div id="root">${body}</div>` +
    `<script id="data" type="application/json">${json}</script><script type="module" src="/client.js"></script></body></html>`
  );
}

/** The JSON a client navigation would fetch for `/products/:id`. */
export function productJson(id: string): { path: string; result: { serverData: ProductData } } {
  return { path: `/products/${id}`, result: { serverData: loadProduct(id) } };
}

/** Tells the runner the server is up, and exits cleanly when stopped (so `--cpu-prof` can write its profile). */
export function announce(server: { address(): unknown }): void {
  process.once("SIGTERM", () => process.exit(0));
  console.log(`READY ${(server.address() as { port: number }).port}`);
}
