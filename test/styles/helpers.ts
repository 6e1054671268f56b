/**
 * Shared set-up for test/styles (issue 19: PostCSS, Tailwind, Sass, CSS-in-JS, isolation of failing
 * stylesheets): the fixture's paths, an Express or Koa host around the middleware, reading a page's
 * stylesheets, and throwaway apps written at test time (in the repository's .tmp/, which is
 * gitignored, or in os.tmpdir() for an app that must not see the repository's node_modules).
 *
 * Tailwind v4 scans the working directory (the repository root) for class names, this file and the
 * tests included. So the class names the tests look for are never written here whole: they are built
 * from parts (`arbitrary("mt", "19px")`), and the scan can only find them in the fixture's files.
 */
import { createHash } from "node:crypto";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import type { RequestListener, Server } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import express from "express";
import Koa from "koa";
import mount from "koa-mount";
import request from "supertest";
import { ssrMiddleware as expressSsr } from "../../adapters/express.js";
import { ssrMiddleware as koaSsr } from "../../adapters/koa.js";

export const REPO = fileURLToPath(new URL("../../", import.meta.url));
export const FIXTURE = path.join(REPO, "test", "fixtures", "styles");
/** The clean app: every page compiles. */
export const MAIN_PAGES = path.join(FIXTURE, "pages");
/** Good pages and broken ones in one pages directory. */
export const ISOLATION_PAGES = path.join(FIXTURE, "pages-isolation");

export type AdapterName = "express" | "koa";

export interface Reported {
  error: unknown;
  info: { phase: string; page?: string; url?: string; method?: string };
}

export interface Host {
  adapter: AdapterName;
  dev: boolean;
  /** The mount path ("" at the root). */
  base: string;
  app: RequestListener;
  ready: Promise<void>;
  /** What the middleware's onError received. */
  errors: Reported[];
  /** Stops the middleware (its dev loop). */
  close(): Promise<void>;
}

/**
 * The middleware in a host app: Express (`app.use(base, pages)`) or Koa (`koa-mount`), at the root
 * or under `base`.
 */
export function makeHost(
  adapter: AdapterName,
  pagesDir: string,
  { dev, base = "" }: { dev: boolean; base?: string },
): Host {
  const errors: Reported[] = [];
  const onError = (error: unknown, info: Reported["info"]) => {
    errors.push({ error, info });
  };
  if (adapter === "express") {
    const pages = expressSsr(pagesDir, { dev, onError });
    const app = express();
    if (base) app.use(base, pages);
    else app.use(pages);
    return {
      adapter,
      dev,
      base,
      app: app as unknown as RequestListener,
      ready: pages.ready,
      errors,
      close: () => pages.close(),
    };
  }
  const pages = koaSsr(pagesDir, { dev, onError });
  const app = new Koa();
  app.silent = true;
  if (base) app.use(mount(base, pages));
  else app.use(pages);
  return {
    adapter,
    dev,
    base,
    app: app.callback() as unknown as RequestListener,
    ready: pages.ready,
    errors,
    close: () => pages.close(),
  };
}

/** Serves `app` on a free loopback port. */
export async function serve(app: RequestListener): Promise<{ server: Server; origin: string; stop(): Promise<void> }> {
  const server = createServer(app);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    server,
    origin: `http://127.0.0.1:${port}`,
    async stop() {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}

/** Everything an error carries in words: its message and stack, and its causes'. */
export function errorText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    if (current instanceof Error) {
      parts.push(current.message, current.stack ?? "");
      current = (current as { cause?: unknown }).cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  return parts.join("\n");
}

/** The text of every `compile`-phase report. */
export function compileReports(errors: readonly Reported[]): string[] {
  return errors.filter((e) => e.info.phase === "compile").map((e) => errorText(e.error));
}

/** The href of every `<link rel="stylesheet">`, in document order. */
export function stylesheetHrefs(html: string): string[] {
  return [...html.matchAll(/<link\b[^>]*>/g)]
    .map((m) => m[0])
    .filter((tag) => /\brel="stylesheet"/.test(tag))
    .map((tag) => /\bhref="([^"]+)"/.exec(tag)?.[1] ?? "")
    .map((href) => href.replace(/&amp;/g, "&"));
}

/** The src of every module script and the href of every modulepreload. */
export function scriptUrls(html: string): string[] {
  const scripts = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"[^>]*>/g)].map((m) => m[1] ?? "");
  const preloads = [...html.matchAll(/<link\b[^>]*>/g)]
    .map((m) => m[0])
    .filter((tag) => /\brel="modulepreload"/.test(tag))
    .map((tag) => /\bhref="([^"]+)"/.exec(tag)?.[1] ?? "");
  return [...scripts, ...preloads].filter(Boolean);
}

/** The `<head>` of a document. */
export function headOf(html: string): string {
  const end = html.indexOf("</head>");
  return end === -1 ? "" : html.slice(0, end);
}

export interface PageWithCss {
  status: number;
  html: string;
  /** Every linked stylesheet, fetched. */
  sheets: { href: string; status: number; type: string; css: string }[];
  /** All of them joined. */
  css: string;
}

/** GET a page and every stylesheet its HTML links. */
export async function pageWithCss(app: RequestListener, url: string): Promise<PageWithCss> {
  const page = await request(app).get(url);
  const sheets: PageWithCss["sheets"] = [];
  for (const href of stylesheetHrefs(page.text)) {
    const sheet = await request(app)
      .get(href)
      .buffer(true)
      .parse((res, done) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => done(null, text));
      });
    sheets.push({
      href,
      status: sheet.status,
      type: String(sheet.headers["content-type"] ?? ""),
      css: sheet.body as string,
    });
  }
  return { status: page.status, html: page.text, sheets, css: sheets.map((s) => s.css).join("\n") };
}

/** A Tailwind arbitrary-value class, `mt-[19px]`, built from parts (see the header comment). */
export function arbitrary(utility: string, value: string): string {
  return `${utility}-[${value}]`;
}

/** A class built from parts, `text-fixture-ink` (see the header comment). */
export function joined(...parts: string[]): string {
  return parts.join("-");
}

/** The CSS selector of a class name, escaped as CSS escapes it (`.mt-\[19px\]`). */
export function classSelector(name: string): string {
  return `.${name.replace(/[[\]().,/:#%!]/g, (c) => `\\${c}`)}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/**
 * A rule for `selector` (not a longer selector that starts with it) whose block holds a declaration
 * matching `declaration` (a regular expression source, e.g. `margin-top:\\s*19px`).
 */
export function ruleRe(selector: string, declaration: string): RegExp {
  return new RegExp(`${escapeRegExp(selector)}(?![\\w\\\\-])[^{}]*\\{[^}]*${declaration}`);
}

/** The first 8 hex of the SHA-256 of `file`'s path relative to `pagesDir` (the README's CSS-module hash). */
export function moduleHash(pagesDir: string, file: string): string {
  const relative = path.relative(pagesDir, file).split(path.sep).join("/");
  return createHash("sha256").update(relative).digest("hex").slice(0, 8);
}

/** A class attribute's value on the element with `id` in server HTML. */
export function classOf(html: string, id: string): string | undefined {
  const tag = new RegExp(`<[a-z0-9]+\\b[^>]*\\bid="${escapeRegExp(id)}"[^>]*>`).exec(html)?.[0];
  if (!tag) return undefined;
  return /\bclass="([^"]*)"/.exec(tag)?.[1];
}

// ---------------------------------------------------------------------------------------------
// Throwaway apps
// ---------------------------------------------------------------------------------------------

/** A new directory under the repository's .tmp/ (gitignored, so Tailwind's own scan skips it). */
export function repoTempDir(prefix: string): string {
  const tmp = path.join(REPO, ".tmp");
  mkdirSync(tmp, { recursive: true });
  return mkdtempSync(path.join(tmp, prefix));
}

/** Writes `files` (paths relative to `root`). */
export function writeTree(root: string, files: Record<string, string | Buffer>): void {
  for (const [name, contents] of Object.entries(files)) {
    const file = path.join(root, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, contents);
  }
}

export function removeDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

/** A layout for throwaway apps: marks `header[data-hydrated]` as the fixture's does, and links. */
export function miniApp(links: { id: string; to: string }[]): string {
  const items = links.map((l) => `<Link id="${l.id}" to="${l.to}">${l.id}</Link>`).join(" ");
  return `import { useEffect, useRef, type ReactNode } from "react";
import { Link } from "ssr-pages/client";
function Shell({ children }: { children: ReactNode }) {
  const header = useRef<HTMLElement>(null);
  useEffect(() => header.current?.setAttribute("data-hydrated", ""), []);
  return <div><header ref={header}><nav>${items}</nav></header>{children}</div>;
}
export const wrapRootElement = ({ element }: { element: ReactNode }) => <Shell>{element}</Shell>;
`;
}

export const PROBE_LISTED = arbitrary("mb", `${17}px`);
export const PROBE_UNLISTED = arbitrary("mb", `${29}px`);

/**
 * An app beside packages of its own (in `node_modules/`): PostCSS with a probe plugin that rewrites
 * `content: "probe-me-X"` to `"probed-by-postcss-X"` (so a file that went through PostCSS shows it),
 * a package's plain stylesheet and CSS module, a Sass package reached through node_modules
 * (`@use "theme-kit/colors"`), and a package whose browser build cannot be resolved (its `browser`
 * export imports a file that does not exist; Node loads its `default` export fine).
 */
export function writePackagesApp(root: string): string {
  writeTree(root, {
    "postcss.config.mjs": `const probe = {
  postcssPlugin: "probe",
  Declaration(decl) {
    if (decl.value.includes("probe-me-")) decl.value = decl.value.replace("probe-me-", "probed-by-postcss-");
  },
};
export default { plugins: [probe] };
`,
    "node_modules/ui-kit/package.json": JSON.stringify({
      name: "ui-kit",
      version: "1.0.0",
      exports: { "./styles.css": "./styles.css", "./card.module.css": "./card.module.css" },
    }),
    "node_modules/ui-kit/styles.css": `.ui-kit-plain {\n  content: "probe-me-pkg-plain";\n  color: rgb(4, 5, 6);\n}\n`,
    "node_modules/ui-kit/card.module.css": `.card {\n  content: "probe-me-pkg-module";\n  color: rgb(7, 5, 3);\n}\n`,
    "node_modules/theme-kit/package.json": JSON.stringify({ name: "theme-kit", version: "1.0.0" }),
    "node_modules/theme-kit/_colors.scss": `$kit-color: #a1b2c3;\n`,
    "node_modules/split-pkg/package.json": JSON.stringify({
      name: "split-pkg",
      version: "1.0.0",
      type: "module",
      exports: { ".": { browser: "./browser.js", default: "./server.js" } },
    }),
    "node_modules/split-pkg/server.js": `export const where = "server";\n`,
    "node_modules/split-pkg/browser.js": `export { where } from "./no-such-browser-file.js";\n`,
    "pages/_app.tsx": miniApp([
      { id: "to-home", to: "/" },
      { id: "to-plain", to: "/plain" },
    ]),
    "pages/index.tsx": `import "ui-kit/styles.css";
import card from "ui-kit/card.module.css";
import "./local.css";
import local from "./local.module.css";
import "./kit.scss";
export default function Home() {
  return <main><h1 id="pkg-card" className={card.card}>packages</h1><p id="local" className={local.local}>local</p><p className="kit ui-kit-plain local-plain">kit</p></main>;
}
`,
    "pages/local.css": `.local-plain {\n  content: "probe-me-local-plain";\n}\n`,
    "pages/local.module.css": `.local {\n  content: "probe-me-local-module";\n}\n`,
    "pages/kit.scss": `@use "theme-kit/colors";\n\n.kit {\n  color: colors.$kit-color;\n  content: "probe-me-scss";\n}\n`,
    "pages/plain.tsx": `export default function Plain() {\n  return <h1 id="plain">plain page</h1>;\n}\n`,
    "pages/broken-browser.tsx": `import { where } from "split-pkg";\nexport default function BrokenBrowser() {\n  return <h1 id="broken-browser">{where}</h1>;\n}\n`,
  });
  return path.join(root, "pages");
}

/**
 * An app outside the repository whose node_modules holds react and react-dom alone (symlinks to the
 * repository's): one pages directory with a PostCSS config (`with-config/`) and one with a .scss page
 * and a page without styles (`with-scss/`).
 */
export function writePeerlessApps(): { root: string; postcssPages: string; sassPages: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), "ssr-pages-styles-peer-"));
  mkdirSync(path.join(root, "node_modules"), { recursive: true });
  for (const name of ["react", "react-dom"])
    symlinkSync(path.join(REPO, "node_modules", name), path.join(root, "node_modules", name), "dir");
  writeTree(root, {
    "with-config/postcss.config.mjs": `export default { plugins: {} };\n`,
    "with-config/pages/index.tsx": `import "./site.css";\nexport default function Home() {\n  return <h1 id="home">home</h1>;\n}\n`,
    "with-config/pages/site.css": `#home {\n  color: rgb(1, 2, 3);\n}\n`,
    "with-scss/pages/index.tsx": `import "./site.scss";\nexport default function Home() {\n  return <h1 id="home">home</h1>;\n}\n`,
    "with-scss/pages/site.scss": `$c: #010203;\n#home {\n  color: $c;\n}\n`,
    "with-scss/pages/plain.tsx": `export default function Plain() {\n  return <h1 id="plain">no styles here</h1>;\n}\n`,
  });
  return {
    root,
    postcssPages: path.join(root, "with-config", "pages"),
    sassPages: path.join(root, "with-scss", "pages"),
  };
}
