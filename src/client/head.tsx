import type { ComponentType } from "react";
import { flushSync } from "react-dom";
import { createRoot } from "react-dom/client";
import { withPageProps, type AppWrappers, type PageElementProps } from "../common/page-element.js";
import { RouterContext } from "../common/router-context.js";
import type { ShellAttributes } from "./page-data.js";

// The server writes a page's `Head` output between these two comments inside <head>.
const START_MARKER = "ssr-pages-head";
const END_MARKER = "/ssr-pages-head";

/**
 * Replace what the previous page's `Head` (and `_app`'s) put in <head> with the new page's, and update
 * `document.title`. Site-wide tags come first; a `<title>` of the page's own replaces `_app`'s, as on
 * the server. A page without `Head` leaves only `_app`'s.
 */
export function updateHead(
  Head: ComponentType<PageElementProps> | undefined,
  props: PageElementProps,
  base: string,
  app: AppWrappers,
): void {
  const page = Head ? renderDetached(Head, props, base) : NOTHING;
  const pageHasTitle = page.nodes.some((node) => node.nodeName === "TITLE");
  const rendered = app.Head ? renderDetached(app.Head, props, base) : NOTHING;
  const site = rendered.nodes.filter((node) => !(pageHasTitle && node.nodeName === "TITLE"));
  applyAttributes(document.documentElement, { ...rendered.html, ...page.html }, shell.html);
  applyAttributes(document.body, { ...rendered.body, ...page.body }, shell.body);
  const nodes = [...site, ...page.nodes];
  const [start, end] = headMarkers();
  while (start.nextSibling && start.nextSibling !== end) start.nextSibling.remove();
  end.before(...nodes);
  const title = nodes.find((node) => node.nodeName === "TITLE");
  if (title) document.title = title.textContent ?? "";
}

/** What a `Head` rendered: its nodes for <head>, and the attributes it gave <html> and <body>. */
interface DetachedHead {
  nodes: Node[];
  html: Record<string, string>;
  body: Record<string, string>;
}

const NOTHING: DetachedHead = { nodes: [], html: {}, body: {} };

/**
 * The attributes the shown page's `Head`s set, with what each was before. The server says so for the
 * first page (boot data); from then on, {@link applyAttributes} keeps it.
 */
let shell: ShellAttributes = { html: {}, body: {} };

/** Takes the server's word for which attributes the first page's `Head` set (see {@link BootData}). */
export function adoptShellAttributes(attributes: ShellAttributes | undefined): void {
  if (attributes) shell = { html: { ...attributes.html }, body: { ...attributes.body } };
}

/**
 * Gives `element` the attributes a `Head` asks for and puts back, for the ones the previous page's
 * `Head` set and this one does not, the value from before. Attributes no `Head` set (a theme
 * script's class on <html>) are left alone.
 */
function applyAttributes(element: Element, wanted: Record<string, string>, owned: Record<string, string | null>): void {
  for (const name of Object.keys(owned)) {
    if (name in wanted) continue;
    const before = owned[name];
    if (before === null || before === undefined) element.removeAttribute(name);
    else element.setAttribute(name, before);
    delete owned[name];
  }
  for (const [name, value] of Object.entries(wanted)) {
    if (!(name in owned)) owned[name] = element.getAttribute(name);
    element.setAttribute(name, value);
  }
}

/**
 * Render `Head` to DOM nodes without touching the live document. React 19 hoists `<title>`, `<meta>`
 * and `<link>` into the `<head>` of the container's document, so a detached <div> of this document
 * would put them straight into our <head> (outside the markers) and take them out again on unmount.
 * Rendering inside a separate, inert HTML document keeps both the hoisted and the plain elements there;
 * they are then copied into this document (copies: the temporary root removes its own nodes when it
 * unmounts). Scripts copied this way do not run, as with any script React renders on the client.
 * An `<html>` or `<body>` the `Head` renders (Gatsby 5 allows both, for their attributes) becomes
 * that document's own element, whose attributes are read off.
 */
function renderDetached(Head: ComponentType<PageElementProps>, props: PageElementProps, base: string): DetachedHead {
  const scratch = document.implementation.createHTMLDocument();
  const container = scratch.createElement("div");
  scratch.body.append(container);
  const root = createRoot(container);
  const restoreConsole = DEV ? quietNestingWarnings() : undefined;
  try {
    flushSync(() => {
      root.render(
        <RouterContext.Provider value={{ base, location: props.location }}>
          {withPageProps(Head, props)}
        </RouterContext.Provider>,
      );
    });
    return {
      nodes: [...scratch.head.childNodes, ...container.childNodes].map((node) => document.importNode(node, true)),
      html: attributesOf(scratch.documentElement),
      body: attributesOf(scratch.body),
    };
  } finally {
    root.unmount();
    restoreConsole?.();
  }
}

const DEV = process.env.NODE_ENV !== "production";

/**
 * React's development build warns that `<html>`/`<body>` "cannot be a child of <div>" (a hydration
 * error), but this render is never hydrated: while it runs, those two warnings are dropped.
 */
function quietNestingWarnings(): () => void {
  /* eslint-disable no-console -- React's warnings go to console.error: two of them are filtered while this render runs */
  const original = console.error;
  console.error = (...args: unknown[]) => {
    const [format, child] = args;
    if (
      typeof format === "string" &&
      format.includes("cannot be a child of") &&
      (child === "<html>" || child === "<body>")
    )
      return;
    original.apply(console, args);
  };
  return () => {
    console.error = original;
  };
  /* eslint-enable no-console */
}

function attributesOf(element: Element | null): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const attribute of element?.attributes ?? []) attributes[attribute.name] = attribute.value;
  return attributes;
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
