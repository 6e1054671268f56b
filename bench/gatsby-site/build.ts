/**
 * The package compiled to JavaScript and the Gatsby-site server bundled beside the other bench servers
 * (bench/lib/build.ts's conventions: `.tmp/bench/pkg`, `ssr-pages/*` from the compiled package).
 */
import path from "node:path";
import { buildServers, ROOT } from "../lib/build.js";

/** The server's name for bench/lib/server.ts's startServer (the file `<OUT>/gatsby-site.mjs`). */
export const SERVER = "gatsby-site";

/** Compiles the package (tsc) and the server (esbuild), with the other bench servers' settings. */
export async function buildGatsbyServer(): Promise<void> {
  // The plain Express server is built too (buildServers' list is never empty), not used here.
  await buildServers(["express-ssr"], { [SERVER]: path.join(ROOT, "bench", "gatsby-site", "server.ts") });
}
