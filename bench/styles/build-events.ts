/**
 * A listener on the dev loop's event stream in this process (what the tab hears, without the
 * browser): when each `build` event arrived, and with how many errors.
 */

/** One `build` event: its id, when it reached this process (performance.now()), how many errors it carried. */
export interface BuildEvent {
  id: number;
  at: number;
  errors: number;
}

export function listenBuilds(url: string): { builds: BuildEvent[]; ready: Promise<void>; close(): void } {
  const abort = new AbortController();
  const builds: BuildEvent[] = [];
  let opened!: () => void;
  const ready = new Promise<void>((resolve) => (opened = resolve));
  void (async () => {
    const response = await fetch(url, { signal: abort.signal });
    opened();
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      for (let cut = buffer.indexOf("\n\n"); cut !== -1; cut = buffer.indexOf("\n\n")) {
        const chunk = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const data = chunk.split("\n").find((line) => line.startsWith("data: "));
        if (!chunk.startsWith("event: build") || data === undefined) continue;
        const event = JSON.parse(data.slice(6)) as { id: number; errors: unknown[] };
        builds.push({ id: event.id, at: performance.now(), errors: event.errors.length });
      }
    }
  })().catch(() => opened());
  return { builds, ready, close: () => abort.abort() };
}
