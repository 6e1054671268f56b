import { escapeHtml } from "./html-escape.js";
import { STATUS_TEXT, type SsrError } from "../errors.js";

/**
 * The development error page: status, page file, message and stack, all escaped. Never used in
 * production.
 */
export function renderDevErrorPage(error: SsrError): string {
  const title = `${error.status} ${STATUS_TEXT[error.status] ?? "Error"}`;
  const where = error.page ? `<p>in <code>${escapeHtml(error.page)}</code></p>` : "";
  const stack = error.stack && error.stack.includes(error.message) ? error.stack : `${error.message}\n${error.stack ?? ""}`;
  return (
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>` +
    `<style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem}pre{background:#fee;padding:1rem;overflow:auto;white-space:pre-wrap}</style>` +
    `</head><body><h1>${title}</h1>${where}<pre>${escapeHtml(stack)}</pre>` +
    `<p><small>ssr-pages development mode: production shows no message or stack.</small></p></body></html>`
  );
}

/** The production error page when the app has no `500` page: status and reason, nothing else. */
export function renderGenericErrorPage(status: number): string {
  const title = `${status} ${STATUS_TEXT[status] ?? "Error"}`;
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1></body></html>`;
}
