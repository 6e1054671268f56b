/**
 * The browser's side of rich and deferred props (the server's is data/serialize.ts and
 * data/deferred.ts): page data whose `serverData` is in devalue's form is decoded once, each
 * deferred value's id becoming a promise that settles when the value arrives: as an element streamed
 * into the document, or as a line of streamed page data. The names of the custom types are the server's.
 */
import type { PageData } from "./page-data.js";
import type { DeferredSource } from "./rich-props.js";

/** The decoder's chunk, loaded on first need. */
const richProps = () => import("./rich-props.js");

/** Where a response's deferred values arrive, by id. */
export class DeferredValues implements DeferredSource {
  private readonly entries = new Map<
    number,
    { promise: Promise<unknown>; resolve: (value: unknown) => void; reject: (error: Error) => void; settled: boolean }
  >();

  /** The promise of value `id`, made on first ask (before or after it arrived). */
  get(id: number): Promise<unknown> {
    return this.entry(id).promise;
  }

  /** Value `id` arrived: devalue's form parsed from JSON, or the server's message of its failure. */
  settle(id: number, outcome: { value: unknown } | { error: string }): void {
    const entry = this.entry(id);
    if (entry.settled) return;
    entry.settled = true;
    if ("error" in outcome) return entry.reject(new Error(outcome.error));
    richProps().then(
      ({ decode }) => entry.resolve(decode(outcome.value, this)),
      (error: unknown) => entry.reject(error instanceof Error ? error : new Error(String(error))),
    );
  }

  /** Why nothing more will arrive, once so: a value asked for after that fails at once. */
  private closed: string | undefined;

  /** Nothing more will arrive (the response ended or broke off): what is still pending fails with `reason`. */
  close(reason: string): void {
    this.closed = reason;
    for (const entry of this.entries.values()) {
      if (entry.settled) continue;
      entry.settled = true;
      entry.reject(new Error(reason));
    }
  }

  private entry(id: number) {
    let entry = this.entries.get(id);
    if (entry === undefined) {
      let resolve!: (value: unknown) => void;
      let reject!: (error: Error) => void;
      const promise = new Promise<unknown>((yes, no) => ((resolve = yes), (reject = no)));
      // Rejections are the page's to show (use() throws them to an error boundary); none is unhandled.
      promise.catch(() => undefined);
      this.entries.set(id, (entry = { promise, resolve, reject, settled: false }));
      // Asked for after the response ended (the decoder's chunk loaded late): it will never come.
      if (this.closed !== undefined) {
        entry.settled = true;
        reject(new Error(this.closed));
      }
    }
    return entry;
  }
}

/**
 * Page data as the page renders it: with `serverData` decoded when it is in devalue's form (after
 * loading the decoder's chunk); plain page data as it is, at once.
 */
export function decodePageData(pageData: PageData, values: DeferredValues): PageData | Promise<PageData> {
  const result = pageData.result;
  if (result.serverDataFormat !== "devalue") return pageData;
  return richProps().then(({ decode }) => ({
    ...pageData,
    result: { ...result, serverData: decode(result.serverData, values), serverDataFormat: undefined },
  }));
}

/** The elements a streamed document carries its deferred values in (render/stream-page.ts). */
export const documentValues = new DeferredValues();

/** One `data-ssr-pages-value` element of the document: its value settles. */
export function takeValueElement(element: HTMLScriptElement): void {
  const id = Number(element.dataset.ssrPagesValue);
  try {
    const parsed: unknown = JSON.parse(element.textContent ?? "");
    documentValues.settle(
      id,
      element.hasAttribute("data-ssr-pages-failed") ? { error: String(parsed) } : { value: parsed },
    );
  } catch {
    documentValues.settle(id, { error: "ssr-pages: a deferred value arrived unreadable" });
  }
  element.remove();
}

/**
 * Reads a streamed page-data body (application/x-ndjson): resolves with the page data from its
 * first line, then settles each value from the lines after, in the background; when the body ends
 * or breaks off, what is still pending fails.
 */
export async function readPageDataStream(
  body: ReadableStream<Uint8Array>,
): Promise<{ pageData: unknown; values: DeferredValues }> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const values = new DeferredValues();
  let buffered = "";
  const nextLine = async (): Promise<string | undefined> => {
    for (;;) {
      const newline = buffered.indexOf("\n");
      if (newline !== -1) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        return line;
      }
      const { done, value } = await reader.read();
      if (done) {
        const rest = buffered;
        buffered = "";
        return rest === "" ? undefined : rest;
      }
      buffered += decoder.decode(value, { stream: true });
    }
  };
  const head = await nextLine();
  if (head === undefined) throw new Error("ssr-pages: the page data ended before its first line");
  const pageData: unknown = JSON.parse(head);
  void (async () => {
    try {
      for (let line = await nextLine(); line !== undefined; line = await nextLine()) {
        if (line === "") continue;
        const piece = JSON.parse(line) as { id: number; value?: unknown; error?: string };
        values.settle(piece.id, typeof piece.error === "string" ? { error: piece.error } : { value: piece.value });
      }
      values.close("ssr-pages: the page data ended before this deferred value arrived");
    } catch {
      values.close("ssr-pages: the page data broke off before this deferred value arrived");
    }
  })();
  return { pageData, values };
}
