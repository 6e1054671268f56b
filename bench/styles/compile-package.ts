/**
 * The package as the start-up children run it: compiled to JavaScript into the workspace (as a
 * user's app would run it), or, when that fails, the sources through tsx (noted as a finding).
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { compilePackageInto, ROOT } from "../lib/build.js";
import { note } from "./findings.js";
import type { Workspace } from "./workspace.js";

/** How the child process reaches the package: compiled JavaScript (as run.ts's servers), or the sources through tsx. */
export interface PackageRun {
  adapter: string;
  nodeArgs: string[];
  label: string;
}

export async function compilePackage(work: Workspace): Promise<PackageRun> {
  const pkg = path.join(work.dir, "pkg");
  const started = performance.now();
  try {
    await compilePackageInto(pkg);
    console.log(`  package compiled in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return {
      adapter: pathToFileURL(path.join(pkg, "dist", "adapters", "express.js")).href,
      nodeArgs: [],
      label: "compiled JavaScript",
    };
  } catch (error) {
    const output = String((error as { stdout?: string }).stdout ?? error).slice(0, 600);
    note(`the package did not compile (start-up measured on the sources through tsx instead): ${output}`);
    return {
      adapter: pathToFileURL(path.join(ROOT, "adapters", "express.ts")).href,
      nodeArgs: ["--import", "tsx"],
      label: "sources through tsx",
    };
  }
}
