/**
 * `sass` (Dart Sass compiled to JavaScript) against `sass-embedded` (the Dart Sass binary from an npm
 * package, driven over stdin/stdout) for what ssr-pages would do with Sass, each in its fastest API:
 *
 * 1. Start-up, in a fresh Node process per contestant (nothing warm): import the package, start the
 *    compiler, the first compile (one small module), the app stylesheet (Bootstrap 5 with a theme
 *    partial, about 12k lines of CSS), then 100 `.module.scss` files; and the memory it took (peak
 *    RSS of Node, and of the compiler's child process, read from /proc/<pid>/status).
 * 2. The dev loop, in this process after a warm-up: the app stylesheet recompiled after `_theme.scss`
 *    changes, one module recompiled after it changes, and 100 and 1000 modules recompiled after the
 *    shared `_vars.scss` partial changes. Every API: `compile` / `compileAsync` (one-shot functions),
 *    and for sass-embedded `initCompiler()` / `initAsyncCompiler()` (one long-lived compiler), the
 *    async one also with 4 compilations in flight; and both with a JavaScript importer
 *    (canonicalize/load, no loadPaths), as a framework that resolves packages itself has.
 * 3. Exit: whether a compiler left undisposed keeps Node alive, what `dispose()` costs, and whether the
 *    compiler's child process outlives a Node that is killed or calls `process.exit()`.
 *
 * The workload is written to a temporary directory: `_vars.scss` @forwards `_tokens.scss` (maps,
 * functions) and `_mixins.scss` (media queries, colour maths); each module @uses it with loops over
 * the maps. The app stylesheet is Bootstrap's SCSS when it can be found (BOOTSTRAP_DIR, then
 * /tmp/x/node_modules/bootstrap, then a `bootstrap` package resolvable from here: install one with
 * `npm install bootstrap@5 --prefix /tmp/x`), else a generated one (about 6.6k lines; said in the
 * header). Ratios are medians over rounds of the ratio within each round (contestants take turns in
 * each round, the order rotating), so the machine's drift falls on all alike.
 *
 * Run: npx tsx bench/sass-compilers.ts (about 45 s on a quiet machine). ROUNDS=n (3), BOOTSTRAP_DIR=<dir of bootstrap>.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { fmt, median } from "./lib/stats.js";

const ROUNDS = Math.max(1, Number(process.env.ROUNDS ?? 3));
const HANG_MS = 1000; // a child that has not exited this long after its work is done is held open
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const version = (pkg: string) =>
  (JSON.parse(readFileSync(path.join(ROOT, "node_modules", pkg, "package.json"), "utf8")) as { version: string })
    .version;

// ---------------------------------------------------------------------------------------------
// The workload
// ---------------------------------------------------------------------------------------------

const TOKENS = `@use "sass:map";
@use "sass:math";
$colors: (primary: #0d6efd, secondary: #6c757d, success: #198754, info: #0dcaf0, warning: #ffc107, danger: #dc3545, light: #f8f9fa, dark: #212529);
$spacers: (0: 0, 1: .25rem, 2: .5rem, 3: 1rem, 4: 1.5rem, 5: 3rem);
$breakpoints: (sm: 576px, md: 768px, lg: 992px, xl: 1200px, xxl: 1400px);
$radius: .375rem;
$font-stack: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
@function space($n) { @return map.get($spacers, $n); }
@function rem($px) { @return math.div($px, 16px) * 1rem; }
`;
const MIXINS = `@use "sass:map";
@use "sass:color";
@use "tokens" as t;
@mixin respond($bp) { @media (min-width: map.get(t.$breakpoints, $bp)) { @content; } }
@mixin button-variant($c) {
  @if color.channel($c, "lightness", $space: hsl) > 60% { color: #000; } @else { color: #fff; }
  background-color: $c;
  border-color: color.adjust($c, $lightness: -5%);
  &:hover { background-color: color.adjust($c, $lightness: -8%); }
  &:focus-visible { outline: 2px solid color.change($c, $alpha: .5); outline-offset: 2px; }
  &:disabled { opacity: .65; pointer-events: none; }
}
@mixin truncate { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
`;
const VARS = (n: number) =>
  `// edit ${n}\n@forward "tokens";\n@forward "mixins";\n$accent: hsl(${(n * 37) % 360}, 60%, 45%);\n`;
const MODULE = (i: number, edit = 0) => `@use "sass:map";
@use "../vars" as v;
// module ${i}, edit ${edit}
.root {
  padding: v.space(3) v.space(4);
  border-radius: v.$radius;
  font-family: v.$font-stack;
  display: grid;
  gap: v.space(2);
  border-left: 3px solid v.$accent;
  @include v.respond(md) { grid-template-columns: repeat(2, 1fr); }
  @include v.respond(lg) { grid-template-columns: repeat(${2 + (i % 3)}, 1fr); }
}
.title { font-size: v.rem(${18 + (i % 6) + edit}px); font-weight: 600; @include v.truncate; }
.body { margin: 0 0 v.space(3); line-height: 1.5; }
@each $name in (primary, ${i % 2 ? "success" : "danger"}) { .btn-#{$name} { @include v.button-variant(map.get(v.$colors, $name)); } }
@for $n from 1 through 3 { .level-#{$n} { margin-left: v.space($n); } }
`;
const THEME = (n: number) =>
  `// edit ${n}\n$primary: #${(0x1d4ed8 + n * 0x010203).toString(16).slice(-6)};\n$enable-shadows: true;\n$enable-negative-margins: true;\n`;
/** When Bootstrap is not found: a stylesheet of about the same size from the same partials (utilities per breakpoint). */
const GENERATED_APP = `@use "sass:map";
@use "sass:color";
@use "vars" as v;
$props: (m: margin, p: padding);
$sides: (t: top, e: right, b: bottom, s: left);
@each $bp, $w in map.merge((xs: 0), v.$breakpoints) {
  @media (min-width: $w) {
    @each $k, $prop in $props { @each $s, $side in $sides { @each $n, $size in v.$spacers {
      .#{$k}#{$s}-#{$bp}-#{$n} { #{$prop}-#{$side}: $size !important; }
    } } }
    @each $name, $c in v.$colors { @for $i from 1 through 19 {
      .text-#{$name}-#{$bp}-#{$i} { color: color.mix($c, #000, $i * 5%) !important; }
      .bg-#{$name}-#{$bp}-#{$i} { background-color: color.mix($c, #fff, $i * 5%) !important; }
    } }
  }
}
@each $name, $c in v.$colors { .btn-#{$name} { @include v.button-variant($c); } .alert-#{$name} { @include v.button-variant(color.mix($c, #fff, 20%)); } }
`;

interface Workload {
  dir: string;
  app: string; // the app stylesheet's path
  theme: string; // the partial the dev loop edits for the app stylesheet
  vars: string; // the shared partial of the modules
  modules: string[]; // 1000 module files
  loadPaths: string[];
  appKind: string;
}

function findBootstrap(): string | undefined {
  const candidates = [process.env.BOOTSTRAP_DIR, "/tmp/x/node_modules/bootstrap"];
  try {
    candidates.push(path.dirname(require.resolve("bootstrap/package.json")));
  } catch {
    // not installed here: that is expected
  }
  return candidates.find((dir): dir is string => !!dir && existsSync(path.join(dir, "scss", "bootstrap.scss")));
}

function writeWorkload(): Workload {
  const dir = mkdtempSync(path.join(os.tmpdir(), "sass-bench-"));
  mkdirSync(path.join(dir, "modules"));
  writeFileSync(path.join(dir, "_tokens.scss"), TOKENS);
  writeFileSync(path.join(dir, "_mixins.scss"), MIXINS);
  writeFileSync(path.join(dir, "_vars.scss"), VARS(0));
  writeFileSync(path.join(dir, "_theme.scss"), THEME(0));
  const modules: string[] = [];
  for (let i = 0; i < 1000; i++) {
    const file = path.join(dir, "modules", `card${i}.module.scss`);
    writeFileSync(file, MODULE(i));
    modules.push(file);
  }
  const bootstrap = findBootstrap();
  const app = path.join(dir, "app.scss");
  let loadPaths: string[] = [];
  let appKind: string;
  if (bootstrap) {
    // Bootstrap 5 is written with @import; its variables are overridden by a partial imported first.
    writeFileSync(app, `@import "theme";\n@import "${path.basename(bootstrap)}/scss/bootstrap";\n`);
    loadPaths = [path.dirname(bootstrap)];
    appKind = `Bootstrap ${(JSON.parse(readFileSync(path.join(bootstrap, "package.json"), "utf8")) as { version: string }).version} (${bootstrap}) + _theme.scss, via loadPaths`;
  } else {
    writeFileSync(app, `@use "theme";\n${GENERATED_APP}`);
    appKind = "generated (Bootstrap not found): utilities from the shared partials";
  }
  return {
    dir,
    app,
    theme: path.join(dir, "_theme.scss"),
    vars: path.join(dir, "_vars.scss"),
    modules,
    loadPaths,
    appKind,
  };
}

/** The same options for every compiler: Bootstrap's own deprecation warnings are not what is measured. */
const optionsFor = (w: Workload) => ({
  loadPaths: w.loadPaths,
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin", "color-functions"] as (
    "import" | "global-builtin" | "color-functions"
  )[],
  logger: { warn() {}, debug() {} },
});

// ---------------------------------------------------------------------------------------------
// /proc: a process's children and memory
// ---------------------------------------------------------------------------------------------

/** Shared with the child scripts (as source): the child processes of `pid`, and VmRSS / VmHWM in MiB. */
const PROC_SOURCE = `
function childrenOf(pid) {
  const out = new Set();
  try {
    for (const t of fs.readdirSync("/proc/" + pid + "/task")) {
      try { for (const c of fs.readFileSync("/proc/" + pid + "/task/" + t + "/children", "utf8").split(/\\s+/)) if (c) out.add(Number(c)); } catch {}
    }
  } catch {}
  if (out.size === 0) {
    for (const d of fs.readdirSync("/proc")) {
      if (!/^\\d+$/.test(d)) continue;
      try { const stat = fs.readFileSync("/proc/" + d + "/stat", "utf8"); if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid) out.add(Number(d)); } catch {}
    }
  }
  return [...out];
}
function memoryOf(pid) {
  try {
    const s = fs.readFileSync("/proc/" + pid + "/status", "utf8");
    const mib = (k) => Number((new RegExp("^" + k + ":\\\\s+(\\\\d+)", "m").exec(s) || [])[1]) / 1024;
    return { rss: mib("VmRSS"), hwm: mib("VmHWM"), state: (/^State:\\s+(\\S)/m.exec(s) || [])[1] };
  } catch { return undefined; }
}
`;

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

interface ChildRun {
  lines: Record<string, unknown>[];
  exitedAfterDoneMs: number | undefined; // undefined: still running HANG_MS after "done", killed
  code: number | null;
}

/** Runs an ES module script in a fresh Node; it prints JSON lines; {"done":true} starts the exit clock. */
function runChild(
  source: string,
  env: Record<string, string>,
  kill?: (pid: number, line: Record<string, unknown>) => void,
): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--input-type=module", "-e", `import fs from "node:fs";\n${PROC_SOURCE}\n${source}`],
      {
        cwd: ROOT,
        env: { ...process.env, ...env },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const lines: Record<string, unknown>[] = [];
    let doneAt: number | undefined;
    let hung: NodeJS.Timeout | undefined;
    let buffer = "";
    child.stdout.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl: number;
      while ((nl = buffer.indexOf("\n")) !== -1) {
        const line = JSON.parse(buffer.slice(0, nl)) as Record<string, unknown>;
        buffer = buffer.slice(nl + 1);
        lines.push(line);
        if (kill) kill(child.pid as number, line);
        if (line.done && doneAt === undefined) {
          doneAt = performance.now();
          hung = setTimeout(() => {
            // Held open: end it, and the compiler's child with it (both started here).
            const spawned =
              (lines.find((l) => typeof l.compilerPid === "number")?.compilerPid as number | undefined) ?? undefined;
            child.kill("SIGKILL");
            if (spawned && alive(spawned)) process.kill(spawned, "SIGKILL");
          }, HANG_MS);
        }
      }
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (hung) clearTimeout(hung);
      const after = doneAt === undefined ? undefined : performance.now() - doneAt;
      resolve({ lines, exitedAfterDoneMs: after !== undefined && after < HANG_MS ? after : undefined, code });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// 1. Start-up, a fresh Node per contestant
// ---------------------------------------------------------------------------------------------

const STARTUP_CHILD = `
const a = JSON.parse(process.env.SASS_BENCH);
a.options.logger = { warn() {}, debug() {} };
const ms = {};
let t = performance.now();
const start = t;
const sass = await import(a.pkg);
ms.import = performance.now() - t;
t = performance.now();
let compiler;
if (a.api === "initCompiler") compiler = sass.initCompiler();
if (a.api.startsWith("initAsyncCompiler")) compiler = await sass.initAsyncCompiler();
ms.init = performance.now() - t;
const compile = a.api === "compile" ? (f) => sass.compile(f, a.options)
  : a.api === "compileAsync" ? (f) => sass.compileAsync(f, a.options)
  : a.api === "initCompiler" ? (f) => compiler.compile(f, a.options)
  : (f) => compiler.compileAsync(f, a.options);
const inFlight = a.api.endsWith("x4") ? 4 : 1;
async function all(files) {
  let next = 0;
  await Promise.all(Array.from({ length: inFlight }, async () => { while (next < files.length) await compile(files[next++]); }));
}
t = performance.now(); await compile(a.modules[0]); ms.first = performance.now() - t;
if (inFlight > 1) {
  // app stylesheet and modules together, as a server starting up would
  t = performance.now(); await all([a.app, ...a.modules]); ms.appAndModules = performance.now() - t;
} else {
  t = performance.now(); await compile(a.app); ms.app = performance.now() - t;
  t = performance.now(); await all(a.modules); ms.modules = performance.now() - t;
  ms.appAndModules = ms.app + ms.modules;
}
ms.total = performance.now() - start;
const self = memoryOf(process.pid);
const kids = childrenOf(process.pid).map(memoryOf).filter(Boolean);
const mem = { nodeHwm: process.resourceUsage().maxRSS / 1024, nodeRss: self.rss, childHwm: kids.reduce((s, k) => s + k.hwm, 0), childRss: kids.reduce((s, k) => s + k.rss, 0), children: kids.length };
if (compiler) await compiler.dispose();
process.stdout.write(JSON.stringify({ ms, mem }) + "\\n");
`;

interface StartupContestant {
  name: string;
  pkg: "sass" | "sass-embedded";
  api: "compile" | "compileAsync" | "initCompiler" | "initAsyncCompiler" | "initAsyncCompiler x4";
}
const STARTUP: StartupContestant[] = [
  { name: "sass · compile", pkg: "sass", api: "compile" },
  { name: "sass-embedded · initCompiler()", pkg: "sass-embedded", api: "initCompiler" },
  { name: "sass-embedded · initAsyncCompiler()", pkg: "sass-embedded", api: "initAsyncCompiler" },
  { name: "sass-embedded · initAsyncCompiler(), 4 in flight", pkg: "sass-embedded", api: "initAsyncCompiler x4" },
];

type Ms = Record<string, number>;
type Mem = Record<string, number>;

async function startup(w: Workload): Promise<void> {
  const modules = w.modules.slice(0, 100);
  const runs = new Map<string, { ms: Ms; mem: Mem }[]>(STARTUP.map((c) => [c.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < STARTUP.length; k++) {
      const c = STARTUP[(k + round) % STARTUP.length] as StartupContestant;
      const run = await runChild(STARTUP_CHILD, {
        SASS_BENCH: JSON.stringify({
          pkg: c.pkg,
          api: c.api,
          app: w.app,
          modules,
          options: { ...optionsFor(w), logger: undefined },
        }),
      });
      const line = run.lines[0] as { ms: Ms; mem: Mem } | undefined;
      if (!line) throw new Error(`${c.name}: the start-up child printed nothing (exit ${run.code})`);
      runs.get(c.name)?.push(line);
    }
  }
  const med = (name: string, pick: (r: { ms: Ms; mem: Mem }) => number | undefined) =>
    median((runs.get(name) ?? []).map((r) => pick(r) ?? Number.NaN));
  const base = STARTUP[0] as StartupContestant;
  const ratio = (name: string) =>
    median(
      (runs.get(name) ?? []).map(
        (r, i) => ((runs.get(base.name)?.[i]?.ms.total ?? Number.NaN) as number) / (r.ms.total as number),
      ),
    );
  console.log(`\n## 1. Start-up: a fresh Node, import → app stylesheet + 100 modules (median of ${ROUNDS}, ms)\n`);
  console.log(
    "| contestant | import | init | first compile (1 module) | app stylesheet | 100 modules | total | vs sass · compile |",
  );
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
  for (const c of STARTUP) {
    const both = c.api.endsWith("x4");
    console.log(
      `| ${c.name} | ${fmt(med(c.name, (r) => r.ms.import))} | ${fmt(
        med(c.name, (r) => r.ms.init),
        1,
      )} | ${fmt(med(c.name, (r) => r.ms.first))} | ` +
        `${both ? `${fmt(med(c.name, (r) => r.ms.appAndModules))} (together)` : fmt(med(c.name, (r) => r.ms.app))} | ${both ? "" : fmt(med(c.name, (r) => r.ms.modules))} | ` +
        `${fmt(med(c.name, (r) => r.ms.total))} | ${fmt(ratio(c.name), 2)}× |`,
    );
  }
  console.log(
    `\n### Memory after that start-up (median of ${ROUNDS}, MiB; the compiler's child process read from /proc/<pid>/status before dispose)\n`,
  );
  console.log(
    "| contestant | Node peak RSS | Node RSS after | compiler child peak RSS | child RSS after | total peak (Node + child) | total after |",
  );
  console.log("|---|---:|---:|---:|---:|---:|---:|");
  for (const c of STARTUP) {
    const child = c.pkg === "sass";
    console.log(
      `| ${c.name} | ${fmt(med(c.name, (r) => r.mem.nodeHwm))} | ${fmt(med(c.name, (r) => r.mem.nodeRss))} | ${child ? "none" : fmt(med(c.name, (r) => r.mem.childHwm))} | ` +
        `${child ? "none" : fmt(med(c.name, (r) => r.mem.childRss))} | ${fmt(med(c.name, (r) => (r.mem.nodeHwm ?? 0) + (r.mem.childHwm ?? 0)))} | ${fmt(med(c.name, (r) => (r.mem.nodeRss ?? 0) + (r.mem.childRss ?? 0)))} |`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// 2. The dev loop, warm, in this process
// ---------------------------------------------------------------------------------------------

interface Api {
  name: string;
  /** Compiles the files, `inFlight` at a time. */
  run(files: string[]): Promise<void>;
  oneShot?: boolean; // one child process per compile
  batchOnly?: boolean;
  slow?: boolean;
  notAt1000?: boolean;
}

async function pool(files: string[], inFlight: number, compile: (file: string) => unknown): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(inFlight, files.length) }, async () => {
      while (next < files.length) await compile(files[next++] as string);
    }),
  );
}

/**
 * An importer in JavaScript (canonicalize + load), as a framework has when it resolves packages or
 * rewrites url()s itself: with sass-embedded every load is then a round trip to Node and back.
 */
function jsImporter(loadPaths: string[]) {
  const find = (base: string): string | undefined => {
    const dir = path.dirname(base);
    const name = path.basename(base);
    const tries = /\.(s[ac]ss|css)$/.test(name)
      ? [base, path.join(dir, `_${name}`)]
      : [
          ...[".scss", ".sass", ".css"].flatMap((ext) => [
            path.join(dir, `_${name}${ext}`),
            path.join(dir, `${name}${ext}`),
          ]),
          path.join(base, "_index.scss"),
          path.join(base, "index.scss"),
        ];
    return tries.find((file) => existsSync(file));
  };
  return {
    canonicalize(url: string, context: { containingUrl: URL | null }): URL | null {
      if (/^[a-z][a-z0-9+.-]*:/i.test(url) && !url.startsWith("file:")) return null;
      const from =
        context.containingUrl?.protocol === "file:"
          ? [path.resolve(path.dirname(fileURLToPath(context.containingUrl)), url)]
          : [];
      const bases = url.startsWith("file:")
        ? [fileURLToPath(url)]
        : [...from, ...loadPaths.map((dir) => path.resolve(dir, url))];
      for (const base of bases) {
        const file = find(base);
        if (file) return pathToFileURL(file);
      }
      return null;
    },
    load(canonicalUrl: URL) {
      const file = fileURLToPath(canonicalUrl);
      return {
        contents: readFileSync(file, "utf8"),
        syntax: file.endsWith(".css") ? ("css" as const) : ("scss" as const),
      };
    },
  };
}

async function devLoop(w: Workload): Promise<void> {
  const sass = await import("sass");
  const embedded = await import("sass-embedded");
  const options = optionsFor(w);
  const syncCompiler = embedded.initCompiler();
  const asyncCompiler = await embedded.initAsyncCompiler();
  const importer = jsImporter(w.loadPaths);
  const withImporter = (file: string) => ({
    ...options,
    loadPaths: [],
    url: pathToFileURL(file),
    importer,
    importers: [importer],
  });
  const apis: Api[] = [
    {
      name: "sass · compile",
      run: async (files) => {
        for (const f of files) sass.compile(f, options);
      },
    },
    { name: "sass · compileAsync", slow: true, run: (files) => pool(files, 1, (f) => sass.compileAsync(f, options)) },
    {
      name: "sass-embedded · compile (one-shot)",
      oneShot: true,
      run: async (files) => {
        for (const f of files) embedded.compile(f, options);
      },
    },
    {
      name: "sass-embedded · compileAsync (one-shot)",
      oneShot: true,
      run: (files) => pool(files, 1, (f) => embedded.compileAsync(f, options)),
    },
    {
      name: "sass-embedded · initCompiler()",
      notAt1000: true,
      run: async (files) => {
        for (const f of files) syncCompiler.compile(f, options);
      },
    },
    {
      name: "sass-embedded · initAsyncCompiler()",
      notAt1000: true,
      run: (files) => pool(files, 1, (f) => asyncCompiler.compileAsync(f, options)),
    },
    {
      name: "sass-embedded · initAsyncCompiler(), 4 in flight",
      batchOnly: true,
      run: (files) => pool(files, 4, (f) => asyncCompiler.compileAsync(f, options)),
    },
    // The entry as a string with a JavaScript importer for everything it loads, no loadPaths.
    {
      name: "sass · compileString + JS importer",
      slow: true,
      run: async (files) => {
        for (const f of files) sass.compileString(readFileSync(f, "utf8"), withImporter(f));
      },
    },
    {
      name: "sass-embedded · initAsyncCompiler() + JS importer",
      notAt1000: true,
      run: (files) => pool(files, 1, (f) => asyncCompiler.compileStringAsync(readFileSync(f, "utf8"), withImporter(f))),
    },
  ];
  let edit = 0;
  interface Task {
    name: string;
    files: string[];
    change: () => void; // the editor's save, before the clock starts
  }
  const tasks: Task[] = [
    {
      name: "app stylesheet after _theme.scss changes",
      files: [w.app],
      change: () => writeFileSync(w.theme, THEME(++edit)),
    },
    {
      name: "1 module after it changes",
      files: [w.modules[0] as string],
      change: () => writeFileSync(w.modules[0] as string, MODULE(0, ++edit % 4)),
    },
    {
      name: "100 modules after _vars.scss changes",
      files: w.modules.slice(0, 100),
      change: () => writeFileSync(w.vars, VARS(++edit)),
    },
    {
      name: "1000 modules after _vars.scss changes",
      files: w.modules,
      change: () => writeFileSync(w.vars, VARS(++edit)),
    },
  ];
  // Which contestant runs which task (for time): one-shot only on single files (a batch is files × one
  // file: a process per compile), 4 in flight only on batches, the "slow" ones not on batches, the
  // one-at-a-time long-lived compilers not on 1000 files (per file it is the 100 files' figure).
  const runs = (task: Task, api: Api) =>
    api.oneShot
      ? task.files.length === 1
      : api.batchOnly
        ? task.files.length > 1
        : !(api.slow && task.files.length > 1) && !(api.notAt1000 && task.files.length > 100);
  // Warm-up: every contestant over every task once, 100 files at most (the JavaScript compiler's JIT), but
  // compileAsync of sass on the app stylesheet (2.5 s; its first round is the median's outlier if any).
  for (const task of tasks) {
    if (task.files.length > 100) continue; // the 100-module task warmed the same contestants
    for (const api of apis) if (runs(task, api) && !(api.slow && task.files[0] === w.app)) await api.run(task.files);
  }

  const times = tasks.map(() => apis.map(() => [] as number[])); // [task][api] = ms per round
  for (let round = 0; round < ROUNDS; round++) {
    for (const [ti, task] of tasks.entries()) {
      for (let k = 0; k < apis.length; k++) {
        const ai = (k + round) % apis.length;
        const api = apis[ai] as Api;
        if (!runs(task, api)) continue;
        task.change();
        const t = performance.now();
        await api.run(task.files);
        times[ti]?.[ai]?.push(performance.now() - t);
      }
    }
  }
  syncCompiler.dispose();
  await asyncCompiler.dispose();

  console.log(
    `\n## 2. Dev loop: warm recompiles in one process (median of ${ROUNDS}, ms; × = sass · compile's time / the contestant's in the same round, higher is faster)\n`,
  );
  console.log(`| contestant | ${tasks.map((t) => `${t.name} | ×`).join(" | ")} |`);
  console.log(`|---|${tasks.map(() => "---:|---:").join("|")}|`);
  const single = tasks.findIndex((t) => t.files.length === 1 && t.files[0] !== w.app);
  for (const [ai, api] of apis.entries()) {
    const cells = tasks.map((task, ti) => {
      if (!runs(task, api)) {
        if (!api.oneShot) return " | ";
        // A one-shot batch: the batch's size × one module's time (each compile starts its own compiler).
        const estimate = median(times[single]?.[ai] ?? []) * task.files.length;
        const base = median(times[ti]?.[0] ?? []);
        return `≈${fmt(estimate)}* | ≈${fmt(base / estimate, 2)}×`;
      }
      const mine = times[ti]?.[ai] ?? [];
      const base = times[ti]?.[0] ?? [];
      const ms = median(mine);
      return `${fmt(ms, ms < 10 ? 1 : 0)} | ${fmt(median(mine.map((m, r) => (base[r] ?? Number.NaN) / m)), 2)}×`;
    });
    console.log(`| ${api.name} | ${cells.join(" | ")} |`);
  }
  console.log(
    "\n\\* estimated: one-shot sass-embedded starts a compiler process per call, so a batch costs its size × one module's time. Left out for time: sass · compileAsync and sass with a JS importer on batches (see the single files), the one-at-a-time long-lived compilers on 1000 modules (per module it is the 100 modules' figure). JS importer: the entry compiled from a string, every @use/@import resolved and read by a canonicalize/load importer in Node, no loadPaths.",
  );
}

// ---------------------------------------------------------------------------------------------
// 3. Exit
// ---------------------------------------------------------------------------------------------

const EXIT_CHILD = `
const a = JSON.parse(process.env.SASS_BENCH);
const sass = await import("sass-embedded");
const src = ".a { .b { color: red; } }";
let compiler;
if (a.api === "initCompiler") { compiler = sass.initCompiler(); compiler.compileString(src); }
if (a.api === "initAsyncCompiler") { compiler = await sass.initAsyncCompiler(); await compiler.compileStringAsync(src); }
if (a.api === "compile") sass.compileString(src);
if (a.api === "compileAsync") await sass.compileStringAsync(src);
const compilerPid = childrenOf(process.pid)[0];
process.stdout.write(JSON.stringify({ compilerPid: compilerPid ?? null }) + "\\n");
if (a.end === "dispose") { const t = performance.now(); await compiler.dispose(); process.stdout.write(JSON.stringify({ disposeMs: performance.now() - t }) + "\\n"); }
if (a.end === "exit") { process.stdout.write(JSON.stringify({ done: true }) + "\\n"); process.exit(0); }
if (a.end === "SIGKILL") { await new Promise((r) => setTimeout(r, 5000)); }
process.stdout.write(JSON.stringify({ done: true }) + "\\n");
`;

async function exitBehaviour(): Promise<void> {
  const cases: { name: string; api: string; end: string }[] = [
    { name: "initAsyncCompiler(), not disposed", api: "initAsyncCompiler", end: "none" },
    { name: "initCompiler(), not disposed", api: "initCompiler", end: "none" },
    { name: "initAsyncCompiler(), then dispose()", api: "initAsyncCompiler", end: "dispose" },
    { name: "initCompiler(), then dispose()", api: "initCompiler", end: "dispose" },
    { name: "compileAsync (one-shot)", api: "compileAsync", end: "none" },
    { name: "compile (one-shot)", api: "compile", end: "none" },
    { name: "initAsyncCompiler(), process.exit(0) without dispose", api: "initAsyncCompiler", end: "exit" },
    { name: "initAsyncCompiler(), Node killed (SIGKILL)", api: "initAsyncCompiler", end: "SIGKILL" },
    { name: "initCompiler(), Node killed (SIGKILL)", api: "initCompiler", end: "SIGKILL" },
  ];
  console.log(
    `\n## 3. Exit: sass-embedded in a fresh Node that compiles once and then returns (held open = not exited ${HANG_MS} ms after its work)\n`,
  );
  console.log(
    "| case | Node exits by itself | dispose() ms | compiler child alive while compiler lives | compiler child gone 300 ms after Node ends |",
  );
  console.log("|---|---|---:|---|---|");
  for (const c of cases) {
    let compilerPid: number | undefined;
    const run = await runChild(EXIT_CHILD, { SASS_BENCH: JSON.stringify(c) }, (pid, line) => {
      if (typeof line.compilerPid === "number") {
        compilerPid = line.compilerPid;
        if (c.end === "SIGKILL") process.kill(pid, "SIGKILL");
      }
    });
    // The compiler's child: gone once Node is (its stdin closes); given up to 300 ms.
    for (let waited = 0; compilerPid !== undefined && alive(compilerPid) && waited < 300; waited += 10)
      await new Promise((r) => setTimeout(r, 10));
    const disposeMs = run.lines.find((l) => typeof l.disposeMs === "number")?.disposeMs as number | undefined;
    const exits =
      c.end === "SIGKILL"
        ? "(killed)"
        : run.exitedAfterDoneMs === undefined
          ? "**no: held open**"
          : `yes (${fmt(run.exitedAfterDoneMs)} ms after)`;
    const orphan = compilerPid !== undefined && alive(compilerPid);
    if (orphan && compilerPid !== undefined) process.kill(compilerPid, "SIGKILL"); // started here
    console.log(
      `| ${c.name} | ${exits} | ${disposeMs === undefined ? "" : fmt(disposeMs, 1)} | ${compilerPid === undefined ? "no (exited after the compile)" : `yes (pid ${compilerPid})`} | ${compilerPid === undefined ? "" : orphan ? "**no: orphaned**" : "yes"} |`,
    );
  }
}

// ---------------------------------------------------------------------------------------------

const w = writeWorkload();
try {
  const began = performance.now();
  console.log(`# sass ${version("sass")} vs sass-embedded ${version("sass-embedded")}\n`);
  console.log(
    `${new Date().toISOString().slice(0, 10)} · Node ${process.version} · ${os.cpus().length} cores · ${ROUNDS} rounds`,
  );
  const embedded = await import("sass-embedded"); // the faster one, to describe the workload
  const css = (await embedded.compileAsync(w.app, optionsFor(w))).css;
  const moduleCss = (await embedded.compileAsync(w.modules[0] as string, optionsFor(w))).css;
  console.log(
    `App stylesheet: ${w.appKind} → ${css.split("\n").length} lines, ${Math.round(css.length / 1024)} KB of CSS.`,
  );
  console.log(
    `Modules: each @uses _vars.scss (@forward of maps, functions, mixins) → ${moduleCss.split("\n").length} lines of CSS each; ${readdirSync(path.join(w.dir, "modules")).length} files.`,
  );
  const marks = [performance.now()];
  await startup(w);
  marks.push(performance.now());
  await devLoop(w);
  marks.push(performance.now());
  await exitBehaviour();
  marks.push(performance.now());
  const secs = (i: number) => fmt(((marks[i + 1] as number) - (marks[i] as number)) / 1000, 1);
  console.log(
    `\n(${fmt((performance.now() - began) / 1000, 1)} s: start-up ${secs(0)} s, dev loop ${secs(1)} s, exit ${secs(2)} s)`,
  );
} finally {
  rmSync(w.dir, { recursive: true, force: true });
}
