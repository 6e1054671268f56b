import type { ComponentType } from "react";
import { flushSync } from "react-dom";
import { createRoot } from "react-dom/client";
import type { AppWrappers, PageElementProps } from "../shared/page-element.js";
import { RouterContext } from "../shared/router-context.js";

// The server writes a page's `Head` output between these two comments inside <head>.
const START_MARKER = "ssr-pages-head";
const END_MARKER = "/ssr-pages-head";

/**
 * Replace what the previous page's `Head` (and `_app`'s) put in <head> with the new page's, and update
 * `document.title`. Site-wide tags come first; a `<title>` of the page's own replaces `_app`'s, as on
 * the server. A page without `Head` leaves only `_app`'s.
 */
export function updateHead(Head: ComponentType<PageElementProps> | undefined, props: PageElementProps, base: string, app: AppWrappers): void {
  const page = Head ? renderDetached(Head, props, base) : [];
  const pageHasTitle = page.some((node) => node.nodeName === "TITLE");
  const site = (app.Head ? renderDetached(app.Head, props, base) : []).filter((node) => !(pageHasTitle && node.nodeName === "TITLE"));
  const nodes = [...site, ...page];
  const [start, end] = headMarkers();
  while (start.nextSibling && start.nextSibling !== end) start.nextSibling.remove();
  end.before(...nodes);
  const title = nodes.find((node) => node.nodeName === "TITLE");
  if (title) document.title = title.textContent ?? "";
}

/**
 * Render `Head` to DOM nodes without touching the live document. React 19 hoists `<title>`, `<meta>`
 * and `<link>` into the `<head>` of the container's document, so a detached <div> of this document
 * would put them straight into our <head> (outside the markers) and take them out again on unmount.
 * Rendering inside a separate, inert HTML document keeps both the hoisted and the plain elements there;
 * they are then copied into this document (copies: the temporary root removes its own nodes when it
 * unmounts). Scripts copied this way do not run, as with any script React renders on the client.
 */
function renderDetached(Head: ComponentType<PageElementProps>, props: PageElementProps, base: string): Node[] {
  const scratch = document.implementation.createHTMLDocument();
  const container = scratch.createElement("div");
  scratch.body.append(container);
  const root = createRoot(container);
  try {
    flushSync(() => {
      root.render(
        <RouterContext.Provider value={{ base, location: props.location }}>
          <Head serverData={props.serverData} params={props.params} location={props.location} />
        </RouterContext.Provider>,
      );
    });
    return [...scratch.head.childNodes, ...container.childNodes].map((node) => document.importNode(node, true));
  } finally {
    root.unmount();
  }
}

/** The two marker comments; created at the end of <head> if the document has none. */
function headMarkers(): [Comment, Comment] {
  let start: Comment | undefined;
  let end: Comment | undefined;
  for (const node of document.head.childNodes) {
    if (node.nodeType !== Node.COMMENT_NODE) continue;
    const data = (node as Comment).data;
    if (data === START_MARKER && !start) start = node as Comment;
    else if (data === END_MARKER && start) {
      end = node as Comment;
      break;
    }
  }
  if (start && end) return [start, end];
  start = document.createComment(START_MARKER);
  end = document.createComment(END_MARKER);
  document.head.append(start, end);
  return [start, end];
}
