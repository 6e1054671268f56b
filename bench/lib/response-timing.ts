/** When the parts of one HTTP/1.1 response arrive at a client on the same machine. */
import http from "node:http";
import { CHROME_UA } from "./streaming-server.js";

/** Milliseconds from the request's start. */
export interface ResponseTiming {
  /** The response's head (Node's client parses it from the first bytes that arrive). */
  firstByte: number;
  /** The first chunk after which the body holds `marker` (the page's `<h1`): the first HTML worth painting. */
  firstPaint: number;
  /** The end of the response. */
  end: number;
  bytes: number;
  /** Reads of the body (a streamed page arrives in several). */
  chunks: number;
}

/**
 * GETs `url` with a desktop Chrome's User-Agent over `agent` (keep-alive: no connect in the figure)
 * and times the response's parts. Rejects on a status other than 200, or when `marker` never came.
 */
export function timeResponse(url: string, agent: http.Agent, marker = "<h1"): Promise<ResponseTiming> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const request = http.get(url, { agent, headers: { "user-agent": CHROME_UA, accept: "text/html" } }, (response) => {
      const firstByte = performance.now() - start;
      if (response.statusCode !== 200) reject(new Error(`${url} answered ${response.statusCode}`));
      let text = "";
      let firstPaint = Number.NaN;
      let chunks = 0;
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        chunks++;
        text += chunk;
        if (Number.isNaN(firstPaint) && text.includes(marker)) firstPaint = performance.now() - start;
      });
      response.once("end", () => {
        const end = performance.now() - start;
        if (Number.isNaN(firstPaint)) reject(new Error(`${url}: no ${marker} in the response`));
        else resolve({ firstByte, firstPaint, end, bytes: Buffer.byteLength(text), chunks });
      });
    });
    request.once("error", reject);
  });
}
