/** Writes test sources the way an editor saves them. */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Writes `text` to `file` (relative to `root`), making its folders first. */
export function writeFileUnder(root: string, file: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
}
