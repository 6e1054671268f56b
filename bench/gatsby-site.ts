/**
 * `npm run bench:gatsby` (`-- --quick` for a smoke run of seconds; `-- --only startup,variants,requests`
 * for some parts): what Gatsby's build-time site layer costs a server, as ratios against a baseline
 * measured in the same run (absolute times drift on these 2-core VMs):
 *
 * 1. Start-up to the first 200 of `/` (`dev: false`, a fresh process each, timed from spawn): a
 *    starter-like site (layout, header, SEO with useStaticQuery; five pages; two StaticImages;
 *    gatsby-plugin-manifest) and a 200-photo gallery (allFile + GatsbyImage), each against the same
 *    pages with the queries and images removed; cold (image cache deleted) and warm (cache present).
 *    Target ≤ 1.2× the stripped site. Beside it: the cold start's image work done alone
 *    (cold-breakdown.ts), CPU profiles of warm starts (profile.ts), the gallery page per request
 *    (page-weight.ts).
 * 2. Image variants of one typical StaticImage (1600×1000 photo, 640 wide, JPEG/WebP/AVIF): the first
 *    request (made with sharp), from the disk cache, from memory; bytes and time next to
 *    gatsby-plugin-sharp's own code run with sharp 0.35 (or sharp with its settings, if it cannot run),
 *    and the placeholders (dominant colour, blurred) against Gatsby's.
 * 3. Instructions per request (callgrind) of pages whose data comes from a static query or a page
 *    query against the same pages with the data as a constant, at the root and under /shop. Target
 *    within 5 %.
 *
 * Sites are generated in .tmp/bench/gatsby-site/sites (removed at the end); the 200 photos and the
 * gatsby-plugin-sharp install are kept in .tmp/bench/gatsby-site for the next run. A full run writes
 * bench/GATSBY.md (a section headed NOTES_HEADING in it is kept). Environment: ROUNDS (start-up
 * rounds, 6), IMAGES (gallery photos, 200), VARIANT_ROUNDS (5), GATSBY_ROUNDS (3); for callgrind
 * WARMUP (requests per URL, 1000), BATCHES (10), BATCH (requests per batch, 300). A full run takes
 * 6–11 minutes (part 3 is half of it), the first one a minute more (the photos, the Gatsby install).
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import sharp from "sharp";
import { ROOT } from "./lib/build.js";
import { buildGatsbyServer } from "./gatsby-site/build.js";
import { checkGallery, checkStarter } from "./gatsby-site/checks.js";
import { coldBreakdown, type ColdBreakdown } from "./gatsby-site/cold-breakdown.js";
import { findings, note } from "./gatsby-site/findings.js";
import { measureGatsby } from "./gatsby-site/gatsby-sharp.js";
import { photo, photos } from "./gatsby-site/photos.js";
import { pageWeight } from "./gatsby-site/page-weight.js";
import { profileStart, type StartProfile } from "./gatsby-site/profile.js";
import { NOTES_HEADING, renderReport, type ReportInput } from "./gatsby-site/report.js";
import { checkRequestsSite, countMount } from "./gatsby-site/request-path.js";
import { gallerySite, requestsSite, starterSite, variantsSite } from "./gatsby-site/sites.js";
import { startSite, stopSite } from "./gatsby-site/spawn.js";
import { measureStartup } from "./gatsby-site/startup.js";
import { measureOurVariants } from "./gatsby-site/variants.js";
import { prepareWorkspace, removeSites, WORK } from "./gatsby-site/workspace.js";

const run = promisify(execFile);
const quick = process.argv.includes("--quick");
const onlyArg = process.argv.find((_arg, index) => process.argv[index - 1] === "--only") ?? process.env.ONLY;
const parts = new Set((onlyArg ?? "startup,variants,requests").split(","));
const env = (name: string, fallback: number) => Math.max(1, Number(process.env[name] ?? fallback));
const settings = quick
  ? { rounds: 1, images: 20, variantRounds: 1, gatsbyRounds: 1, counts: { warmup: 50, batches: 2, batch: 20 } }
  : {
      rounds: env("ROUNDS", 6),
      images: env("IMAGES", 200),
      variantRounds: env("VARIANT_ROUNDS", 5),
      gatsbyRounds: env("GATSBY_ROUNDS", 3),
      counts: { warmup: env("WARMUP", 1000), batches: env("BATCHES", 10), batch: env("BATCH", 300) },
    };
const RUN_LIMIT_MS = 40 * 60_000;

const watchdog = setTimeout(() => {
  console.error(`bench/gatsby-site.ts: over ${RUN_LIMIT_MS / 60_000} minutes, giving up`);
  process.exit(2);
}, RUN_LIMIT_MS);
watchdog.unref();

const load = () =>
  os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(" ");
const began = performance.now();
console.log(
  `ssr-pages Gatsby site bench${quick ? " (quick)" : ""}: Node ${process.version}, ${os.cpus().length} cores, sharp ${sharp.versions.sharp} (libvips ${sharp.versions.vips}), ${new Date().toISOString()}; load average ${load()}; parts ${[...parts].join(", ")}`,
);
prepareWorkspace();
await buildGatsbyServer();
console.log(`  package and server compiled (${((performance.now() - began) / 1000).toFixed(1)} s)`);

/** The commit measured, and whether the working tree differed from it (the package is compiled from the working tree). */
async function revision(): Promise<string> {
  try {
    const head = (await run("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT })).stdout.trim();
    const dirty =
      (await run("git", ["status", "--porcelain", "--", "src", "adapters"], { cwd: ROOT })).stdout.trim() !== "";
    return `${head}${dirty ? " + uncommitted changes in src/" : ""}`;
  } catch {
    return "unknown";
  }
}

const report: ReportInput = {
  date: new Date().toISOString().slice(0, 10),
  revision: await revision(),
  node: process.version,
  cores: os.cpus().length,
  sharp: `${sharp.versions.sharp} (libvips ${sharp.versions.vips})`,
  command: `npm run bench:gatsby${quick ? " -- --quick" : ""}${onlyArg ? ` -- --only ${onlyArg}` : ""}`,
  settings: `start-up: ${settings.rounds} rounds, gallery of ${settings.images} photos; variants: ${settings.variantRounds} rounds, Gatsby ${settings.gatsbyRounds}; callgrind: ${settings.counts.warmup} warm-up requests per URL, ${settings.counts.batches} batches × ${settings.counts.batch}`,
  quick,
  findings,
  seconds: 0,
};

/** What installing the sharp gatsby-plugin-sharp 5 asks for does here (tried once, the answer kept in WORK). */
async function sharp032Failure(): Promise<string> {
  const kept = path.join(WORK, "sharp-0.32-install.txt");
  if (existsSync(kept)) return readFileSync(kept, "utf8");
  const dir = path.join(WORK, "sharp-0.32");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "package.json"), `{"name":"sharp-032-try","private":true}\n`);
  let text: string;
  try {
    await run("npm", ["install", "sharp@0.32.6", "--no-audit", "--no-fund"], {
      cwd: dir,
      timeout: 240_000,
      maxBuffer: 16 << 20,
    });
    text = "`npm install sharp@0.32.6` (the version gatsby-plugin-sharp 5 asks for) succeeded here.";
  } catch (error) {
    const output = `${(error as { stdout?: string }).stdout ?? ""}${(error as { stderr?: string }).stderr ?? String(error)}`;
    const lines = output
      .split("\n")
      .filter((line) => /sharp:|error (code|command)/.test(line))
      .map((line) => line.replace(/^npm error /, "").trim());
    text = `\`npm install sharp@0.32.6\` (the version gatsby-plugin-sharp 5 asks for) fails here (${new Date().toISOString().slice(0, 10)}): ${lines
      .slice(0, 6)
      .map((line) => `\`${line}\``)
      .join("; ")}.`;
  }
  rmSync(dir, { recursive: true, force: true });
  writeFileSync(kept, text);
  return text;
}

try {
  if (parts.has("startup")) {
    console.log(
      `\n1. Start-up to the first 200 of / (dev: false, a fresh process each, from spawn); ${settings.rounds} rounds (load average ${load()})`,
    );
    const pairs = [
      {
        name: "starter",
        description:
          "gatsby-starter-default's shape: layout + header + SEO (useStaticQuery of siteMetadata in the layout and the SEO `Head`), 5 pages (index, page-2, using-typescript, using-ssr with getServerData, 404), 2 StaticImages (a 300×300 PNG at 64 px, dominantColor; a 1600×1000 photo at 800 px, blurred), gatsby-plugin-manifest with a 512×512 icon.",
        full: await starterSite("full"),
        stripped: await starterSite("stripped"),
        check: checkStarter,
      },
      {
        name: `gallery-${settings.images}`,
        description: `${settings.images} photos (1600×1000 JPEGs, ~290 KiB each, made with sharp: soft colour fields + detail + noise) on one gallery page whose page query is \`allFile\` + \`gatsbyImageData(width: 400, placeholder: BLURRED, formats: [AUTO, WEBP, AVIF])\`, each shown with \`GatsbyImage\` (what a Gatsby site with many photos does: StaticImage's src must be written in the source), plus the starter's layout and SEO, an index page and a 404. Stripped: the gallery lists the same names from a constant, without images.`,
        full: await gallerySite("full", settings.images),
        stripped: await gallerySite("stripped", settings.images),
        check: checkGallery(settings.images),
      },
    ];
    const results = await measureStartup(pairs, settings.rounds);
    const breakdown: ColdBreakdown[] = [];
    const files = await photos(settings.images);
    for (let i = 0; i < (quick ? 1 : 3); i++) {
      try {
        breakdown.push(await coldBreakdown(files));
      } catch (error) {
        note(`cold breakdown: ${(error as Error).message}`);
      }
    }
    // Where the gallery's warm start goes: CPU profiles of warm starts (full) and of the stripped site.
    const gallery = pairs[1];
    const profiles: { full: StartProfile[]; stripped: StartProfile[] } = { full: [], stripped: [] };
    if (gallery) {
      for (let i = 0; i < (quick ? 1 : 3); i++) {
        for (const variant of ["full", "stripped"] as const) {
          try {
            profiles[variant].push(await profileStart(gallery[variant].pagesDir));
          } catch (error) {
            note(`profile of a ${variant} start: ${(error as Error).message}`);
          }
        }
      }
    }
    // The gallery page per request, once started (informational).
    const weight = gallery
      ? {
          full: await pageWeight(gallery.full, "/gallery/", quick ? 20 : 200),
          stripped: await pageWeight(gallery.stripped, "/gallery/", quick ? 20 : 200),
        }
      : undefined;
    report.startup = { results, breakdown, profiles, weight, images: settings.images, rounds: settings.rounds };
  }

  if (parts.has("variants")) {
    console.log(
      `\n2. Image variants of one StaticImage (1600×1000 photo, width 640, auto/webp/avif); ${settings.variantRounds} rounds (load average ${load()})`,
    );
    const site = await variantsSite();
    const { variants: ours, dominant, blurred } = await measureOurVariants(site, settings.variantRounds);
    console.log(`  Gatsby's side (${settings.gatsbyRounds} rounds each)…`);
    const gatsby = await measureGatsby(
      path.join(site.root, "src", "images", "photo.jpg"),
      640,
      "auto,webp,avif",
      settings.gatsbyRounds,
    );
    if (gatsby.failure) note(`Gatsby's image processing: ${gatsby.failure}`);
    console.log(
      `  Gatsby: ${gatsby.mode}, ${gatsby.variants.map((v) => `${v.format} ${v.width}w ${v.bytes} B ${v.ms.gatsby.toFixed(1)}/${v.ms.default.toFixed(1)} ms`).join(" · ")}`,
    );
    for (const variant of ours) {
      const theirs = gatsby.variants.find((g) => g.format === variant.format && g.width === variant.width);
      if (!theirs) note(`Gatsby makes no ${variant.format} ${variant.width}w variant for the same options`);
    }
    for (const theirs of gatsby.variants)
      if (!ours.some((v) => v.format === theirs.format && v.width === theirs.width))
        note(`ssr-pages names no ${theirs.format} ${theirs.width}w variant, which Gatsby makes for the same options`);
    if (gatsby.data && gatsby.data.backgroundColor !== dominant)
      note(`the dominant colour differs: ssr-pages ${dominant}, Gatsby ${gatsby.data.backgroundColor}`);
    if (gatsby.blurred !== undefined && gatsby.blurred !== blurred) {
      const at = [...(blurred ?? "")].findIndex((char, index) => char !== gatsby.blurred?.[index]);
      note(
        `the blurred placeholder (20×13 JPEG of the 1600×1000 photo) differs from gatsby-plugin-sharp's: ${blurred?.length} characters against ${gatsby.blurred.length}, first different at character ${at} (a different crop or encoding of the same size)`,
      );
    }
    const sharpFailure = quick ? "" : await sharp032Failure();
    report.variants = {
      ours,
      dominant,
      blurred,
      gatsby,
      rounds: settings.variantRounds,
      gatsbyRounds: settings.gatsbyRounds,
      sharpFailure,
      photoBytes: statSync(await photo(1)).size,
    };
  }

  if (parts.has("requests")) {
    console.log(
      `\n3. Instructions per request (callgrind): ${settings.counts.warmup} warm-up requests per URL, ${settings.counts.batches} × ${settings.counts.batch} measured, root and /shop side by side (load average ${load()})`,
    );
    const site = await requestsSite();
    for (const mount of ["", "/shop"]) {
      const server = await startSite(site.pagesDir, "/static-query/", mount);
      try {
        await checkRequestsSite(server.origin, mount);
      } finally {
        await stopSite(server);
      }
    }
    const [root, shop] = await Promise.all(["", "/shop"].map((mount) => countMount(site, mount, settings.counts)));
    // Every batch, for a closer look (kept with the photos).
    writeFileSync(path.join(WORK, "counts.json"), JSON.stringify({ root, shop }, null, 1));
    report.requests = {
      root: root!,
      shop: shop!,
      settings: `${settings.counts.warmup} warm-up requests on each URL, then ${settings.counts.batches} batches of ${settings.counts.batch} requests per URL, interleaved across URLs`,
    };
  }
} finally {
  removeSites();
  clearTimeout(watchdog);
}

report.seconds = (performance.now() - began) / 1000;
const file = path.join(ROOT, "bench", "GATSBY.md");
const previous = existsSync(file) ? readFileSync(file, "utf8") : "";
const notesAt = previous.indexOf(NOTES_HEADING);
const text = renderReport(report, notesAt >= 0 ? previous.slice(notesAt) : "");
console.log(`\n${text}`);
if (!quick && parts.size === 3) writeFileSync(file, text);
console.log(
  `done in ${report.seconds.toFixed(0)} s; load average ${load()}${!quick && parts.size === 3 ? `; wrote ${path.relative(ROOT, file)}` : ""}`,
);
