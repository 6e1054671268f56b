/**
 * sharp, loaded from the app's own `node_modules` (the app picks its version, and an app without
 * images does not need it), kept per app folder.
 */
import { loadOptionalPeer, missingPeer } from "../common/optional-peer.js";
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
  // A dependency of the server: the variants are made while it serves.
  const sharp = loadOptionalPeer<SharpModule>("sharp", fromDir);
  if (sharp === undefined) throw missingPeer(["sharp"], neededFor, true);
  loaded.set(fromDir, sharp);
  return sharp;
}
