/**
 * sharp, loaded from the app's own `node_modules` (the app picks its version, and an app without
 * images does not need it). The server's own small loader: this folder runs in production servers,
 * which must not load the compiler, where the compile's loader lives.
 */
import { createRequire } from "node:module";
import path from "node:path";
import type Sharp from "sharp";

/** The sharp module (its default export: a function with the constants and settings on it). */
export type SharpModule = typeof Sharp;

const loaded = new Map<string, SharpModule>();

/**
 * sharp as the app at `fromDir` would `require` it.
 * @throws Error saying how to install it when the app does not have it; what sharp throws when its install is broken.
 */
export function loadSharp(fromDir: string, neededFor: string): SharpModule {
  const known = loaded.get(fromDir);
  if (known) return known;
  const require = createRequire(path.join(fromDir, "noop.js"));
  let file: string;
  try {
    file = require.resolve("sharp");
  } catch {
    throw new Error(`${neededFor} needs the package "sharp", which is not installed: npm install sharp`);
  }
  const sharp = require(file) as SharpModule;
  loaded.set(fromDir, sharp);
  return sharp;
}
