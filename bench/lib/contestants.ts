/** The servers under test and the URLs each answers, shared by the load and the instruction-count runs. */
import path from "node:path";
import { ROOT } from "./build.js";

const PAGES = path.join(ROOT, "bench", "pages");

/** One server configuration under test. */
export interface Contestant {
  id: string;
  label: string;
  server: string;
  env: Record<string, string>;
  html: string;
  json: string;
  /** ssr-pages contestants also serve the page whose getServerData throws. */
  error?: string;
}

/** An ssr-pages contestant; `mount` mounts it with the framework's own tool, `basePath` with ours. */
const ssr = (
  id: string,
  label: string,
  server: string,
  under: { mount?: string; basePath?: string } = {},
): Contestant => {
  const prefix = under.mount ?? under.basePath ?? "";
  return {
    id,
    label,
    server,
    env: {
      PAGES_DIR: PAGES,
      ...(under.mount ? { MOUNT: under.mount } : {}),
      ...(under.basePath ? { BASE_PATH: under.basePath } : {}),
    },
    html: `${prefix}/products/1`,
    json: `${prefix}/page-data/products/1/page-data.json`,
    error: `${prefix}/boom`,
  };
};
const hand = (id: string, label: string, server: string, mount = ""): Contestant => ({
  id,
  label,
  server,
  env: mount ? { MOUNT: mount } : {},
  html: `${mount}/products/1`,
  json: `${mount}/api/products/1`,
});

/** Every contestant, in the order they are measured (and reported). */
export const contestants: Contestant[] = [
  hand("limit", "node:http + renderToString (the limit)", "limit"),
  hand("express-hand", "Express 5, hand-written route", "express-hand"),
  ssr("express-ssr", "Express 5 + ssrMiddleware", "express-ssr"),
  ssr("express-ssr-shop", "Express 5 + ssrMiddleware under /shop", "express-ssr", { mount: "/shop" }),
  hand("koa-hand", "Koa 3 + @koa/router, hand-written route", "koa-hand"),
  hand("koa-hand-shop", "Koa 3 + @koa/router, hand-written route under /shop (koa-mount)", "koa-hand", "/shop"),
  ssr("koa-ssr", "Koa 3 + ssrMiddleware", "koa-ssr"),
  ssr("koa-ssr-shop", "Koa 3 + ssrMiddleware under /shop (basePath)", "koa-ssr", { basePath: "/shop" }),
  ssr("koa-ssr-mount", "Koa 3 + ssrMiddleware under /shop (koa-mount)", "koa-ssr", { mount: "/shop" }),
  ssr("http-ssr", "node:http + createRequestListener", "http-ssr"),
];

/** A throughput floor of issue 3: contestant `a` against `b` on one kind of response. */
export interface Floor {
  name: string;
  a: string;
  b: string;
  kind: "html" | "json";
  /** The lowest acceptable a/b ratio of throughput (or b/a of cost per request). */
  target: number;
}

/** The floors between contestants (the scale, RSS and start-up floors are reported separately). */
export const floors: Floor[] = [
  {
    name: "Express adapter HTML vs hand-written Express",
    a: "express-ssr",
    b: "express-hand",
    kind: "html",
    target: 1.0,
  },
  {
    name: "Express adapter JSON vs hand-written Express",
    a: "express-ssr",
    b: "express-hand",
    kind: "json",
    target: 1.0,
  },
  { name: "Koa adapter HTML vs hand-written Koa", a: "koa-ssr", b: "koa-hand", kind: "html", target: 0.95 },
  { name: "Koa adapter JSON vs hand-written Koa", a: "koa-ssr", b: "koa-hand", kind: "json", target: 0.95 },
  {
    name: "Express under /shop vs Express at the root (HTML)",
    a: "express-ssr-shop",
    b: "express-ssr",
    kind: "html",
    target: 0.95,
  },
  {
    name: "Express under /shop vs Express at the root (JSON)",
    a: "express-ssr-shop",
    b: "express-ssr",
    kind: "json",
    target: 0.95,
  },
  {
    name: "Koa under /shop (basePath) vs Koa at the root (HTML)",
    a: "koa-ssr-shop",
    b: "koa-ssr",
    kind: "html",
    target: 0.95,
  },
  {
    name: "Koa under /shop (basePath) vs Koa at the root (JSON)",
    a: "koa-ssr-shop",
    b: "koa-ssr",
    kind: "json",
    target: 0.95,
  },
  { name: "Core on node:http vs the limit (HTML)", a: "http-ssr", b: "limit", kind: "html", target: 0.9 },
  { name: "Core on node:http vs the limit (JSON)", a: "http-ssr", b: "limit", kind: "json", target: 0.9 },
];

/** The baseline a contestant is compared with: the hand-written route of its framework, or the limit. */
export const baselineOf = (id: string): string =>
  id.startsWith("express") ? "express-hand" : id.startsWith("koa") ? "koa-hand" : "limit";

/**
 * What `--only id,id` on the command line selects: those contestants, and the scale runs only when
 * `scale` is one of the ids. Without it, everything; `partial` tells the harness not to write its
 * report file.
 */
export function selectFromArgs(argv: readonly string[]): { selected: Contestant[]; scale: boolean; partial: boolean } {
  const flag = argv.indexOf("--only");
  if (flag === -1) return { selected: contestants, scale: true, partial: false };
  const only = new Set((argv[flag + 1] ?? "").split(","));
  return { selected: contestants.filter((c) => only.has(c.id)), scale: only.has("scale"), partial: true };
}

/** The server scale runs start (with `PAGES_DIR` set to N generated pages). */
export const SCALE_SERVER = "express-ssr";

/** The server files a run needs compiled: its contestants', and the scale runs' when it makes them. */
export function serversFor(selected: readonly Contestant[], scale: boolean): string[] {
  return [...new Set([...selected.map((c) => c.server), ...(scale ? [SCALE_SERVER] : [])])];
}
