/** How an image's bytes are named: the same on every machine, and a changed image is a new name. */
import { createHash } from "node:crypto";

/** The first 12 characters of the bytes' SHA-256, base64url (72 bits: no two images of a site meet). */
export function sourceHashOf(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("base64url").slice(0, 12);
}
