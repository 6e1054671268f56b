/**
 * The package compiled to JavaScript and the Gatsby-site server bundled beside the other bench servers
 * (bench/lib/build.ts's conventions: `.tmp/bench/pkg`, `ssr-pages/*` from the compiled package).
 */
import path from "node:path";
import * as esbuild from "esbuild";
import { buildServers, OUT, ROOT } from "../lib/build.js";

/** The server's name for bench/lib/server.ts's startServer (the file `<OUT>/gatsby-site.mjs`). */
export const SERVER = "gatsby-site";

/** Compiles the package (tsc) and the server (esbuild). */
export async function buildGatsbyServer(): Promise<void> {
  // Compiles the package into .tmp/bench/pkg/dist (and the plain Express server, which is not used here).
  await buildServers(["express-ssr"]);
  await esbuild.build({
    entryPoints: [path.join(ROOT, "bench", "gatsby-site", "server.ts")],
    outfile: path.join(OUT, `${SERVER}.mjs`),
    bundle: true,
    packages: "external",
    external: ["ssr-pages", "ssr-pages/*"],
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "error",
  });
}
