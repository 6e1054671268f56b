/**
 * What the 200-image gallery page costs per request once started (informational, beside part 1): the
 * median time of its HTML and of its page-data JSON over sequential keep-alive requests after a
 * warm-up, and their sizes, full against stripped. The full page's HTML holds each image's markup
 * (a `<picture>` and its `<noscript>` copy, the blurred placeholder's data URI) and the page query's
 * result as the embedded page-data.
 */
import http from "node:http";
import { median } from "../lib/stats.js";
import type { Site } from "./sites.js";
import { startSite, stopSite } from "./spawn.js";

export interface PageWeight {
  htmlMs: number;
  htmlBytes: number;
  jsonMs: number;
  jsonBytes: number;
}

function get(url: string, agent: http.Agent): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (response) => {
        let bytes = 0;
        response.on("data", (chunk: Buffer) => (bytes += chunk.length));
        response.on("end", () =>
          response.statusCode === 200
            ? resolve({ ms: performance.now() - started, bytes })
            : reject(new Error(`${url} answered ${response.statusCode}`)),
        );
      })
      .on("error", reject);
  });
}

/** `page` (and its page-data) of `site`: `requests` timed after as many untimed. */
export async function pageWeight(site: Site, page: string, requests: number): Promise<PageWeight> {
  const server = await startSite(site.pagesDir, page);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const json = `/page-data${page.replace(/\/$/, "")}/page-data.json`;
    const measure = async (url: string) => {
      for (let i = 0; i < requests; i++) await get(server.origin + url, agent);
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < requests; i++) {
        const answer = await get(server.origin + url, agent);
        times.push(answer.ms);
        bytes = answer.bytes;
      }
      return { ms: median(times), bytes };
    };
    const html = await measure(page);
    const data = await measure(json);
    return { htmlMs: html.ms, htmlBytes: html.bytes, jsonMs: data.ms, jsonBytes: data.bytes };
  } finally {
    agent.destroy();
    await stopSite(server);
  }
}
