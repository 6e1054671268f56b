/** bench/GATSBY.md: the tables of the three parts, what each figure means, and the findings. */
import { fmt, median } from "../lib/stats.js";
import type { ColdBreakdown } from "./cold-breakdown.js";
import { ratio } from "./findings.js";
import type { GatsbyResult } from "./gatsby-sharp.js";
import type { PageWeight } from "./page-weight.js";
import { WATCHED, type StartProfile } from "./profile.js";
import { mean, relativeError, type Counts, type PageId } from "./request-path.js";
import { med, perRoundRatio, type SiteStartup } from "./startup.js";
import { medianOf, type OurVariant } from "./variants.js";

export interface ReportInput {
  date: string;
  revision: string;
  node: string;
  cores: number;
  sharp: string;
  command: string;
  settings: string;
  quick: boolean;
  startup?: {
    results: SiteStartup[];
    breakdown: ColdBreakdown[];
    profiles: { full: StartProfile[]; stripped: StartProfile[] };
    weight: { full: PageWeight; stripped: PageWeight } | undefined;
    images: number;
    rounds: number;
  };
  variants?: {
    ours: OurVariant[];
    dominant: string | undefined;
    blurred: string | undefined;
    gatsby: GatsbyResult;
    rounds: number;
    gatsbyRounds: number;
    sharpFailure: string;
    photoBytes: number;
  };
  requests?: { root: Counts; shop: Counts; settings: string };
  findings: string[];
  seconds: number;
}

const TARGET_STARTUP = 1.2;
const TARGET_REQUESTS = 1.05;
const verdict = (value: number, target: number) =>
  Number.isFinite(value) ? (value <= target ? "met" : "**missed**") : "";
const kib = (bytes: number) => (bytes / 1024).toFixed(1);

function startupSection(input: NonNullable<ReportInput["startup"]>): string[] {
  const lines: string[] = [];
  lines.push(`## 1. Start-up to the first 200 of \`/\``, "");
  lines.push(
    `A fresh \`node\` process each time, running the bench's Express 5 server (bench/gatsby-site/server.ts, compiled to JavaScript, \`ssrMiddleware(pagesDir, { dev: false })\`, NODE_ENV=production), timed from \`spawn\` to the first 200 of \`/\` (Node's own start-up, importing Express and ssr-pages, compiling the site, rendering \`/\`). ${input.rounds} rounds after an untimed one; each round starts every version of a site in turn, in the order stripped → cold → warm, then warm → cold → stripped; medians.`,
    "",
  );
  lines.push(
    `| site | stripped, ms | full **cold**, ms | cold / stripped | full **warm**, ms | warm / stripped | per-round ratios (cold, warm) | target ≤ ${TARGET_STARTUP}× (cold / warm) | \`ready\` in the child, ms (stripped / cold / warm) | RSS MiB (stripped / cold / warm) | image cache files |`,
  );
  lines.push(`|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|`);
  for (const result of input.results) {
    const stripped = med(result, "stripped", "firstMs");
    const cold = med(result, "cold", "firstMs");
    const warm = med(result, "warm", "firstMs");
    const files = median(result.samples.cold.map((s) => s.cacheFiles));
    lines.push(
      `| ${result.site} | ${fmt(stripped)} (n=${result.samples.stripped.length}) | ${fmt(cold)} (n=${result.samples.cold.length}) | **${ratio(cold, stripped)}** | ${fmt(warm)} (n=${result.samples.warm.length}) | **${ratio(warm, stripped)}** | ${fmt(perRoundRatio(result, "cold"), 2)}×, ${fmt(perRoundRatio(result, "warm"), 2)}× | ${verdict(cold / stripped, TARGET_STARTUP)} / ${verdict(warm / stripped, TARGET_STARTUP)} | ${fmt(med(result, "stripped", "readyMs"))} / ${fmt(med(result, "cold", "readyMs"))} / ${fmt(med(result, "warm", "readyMs"))} | ${fmt(med(result, "stripped", "rss"))} / ${fmt(med(result, "cold", "rss"))} / ${fmt(med(result, "warm", "rss"))} | ${fmt(files)} |`,
    );
  }
  lines.push("");
  for (const result of input.results) lines.push(`- **${result.site}**: ${result.description}`);
  lines.push("");
  lines.push(
    `- *stripped*: the same pages and components with the queries' data written in as constants, the images removed (gallery) or a plain \`import x from "../images/x.png"\` + \`<img>\` (starter), gatsby-config.js with siteMetadata and no plugins (so no manifest).`,
    `- *cold*: \`<site>/node_modules/.cache/ssr-pages/images\` deleted before the start: sharp is loaded, every image is read and hashed (the hash names its cache entries), its header read (\`metadata()\`) and its placeholder made (blurred: a 20×13 JPEG; dominantColor: a 200×200 shrink and \`stats()\`), and the results are written to that cache. Image *variants* are never made at start-up.`,
    `- *warm*: the same site started again with that cache present: nothing it holds is worked out again and sharp is not loaded (what is still done per image shows in the profile below).`,
    `- \`ready\` in the child: the server process's own clock (from its start) when \`ready\` resolved; the first 200 follows within a few ms. RSS: the server process after the first 200.`,
    "",
  );
  if (input.breakdown.length > 0) {
    const pick = (key: keyof ColdBreakdown) => median(input.breakdown.map((b) => b[key]));
    lines.push(
      `Where the gallery's cold image time goes, the planner's sharp calls done alone in a fresh process over all ${input.images} photos at once (bench/gatsby-site/cold-breakdown.ts; median of ${input.breakdown.length}; libvips threads: ${pick("threads")}):`,
      "",
      `| load sharp | read + SHA-256 of ${fmt(pick("megabytes"), 0)} MB | \`metadata()\` of each | blurred placeholder of each: decode, sharp's attention crop (Gatsby's default), 20×13 JPEG | the same with a centre crop (ssr-pages' planner when the placeholder keeps the image's shape) |`,
      `|---:|---:|---:|---:|---:|`,
      `| ${fmt(pick("loadMs"))} ms | ${fmt(pick("hashMs"))} ms | ${fmt(pick("metadataMs"))} ms | ${fmt(pick("blurredMs"))} ms | ${fmt(pick("centreMs"))} ms |`,
      "",
    );
  }
  if (input.weight) {
    const { full: f, stripped: s } = input.weight;
    lines.push(
      `The gallery page itself, per request once started (informational; bench/gatsby-site/page-weight.ts: sequential keep-alive requests after as many untimed, median): full HTML ${fmt(f.htmlMs, 2)} ms and ${fmt(f.htmlBytes / 1024)} KiB (its page-data JSON, also embedded in that HTML: ${fmt(f.jsonMs, 2)} ms, ${fmt(f.jsonBytes / 1024)} KiB); stripped HTML ${fmt(s.htmlMs, 2)} ms and ${fmt(s.htmlBytes / 1024)} KiB (page-data ${fmt(s.jsonBytes)} B).`,
      "",
    );
  }
  const { full, stripped } = input.profiles;
  if (full.length > 0 && stripped.length > 0) {
    const pick = (list: StartProfile[], get: (p: StartProfile) => number) => median(list.map(get));
    lines.push(
      `Where the gallery's **warm** start goes: the server run with Node's CPU profiler (main thread, 250 µs samples) to the first 200, median of ${full.length} (bench/gatsby-site/profile.ts). Main thread busy: stripped ${fmt(pick(stripped, (p) => p.busyMs))} ms, full warm ${fmt(pick(full, (p) => p.busyMs))} ms (garbage collection ${fmt(pick(stripped, (p) => p.garbageMs))} → ${fmt(pick(full, (p) => p.garbageMs))} ms). Inclusive time of the site layer's functions in the full site's warm start (nested: they do not add up):`,
      "",
      `| function (dist/src/…) | what it does | ms |`,
      `|---|---|---:|`,
      ...WATCHED.map(
        (w) =>
          `| \`${w.name}\` (${w.file.replace(/\.js$/, ".ts")}) | ${w.does} | ${fmt(
            pick(full, (p) => p.inclusive[w.name] ?? 0),
            1,
          )} |`,
      ),
      "",
    );
  }
  return lines;
}

function variantsSection(input: NonNullable<ReportInput["variants"]>): string[] {
  const { ours, gatsby } = input;
  const lines: string[] = [];
  lines.push(`## 2. Image variants`, "");
  lines.push(
    `One \`<StaticImage src="../images/photo.jpg" width={640} formats={["auto", "webp", "avif"]} />\` of a 1600×1000 photo (a ${kib(input.photoBytes)} KiB JPEG). It names 4 widths (gatsby-plugin-image's default densities 0.25, 0.5, 1, 2 of 640) in 3 formats. ssr-pages: each variant requested over HTTP from the production server (keep-alive, one at a time; time to the last byte, client side); ${input.rounds} rounds, medians. *made*: the first request for a variant no cache holds (source read and hash-checked, sharp, written to the disk cache, served); *disk*: the first request in a new server process with the variant in the disk cache; *memory*: the next request in the same process (the in-memory LRU). Before timing, three variants of another photo are requested in each process, so sharp's load and the encoders' first use are not in any figure.`,
    "",
  );
  const gatsbyLabel =
    gatsby.mode === "gatsby"
      ? `gatsby-plugin-sharp 5.16's own code (generateImageData to plan, process-file.js's processFile to make each variant), with sharp ${gatsby.sharp} / libvips ${gatsby.vips} in place of the sharp 0.32 it asks for; median of ${input.gatsbyRounds} after one untimed run`
      : `sharp ${gatsby.sharp} called directly with gatsby-plugin-sharp's default settings (quality 50, progressive JPEG without mozjpeg, cover + attention crop: plugin-options.ts, process-file.ts), because gatsby-plugin-sharp itself did not run: ${gatsby.failure ?? ""}`;
  const both = gatsby.defaultThreads !== 1;
  lines.push(
    `Gatsby: ${gatsbyLabel}. Gatsby runs sharp with one libvips thread (process-file.js sets \`sharp.concurrency(1)\`: one worker per core); ssr-pages' server leaves sharp's default, which here is ${gatsby.defaultThreads} thread${gatsby.defaultThreads === 1 ? " (sharp's default on glibc Linux without jemalloc), so both ran alike" : 's: the "all threads" column is Gatsby\'s code with that default'}. ssr-pages makes at most as many variants at once as there are cores (src/images/image-variants.ts).`,
    "",
  );
  lines.push(
    `| variant | bytes, ssr-pages | bytes, Gatsby | same bytes | ssr-pages **made**, ms | Gatsby, ms |${both ? " Gatsby, all threads, ms |" : ""} made / Gatsby | ssr-pages **disk**, ms | ssr-pages **memory**, ms |`,
  );
  lines.push(`|---|---:|---:|:---:|---:|---:|${both ? "---:|" : ""}---:|---:|---:|`);
  const order = { jpg: 0, webp: 1, avif: 2 } as const;
  const sorted = [...ours].sort((a, b) => order[a.format] - order[b.format] || a.width - b.width);
  for (const variant of sorted) {
    const theirs = gatsby.variants.find((g) => g.format === variant.format && g.width === variant.width);
    const made = medianOf(variant.ms.made);
    const disk = medianOf(variant.ms.disk);
    const memory = medianOf([...variant.ms.memoryAfterMade, ...variant.ms.memoryAfterDisk]);
    lines.push(
      `| ${variant.format} ${variant.width}×${variant.height} | ${variant.bytes} | ${theirs ? theirs.bytes : "–"} | ${theirs ? (theirs.sha === variant.sha ? "yes" : "no") : "–"} | ${fmt(made, 1)} | ${theirs ? fmt(theirs.ms.gatsby, 1) : "–"} |${both ? ` ${theirs ? fmt(theirs.ms.default, 1) : "–"} |` : ""} ${theirs ? ratio(made, both ? theirs.ms.default : theirs.ms.gatsby) : "–"} | ${fmt(disk, 2)} | ${fmt(memory, 2)} |`,
    );
  }
  const total = (pick: (v: OurVariant) => number) => sorted.reduce((sum, v) => sum + pick(v), 0);
  const gatsbyTotal = (key: "gatsby" | "default") => gatsby.variants.reduce((sum, v) => sum + v.ms[key], 0);
  lines.push(
    `| **all ${sorted.length}** | ${total((v) => v.bytes)} | ${gatsby.variants.reduce((n, v) => n + v.bytes, 0)} | | ${fmt(
      total((v) => medianOf(v.ms.made)),
      0,
    )} | ${fmt(gatsbyTotal("gatsby"), 0)} |${both ? ` ${fmt(gatsbyTotal("default"), 0)} |` : ""} ${ratio(
      total((v) => medianOf(v.ms.made)),
      gatsbyTotal(both ? "default" : "gatsby"),
    )} | ${fmt(
      total((v) => medianOf(v.ms.disk)),
      1,
    )} | ${fmt(
      total((v) => medianOf([...v.ms.memoryAfterMade, ...v.ms.memoryAfterDisk])),
      1,
    )} |`,
    "",
  );
  if (gatsby.jobs.length > 0) {
    lines.push(
      `What \`gatsby build\` spends on this image: one job per format, all four widths from one decoded pipeline (\`pipeline.clone()\`), one thread: ${gatsby.jobs.map((job) => `${job.format} ${fmt(job.ms)} ms`).join(", ")}; ${fmt(gatsby.jobs.reduce((n, j) => n + j.ms, 0))} ms in all, paid at build time for every image of the site whether or not it is ever requested.`,
      "",
    );
  }
  if (gatsby.data) {
    const same = (a: string | undefined, b: string | undefined) =>
      a !== undefined && a === b ? "the same" : "**different**";
    lines.push(
      `Placeholders: the dominant colour ssr-pages renders is ${input.dominant ?? "–"}, Gatsby's ${gatsby.data.backgroundColor ?? "–"} (${same(input.dominant, gatsby.data.backgroundColor)}); the blurred placeholder (\`placeholder="blurred"\`, a 20×13 JPEG data URI: ${input.blurred?.length ?? 0} characters, Gatsby's ${gatsby.blurred?.length ?? 0}) is ${input.blurred !== undefined && input.blurred === gatsby.blurred ? "byte for byte the same as gatsby-plugin-sharp's" : "**not** the same as gatsby-plugin-sharp's"}.`,
      "",
    );
    const widths = (srcset: string | undefined) =>
      (srcset ?? "")
        .split(/,\s*/)
        .map((part) => part.trim().split(/\s+/)[1])
        .join(" ");
    lines.push(
      `Gatsby's image data for the same options: ${gatsby.data.width}×${gatsby.data.height}, backgroundColor ${gatsby.data.backgroundColor ?? "–"}, fallback srcset ${widths(gatsby.data.images.fallback?.srcSet)}, ${(gatsby.data.images.sources ?? []).map((s) => `${s.type} ${widths(s.srcSet)}`).join(", ")}.${gatsby.warnings.length ? ` Warnings: ${gatsby.warnings.join("; ")}` : ""}`,
      "",
    );
  }
  if (input.sharpFailure) lines.push(`Without the override: ${input.sharpFailure}`, "");
  return lines;
}

const PAIRS: Array<{ label: string; a: PageId; b: PageId; kinds: Array<"html" | "json">; target: boolean }> = [
  {
    label: "layout with `useStaticQuery` (title, description) vs the same layout with a constant",
    a: "static-query",
    b: "static-const",
    kinds: ["html"],
    target: true,
  },
  {
    label: "page query (`data` prop, page-data `result.data`) vs the same object as a constant, no getServerData",
    a: "page-query",
    b: "page-const",
    kinds: ["html", "json"],
    target: true,
  },
  {
    label: "informational: a page with one StaticImage (640 wide, 3 formats) vs the static-const page (no image)",
    a: "image",
    b: "static-const",
    kinds: ["html"],
    target: false,
  },
];

function requestsSection(input: NonNullable<ReportInput["requests"]>): string[] {
  const lines: string[] = [];
  lines.push(`## 3. Request path of pages with queries: instructions per request`, "");
  lines.push(
    `Valgrind's callgrind counts the instructions the server executes per request (all its threads, user space), as bench/instructions.ts does: the same Express server under \`valgrind --tool=callgrind --instr-atstart=no\`, requests one at a time over one keep-alive connection, \`callgrind_control --dump\` after each batch. ${input.settings}. One server at the root and one under \`/shop\` (\`app.use("/shop", pages)\`: every served URL in a query's result gets the mount path, made once per mount path and cached); the two run side by side. Ratios are query / constant.`,
    "",
  );
  lines.push(
    `| pair | answer | root: query, k | root: constant, k | root ratio (medians) | root ratio (means) ± 2 SE | /shop: query, k | /shop: constant, k | /shop ratio (medians) | /shop ratio (means) ± 2 SE | target ≤ ${TARGET_REQUESTS.toFixed(2)}× (root / shop) |`,
  );
  lines.push(`|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|`);
  for (const pair of PAIRS) {
    for (const kind of pair.kinds) {
      const cell = (counts: Counts, id: PageId) => {
        const list = counts[id][kind];
        return `${fmt(median(list) / 1000, 1)} (mean ${fmt(mean(list) / 1000, 1)}; ${fmt(Math.min(...list) / 1000, 0)}–${fmt(Math.max(...list) / 1000, 0)})`;
      };
      const judged = (counts: Counts) => {
        const a = counts[pair.a][kind];
        const b = counts[pair.b][kind];
        const medians = median(a) / median(b);
        const means = mean(a) / mean(b);
        // The ratio of means' standard error from the two means' (relative errors add in quadrature).
        const error = means * Math.hypot(relativeError(a), relativeError(b));
        return {
          medians: `**${fmt(medians, 3)}×**`,
          means: `${fmt(means, 3)}×${Number.isFinite(error) ? ` ± ${fmt(2 * error, 3)}` : ""}`,
          verdict: verdict(medians, TARGET_REQUESTS),
        };
      };
      const root = judged(input.root);
      const shop = judged(input.shop);
      lines.push(
        `| ${pair.label} | ${kind} | ${cell(input.root, pair.a)} | ${cell(input.root, pair.b)} | ${root.medians} | ${root.means} | ${cell(input.shop, pair.a)} | ${cell(input.shop, pair.b)} | ${shop.medians} | ${shop.means} | ${pair.target ? `${root.verdict} / ${shop.verdict}` : "(none)"} |`,
      );
    }
  }
  lines.push(
    "",
    `Each cell: the median batch in thousands of instructions per request, then the mean over batches and the lowest–highest batch. A batch that a major garbage collection lands in costs 15–40 % more than the others, and in one server which URL's batch it lands in is chance (it collects every URL's garbage), so the ratios are judged on the medians (a request's cost with its scavenges); the ratio of the means, with twice its standard error, is shown beside: within that of 1.00 it is no measurable difference. The page-const JSON has no \`result.data\` (its data is in its code), so the page-query JSON is longer by the data's JSON. A static query's result is in the page's code on both sides, so its page-data JSON is the same as the constant page's (not counted).`,
    "",
  );
  return lines;
}

/** The heading of the hand-written section, kept when the file is written again. */
export const NOTES_HEADING = "## Notes (by hand: kept when the benchmark rewrites this file)";

export function renderReport(input: ReportInput, notes = ""): string {
  const lines: string[] = [];
  lines.push(`# Gatsby site layer: start-up, image variants, request path`, "");
  lines.push(
    `${input.date} · ssr-pages at ${input.revision} · Node ${input.node} · ${input.cores} cores · sharp ${input.sharp} · ${input.quick ? "**quick run (smoke test, not figures)**" : "full run"} · ${fmt(input.seconds / 60, 1)} minutes`,
    "",
  );
  lines.push(
    `Command: \`${input.command}\` (${input.settings}). Absolute times drift on this shared 2-core machine; the ratios are against a baseline measured in the same run, and instruction counts do not depend on the machine's load.`,
    "",
  );
  if (input.startup) lines.push(...startupSection(input.startup));
  if (input.variants) lines.push(...variantsSection(input.variants));
  if (input.requests) lines.push(...requestsSection(input.requests));
  lines.push(`## Findings`, "");
  if (input.findings.length === 0) lines.push("None: every check passed.");
  for (const finding of input.findings) lines.push(`- ${finding}`);
  lines.push("");
  if (notes) lines.push(notes.trimEnd(), "");
  return lines.join("\n");
}
