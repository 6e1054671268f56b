import { createHash } from "node:crypto";

/** A strong ETag of `bytes`: 22 base64url characters of their SHA-256 (the response cache's weak ones are made alike: cache/entry.ts). */
export function strongEtag(bytes: Uint8Array): string {
  return `"${createHash("sha256").update(bytes).digest("base64url").slice(0, 22)}"`;
}
