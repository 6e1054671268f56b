/**
 * Where the files under `<mount>/_ssr-pages/` come from: memory, for a build compiled at start
 * (packed, compressed once on first request), or a production build's folder on disk (read on first
 * request, their brotli and gzip copies written by the build beside them, recently used ones kept).
 * The asset path (respond/asset.ts) serves either the same way.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { ByteLru } from "../images/byte-lru.js";
import { PackedFiles } from "./packed-files.js";

/** The compressed copies a file has: bit 1 brotli (`.br` beside it in a build), bit 2 gzip (`.gz`). */
export const HAS_BR = 1;
export const HAS_GZIP = 2;

/** A content encoding the asset path offers. */
export type Encoding = "br" | "gzip";

/** The files a build serves. */
export interface FileStore {
  /** The file's bytes: at once from memory, a promise when read from disk; `undefined` for a name not there. */
  read(name: string): Buffer | Promise<Buffer | undefined> | undefined;
  /**
   * The file in `encoding`: precompressed, or compressed once here. `undefined` (or a promise of it)
   * when there is none, or no such file: the plain file goes out.
   */
  encoded(name: string, encoding: Encoding): Buffer | Promise<Buffer | undefined> | undefined;
}

/** The files worth compressing (text); a production build compresses these when they are 1 kB or more. */
export const COMPRESSIBLE = /\.(js|mjs|css|map|svg|txt|html|json|webmanifest)$/i;

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/**
 * A compressed copy. At run time brotli's quality 9 (11 takes several times as long for a few per
 * cent, while requests wait); a production build, which compresses once for every server, takes 11.
 */
export function compress(body: Uint8Array, encoding: Encoding, quality: 9 | 11 = 9): Promise<Buffer> {
  return encoding === "br"
    ? brotli(body, {
        params: {
          [zlib.constants.BROTLI_PARAM_QUALITY]: quality,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength,
        },
      })
    : gzip(body, { level: 9 });
}

/** A compiled-at-start build's files, in memory. */
export class MemoryFiles implements FileStore {
  private readonly packed: PackedFiles;
  /** Compressed copies, made on first request (a build is immutable, so once is enough). */
  private readonly compressed = new Map<string, Buffer | Promise<Buffer | undefined>>();

  constructor(files: ReadonlyArray<{ name: string; contents: Uint8Array }>) {
    this.packed = new PackedFiles(files);
  }

  read(name: string): Buffer | undefined {
    return this.packed.get(name);
  }

  /** Whether it holds `name`. */
  has(name: string): boolean {
    return this.packed.has(name);
  }

  /**
   * Compressed the first time it is asked for, on zlib's thread pool (a client bundle at the highest
   * levels is tens of milliseconds of work, which would stall every request in flight), its promise
   * shared by the requests that come meanwhile. `undefined` if compressing failed.
   */
  encoded(name: string, encoding: Encoding): Buffer | Promise<Buffer | undefined> | undefined {
    const key = `${encoding}:${name}`;
    const known = this.compressed.get(key);
    if (known) return known;
    const body = this.packed.get(name);
    if (body === undefined) return undefined;
    const compressing = compress(body, encoding).then(
      (bytes) => {
        const exact = Buffer.from(bytes); // exact size: zlib's output is a view of a larger chunk
        this.compressed.set(key, exact);
        return exact;
      },
      () => {
        this.compressed.delete(key);
        return undefined;
      },
    );
    this.compressed.set(key, compressing);
    return compressing;
  }

  /** The names of the files. */
  names(): IterableIterator<string> {
    return this.packed.names();
  }
}

/** Bytes of recently read files kept in memory, and the largest file kept. */
const MEMORY_BYTES = 48 * 1024 * 1024;
const LARGEST_KEPT = 4 * 1024 * 1024;

/**
 * A production build's files, in its folders (its own, and those of earlier builds it still serves):
 * read on first request, the recently used kept in memory.
 */
export class DiskFiles implements FileStore {
  private readonly memory = new ByteLru(MEMORY_BYTES, LARGEST_KEPT);
  private readonly reading = new Map<string, Promise<Buffer | undefined>>();

  /**
   * @param dirs the folders the files are in
   * @param files name → `4 × (its folder's index in dirs) + its encodings` (HAS_BR, HAS_GZIP):
   *   one number per file, not an object (ten thousand pages are tens of thousands of files)
   */
  constructor(
    private readonly dirs: readonly string[],
    private readonly files: ReadonlyMap<string, number>,
  ) {}

  read(name: string): Buffer | Promise<Buffer | undefined> | undefined {
    const file = this.files.get(name);
    return file === undefined ? undefined : this.load(name, file >> 2, "");
  }

  encoded(name: string, encoding: Encoding): Buffer | Promise<Buffer | undefined> | undefined {
    const file = this.files.get(name);
    if (file === undefined || (file & (encoding === "br" ? HAS_BR : HAS_GZIP)) === 0) return undefined;
    return this.load(name, file >> 2, encoding === "br" ? ".br" : ".gz");
  }

  /** The file's bytes, from memory or read once however many requests ask meanwhile; `undefined` when it cannot be read (the folder changed under the server). */
  private load(name: string, dir: number, suffix: string): Buffer | Promise<Buffer | undefined> {
    const key = name + suffix;
    const kept = this.memory.get(key);
    if (kept) return kept.body as Buffer;
    let pending = this.reading.get(key);
    if (pending === undefined) {
      pending = readFile(path.join(this.dirs[dir] as string, ...name.split("/")) + suffix).then(
        (body) => {
          this.memory.set(key, { body, type: "" });
          return body;
        },
        () => undefined,
      );
      this.reading.set(key, pending);
      void pending.finally(() => this.reading.delete(key));
    }
    return pending;
  }
}
