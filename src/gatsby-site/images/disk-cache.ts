/**
 * What the planner learns from decoding an image (its size, its dominant colour, its blurred
 * placeholder), kept on disk by the source's hash: a second start reads it instead of decoding again.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { writeFileAtomic } from "../../images/atomic-write.js";

/** Small text entries under one folder, by key (`meta/<hash>.json`, `placeholders/<hash>-dominant.txt`). */
export class PlannerDiskCache {
  constructor(private readonly dir: string) {}

  /** The entry's text, or `undefined` when there is none (or it cannot be read: it is made again). */
  async read(key: string): Promise<string | undefined> {
    try {
      return await readFile(this.file(key), "utf8");
    } catch {
      return undefined;
    }
  }

  /** Keeps the entry; a cache that cannot be written only costs decoding again on the next start. */
  async write(key: string, text: string): Promise<void> {
    await writeFileAtomic(this.file(key), text).catch(() => undefined);
  }

  /** The entry's value: read, else made with `make` and kept. */
  async remember(key: string, make: () => Promise<string>): Promise<string> {
    const kept = await this.read(key);
    if (kept !== undefined) return kept;
    const made = await make();
    await this.write(key, made);
    return made;
  }

  private file(key: string): string {
    return path.join(this.dir, ...key.split("/"));
  }
}
