import { escapeHtml, escapeJsonForHtml } from "../common/html-escape.js";
import { STATUS_TEXT, type SsrError } from "../errors.js";

/**
 * The development error page: status, page file, message and stack, all escaped. Never used in
 * production. With `eventsUrl` (the dev loop's event stream), it loads itself again after the next
 * build: a tab opened (or reloaded) on a page that does not compile has no client of its own, and
 * would otherwise stay on the error after the save that fixes it.
 */
export function renderDevErrorPage(error: SsrError, eventsUrl?: string): string {
  const title = `${error.status} ${STATUS_TEXT[error.status] ?? "Error"}`;
  const where = error.page ? `<p>in <code>${escapeHtml(error.page)}</code></p>` : "";
  const stack =
    error.stack && error.stack.includes(error.message) ? error.stack : `${error.message}\n${error.stack ?? ""}`;
  return (
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>` +
    `<style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem}pre{background:#fee;padding:1rem;overflow:auto;white-space:pre-wrap}</style>` +
    `</head><body><h1>${title}</h1>${where}<pre>${escapeHtml(stack)}</pre>` +
    `<p><small>ssr-pages development mode: production shows no message or stack.</small></p>` +
    // The stream's first event is the build this page came from; any later one is a new build,
    // unless another page was only compiled for the first time (`cause: "request"`, dev/dev-loop.ts).
    (eventsUrl === undefined
      ? ""
      : `<script>(()=>{let n=0;new EventSource(${escapeJsonForHtml(JSON.stringify(eventsUrl))}).addEventListener("build",(e)=>{if(n++&&JSON.parse(e.data).cause!=="request")location.reload()})})()</script>`) +
    `</body></html>`
  );
}

/** The production error page when the app has no `500` page: status and reason, nothing else. */
export function renderGenericErrorPage(status: number): string {
  const title = `${status} ${STATUS_TEXT[status] ?? "Error"}`;
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1></body></html>`;
}
