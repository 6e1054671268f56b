/**
 * Part 3: instructions per request (valgrind's callgrind, as bench/instructions.ts counts them) on the
 * request path of a Gatsby site's pages, in pairs whose only difference is where the data comes from:
 *
 * - static query: the layout reads siteMetadata's title and description with `useStaticQuery` vs the
 *   same layout with them as a constant (HTML: a static query's data is in the code, not in page-data);
 * - page query: a page query of siteMetadata (`data` prop, in the page-data JSON's `result.data`) vs
 *   the same object as a constant in a page without getServerData;
 * - an informational page with one StaticImage (640 wide, three formats): what an image's markup costs
 *   per request, against the static-const page (no image).
 *
 * Each server (one at the root, one under `/shop` with `app.use("/shop", …)`) is warmed up on every URL
 * in turn, then measured in batches that go round all URLs. A batch that a major garbage collection
 * lands in costs 15–40 % more than the others, and which batch it lands in is chance (in one server
 * the collection pays for every URL's garbage), so the ratios are judged on each URL's median batch
 * (the cost of a request, scavenges included); the mean (collections included) is shown beside it.
 * (Forcing a full collection, uncounted, before each batch was tried: V8 then throws away compiled
 * code and type feedback, and counts nearly doubled, noisier still.)
 */
import path from "node:path";
import { startCounted } from "../lib/callgrind.js";
import { stopServer } from "../lib/server.js";
import { SERVER } from "./build.js";
import type { Site } from "./sites.js";
import { DUMPS } from "./workspace.js";

/** The pages, by id: their path under the mount, and which of their answers are counted. */
export const PAGES = {
  "static-query": { path: "/static-query/", kinds: ["html"] },
  "static-const": { path: "/static-const/", kinds: ["html"] },
  "page-query": { path: "/page-query/", kinds: ["html", "json"] },
  "page-const": { path: "/page-const/", kinds: ["html", "json"] },
  image: { path: "/image/", kinds: ["html"] },
} as const satisfies Record<string, { path: string; kinds: ReadonlyArray<"html" | "json"> }>;
export type PageId = keyof typeof PAGES;

/** Instructions per request of one URL: each batch's mean (none for an answer not counted). */
export type Counts = Record<PageId, { html: number[]; json: number[] }>;

export interface CountSettings {
  warmup: number;
  batches: number;
  batch: number;
}

const pageData = (page: string) => `/page-data${page === "/" ? "/index" : page.replace(/\/$/, "")}/page-data.json`;

/** Counts every page's HTML and JSON on one server (`mount` "" or "/shop"). */
export async function countMount(site: Site, mount: string, settings: CountSettings): Promise<Counts> {
  const dir = path.join(DUMPS, mount === "" ? "root" : mount.replace(/\W/g, ""));
  const server = await startCounted(
    SERVER,
    { PAGES_DIR: site.pagesDir, ...(mount ? { MOUNT: mount } : {}) },
    `${mount}${PAGES["static-query"].path}`,
    dir,
  );
  try {
    const urls = (Object.entries(PAGES) as Array<[PageId, (typeof PAGES)[PageId]]>).flatMap(([id, page]) =>
      page.kinds.map((kind) => ({ id, kind, url: mount + (kind === "html" ? page.path : pageData(page.path)) })),
    );
    // Warmed up on every URL in turn (V8 optimises the shared code with the feedback of all paths),
    // then a short settle on each; batches interleave the URLs, so drift (heap growth, GC) falls on all alike.
    for (const { url } of urls) await server.count(server.origin + url, settings.warmup, 200);
    for (const { url } of urls) await server.count(server.origin + url, Math.ceil(settings.warmup / 10), 200);
    const counts = Object.fromEntries(
      Object.keys(PAGES).map((id) => [id, { html: [] as number[], json: [] as number[] }]),
    ) as Counts;
    for (let batch = 0; batch < settings.batches; batch++) {
      for (const { id, kind, url } of urls)
        counts[id][kind].push((await server.count(server.origin + url, settings.batch, 200)) / settings.batch);
    }
    for (const id of Object.keys(PAGES) as PageId[]) {
      const line = (["html", "json"] as const)
        .filter((kind) => counts[id][kind].length > 0)
        .map((kind) => `${kind} ${(mean(counts[id][kind]) / 1000).toFixed(1)}k`);
      console.log(`  ${(mount || "root").padEnd(5)} ${id.padEnd(13)} ${line.join("  ")} instr/req`);
    }
    return counts;
  } finally {
    await stopServer(server);
  }
}

export const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

/** The standard error of the mean of `values`, relative to the mean. */
export function relativeError(values: readonly number[]): number {
  if (values.length < 2) return Number.NaN;
  const m = mean(values);
  const variance = values.reduce((sum, value) => sum + (value - m) ** 2, 0) / (values.length - 1);
  return Math.sqrt(variance / values.length) / m;
}

/** What the pages answer (checked before counting, without valgrind): the data is there, under the mount too. */
export async function checkRequestsSite(origin: string, mount: string): Promise<void> {
  const text = async (url: string) => {
    const response = await fetch(origin + url);
    const body = await response.text();
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${body.slice(0, 300)}`);
    return body;
  };
  for (const page of ["static-query", "static-const"] as const) {
    const html = await text(mount + PAGES[page].path);
    if (!html.includes("A Gatsby 5 style site served by an Express app through ssr-pages."))
      throw new Error(`${page}: no description in the layout`);
  }
  const query = JSON.parse(await text(mount + pageData(PAGES["page-query"].path))) as {
    result: { data?: { site: { siteMetadata: { author: string } } } };
  };
  if (query.result.data?.site.siteMetadata.author !== "@bench-author")
    throw new Error(`page-query's page-data has no result.data: ${JSON.stringify(query).slice(0, 300)}`);
  const constant = JSON.parse(await text(mount + pageData(PAGES["page-const"].path))) as { result: { data?: unknown } };
  if (constant.result.data !== undefined) throw new Error("page-const's page-data has result.data");
  const image = await text(mount + PAGES.image.path);
  if (!image.includes(`${mount}/_ssr-pages/img/`))
    throw new Error(`image: no variant URL under ${mount || "the root"}`);
}
