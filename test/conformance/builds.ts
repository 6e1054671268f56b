/**
 * Production builds of the conformance fixtures, for the "from a build" target set (targets.ts).
 *
 * A target's `makeApp` is synchronous, and `build()` is async, so a build is made synchronously in a
 * child process (`node --import tsx src/cli.ts build …`), which also keeps what the build runs (the
 * static pages' renders, the modules they load) out of the test process: a test sees the same
 * process state whether the build was made now or found on disk.
 *
 * Builds are cached on disk under `<repo>/.tmp/conformance-builds/` (git ignores `.tmp/`; inside the
 * repository so the pages' packages resolve from its node_modules), keyed by a hash of what a build
 * is made from: the fixtures, ssr-pages' own sources, the package manifests, the environment the
 * browser build bakes in, and the build's options. A build is made once and reused by every test
 * file and every later run until one of those changes. `node --test` runs files in parallel
 * processes, so a build is made under a lock (an atomic `mkdir`) into a scratch folder and renamed
 * into place: a folder under its final name is always a complete build.
 */
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const REPO = path.resolve(fileURLToPath(new URL("../..", import.meta.url)));
const CACHE = path.join(REPO, ".tmp", "conformance-builds");
const CLI = path.join(REPO, "src", "cli.ts");
/** A build that takes longer has hung: it fails the test instead of holding the run. */
const BUILD_TIMEOUT_MS = 3 * 60_000;

/** What a build is made with (besides its pages folder). */
export interface BuildSpec {
  /** The mount path its static pages are rendered under. @default "" */
  basePath?: string;
  /** Their `<html lang>`. @default "en" */
  lang?: string;
}

export interface MadeBuild {
  /** The build's folder: what `{ build }` names. */
  out: string;
  /** Its id, as its page data carries it. */
  buildId: string;
}

/** Builds already looked up by this process, by cache key. */
const known = new Map<string, MadeBuild>();

/**
 * The build of `pagesDir` with `spec`, made now (blocking) unless the cache holds it.
 * @throws Error with the build's output when it fails (a fixture that does not build).
 */
export function buildOf(pagesDir: string, spec: BuildSpec = {}): MadeBuild {
  const dir = path.resolve(pagesDir);
  const basePath = spec.basePath ?? "";
  const lang = spec.lang ?? "en";
  const relative = path.relative(REPO, dir).split(path.sep).join("/");
  if (relative.startsWith("..") || path.isAbsolute(relative))
    throw new Error(`conformance builds: ${dir} is outside the repository; use buildInto() for a scratch folder`);
  const key = `${slotOf(relative, basePath, lang)}-${hash([inputsHash(), publicEnv(), relative, basePath, lang]).slice(0, 16)}`;
  const cached = known.get(key);
  if (cached) return cached;
  const out = path.join(CACHE, key);
  if (!isComplete(out)) makeLocked(key, (scratch) => buildInto(dir, scratch, { basePath, lang }));
  const made = { out, buildId: readBuildId(out) };
  known.set(key, made);
  return made;
}

/**
 * Builds `pagesDir` into `out` now (blocking), uncached: for a scratch pages folder a test makes.
 * @throws Error with the build's output when it fails.
 */
export function buildInto(pagesDir: string, out: string, spec: BuildSpec = {}): MadeBuild {
  const args = ["--import", "tsx", CLI, "build", pagesDir, "--out", out];
  if (spec.basePath) args.push("--base-path", spec.basePath);
  if (spec.lang !== undefined) args.push("--lang", spec.lang);
  // NODE_ENV as a deploy's build sets it, whatever a test has set it to (errors.test.ts sets it while
  // it creates apps): what the browser build bakes in is then the same for every test.
  // (NODE_TEST_CONTEXT, set by `node --test` for its file processes, is not the child's.)
  const { NODE_TEST_CONTEXT: _, ...inherited } = process.env;
  const env = { ...inherited, NODE_ENV: "production" };
  try {
    execFileSync(process.execPath, args, {
      cwd: REPO,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      encoding: "utf8",
      timeout: BUILD_TIMEOUT_MS,
    });
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(
      `conformance builds: \`ssr-pages build ${path.relative(REPO, pagesDir)}\` failed:\n${stderr}${stdout}`,
      { cause: error },
    );
  }
  return { out, buildId: readBuildId(out) };
}

/** The id of the build in `out`. */
export function readBuildId(out: string): string {
  return (JSON.parse(readFileSync(path.join(out, "ssr-pages.json"), "utf8")) as { buildId: string }).buildId;
}

/** The build writes its manifest last, and a cached build is renamed into place whole: either is enough. */
function isComplete(out: string): boolean {
  return existsSync(path.join(out, "ssr-pages.json"));
}

/** A readable prefix of a cache key: one per fixture and options, whatever the inputs' hash. */
function slotOf(relative: string, basePath: string, lang: string): string {
  const name = relative.replace(/^test\/fixtures\//, "").replace(/[^\w-]+/g, "_");
  return `${name}${basePath ? `@${basePath.replace(/[^\w-]+/g, "_")}` : ""}${lang === "en" ? "" : `~${lang.replace(/[^\w-]+/g, "_")}`}`;
}

// ---------------------------------------------------------------------------------------------
// The inputs' hash: the files' part computed once per process (a few hundred small files).
// ---------------------------------------------------------------------------------------------
let inputs: string | undefined;

function inputsHash(): string {
  if (inputs !== undefined) return inputs;
  const h = createHash("sha256");
  const add = (file: string) => {
    h.update(path.relative(REPO, file)).update("\0").update(readFileSync(file)).update("\0");
  };
  for (const file of ["package.json", "package-lock.json", "tsconfig.json"]) {
    if (existsSync(path.join(REPO, file))) add(path.join(REPO, file));
  }
  // ssr-pages' sources (the compiler, the browser runtime) and every fixture: fixtures import one
  // another (catchall and prod-pages use pages/_lib.ts, app/pages its components/).
  for (const root of ["src", path.join("test", "fixtures")]) walk(path.join(REPO, root), add);
  inputs = h.digest("hex");
  return inputs;
}

/** The variables the build bakes into the browser code (docs/deploying.md; NODE_ENV is set for the build: buildInto). */
function publicEnv(): string {
  return Object.entries(process.env)
    .filter(([name]) => name.startsWith("PUBLIC_") || name.startsWith("GATSBY_"))
    .map(([name, value]) => `${name}=${value}`)
    .sort()
    .join("\0");
}

/**
 * Every file under `dir`, sorted. Left out: what tests make there while others run (scratch folders
 * `.tmp*`, a build's default folder `.ssr-pages`, tools' `.cache`) and node_modules.
 */
function walk(dir: string, visit: (file: string) => void): void {
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith(".tmp") || name === ".ssr-pages" || name === ".cache" || name === "node_modules") continue;
    const full = path.join(dir, name);
    const stat = statSync(full);
    if (stat.isDirectory()) walk(full, visit);
    else if (stat.isFile()) visit(full);
  }
}

function hash(parts: readonly string[]): string {
  return createHash("sha256").update(parts.join("\0")).digest("hex");
}

// ---------------------------------------------------------------------------------------------
// Making a cache entry: under a lock, into a scratch folder, renamed into place.
// ---------------------------------------------------------------------------------------------
const LOCK_PATIENCE_MS = 5 * 60_000;

function makeLocked(key: string, make: (scratch: string) => void): void {
  mkdirSync(CACHE, { recursive: true });
  const out = path.join(CACHE, key);
  const lock = path.join(CACHE, `${key}.lock`);
  const started = Date.now();
  for (;;) {
    if (isComplete(out)) return;
    if (tryLock(lock)) break;
    if (Date.now() - started > LOCK_PATIENCE_MS)
      throw new Error(
        `conformance builds: waited ${LOCK_PATIENCE_MS / 1000} s for another process's build of ${key} (${lock})`,
      );
    sleep(100);
  }
  try {
    if (isComplete(out)) return; // made by another process between the check and the lock
    const scratch = path.join(CACHE, `${key}.partial-${process.pid}`);
    rmSync(scratch, { recursive: true, force: true });
    try {
      make(scratch);
      rmSync(out, { recursive: true, force: true }); // a leftover without its manifest
      renameSync(scratch, out);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    evictOthers(key);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Takes the lock, or clears it when its holder died (and tries again next round). */
function tryLock(lock: string): boolean {
  try {
    mkdirSync(lock);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    if (holderGone(lock)) rmSync(lock, { recursive: true, force: true });
    return false;
  }
  writeFileSync(path.join(lock, "pid"), String(process.pid));
  return true;
}

function holderGone(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(path.join(lock, "pid"), "utf8"));
  } catch {
    // Taken, its pid not written yet; or left so by a process killed in between.
    try {
      return Date.now() - statSync(lock).mtimeMs > 10_000;
    } catch {
      return false;
    }
  }
  return !alive(pid);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/** A build of other inputs this old is not being served by a run still going. */
const STALE_MS = 30 * 60_000;

/**
 * Removes the builds of the same fixture and options made from other inputs (older sources, which no
 * later run asks for), once they are old enough that no test process still running serves one: the
 * sources may change while a run goes on, and a served build's files are read as they are first used.
 */
function evictOthers(key: string): void {
  const slot = key.slice(0, key.lastIndexOf("-"));
  for (const name of readdirSync(CACHE)) {
    // A scratch folder left by a process killed while it built.
    const partial = /\.partial-(\d+)$/.exec(name);
    if (partial && !alive(Number(partial[1]))) rmSync(path.join(CACHE, name), { recursive: true, force: true });
    if (
      name === key ||
      name.includes(".lock") ||
      name.includes(".partial-") ||
      name.slice(0, name.lastIndexOf("-")) !== slot
    )
      continue;
    const full = path.join(CACHE, name);
    try {
      if (Date.now() - statSync(full).mtimeMs < STALE_MS) continue;
    } catch {
      continue;
    }
    rmSync(full, { recursive: true, force: true });
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleep(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}
