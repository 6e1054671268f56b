/**
 * What React's inline streaming runtime does, driven by data elements instead: the server rewrites
 * React's scripts (render/stream-instructions.ts) into
 * `<script type="application/json" data-ssr-pages-react="RC">["B:0","S:0"]</script>`, which no CSP
 * blocks, and this performs them, in document order, as the parser adds them:
 *
 * - RC: a completed boundary's content replaces its fallback;
 * - RS: a completed segment goes where its placeholder is;
 * - RX: a boundary is left to the browser's render (with the server error's digest, and in
 *   development its message and stacks);
 * - RR: a boundary's stylesheets go into the document by precedence; once they load, RC (RX if one fails);
 * - FR: submissions of function form actions made before hydration are queued for React to replay.
 *
 * Each follows React 19's own functions (`$RC`/`$RV`, `$RS`, `$RX`, `$RR`, its form listener) minus
 * the reveal throttling and view transitions: a boundary is revealed at once. React's client, when it
 * hydrates a boundary still pending, leaves a `_reactRetry` on the boundary's `<!--$?-->` comment:
 * RC and RX call it. Elements carrying deferred values (`data-ssr-pages-value`) go to `onValue`, in
 * the same order. Every element is removed once performed.
 */

type BoundaryStart = Comment & { _reactRetry?: () => void };
/** A stylesheet's `<link>` (or a late `<style>` of React's), with the promise of its load while it loads. */
type Stylesheet = (HTMLLinkElement | HTMLStyleElement) & { _p?: Promise<void> | null };

const byId = (id = ""): HTMLElement | null => document.getElementById(id);
let started = false;

/**
 * Performs the data elements in the document now, then (while the document is loading) those the
 * parser adds, until the document is whole. Call it before `hydrateRoot`. A second call does nothing.
 */
export function startStreamRuntime(onValue?: (element: HTMLScriptElement) => void): void {
  if (started) return;
  started = true;
  const scripts = document.getElementsByTagName("script");
  const loading = () => document.readyState === "loading";
  const perform = (): void => {
    for (const element of [...scripts]) {
      const name = element.dataset.ssrPagesReact;
      const isValue = name === undefined && element.dataset.ssrPagesValue !== undefined;
      if (element.type !== "application/json" || !(name !== undefined || (isValue && onValue))) continue;
      // The parser may have put the element in with only part of its text: then nothing follows it
      // yet, and its text is no JSON yet (a JSON array's prefix never parses). It waits for the rest
      // of its text (nothing after it is in the document yet).
      const partial = loading() && !element.nextSibling;
      let args: unknown;
      if (!isValue || partial) {
        try {
          args = JSON.parse(element.text);
        } catch {
          if (partial) return;
        }
      }
      element.remove();
      try {
        if (isValue) onValue?.(element);
        else if (Array.isArray(args) && Object.hasOwn(instructions, name as string))
          instructions[name as string]?.(...args);
      } catch (error) {
        // Reported, and the next elements still performed, as with React's separate scripts.
        setTimeout(() => {
          throw error;
        });
      }
    }
  };
  perform();
  if (!loading()) return;
  // Elements the parser adds (childList), and the rest of an element's text, which Chromium's parser
  // appends to the text node it first put in (characterData).
  const observer = new MutationObserver(perform);
  observer.observe(document, { childList: true, characterData: true, subtree: true });
  document.addEventListener("DOMContentLoaded", () => {
    observer.disconnect();
    perform();
  });
}

/**
 * RC (`$RC`, `$RV`): boundary `boundaryId` (a `<template>` right after its `<!--$?-->`) shows segment
 * `segmentId` (a hidden element after the shell) in place of its fallback: everything up to the
 * comment that closes the boundary, nested boundaries (`$`, `$?`, `$~`, `$!`, Activity's `&`) counted.
 */
function completeBoundary(boundaryId?: string, segmentId?: string): void {
  const segment = byId(segmentId);
  if (!segment) return;
  segment.remove();
  const template = byId(boundaryId);
  const parent = template?.parentNode;
  if (!template || !parent) return; // the boundary is gone (rendered by the browser)
  const start = template.previousSibling as BoundaryStart;
  let node: ChildNode | null = template;
  for (let depth = 0; node;) {
    const data = node.nodeType === 8 ? (node as Comment).data : ""; // 8: a comment
    if (data === "/$" || data === "/&") {
      if (!depth--) break;
    } else if (/^(\$[?~!]?|&)$/.test(data)) depth++;
    const next: ChildNode | null = node.nextSibling;
    node.remove();
    node = next;
  }
  while (segment.firstChild) parent.insertBefore(segment.firstChild, node);
  start.data = "$";
  start._reactRetry?.();
}

/** RS (`$RS`): segment `segmentId`'s nodes replace placeholder `placeholderId`. */
function completeSegment(segmentId?: string, placeholderId?: string): void {
  const segment = byId(segmentId);
  const placeholder = byId(placeholderId);
  if (!segment || !placeholder) return;
  segment.remove();
  while (segment.firstChild) placeholder.before(segment.firstChild);
  placeholder.remove();
}

/**
 * RX (`$RX`): boundary `boundaryId` is left to the browser's render (the server's failed, or was cut
 * off), its `<template>` carrying what React's client reports of why.
 */
function clientRender(
  boundaryId?: string,
  digest?: string | null,
  message?: string,
  stack?: string,
  componentStack?: string,
): void {
  const template = byId(boundaryId);
  if (!template) return;
  const start = template.previousSibling as BoundaryStart;
  const data = template.dataset;
  start.data = "$!";
  if (digest != null) data.dgst = digest;
  if (message) data.msg = message;
  if (stack) data.stck = stack;
  if (componentStack) data.cstck = componentStack;
  start._reactRetry?.();
}

/** The stylesheets RR inserted or found, by href, as React's `$RM`. */
const stylesheets = new Map<string | null, Stylesheet>();

/**
 * RR (`$RR`): the boundary's stylesheets (`[href, precedence, ...attribute pairs]`, or `[href]` for
 * one sent before) are inserted after the last of their precedence (or after the last of any, or
 * first in `<head>`), then so are the `<style media="not all">` React wrote for the boundary, made
 * active. The boundary is marked `$~` (pending, its reveal queued: React's client waits for it
 * rather than render it itself) and revealed once the stylesheets whose media apply have loaded.
 */
function completeWithStylesheets(boundaryId?: string, segmentId?: string, styles: string[][] = []): void {
  const lastOf = new Map<string | undefined, Element>();
  let last: Element | undefined;
  const lateStyles: Stylesheet[] = [];
  for (const element of document.querySelectorAll<Stylesheet>("link[data-precedence],style[data-precedence]")) {
    if (element.media === "not all") lateStyles.push(element);
    else {
      if (element.tagName === "LINK") stylesheets.set(element.getAttribute("href"), element);
      lastOf.set(element.dataset.precedence, (last = element));
    }
  }
  const insert = (element: Element, precedence?: string): void => {
    const previous = lastOf.get(precedence) ?? last;
    if (previous === last) last = element;
    lastOf.set(precedence, element);
    if (previous) previous.after(element);
    else document.head.prepend(element);
  };
  const loads: Array<Promise<void>> = [];
  for (const [href = "", precedence, ...attributes] of styles) {
    let link = stylesheets.get(href);
    if (!link) {
      const created: Stylesheet & HTMLLinkElement = document.createElement("link");
      created.href = href;
      created.rel = "stylesheet";
      created.dataset.precedence = precedence;
      for (let i = 0; attributes[i]; i += 2) created.setAttribute(attributes[i] as string, attributes[i + 1] as string);
      created._p = new Promise((resolve, reject) => {
        created.onload = () => ((created._p = null), resolve());
        created.onerror = () => ((created._p = null), reject());
      });
      stylesheets.set(href, (link = created));
      insert(created, precedence);
    }
    if (link._p && (!link.media || matchMedia(link.media).matches)) loads.push(link._p);
  }
  for (const style of lateStyles) {
    style.removeAttribute("media");
    insert(style, style.dataset.precedence);
  }
  const template = byId(boundaryId);
  if (template) (template.previousSibling as Comment).data = "$~";
  Promise.all(loads).then(
    () => completeBoundary(boundaryId, segmentId),
    () => clientRender(boundaryId, "CSS failed to load"),
  );
}

/**
 * FR (React's inline submit listener): until React has hydrated a form whose action is a function
 * (its `action`, or its submitter's `formAction`, is React's `javascript:` placeholder), a submission
 * is not sent but queued with its data on `document.$$reactFormReplay`, which React's client replays
 * once the form is hydrated.
 */
function replayFormSubmissions(): void {
  addEventListener("submit", (event) => {
    const form = event.target as HTMLFormElement;
    const submitter = event.submitter;
    const formAction = submitter?.getAttribute("formAction");
    if (
      event.defaultPrevented ||
      (formAction ?? form.action) !== "javascript:throw new Error('React form unexpectedly submitted.')"
    )
      return;
    event.preventDefault();
    const owner = form.ownerDocument as Document & { $$reactFormReplay?: unknown[] };
    (owner.$$reactFormReplay ??= []).push(form, submitter, new FormData(form, formAction == null ? submitter : null));
  });
}

/** Each instruction by its name in `data-ssr-pages-react`, called with the element's arguments. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the arguments are React's, as the server passed them on
const instructions: Record<string, (...args: any[]) => void> = {
  RC: completeBoundary,
  RS: completeSegment,
  RX: clientRender,
  RR: completeWithStylesheets,
  FR: replayFormSubmissions,
};
