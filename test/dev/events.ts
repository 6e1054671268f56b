/** Reading the dev loop's event stream in tests. */
import http, { type IncomingMessage } from "node:http";

/** A build event as the stream sends it. */
export interface BuildEvent {
  id: number;
  entry?: string;
  errors: Array<{ file?: string; message: string }>;
}

/** An event stream read as it comes: `next()` resolves with the next `build` event. */
export function listenEvents(url: string, headers: Record<string, string> = {}): Promise<{ next: () => Promise<BuildEvent>; response: IncomingMessage; close: () => void }> {
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
      resolve({
        response,
        next: () => new Promise((done) => {
          const queued = queue.shift();
          if (queued !== undefined) done(JSON.parse(queued));
          else waiting.push((data) => done(JSON.parse(data)));
        }),
        close: () => request.destroy(),
      });
    });
    request.on("error", reject);
  });
}

