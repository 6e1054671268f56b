/**
 * The page data of a page with deferred props, for a client navigation: newline-delimited JSON
 * (`application/x-ndjson`), its first line the page-data envelope (its `serverData` in devalue's
 * form, each deferred value an id), then one line per value as it settles: `{"id":1,"value":…}`, or
 * `{"id":1,"error":"…"}`. The router shows the page once the first line is in, and fills each
 * boundary when its line arrives. Whole at once (`complete`) for a response the cache will store.
 */
import { PassThrough } from "node:stream";
import { failureMessage, type Deferred, type Settled } from "../data/deferred.js";
import { clientLeft } from "../request/abort.js";

/** How one streamed page data runs. */
export interface PageDataStreamOptions {
  complete: boolean;
  /** Then what is still pending fails. */
  timeoutMs: number;
  /** Production: a failed value's line carries no message. */
  dev: boolean;
  onError: (error: unknown) => void;
  /** The timeout ran out, or the client left: the request's `context.signal` aborts. */
  stop: (reason: Error) => void;
}

/** The page data as a stream, or (`complete`) its whole text once every value settled. */
export function streamPageData(
  envelope: string,
  deferred: Deferred,
  options: PageDataStreamOptions,
): PassThrough | Promise<string> {
  const out = options.complete ? undefined : new PassThrough();
  let text = `${envelope}\n`;
  out?.write(text);
  let end: (() => void) | undefined;
  const ended = new Promise<string>((resolve) => (end = () => resolve(text)));
  const timer = setTimeout(() => {
    const reason = new Error(
      `ssr-pages: deferred values were still pending after the page's timeout (${options.timeoutMs} ms)`,
    );
    options.onError(reason);
    options.stop(reason);
    for (const settled of deferred.abandon(reason)) line(settled);
    done();
  }, options.timeoutMs);
  const line = (settled: Settled): void => {
    const piece =
      "json" in settled
        ? `{"id":${settled.id},"value":${settled.json}}\n`
        : `{"id":${settled.id},"error":${JSON.stringify(failureMessage(settled.error, options.dev))}}\n`;
    if (out) out.write(piece);
    else text += piece;
  };
  const done = (): void => {
    clearTimeout(timer);
    if (out) out.end();
    else end?.();
  };
  out?.once("close", () => {
    clearTimeout(timer);
    if (out.writableFinished) return;
    deferred.stop();
    options.stop(clientLeft());
  });
  deferred.settle((settled) => {
    if ("error" in settled) options.onError(settled.error);
    line(settled);
  }, done);
  return out ?? ended;
}
