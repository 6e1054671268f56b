/**
 * Packages only some apps use (a PostCSS runner, a Sass compiler), loaded from the app's own
 * `node_modules` when the app needs them, never from ssr-pages' dependencies: the app picks and pins
 * its version, and an app that does not use them does not pay for them.
 */
import { createRequire } from "node:module";
import path from "node:path";

/**
 * `name` as the app at `fromDir` would `require` it, or `undefined` when it is not installed there.
 * @throws what the package itself throws while loading (a broken install is not "not installed").
 */
export function loadOptionalPeer<T>(name: string, fromDir: string): T | undefined {
  const require = createRequire(path.join(fromDir, "noop.js"));
  let file: string;
  try {
    file = require.resolve(name);
  } catch {
    return undefined;
  }
  return require(file) as T;
}

/**
 * The error for a package the app needs but has not installed: names it and says how to add it (as
 * a dependency of the server itself, `atRunTime`, or for building its pages).
 */
export function missingPeer(packages: readonly string[], neededFor: string, atRunTime = false): Error {
  const names = packages.map((name) => JSON.stringify(name)).join(" or ");
  return new Error(
    `${neededFor} needs the package ${names}, which is not installed: npm install ${atRunTime ? "" : "--save-dev "}${packages[0]}`,
  );
}
