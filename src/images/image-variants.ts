/**
 * The image variants a build planned, made on first request: read from the disk cache, else made with
 * sharp from the source image (once, however many requests ask at the same time), written to the
 * disk cache and served. Nothing is made at start-up, and only a few recently served files stay in
 * memory: the disk cache is the store. Runs in production servers: it loads no part of the compiler.
 */
import { availableParallelism } from "node:os";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { warnOnce } from "../common/warn-once.js";
import type { ImageVariant } from "./image-types.js";
import { writeFileAtomic } from "./atomic-write.js";
import { ByteLru } from "./byte-lru.js";
import { ConcurrencyLimit } from "./concurrency-limit.js";
import { FORMAT_TYPES } from "./formats.js";
import { loadSharp } from "./load-sharp.js";
import { renderVariant } from "./render-variant.js";
import { sourceHashOf } from "./source-hash.js";

/** A served variant: its bytes and `Content-Type`. */
export interface ServedVariant {
  body: Uint8Array;
  type: string;
}

/** Where each answer of {@link ImageVariants.get} came from, since this instance was made. */
export interface VariantCounts {
  /** Made with sharp. */
  made: number;
  /** Read from the disk cache. */
  fromDisk: number;
  /** Served from memory. */
  fromMemory: number;
}

/** Options of {@link ImageVariants}. */
export interface ImageVariantsOptions {
  /** Every variant the build named, by name (`img/…webp`). */
  variants: ReadonlyMap<string, ImageVariant>;
  /** Where sharp is loaded from: the site's root. */
  fromDir: string;
  /** The disk cache: a variant `img/x.webp` is kept as `<cacheDir>/img/x.webp`. */
  cacheDir: string;
  /** How many variants may be made at once (default: the number of CPUs). */
  concurrency?: number;
  /** Bytes of recently served variants kept in memory (default 32 MiB). */
  memoryBytes?: number;
}

const DEFAULT_MEMORY_BYTES = 32 * 1024 * 1024;
/** A variant larger than this is read from disk each time rather than crowd out the small ones. */
const LARGEST_KEPT_IN_MEMORY = 2 * 1024 * 1024;

/** The planned variants of a build, made on request. */
export class ImageVariants {
  private readonly variants: ReadonlyMap<string, ImageVariant>;
  private readonly fromDir: string;
  private readonly cacheDir: string;
  private readonly pending = new Map<string, Promise<ServedVariant>>();
  private readonly memory: ByteLru;
  private readonly encodes: ConcurrencyLimit;
  private readonly tally: VariantCounts = { made: 0, fromDisk: 0, fromMemory: 0 };
  private warnedUnwritable = false;

  constructor(options: ImageVariantsOptions) {
    this.variants = options.variants;
    this.fromDir = options.fromDir;
    this.cacheDir = options.cacheDir;
    this.encodes = new ConcurrencyLimit(options.concurrency ?? availableParallelism());
    this.memory = new ByteLru(options.memoryBytes ?? DEFAULT_MEMORY_BYTES, LARGEST_KEPT_IN_MEMORY);
  }

  /** Whether `name` (a path under `_ssr-pages/`, `img/…webp`) is a planned variant. */
  has(name: string): boolean {
    return this.variants.has(name);
  }

  /** Where the answers so far came from (for logs, benchmarks and tests). */
  counts(): Readonly<VariantCounts> {
    return { ...this.tally };
  }

  /**
   * The variant's bytes and type: from memory, the disk cache, or made now (requests that come while
   * it is made wait for the same work).
   * @throws (rejects) Error for a name no build planned, a source that is gone or has changed since
   * the build, or an image sharp cannot read.
   */
  get(name: string): Promise<ServedVariant> {
    const variant = this.variants.get(name);
    if (!variant)
      return Promise.reject(
        new Error(`No image variant is named ${JSON.stringify(name)}: it was not planned by this build`),
      );
    const kept = this.memory.get(name);
    if (kept) {
      this.tally.fromMemory += 1;
      return Promise.resolve(kept);
    }
    let answer = this.pending.get(name);
    if (!answer) {
      answer = this.load(variant).finally(() => this.pending.delete(name));
      this.pending.set(name, answer);
    }
    return answer;
  }

  private async load(variant: ImageVariant): Promise<ServedVariant> {
    const file = this.cacheFile(variant.name);
    const type = FORMAT_TYPES[variant.format];
    let body: Uint8Array;
    try {
      body = await readFile(file);
      this.tally.fromDisk += 1;
    } catch {
      body = await this.encodes.run(() => this.make(variant));
      this.tally.made += 1;
      await this.store(file, body);
    }
    const served = { body, type };
    this.memory.set(variant.name, served);
    return served;
  }

  private async make(variant: ImageVariant): Promise<Uint8Array> {
    let source: Buffer;
    try {
      source = await readFile(variant.source);
    } catch (error) {
      throw new Error(
        `The image ${variant.source}, which ${variant.name} is made from, cannot be read (${(error as Error).message}): was it moved or deleted since the build?`,
        { cause: error },
      );
    }
    const hash = sourceHashOf(source);
    if (hash !== variant.sourceHash) {
      throw new Error(
        `The image ${variant.source} has changed since the build planned ${variant.name} (its bytes hash to ${hash}, the build saw ${variant.sourceHash}): rebuild, so that pages name the new image's variants`,
      );
    }
    const sharp = loadSharp(this.fromDir, "Images (StaticImage, gatsbyImageData)");
    try {
      return await renderVariant(sharp, source, variant);
    } catch (error) {
      throw new Error(`Could not make ${variant.name} from ${variant.source}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  /** Writes a made variant to the disk cache; a read-only disk only costs making it again later. */
  private async store(file: string, body: Uint8Array): Promise<void> {
    try {
      await writeFileAtomic(file, body);
    } catch (error) {
      if (!this.warnedUnwritable) {
        this.warnedUnwritable = true;
        warnOnce(
          `ssr-pages: image variants cannot be written to ${this.cacheDir} (${(error as Error).message}); they are made again after a restart`,
        );
      }
    }
  }

  private cacheFile(name: string): string {
    return path.join(this.cacheDir, ...name.split("/"));
  }
}
