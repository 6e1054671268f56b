/**
 * A page rendered with React's streaming renderer, for a page that waits: deferred props, or a tree
 * that suspends (`use()`, `React.lazy`). The answer goes out once the shell is ready (status and
 * headers were decided before, by `getServerData`); each Suspense boundary streams into the same
 * response as it completes, and each deferred value as an element the browser reads. React's own
 * inline scripts are rewritten into data elements (stream-instructions.ts) that the client entry's
 * runtime performs: a strict `script-src 'self'` holds, with or without a nonce.
 *
 * `complete`: everything first, then one write (crawlers, a response the cache will store, a page
 * without a browser build): the content inline, no fallbacks, no instructions.
 */
import { PassThrough, Writable } from "node:stream";
import type { ReactElement } from "react";
import { renderToPipeableStream } from "react-dom/server";
import { failureMessage, type Deferred, type Settled } from "../data/deferred.js";
import { escapeJsonForHtml } from "../common/html-escape.js";
import { clientLeft } from "../request/abort.js";
import { inRenderScope } from "./render-scope.js";
import type { RenderEnv } from "./render-page.js";
import { rewriteInstructions, withoutErrorDetails } from "./stream-instructions.js";

/** The document around the streamed body, each piece already safe to write as is. */
export interface StreamedDocument {
  /** Up to and including the container's start tag. */
  start: string;
  /** From the container's end tag: what follows the shell (`onRenderBody`'s last components, the boot data, the entry). */
  afterShell: string;
}

/** After the last boundary and deferred value. */
const END = "</body></html>";

/** How one streamed render runs. */
export interface StreamOptions {
  env: RenderEnv;
  base: string;
  deferred: Deferred;
  complete: boolean;
  /** Milliseconds left of the page's timeout: then pending boundaries are left to the browser and pending values fail. */
  timeoutMs: number;
  /** Production: a failed deferred value reaches the browser without its message. */
  dev: boolean;
  /** An error after the shell (a boundary's, a deferred value's, the timeout): the response goes on. */
  onError: (error: unknown) => void;
  /** The timeout ran out, or the client left: the request's `context.signal` aborts (a deferred fetch stops). */
  stop: (reason: Error) => void;
}

/** The document as a stream (at the shell), or as one string (`complete`). @throws (rejects) what the shell throws. */
export function streamPage(
  element: ReactElement,
  document: () => StreamedDocument,
  options: StreamOptions,
): Promise<PassThrough | string> {
  return new Promise((resolve, reject) => {
    const { deferred } = options;
    let out: PassThrough | undefined;
    let text: string | undefined;
    let reactDone = false;
    let valuesDone = false;
    let finished = false;
    /** The document's start and what follows the shell are written (React may end while `pipe` runs). */
    let framed = false;
    /** The client left: what React reports of the abort is no fault. */
    let closed = false;
    /** Values that settled before the shell went out, written right after it. */
    let early = "";
    /** Boundary errors before the shell (the shell's own error rejects instead): reported once it is out. */
    const earlyErrors: unknown[] = [];
    const write = (chunk: string): void => {
      if (text !== undefined) text += chunk;
      else out?.write(chunk);
    };
    const finish = (): void => {
      if (finished || !reactDone || !valuesDone || !framed) return;
      finished = true;
      clearTimeout(timer);
      if (text !== undefined) resolve(text + early + END);
      else out?.end(END);
    };
    const reactEnded = (): void => {
      reactDone = true;
      finish();
    };
    const sink = new FlushSink(
      (html) =>
        write(options.dev ? rewriteInstructions(html, true) : withoutErrorDetails(rewriteInstructions(html, false))),
      reactEnded,
    );
    // React destroys its destination on a fatal error instead of ending it: the document ends all the same.
    sink.once("close", () => reactDone || reactEnded());
    /** A failure after the promise was made: the shell's answer never came (a 500 page), or the stream is cut. */
    const fail = (error: unknown): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      deferred.stop();
      stream.abort(error);
      if (out !== undefined) out.destroy(error instanceof Error ? error : new Error(String(error)));
      else reject(error);
    };
    let timedOut: Error | undefined;
    const timer = setTimeout(() => {
      timedOut = new Error(
        `ssr-pages: the page was still streaming after its timeout (${options.timeoutMs} ms left at its render); what was pending is left to the browser`,
      );
      options.onError(timedOut);
      options.stop(timedOut);
      stream.abort(timedOut);
      for (const settled of deferred.abandon(timedOut)) valueOut(settled);
      valuesDone = true;
      finish();
    }, options.timeoutMs);
    const valueOut = (settled: Settled): void => {
      const piece = valueElement(settled, options.dev);
      // Whole, or before the shell went out: after what follows the shell (the values' order does not matter).
      if (!framed || text !== undefined) early += piece;
      else write(piece);
    };
    const startShell = (): void => {
      try {
        writeShell();
      } catch (error) {
        // React no longer listens for the shell's errors here: a throw of ours (a Head that fails) must end the request.
        fail(error);
      }
    };
    const writeShell = (): void => {
      // Made now, not before: a collector's styles are complete once what it wraps has rendered.
      const { start, afterShell } = document();
      if (options.complete) {
        text = start;
        stream.pipe(sink);
        text += afterShell;
        framed = true;
        reportEarlyErrors();
        finish();
        return;
      }
      out = new PassThrough();
      out.once("close", () => {
        if (finished) return;
        finished = true;
        closed = true;
        clearTimeout(timer);
        deferred.stop();
        const left = clientLeft();
        options.stop(left);
        stream.abort(left);
      });
      out.write(start);
      // React writes the shell while `pipe` runs (it is ready): what follows the container comes next.
      stream.pipe(sink);
      out.write(afterShell + early);
      early = "";
      framed = true;
      resolve(out);
      reportEarlyErrors();
      finish();
    };
    const reportEarlyErrors = (): void => {
      for (const error of earlyErrors.splice(0)) if (error !== timedOut) options.onError(error);
    };
    const stream = inRenderScope({ env: options.env, base: options.base }, () =>
      renderToPipeableStream(element, {
        onShellReady: options.complete ? undefined : startShell,
        onAllReady: options.complete ? startShell : undefined,
        onShellError: (error: unknown) => {
          // Its error was among the early ones: the page's 500 reports it, the others go with it.
          earlyErrors.length = 0;
          fail(error);
        },
        onError: (error: unknown) => {
          // A boundary's error is left to the browser's render; before the shell, it waits to be reported with it.
          if (!framed) earlyErrors.push(error);
          else if (!closed && error !== timedOut) options.onError(error);
        },
      }),
    );
    deferred.settle(
      (settled) => {
        if ("error" in settled) options.onError(settled.error);
        valueOut(settled);
      },
      () => {
        valuesDone = true;
        finish();
      },
    );
  });
}

/**
 * A settled deferred value as the browser reads it: `<script type="application/json"
 * data-ssr-pages-value="id">` holding devalue's text, with `data-ssr-pages-failed` and a message
 * instead when it failed (in production a generic one: an error's message may hold what the page
 * meant to keep).
 */
function valueElement(settled: Settled, dev: boolean): string {
  if ("json" in settled)
    return `<script type="application/json" data-ssr-pages-value="${settled.id}">${escapeJsonForHtml(settled.json)}</script>`;
  const message = failureMessage(settled.error, dev);
  return `<script type="application/json" data-ssr-pages-value="${settled.id}" data-ssr-pages-failed="">${escapeJsonForHtml(JSON.stringify(message))}</script>`;
}

/**
 * Where React writes: the bytes of one flush (React calls `flush()` after each) handed on as text
 * at once, so an instruction script is never cut in two; `done` when React ends it.
 */
class FlushSink extends Writable {
  private readonly decoder = new TextDecoder();
  private pending = "";

  constructor(
    private readonly flushed: (html: string) => void,
    private readonly done: () => void,
  ) {
    super({ decodeStrings: false });
  }

  override _write(
    chunk: Uint8Array | string,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    this.pending += typeof chunk === "string" ? chunk : this.decoder.decode(chunk, { stream: true });
    callback();
  }

  /** React's signal that a flush is over. */
  flush(): void {
    if (this.pending === "") return;
    const html = this.pending;
    this.pending = "";
    this.flushed(html);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.flush();
    this.done();
    callback();
  }
}
