/**
 * React's streaming renderer (`renderToPipeableStream`) finishes its work in the browser with inline
 * scripts: `<script>$RC("B:0","S:0")</script>` reveals a completed Suspense boundary (the first such
 * script also carries the function's definition), `$RS` moves a completed segment into place, `$RX`
 * leaves a boundary to the browser's render, `$RR` loads a boundary's stylesheets then reveals it;
 * the shell ends with `requestAnimationFrame(function(){$RT=performance.now()})` (the time its reveal
 * throttling counts from), and a page with a function form action gets a listener that queues
 * submissions made before hydration. Under a strict `script-src 'self'` (no nonce) the browser
 * blocks every one of them, each a CSP violation, and no boundary is ever revealed. React 19's stable
 * build ignores `unstable_externalRuntimeSrc`, so each flush is rewritten here instead: every script
 * of React's becomes a data element that does not run,
 *
 *   `<script type="application/json" data-ssr-pages-react="RC">["B:0","S:0"]</script>`
 *
 * (the instruction, RC, RS, RX, RR, or FR for the form listener, and its arguments as the JSON array
 * React wrote them in), and client/stream-runtime.ts, in the page's client bundle, performs them.
 * The shell's timer has nothing to do without the throttling and goes; the `id="_R_"` React puts on
 * its first script after the shell (a target for `<link rel="expect" blocking="render">`; React's
 * client never looks it up) stays, on an empty `<template>`.
 *
 * Only React's own scripts are touched: a start tag as React writes it (`<script>`, with the `nonce`
 * and `id` it may add, nothing else) and a body that is React's runtime (an instruction call, after
 * the definitions of `$R…` functions, or one of its two fixed scripts). A page's scripts, a bare
 * `<script>` with other text included, are copied byte for byte.
 */

const SCRIPT_START = "<script";

/** What may follow a tag's name. */
const TAG_NAME_ENDS = " \t\n\f\r/>";

/** A start tag React writes for its runtime; group 1 is the id React may add (`_R_`, after its `identifierPrefix`). */
const REACT_START_TAG = /^<script(?: nonce="[^"]*")?(?: id="([^"]*)")?>$/;

/** Where the HTML parser ends a script's text: `</script` then a space, `/` or `>`, in any case. */
const SCRIPT_END = /<\/script[\t\n\f\r />]/gi;

/** The call an instruction script ends with. The definitions before it contain no `$R?("`; its arguments come after it. */
const CALL = /\$R([CSXR])\(/;

/** The shell's paint timer, for React's reveal throttling. */
const SHELL_TIME = "requestAnimationFrame(function(){$RT=performance.now()});";

/** React's listener that queues the submissions of function form actions until hydration. */
const FORM_REPLAY = 'addEventListener("submit",function(a){';

/**
 * `html`, the text of one whole flush of React's (everything it wrote before calling `flush()`: no
 * script is cut in two), with React's scripts as data elements. A flush without a script costs one
 * `indexOf`, and comes back as the same string.
 *
 * `errorDetails` false keeps only the boundary and the digest of an RX: React's development build
 * (loaded whenever `NODE_ENV` is not "production") also sends the server error's message and stacks.
 * By default every argument is kept as React wrote it.
 */
export function rewriteInstructions(html: string, errorDetails = true): string {
  let start = html.indexOf(SCRIPT_START);
  if (start === -1) return html;
  let out = "";
  let copied = 0;
  while (start !== -1) {
    // `<script` begins a script tag only before a space, `/` or `>` (not `<script-card>`).
    const tagEnd = html.indexOf(">", start) + 1;
    if (!TAG_NAME_ENDS.includes(html.charAt(start + SCRIPT_START.length)) || tagEnd === 0) {
      start = html.indexOf(SCRIPT_START, start + 1);
      continue;
    }
    // A start tag ending in `/>` is still a script whose text runs to `</script>`.
    SCRIPT_END.lastIndex = tagEnd;
    const end = SCRIPT_END.exec(html);
    if (end === null) break; // a script that does not end in this flush: not React's, whose end is always in it
    const after = html.indexOf(">", end.index) + 1;
    const tag = REACT_START_TAG.exec(html.slice(start, tagEnd));
    const replacement =
      tag === null || html.slice(end.index, after) !== "</script>"
        ? undefined
        : rewriteScript(html.slice(tagEnd, end.index), tag[1], errorDetails);
    if (replacement !== undefined) {
      out += html.slice(copied, start) + replacement;
      copied = after;
    }
    start = html.indexOf(SCRIPT_START, after);
  }
  return copied === 0 ? html : out + html.slice(copied);
}

/** What a script with React's start tag becomes: a data element, nothing, or (`undefined`) itself, not being React's. */
function rewriteScript(body: string, id: string | undefined, errorDetails: boolean): string | undefined {
  const marker = id === undefined ? "" : `<template id="${id}"></template>`;
  if (body === SHELL_TIME) return marker;
  if (body.startsWith(FORM_REPLAY) && body.includes("$$reactFormReplay")) return marker + dataElement("FR", "[]");
  // An instruction: `$RC("B:0","S:0")`, or definitions (`$RX=function…;$RB=[];…`) and then the call.
  if (!body.startsWith("$R") || !body.endsWith(")")) return undefined;
  const call = CALL.exec(body);
  if (call === null || (call.index > 0 && !/^\$R[A-Z]+=/.test(body))) return undefined;
  let args = `[${body.slice(call.index + 4, -1)}]`;
  // React writes its arguments as JSON (JSON.stringify, `<` escaped), but for the ids, which carry the
  // `identifierPrefix` as given: a `<` in them is escaped here, so nothing in the element can end it
  // (`</script`) or change how it is read (`<!--`). Arguments that are not JSON: not React's, kept.
  let parsed: unknown[];
  try {
    parsed = JSON.parse(args) as unknown[];
  } catch {
    return undefined;
  }
  if (call[1] === "X" && !errorDetails && parsed.length > 2) args = JSON.stringify(parsed.slice(0, 2));
  if (args.includes("<")) args = args.replaceAll("<", "\\u003c");
  return marker + dataElement(`R${call[1]}`, args);
}

const dataElement = (name: string, args: string): string =>
  `<script type="application/json" data-ssr-pages-react="${name}">${args}</script>`;

/** The error details React's development build writes on a failed boundary's `<template>` in the shell. */
const TEMPLATE_ERROR_DETAIL = / data-(?:msg|stck|cstck)="[^"]*"/g;

/**
 * `html` without the message and stacks React's development build (loaded whenever `NODE_ENV` is not
 * "production") writes on a boundary that failed before the shell (`<template data-msg data-stck>`):
 * a production response never carries a server error's message or stack. The digest stays.
 */
export function withoutErrorDetails(html: string): string {
  if (!html.includes(" data-msg=") && !html.includes(" data-stck=") && !html.includes(" data-cstck=")) return html;
  return html.replace(/<template\b[^>]*>/g, (tag) => tag.replace(TEMPLATE_ERROR_DETAIL, ""));
}
