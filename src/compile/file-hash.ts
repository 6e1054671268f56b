/** The short content hash in the names of files ssr-pages writes itself, in the style of esbuild's own (`-A1B2C3D4`). */
import { createHash } from "node:crypto";

/** Eight upper-case letters and digits from `contents`' SHA-256: a new name whenever the bytes change. */
export function fileHash(contents: Uint8Array): string {
  return createHash("sha256").update(contents).digest("base64url").replace(/[-_]/g, "").slice(0, 8).toUpperCase();
}
