// bench/gatsby-site/gatsby-sharp/child.cjs: run by bench/gatsby-site/gatsby-sharp.ts in a process of
// its own, with the cwd a scratch folder (gatsby-plugin-sharp writes to <cwd>/public/static).
//
// argv: <install dir> <photo> <rounds> <width> <formats comma-separated> <mode: gatsby|direct>
//
// mode gatsby: gatsby-plugin-sharp's own code, as `gatsby build` runs it: generateImageData() plans
//   the image (the jobs it would queue are collected instead of queued), then each operation of each
//   job is run through process-file.js's processFile() (one variant at a time, timed, the first run
//   untimed), and each job whole (all its widths from one decoded pipeline, as Gatsby's worker does).
//   Variants are timed with sharp.concurrency(1), which process-file.js sets when loaded (Gatsby's
//   workers each take one core), and again with sharp's default, as ssr-pages' server runs sharp,
//   when that default is not 1 too (on glibc Linux without jemalloc sharp's default is 1 thread);
//   whole jobs only as Gatsby runs them.
// mode direct: sharp called directly with gatsby-plugin-sharp's default encoder settings (what
//   `gatsby build` would write), for when gatsby-plugin-sharp cannot run.
//
// Prints one line `RESULT <json>`: { data, blurred (the blurred placeholder's data URI), variants: [{ format, width, height, bytes, sha, ms: { gatsby, default } }], jobs }
// (medians over the rounds), or `FAILED <json>` with the error.
"use strict";
const { createRequire } = require("node:module");
const { createHash } = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const [install, photo, roundsText, widthText, formatsText, mode] = process.argv.slice(2);
const rounds = Number(roundsText);
const req = createRequire(path.join(install, "package.json"));
const sha = (bytes) => createHash("sha256").update(bytes).digest("hex").slice(0, 16);
const median = (list) => {
  const sorted = [...list].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function viaGatsby() {
  const { setActions, generateImageData } = req("gatsby-plugin-sharp");
  const { processFile } = req("gatsby-plugin-sharp/process-file");
  const sharp = req("sharp");
  // sharp's own default (process-file.js has set 1): concurrency(0) restores it and says what it is.
  const defaultThreads = sharp.concurrency(0);
  const modes = defaultThreads === 1 ? ["gatsby"] : ["gatsby", "default"];
  const jobs = [];
  setActions({ createJobV2: (job) => (jobs.push(job), Promise.resolve()) });
  const bytes = fs.readFileSync(photo);
  const ext = path.extname(photo).slice(1);
  const file = {
    absolutePath: photo,
    extension: ext,
    name: path.basename(photo, path.extname(photo)),
    base: path.basename(photo),
    relativePath: path.basename(photo),
    internal: { contentDigest: createHash("md5").update(bytes).digest("hex") },
  };
  const warnings = [];
  const reporter = {
    warn: (m) => warnings.push(String(m)),
    error: (m) => warnings.push(String(m)),
    info() {},
    panic: (m, e) => {
      throw e ?? new Error(m);
    },
    panicOnBuild: (m, e) => {
      throw e ?? new Error(m);
    },
  };
  const formats = formatsText.split(",");
  const data = await generateImageData({
    file,
    args: { width: Number(widthText), formats },
    pathPrefix: "",
    reporter,
    cache: undefined,
  });
  // The same image with a blurred placeholder (its jobs are the same as above: not queued again here).
  const queued = jobs.length;
  const blurredData = await generateImageData({
    file,
    args: { width: Number(widthText), formats, placeholder: "blurred" },
    pathPrefix: "",
    reporter,
    cache: undefined,
  });
  jobs.length = queued;
  const variants = [];
  const jobTimes = [];
  for (const threads of modes) {
    sharp.concurrency(threads === "gatsby" ? 1 : 0);
    for (const job of jobs) {
      const outputs = job.args.operations.map((op) => path.join(job.outputDir, op.outputPath));
      for (const [index, op] of job.args.operations.entries()) {
        const out = outputs[index];
        const ms = [];
        for (let round = 0; round < rounds + 1; round++) {
          fs.rmSync(out, { force: true });
          const started = performance.now();
          await processFile(job.inputPaths[0], [{ outputPath: out, args: op.args }], job.args.pluginOptions);
          if (round > 0) ms.push(performance.now() - started); // the first is a warm-up
        }
        const written = fs.readFileSync(out);
        const meta = await sharp(written).metadata();
        const format = op.args.toFormat;
        let entry = variants.find((v) => v.format === format && v.width === meta.width);
        if (!entry)
          variants.push(
            (entry = {
              format,
              width: meta.width,
              height: meta.height,
              bytes: written.length,
              sha: sha(written),
              ms: {},
            }),
          );
        entry.ms[threads] = median(ms);
        if (modes.length === 1) entry.ms.default = entry.ms.gatsby;
      }
      if (threads !== "gatsby") continue;
      const ms = [];
      for (let round = 0; round < rounds; round++) {
        for (const out of outputs) fs.rmSync(out, { force: true });
        const started = performance.now();
        await processFile(
          job.inputPaths[0],
          job.args.operations.map((op, i) => ({ outputPath: outputs[i], args: op.args })),
          job.args.pluginOptions,
        );
        ms.push(performance.now() - started);
      }
      jobTimes.push({
        format: job.args.operations[0].args.toFormat,
        widths: job.args.operations.map((op) => op.args.width),
        ms: median(ms),
      });
    }
  }
  return {
    data,
    blurred: blurredData && blurredData.placeholder && blurredData.placeholder.fallback,
    variants,
    jobs: jobTimes,
    warnings,
    sharp: sharp.versions.sharp,
    vips: sharp.versions.vips,
    defaultThreads,
  };
}

/** gatsby-plugin-sharp's defaults (plugin-options.ts, process-file.ts): quality 50, progressive JPEG, no mozjpeg, PNG level 9, cover + attention. */
async function direct() {
  const sharp = req("sharp");
  const defaultThreads = sharp.concurrency(0);
  const modes = defaultThreads === 1 ? ["gatsby"] : ["gatsby", "default"];
  const bytes = fs.readFileSync(photo);
  const meta = await sharp(bytes).metadata();
  const width = Number(widthText);
  const widths = [0.25, 0.5, 1, 2].map((d) => Math.round(width * d)).filter((w) => w <= meta.width);
  const formats = formatsText
    .split(",")
    .map((f) => (f === "auto" ? (meta.format === "jpeg" ? "jpg" : meta.format) : f));
  const variants = [];
  for (const threads of modes) {
    sharp.concurrency(threads === "gatsby" ? 1 : 0);
    for (const format of formats) {
      for (const w of widths) {
        const h = Math.round(w / (meta.width / meta.height));
        const make = () => {
          const image = sharp(bytes, { failOn: "warning" })
            .rotate()
            .resize(w, h, { position: sharp.strategy.attention, fit: "cover" });
          if (format === "jpg") return image.jpeg({ quality: 50, progressive: true, mozjpeg: false }).toBuffer();
          if (format === "webp") return image.webp({ quality: 50 }).toBuffer();
          if (format === "avif") return image.avif({ quality: 50 }).toBuffer();
          return image.png({ compressionLevel: 9, adaptiveFiltering: false, quality: 50 }).toBuffer();
        };
        const ms = [];
        let out;
        for (let round = 0; round < rounds + 1; round++) {
          const started = performance.now();
          out = await make();
          if (round > 0) ms.push(performance.now() - started);
        }
        let entry = variants.find((v) => v.format === format && v.width === w);
        if (!entry) variants.push((entry = { format, width: w, height: h, bytes: out.length, sha: sha(out), ms: {} }));
        entry.ms[threads] = median(ms);
        if (modes.length === 1) entry.ms.default = entry.ms.gatsby;
      }
    }
  }
  return {
    data: undefined,
    variants,
    jobs: [],
    warnings: [],
    sharp: sharp.versions.sharp,
    vips: sharp.versions.vips,
    defaultThreads,
  };
}

(mode === "gatsby" ? viaGatsby() : direct()).then(
  (result) => {
    process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  },
  (error) => {
    process.stdout.write(
      `FAILED ${JSON.stringify({ message: String(error && error.stack ? error.stack : error).slice(0, 2000) })}\n`,
    );
    process.exitCode = 1;
  },
);
