/** Reading the dev loop's event stream in tests. */
import http, { type IncomingMessage } from "node:http";

/** A build event as the stream sends it. */
export interface BuildEvent {
  id: number;
  entry?: string;
  errors: Array<{ file?: string; message: string; scope?: string }>;
  cause: "start" | "save" | "request";
  changed: string[];
}

/** An event stream read as it comes. */
export interface EventReader {
  /** The next `build` event. */
  next: () => Promise<BuildEvent>;
  /** The next `build` event that a save made (or that failed a save): those a page's first request made are skipped. */
  nextSave: () => Promise<BuildEvent>;
  response: IncomingMessage;
  close: () => void;
}

/** An event stream read as it comes: `next()` resolves with the next `build` event. */
export function listenEvents(url: string, headers: Record<string, string> = {}): Promise<EventReader> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers }, (response) => {
      const queue: string[] = [];
      const waiting: Array<(data: string) => void> = [];
      let buffer = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (data === undefined || !/^event: build$/m.test(block)) continue;
          const take = waiting.shift();
          if (take) take(data);
          else queue.push(data);
        }
      });
      const next = (): Promise<BuildEvent> =>
        new Promise((done) => {
          const queued = queue.shift();
          if (queued !== undefined) done(JSON.parse(queued));
          else waiting.push((data) => done(JSON.parse(data)));
        });
      const nextSave = async (): Promise<BuildEvent> => {
        for (;;) {
          const event = await next();
          if (event.cause !== "request") return event;
        }
      };
      resolve({ response, next, nextSave, close: () => request.destroy() });
    });
    request.on("error", reject);
  });
}
