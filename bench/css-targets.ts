/**
 * Honouring a browserslist config in CSS, two ways:
 *
 * (a) esbuild: browserslist's answer turned into esbuild `target` engines (chrome, edge, firefox,
 *     safari, ios, opera, ie; the lowest version per engine), so esbuild's own CSS transform adds
 *     vendor prefixes and lowers nesting, colours, media ranges…;
 * (b) lightningcss `transform` with `browserslistToTargets(browserslist(config))`.
 *
 * It prints how each browserslist name maps to an esbuild engine (and what esbuild does with the
 * names and versions it does not know, tried on esbuild itself), the targets each way derives for
 * each config, which prefixes and lowerings each applies to a sample stylesheet for `safari 12` and
 * `defaults` (with caniuse-lite's verdict on whether the targets need it, where it has the feature),
 * and the time per 100 KB of CSS (a ~500 KB sheet of that sample; contestants take turns within each
 * round, medians over rounds, ratios within a round). The full outputs are written to a temporary
 * directory (printed).
 *
 * Run: npx tsx bench/css-targets.ts (about 20 s). ROUNDS=n (11), BOOTSTRAP_DIR=<dir of the bootstrap package> (its
 * dist CSS is timed too when found; `npm install bootstrap@5 --prefix /tmp/x` puts one where it looks).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { getAllVersions } from "baseline-browser-mapping";
import type * as Lightning from "lightningcss";
import { fmt, median } from "./lib/stats.js";

const ROUNDS = Math.max(1, Number(process.env.ROUNDS ?? 11));
const CONFIGS = ["defaults", "> 0.5%, last 2 versions", "safari 12", "chrome 80"];
const SHOWN = ["safari 12", "defaults"]; // the configs whose output is compared feature by feature
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const version = (pkg: string) =>
  (JSON.parse(readFileSync(path.join(ROOT, "node_modules", pkg, "package.json"), "utf8")) as { version: string })
    .version;

// Loading costs, once per process (esbuild's first call also starts its service process).
let t = performance.now();
const esbuild = await import("esbuild");
const esbuildImportMs = performance.now() - t;
t = performance.now();
await esbuild.transform("a{color:red}", { loader: "css" });
const esbuildFirstMs = performance.now() - t;
t = performance.now();
const lightning: typeof Lightning = await import("lightningcss");
const lightningImportMs = performance.now() - t;
t = performance.now();
const browserslist = (await import("browserslist")).default;
browserslist("defaults");
const browserslistFirstMs = performance.now() - t;

// ---------------------------------------------------------------------------------------------
// browserslist → esbuild engines
// ---------------------------------------------------------------------------------------------

type Engine = "chrome" | "edge" | "firefox" | "safari" | "ios" | "opera" | "ie";

/** How each browserslist name becomes an esbuild engine. */
const DIRECT: Record<string, Engine> = {
  chrome: "chrome",
  and_chr: "chrome", // Chrome for Android: Chrome's version numbers
  edge: "edge", // esbuild knows EdgeHTML (12–18) and Chromium Edge (79+)
  firefox: "firefox",
  and_ff: "firefox",
  safari: "safari",
  ios_saf: "ios",
  opera: "opera", // desktop Opera: esbuild has its own table for it
  ie: "ie",
  ie_mob: "ie", // IE Mobile 10/11: IE's engine
};
/** Browsers on another's engine, not known to esbuild: their engine's version from baseline-browser-mapping (a dependency of browserslist). */
const DOWNSTREAM: Record<string, { id: string; engine: Engine }> = {
  samsung: { id: "samsunginternet_android", engine: "chrome" },
  op_mob: { id: "opera_android", engine: "chrome" }, // Opera Mobile 80 is Chromium 120, not Opera 80
  and_uc: { id: "uc_android", engine: "chrome" },
  and_qq: { id: "qq_android", engine: "chrome" },
  kaios: { id: "kai_os", engine: "firefox" }, // KaiOS 2.5 is Gecko 48, 3.x Gecko 84
};
/** No engine to target: Opera Mini's proxy ("all"), Baidu, BlackBerry. */
const NO_ENGINE = new Set(["op_mini", "baidu", "bb"]);

const engineVersions = new Map<string, string>(); // "samsunginternet_android 30.0" → "143"
for (const v of getAllVersions({
  includeDownstreamBrowsers: true,
  includeKaiOS: true,
  suppressWarnings: true,
} as never) as { browser: string; version: string; engine_version?: string }[]) {
  if (v.engine_version) engineVersions.set(`${v.browser} ${v.version}`, v.engine_version);
}
function downstreamVersion(id: string, v: string): string | undefined {
  return (
    engineVersions.get(`${id} ${v}`) ??
    engineVersions.get(`${id} ${v}.0`) ??
    engineVersions.get(`${id} ${v.replace(/\.0$/, "")}`)
  );
}

/** A browserslist version as esbuild needs it: a range's lower bound ("15.2-15.3" → "15.2"), at most 3 numbers; none for "TP" / "all". */
function esbuildVersion(v: string): string | undefined {
  const low = v.split("-")[0] as string;
  return /^\d+(\.\d+){0,2}$/.test(low) ? low : undefined;
}
const compareVersions = (a: string, b: string) => {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
};

interface Mapped {
  target: string[]; // for esbuild
  via: string[]; // downstream browsers mapped onto their engine
  dropped: string[]; // no engine esbuild knows
}
/**
 * Browsers that lightningcss leaves out: `browserslistToTargets` drops and_uc, and_qq, kaios, op_mini,
 * baidu, bb, and keeps op_mob / and_chr / and_ff / ie_mob under their own names, which its transform
 * ignores (and_chr / and_ff are the newest anyway). "parity" maps only these others, so both honour
 * the same browsers; "all" maps every browser that has an engine.
 */
const NOT_IN_LIGHTNINGCSS = new Set(["and_uc", "and_qq", "kaios", "op_mob", "op_mini", "baidu", "bb"]);
function toEsbuild(list: string[], mode: "all" | "parity"): Mapped {
  const lowest = new Map<Engine, string>();
  const via: string[] = [];
  const dropped: string[] = [];
  const add = (engine: Engine, v: string) => {
    const have = lowest.get(engine);
    if (!have || compareVersions(v, have) < 0) lowest.set(engine, v);
  };
  for (const entry of list) {
    const [name = "", raw = ""] = entry.split(" ");
    const v = esbuildVersion(raw);
    if (name === "android") {
      // Android WebView: Chrome's numbers since 37; 2.x–4.4 are the old WebKit browser, no esbuild engine.
      if (v && Number(v.split(".")[0]) >= 37) add("chrome", v);
      else dropped.push(entry);
    } else if (DIRECT[name]) {
      if (v) add(DIRECT[name] as Engine, v);
      else dropped.push(entry); // "safari TP": newer than any release, so nothing to lower for it
    } else if (DOWNSTREAM[name] && v && !(mode === "parity" && NOT_IN_LIGHTNINGCSS.has(name))) {
      const d = DOWNSTREAM[name] as { id: string; engine: Engine };
      const ev = downstreamVersion(d.id, v);
      if (ev) {
        add(d.engine, ev);
        via.push(`${entry} → ${d.engine} ${ev}`);
      } else dropped.push(`${entry} (no engine version known)`);
    } else dropped.push(entry);
  }
  return { target: [...lowest].map(([e, v]) => `${e}${v}`).sort(), via, dropped };
}

/** lightningcss's targets as "name version", and the keys its transform ignores (only the `Targets` fields count). */
const LIGHTNING_KEYS = new Set(["android", "chrome", "edge", "firefox", "ie", "ios_saf", "opera", "safari", "samsung"]);
function describeLightning(targets: Lightning.Targets): { used: string; ignored: string } {
  const v = (n: number) => `${n >> 16}${n & 0xff00 ? `.${(n >> 8) & 0xff}` : ""}${n & 0xff ? `.${n & 0xff}` : ""}`;
  const entries = Object.entries(targets) as [string, number][];
  return {
    used: entries
      .filter(([k]) => LIGHTNING_KEYS.has(k))
      .map(([k, n]) => `${k} ${v(n)}`)
      .join(", "),
    ignored: entries
      .filter(([k]) => !LIGHTNING_KEYS.has(k))
      .map(([k, n]) => `${k} ${v(n)}`)
      .join(", "),
  };
}

// ---------------------------------------------------------------------------------------------
// The sample: one rule per feature
// ---------------------------------------------------------------------------------------------

const colours = (out: string) => {
  const kinds = [...out.matchAll(/(?:^|[;{\s])color:\s*([^;}]+)/g)].map((m) => {
    const value = (m[1] as string).trim();
    if (/^#/.test(value)) return value.length > 7 ? "#rrggbbaa" : "hex";
    if (/^var\(/.test(value)) return "var()";
    const fn = /^([a-z-]+)\((\S+)?/.exec(value);
    return fn ? (fn[1] === "color" ? `color(${fn[2]})` : `${fn[1]}()`) : value;
  });
  return kinds.join(" + ") || "?";
};
const prefixes = (prop: string) => (out: string) => {
  const found = [...new Set([...out.matchAll(new RegExp(`(-webkit-|-moz-|-ms-)${prop}`, "g"))].map((m) => m[1]))];
  return found.length ? found.join(" ") : "none";
};
const loweredIf = (gone: RegExp, lowered: string) => (out: string) => (gone.test(out) ? "kept" : lowered);

interface Feature {
  label: string;
  css: string;
  caniuse?: string; // caniuse-lite feature id
  result: (out: string) => string;
}
const FEATURES: Feature[] = [
  {
    label: "user-select: none",
    css: ".f { user-select: none; }",
    caniuse: "user-select-none",
    result: prefixes("user-select"),
  },
  {
    label: "backdrop-filter",
    css: ".f { backdrop-filter: blur(4px); }",
    caniuse: "css-backdrop-filter",
    result: prefixes("backdrop-filter"),
  },
  {
    label: "mask-image",
    css: ".f { mask-image: linear-gradient(#000, transparent); }",
    caniuse: "css-masks",
    result: prefixes("mask-image"),
  },
  {
    label: "appearance: none",
    css: ".f { appearance: none; }",
    caniuse: "css-appearance",
    result: prefixes("appearance"),
  },
  {
    label: "position: sticky",
    css: ".f { position: sticky; top: 0; }",
    caniuse: "css-sticky",
    result: (o) => (/-webkit-sticky/.test(o) ? "-webkit-sticky" : "none"),
  },
  {
    label: "text-size-adjust",
    css: ".f { text-size-adjust: 100%; }",
    caniuse: "text-size-adjust",
    result: prefixes("text-size-adjust"),
  },
  {
    label: "background-clip: text",
    css: ".f { background-clip: text; }",
    caniuse: "background-clip-text",
    result: prefixes("background-clip"),
  },
  {
    label: "image-set()",
    css: '.f { background-image: image-set("a.png" 1x, "a2.png" 2x); }',
    caniuse: "css-image-set",
    result: (o) =>
      [/-webkit-image-set/.test(o) && "-webkit-image-set", /url\(/.test(o) && "url() fallback"]
        .filter(Boolean)
        .join(" + ") || "none",
  },
  { label: "hyphens: auto", css: ".f { hyphens: auto; }", caniuse: "css-hyphens", result: prefixes("hyphens") },
  {
    label: "text-decoration shorthand",
    css: ".f { text-decoration: underline dotted red; }",
    caniuse: "text-decoration",
    result: prefixes("text-decoration"),
  },
  {
    label: "nesting (&)",
    css: ".f { color: red; & .t { color: blue; } &:hover { color: green; } .p & { color: black; } }",
    caniuse: "css-nesting",
    result: loweredIf(/&/, "flattened"),
  },
  {
    label: ":is()",
    css: ".f :is(h1, h2) > a { color: red; }",
    caniuse: "css-matches-pseudo",
    result: (o) =>
      [
        /:-webkit-any\(/.test(o) && ":-webkit-any()",
        /:-moz-any\(/.test(o) && ":-moz-any()",
        /:is\(/.test(o) ? "kept" : "expanded",
      ]
        .filter(Boolean)
        .join(" + "),
  },
  {
    label: ":not(.a, .b)",
    css: ".f:not(.a, .b) { color: red; }",
    caniuse: "css-not-sel-list",
    result: loweredIf(/:not\([^)]*,/, "split"),
  },
  {
    label: "inset: 0",
    css: ".f { inset: 0; }",
    result: (o) => (/\binset:/.test(o) ? (/\btop:/.test(o) ? "both" : "kept") : "top/right/bottom/left"),
  },
  {
    label: "inset: 0 auto auto 0",
    css: ".f { inset: 0 auto auto 0; }",
    result: (o) => (/\binset:/.test(o) ? (/\btop:/.test(o) ? "both" : "kept") : "top/right/bottom/left"),
  },
  {
    label: "margin-inline (logical)",
    css: ".f { margin-inline: 1rem 2rem; }",
    caniuse: "css-logical-props",
    result: (o) => (/margin-inline/.test(o) ? "kept" : /:dir|\[dir/.test(o) ? "left/right by dir" : "left/right"),
  },
  {
    label: "clamp()",
    css: ".f { font-size: clamp(1rem, 2.5vw, 2rem); }",
    caniuse: "css-math-functions",
    result: (o) => (/clamp\(/.test(o) ? "kept" : /max\(/.test(o) ? "max(min())" : "lowered"),
  },
  { label: "color-mix()", css: ".f { color: color-mix(in srgb, #f00 40%, #00f); }", result: colours },
  { label: "oklch()", css: ".f { color: oklch(70% 0.1 200); }", result: colours },
  { label: "lab()", css: ".f { color: lab(52% 40 -20); }", caniuse: "css-lch-lab", result: colours },
  { label: "hwb()", css: ".f { color: hwb(120 10% 20%); }", result: colours },
  { label: "rgb(0 0 0 / 50%)", css: ".f { color: rgb(0 0 0 / 50%); }", result: colours },
  { label: "#rrggbbaa", css: ".f { color: #ff000080; }", caniuse: "css-rrggbbaa", result: colours },
  { label: "light-dark()", css: ".f { color-scheme: light dark; color: light-dark(#000, #fff); }", result: colours },
  {
    label: "@media (width >= 600px)",
    css: "@media (width >= 600px) { .f { color: red; } }",
    caniuse: "css-media-range-syntax",
    result: loweredIf(/width\s*>=/, "min-width"),
  },
  {
    label: "@media (400px <= width <= 700px)",
    css: "@media (400px <= width <= 700px) { .f { color: red; } }",
    caniuse: "css-media-range-syntax",
    result: loweredIf(/<=/, "min-/max-width"),
  },
];
const SAMPLE = FEATURES.map((f) => `/* ${f.label} */\n${f.css}`).join("\n");

// caniuse-lite (a dependency of browserslist) says whether the targets need a prefix ("x") or lack the feature ("n", "p")
interface CaniuseFeature {
  stats: Record<string, Record<string, string>>;
}
const caniuse = require("caniuse-lite") as { feature: (packed: unknown) => CaniuseFeature };
function need(feature: Feature, list: string[]): string {
  if (!feature.caniuse) return "";
  const data = caniuse.feature(require(`caniuse-lite/data/features/${feature.caniuse}.js`));
  const prefix: string[] = [];
  const partial: string[] = [];
  const missing: string[] = [];
  for (const entry of list) {
    const [name = "", v = ""] = entry.split(" ");
    const stat = data.stats[name]?.[v];
    if (!stat || NOT_IN_LIGHTNINGCSS.has(name)) continue;
    if (/\bx\b/.test(stat)) prefix.push(entry);
    else if (/^[np]\b/.test(stat)) missing.push(entry);
    else if (/^a\b/.test(stat)) partial.push(entry);
  }
  const short = (xs: string[]) => (xs.length > 2 ? `${xs.slice(0, 2).join(", ")} +${xs.length - 2}` : xs.join(", "));
  return (
    [
      prefix.length && `prefix: ${short(prefix)}`,
      missing.length && `lacks: ${short(missing)}`,
      partial.length && `partial: ${short(partial)}`,
    ]
      .filter(Boolean)
      .join("; ") || "no"
  );
}

// ---------------------------------------------------------------------------------------------

const runEsbuild = async (css: string, target: string[] | undefined, minify = false) =>
  (await esbuild.transform(css, { loader: "css", target, minify })).code;
const runLightning = (css: Buffer, targets: Lightning.Targets | undefined, minify = false) =>
  lightning.transform({ filename: "sample.css", code: css, targets, minify }).code;

const outDir = mkdtempSync(path.join(os.tmpdir(), "css-targets-"));
console.log(`# browserslist → CSS: esbuild ${version("esbuild")} target vs lightningcss ${version("lightningcss")}\n`);
console.log(
  `${new Date().toISOString().slice(0, 10)} · Node ${process.version} · ${os.cpus().length} cores · browserslist ${version("browserslist")}, caniuse-lite ${version("caniuse-lite")}, baseline-browser-mapping ${version("baseline-browser-mapping")} · ${ROUNDS} rounds`,
);
console.log(
  `Loading: import esbuild ${fmt(esbuildImportMs)} ms + first transform (starts its process) ${fmt(esbuildFirstMs)} ms · import lightningcss (native addon) ${fmt(lightningImportMs)} ms · import browserslist + first query ${fmt(browserslistFirstMs)} ms`,
);

// 1. What esbuild accepts, tried on esbuild itself
console.log("\n## 1. What esbuild does with browserslist's names and versions (tried on esbuild)\n");
console.log("| target given to esbuild | esbuild says | oklch(70% 0.1 200) becomes |");
console.log("|---|---|---|");
for (const probe of [
  "safari16.4",
  "ios15.4",
  "ios15.3",
  "ios15.4-15.5",
  "ios15.3-15.4",
  "safari18.5.1",
  "safari18.5.1.2",
  "safariTP",
  "samsung27",
  "and_chr120",
  "ios_saf15",
  "op_mini",
]) {
  try {
    const out = await esbuild.transform(".f{color:oklch(70% 0.1 200)}", { loader: "css", target: [probe] });
    console.log(`| \`${probe}\` | accepted | ${/oklch/.test(out.code) ? "kept" : "lowered to hex"} |`);
  } catch (error) {
    console.log(
      `| \`${probe}\` | error: ${((error as Error).message.split("\n").find((l) => /Invalid|missing/.test(l)) ?? (error as Error).message).replace(/^.*error: /, "").trim()} | |`,
    );
  }
}
console.log(
  "\n(Safari/iOS got oklch() in 15.4. A range `15.4-15.5` is read as a pre-release of 15.4, lower than 15.4 itself: pass the lower bound.)",
);

console.log("\n### The mapping used here\n");
console.log("| browserslist | esbuild engine |");
console.log("|---|---|");
for (const [name, engine] of Object.entries(DIRECT)) console.log(`| \`${name}\` | \`${engine}\` |`);
console.log(
  "| `android` | `chrome` from 37 on (WebView has Chrome's numbers); 2.x–4.4.4 (old WebKit): none, dropped |",
);
for (const [name, d] of Object.entries(DOWNSTREAM))
  console.log(
    `| \`${name}\` | \`${d.engine}\` at its engine's version (baseline-browser-mapping \`${d.id}\` engine_version), or dropped |`,
  );
for (const name of NO_ENGINE) console.log(`| \`${name}\` | none: dropped |`);
console.log("| any, version `TP` / `all` | none: dropped (TP is newer than every release) |");

// 2. Targets per config
console.log("\n## 2. Targets each way derives\n");
console.log(
  "| config | browserslist entries | esbuild target: the browsers lightningcss honours (used below) | esbuild target: every browser with an engine | mapped via engine version | dropped (no engine) | lightningcss targets used | keys lightningcss ignores |",
);
console.log("|---|---:|---|---|---|---|---|---|");
interface Setup {
  list: string[];
  esbuild: string[]; // parity
  esbuildAll: string[];
  lightning: Lightning.Targets;
}
const setups = new Map<string, Setup>();
for (const config of CONFIGS) {
  const list = browserslist(config);
  const all = toEsbuild(list, "all");
  const parity = toEsbuild(list, "parity");
  const targets = lightning.browserslistToTargets(list);
  const l = describeLightning(targets);
  setups.set(config, { list, esbuild: parity.target, esbuildAll: all.target, lightning: targets });
  console.log(
    `| \`${config}\` | ${list.length} | ${parity.target.join(", ")} | ${all.target.join(", ")} | ${all.via.join("; ") || "–"} | ${all.dropped.join(", ") || "–"} | ${l.used} | ${l.ignored || "–"} |`,
  );
}

// 3. Feature by feature
console.log(
  `\n## 3. What each applies (each feature's rule transformed on its own; esbuild with the targets for the browsers lightningcss honours, and for \`defaults\` also with every browser)\n`,
);
const header = [
  ...SHOWN.flatMap((c) => [`${c}: needed? (caniuse)`, `${c}: esbuild`, `${c}: lightningcss`]),
  "defaults: esbuild, every browser",
];
console.log(`| feature | ${header.join(" | ")} |`);
console.log(`|---|${header.map(() => "---").join("|")}|`);
let warnings = 0;
const esbuildResult = async (feature: Feature, target: string[]) => {
  const e = await esbuild.transform(feature.css, { loader: "css", target });
  warnings += e.warnings.length;
  return feature.result(e.code);
};
for (const feature of FEATURES) {
  const cells: string[] = [];
  for (const config of SHOWN) {
    const setup = setups.get(config);
    if (!setup) continue;
    const e = await esbuildResult(feature, setup.esbuild);
    let l: string;
    try {
      const r = lightning.transform({ filename: "f.css", code: Buffer.from(feature.css), targets: setup.lightning });
      warnings += r.warnings.length;
      l = feature.result(r.code.toString());
    } catch (error) {
      l = `error: ${(error as Error).message}`;
    }
    const mark = (mine: string, other: string) => (mine !== other ? `**${mine}**` : mine);
    cells.push(need(feature, setup.list), mark(e, l), mark(l, e));
  }
  const defaults = setups.get("defaults");
  if (defaults) {
    const parity = await esbuildResult(feature, defaults.esbuild);
    const all = await esbuildResult(feature, defaults.esbuildAll);
    cells.push(all === parity ? "same" : `**${all}**`);
  }
  console.log(`| ${feature.label} | ${cells.join(" | ")} |`);
}
console.log(
  `\nBold: the two differ (last column: differs from esbuild with lightningcss's browsers). "kept": left as written. Colours: the declarations written, in order (fallbacks first). ` +
    `"needed?" is caniuse-lite's verdict over the browsers lightningcss honours (empty: caniuse has no such feature). Warnings from either: ${warnings}.`,
);
for (const config of CONFIGS) {
  const setup = setups.get(config);
  if (!setup) continue;
  const slug = config.replace(/[^a-z0-9]+/gi, "_");
  writeFileSync(path.join(outDir, `${slug}.esbuild.css`), await runEsbuild(SAMPLE, setup.esbuild));
  writeFileSync(path.join(outDir, `${slug}.esbuild-every-browser.css`), await runEsbuild(SAMPLE, setup.esbuildAll));
  writeFileSync(path.join(outDir, `${slug}.lightningcss.css`), runLightning(Buffer.from(SAMPLE), setup.lightning));
}
writeFileSync(path.join(outDir, "sample.css"), SAMPLE);
console.log(`The whole sample and each output per config: ${outDir}/`);

// 4. Time per 100 KB
/** Bootstrap's compiled CSS when it is found (real-world CSS: prefixed already, no nesting), beside the sample. */
function bootstrapCss(): string | undefined {
  const candidates = [process.env.BOOTSTRAP_DIR, "/tmp/x/node_modules/bootstrap"];
  try {
    candidates.push(path.dirname(require.resolve("bootstrap/package.json")));
  } catch {
    // not installed here: that is expected
  }
  for (const dir of candidates) {
    if (!dir) continue;
    try {
      return readFileSync(path.join(dir, "dist", "css", "bootstrap.css"), "utf8");
    } catch {
      // not there
    }
  }
  return undefined;
}
const copies: string[] = [];
for (let k = 0, size = 0; size < 400 * 1024; k++) {
  const copy = SAMPLE.replace(/\.f\b/g, `.f${k}`).replace(/\.t\b/g, `.t${k}`).replace(/\.p\b/g, `.p${k}`);
  copies.push(copy);
  size += copy.length;
}
const corpora: { name: string; css: string }[] = [
  { name: `the sample ×${copies.length} (every rule needs work)`, css: copies.join("\n") },
];
const bootstrap = bootstrapCss();
if (bootstrap)
  corpora.push({ name: "Bootstrap 5 dist/css/bootstrap.css (real-world, already prefixed)", css: bootstrap });

interface Contestant {
  corpus: number;
  config: string; // "" for no target
  tool: "esbuild" | "lightningcss";
  minify: boolean;
  run: () => Promise<unknown> | unknown;
}
const contestants: Contestant[] = [];
for (const [corpus, { css }] of corpora.entries()) {
  const buffer = Buffer.from(css);
  const add = (config: string, minify: boolean) => {
    const setup = setups.get(config);
    contestants.push({ corpus, config, tool: "esbuild", minify, run: () => runEsbuild(css, setup?.esbuild, minify) });
    contestants.push({
      corpus,
      config,
      tool: "lightningcss",
      minify,
      run: () => runLightning(buffer, setup?.lightning, minify),
    });
  };
  add("", false);
  for (const config of CONFIGS) add(config, false);
  add("defaults", true);
  add("safari 12", true);
}
for (const c of contestants) await c.run(); // warm-up
const times = contestants.map(() => [] as number[]);
for (let round = 0; round < ROUNDS; round++) {
  for (let k = 0; k < contestants.length; k++) {
    const i = (k + round) % contestants.length;
    const started = performance.now();
    await (contestants[i] as Contestant).run();
    times[i]?.push(performance.now() - started);
  }
}
const find = (corpus: number, config: string, tool: string, minify: boolean) =>
  times[
    contestants.findIndex((c) => c.corpus === corpus && c.config === config && c.tool === tool && c.minify === minify)
  ] ?? [];
console.log(
  `\n## 4. Time per 100 KB of CSS (median of ${ROUNDS}; esbuild's async transform, lightningcss's sync transform; ratios within each round)\n\n` +
    "(a) esbuild with the target; (b) what the lightningcss way costs in a bundler: esbuild with no target (it bundles anyway), then lightningcss on its output (the sum of the two in the same round).\n",
);
console.log(
  "| CSS | config | (a) esbuild + target, ms/100 KB | lightningcss alone, ms/100 KB | lightningcss alone vs (a): speed-up | (b) esbuild + lightningcss, ms/100 KB | (b) / (a) |",
);
console.log("|---|---|---:|---:|---:|---:|---:|");
for (const [corpus, { name, css }] of corpora.entries()) {
  const per100k = (ms: number) => (ms * 100 * 1024) / Buffer.byteLength(css);
  const label = `${name}, ${fmt(Buffer.byteLength(css) / 1024)} KB`;
  const none = find(corpus, "", "esbuild", false);
  console.log(
    `| ${label} | no target | ${fmt(per100k(median(none)), 1)} | ${fmt(per100k(median(find(corpus, "", "lightningcss", false))), 1)} | ${fmt(median(none.map((x, r) => x / (find(corpus, "", "lightningcss", false)[r] ?? Number.NaN))), 2)}× | | |`,
  );
  const rows: [string, boolean][] = [
    ...CONFIGS.map((c): [string, boolean] => [c, false]),
    ["defaults", true],
    ["safari 12", true],
  ];
  for (const [config, minify] of rows) {
    const e = find(corpus, config, "esbuild", minify);
    const l = find(corpus, config, "lightningcss", minify);
    const both = l.map((x, r) => x + (none[r] ?? Number.NaN));
    console.log(
      `| ${label} | \`${config}\`${minify ? ", minified" : ""} | ${fmt(per100k(median(e)), 1)} | ${fmt(per100k(median(l)), 1)} | ${fmt(median(e.map((x, r) => x / (l[r] ?? Number.NaN))), 2)}× | ` +
        `${fmt(per100k(median(both)), 1)} | ${fmt(median(both.map((x, r) => x / (e[r] ?? Number.NaN))), 2)}× |`,
    );
  }
}
