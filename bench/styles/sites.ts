/**
 * The generated sites both parts measure (pages, components, stylesheets, and for Tailwind the
 * PostCSS config), the sources a save writes into them, and the log of the counting PostCSS plugin
 * the Tailwind sites run.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface SiteOptions {
  pages: number;
  tailwind: boolean;
  /** The card is a `.module.scss` that `@use`s `styles/_vars.scss` (else a `.module.css`). */
  sass: boolean;
  /** Where the counting PostCSS plugin logs (outside the site: Tailwind scans the site). */
  countLog: string;
  /** No stylesheet at all (`_app` imports none, pages no card): the dev loop's reference without the style pipeline. */
  none?: boolean;
}

/** Shared utilities on every page, some page-specific arbitrary values. */
const SHARED = "mx-auto max-w-3xl space-y-4 p-6";
const pageClasses = (i: number) => `w-[${100 + i}px] mt-[${(i % 89) + 1}px] rounded-lg bg-white p-4 shadow`;
export const pageFile = (i: number, pages: number) =>
  path.join(`section${Math.floor((i - 1) / Math.min(50, pages))}`, `page${i}.tsx`);
export const pageUrl = (i: number, pages: number) =>
  `/${pageFile(i, pages)
    .replace(/\.tsx$/, "")
    .split(path.sep)
    .join("/")}`;

export function pageSource(i: number, site: SiteOptions, edit = 0): string {
  const card = site.sass ? "card.module.scss" : "card.module.css";
  return (
    (site.none ? `const styles = { card: "card" };\n` : `import styles from "../../components/${card}";\n`) +
    `import { Badge } from "../../components/Badge";\n` +
    `export function getServerData() { return { props: { n: ${i} } }; }\n` +
    `export default function Page${i}({ serverData }: { serverData: { n: number } }) {\n` +
    `  return (\n` +
    `    <main className="${SHARED}">\n` +
    `      <h1 className="text-2xl font-bold tracking-tight text-slate-900">Page {serverData.n}</h1>\n` +
    `      <p id="probe" className="${pageClasses(i)}">probe</p>\n` +
    `      <p id="edit">edit ${edit}</p>\n` +
    `      <div id="card" className={styles.card}>card</div>\n` +
    `      <Badge />\n` +
    `    </main>\n` +
    `  );\n` +
    `}\n`
  );
}

export const badgeSource = (extra: string) =>
  `export function Badge() {\n  return <span id="badge" className="inline-block rounded px-2 text-xs ${extra}">badge</span>;\n}\n`;
/** A colour of its own for save `n` (consecutive saves never repeat one). */
export const colour = (n: number): [number, number, number] => [(n * 37) % 256, (n * 11 + 64) % 256, (200 + n) % 256];
export const rgb = ([r, g, b]: [number, number, number]) => `rgb(${r}, ${g}, ${b})`;
export const hex = ([r, g, b]: [number, number, number]) =>
  [r, g, b].map((v) => v.toString(16).padStart(2, "0")).join("");
export const varsSource = (n: number) => `$accent: ${rgb(colour(n))};\n$pad: 6px;\n`;
export const cardCss = (n: number) =>
  `.card {\n  color: ${rgb(colour(n))};\n  padding: 6px;\n  border: 1px solid currentColor;\n}\n`;

/** Writes a site (pages/, components/, styles/, and for Tailwind the PostCSS config) and returns its pages directory. */
export function writeSite(dir: string, site: SiteOptions): string {
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  };
  write(
    "pages/_app.tsx",
    site.none
      ? `export function Head() { return <meta name="generator" content="bench" />; }\n`
      : `import "./global.css";\n`,
  );
  write(
    "pages/global.css",
    site.tailwind
      ? `@import "tailwindcss" source("../");\n\n@layer base {\n  body { font-family: system-ui, sans-serif; }\n}\n`
      : `body { margin: 0; font-family: system-ui, sans-serif; }\nmain { max-width: 48rem; margin: 0 auto; padding: 1.5rem; }\nh1 { font-size: 1.5rem; font-weight: 700; }\n`,
  );
  if (site.sass) {
    write("styles/_vars.scss", varsSource(0));
    write(
      "components/card.module.scss",
      `@use "../styles/vars" as v;\n\n.card {\n  color: v.$accent;\n  padding: v.$pad;\n  border: 1px solid v.$accent;\n  &:hover { opacity: 0.9; }\n}\n`,
    );
  } else {
    write("components/card.module.css", cardCss(0));
  }
  write("components/Badge.tsx", badgeSource(""));
  if (site.tailwind) {
    // Two PostCSS plugins of the bench around Tailwind's: a line per file PostCSS processes (in a log
    // outside the site, which Tailwind scans), with the time Tailwind's plugin took on it.
    write(
      "postcss.config.mjs",
      `export default { plugins: { "./postcss-bench-start.cjs": {}, "@tailwindcss/postcss": {}, "./postcss-bench-count.cjs": {} } };\n`,
    );
    write(
      "postcss-bench-start.cjs",
      `module.exports = () => ({ postcssPlugin: "bench-start", Once(_root, { result }) { (globalThis.__benchPostcss ??= new Map()).set(result.opts.from, performance.now()); } });\n` +
        `module.exports.postcss = true;\n`,
    );
    write(
      "postcss-bench-count.cjs",
      `const { appendFileSync } = require("node:fs");\n` +
        `const LOG = ${JSON.stringify(site.countLog)};\n` +
        `module.exports = () => ({ postcssPlugin: "bench-count", Once(_root, { result }) {\n` +
        `  const from = String(result.opts.from);\n` +
        `  const started = globalThis.__benchPostcss?.get(from) ?? performance.now();\n` +
        `  appendFileSync(LOG, JSON.stringify({ file: from, at: started, ms: performance.now() - started }) + "\\n");\n` +
        `} });\n` +
        `module.exports.postcss = true;\n`,
    );
  }
  for (let i = 1; i <= site.pages; i++) write(path.join("pages", pageFile(i, site.pages)), pageSource(i, site));
  return path.join(dir, "pages");
}

/** One line of the counting plugin's log: the file, when (the process's performance.now()) and how long Tailwind's plugin took. */
export interface PostcssRun {
  file: string;
  at: number;
  ms: number;
}

export function readRuns(log: string): PostcssRun[] {
  if (!existsSync(log)) return [];
  return readFileSync(log, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as PostcssRun);
}

/** The counting plugin's log: runs per file (relative to `base`). */
export function readCounts(log: string, base: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { file } of readRuns(log)) {
    const name = path.relative(base, file);
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}
export const describeCounts = (counts: Map<string, number>) =>
  counts.size === 0 ? "none" : [...counts].map(([file, n]) => `${file} ×${n}`).join(", ");
