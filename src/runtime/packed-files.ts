/**
 * Many small files kept as one buffer. A browser build of ten thousand pages is ten thousand files;
 * kept as a Buffer each, they cost two heap objects apiece (the Buffer and its ArrayBuffer) that every
 * garbage collection walks. Packed, they cost one buffer, and a file is a view cut on request.
 */
export class PackedFiles {
  private readonly bytes: Buffer;
  /** File name → its number; file `n` is `bytes[bounds[n] .. bounds[n + 1])`. */
  private readonly index = new Map<string, number>();
  /** Doubles, not 32-bit integers: no size at which an offset could wrap. */
  private readonly bounds: Float64Array;

  /** @param files name and contents of each file, copied in. */
  constructor(files: ReadonlyArray<{ name: string; contents: Uint8Array }>) {
    this.bounds = new Float64Array(files.length + 1);
    let size = 0;
    files.forEach((file, n) => {
      this.index.set(file.name, n);
      size += file.contents.byteLength;
      this.bounds[n + 1] = size;
    });
    this.bytes = Buffer.allocUnsafeSlow(size);
    files.forEach((file, n) => this.bytes.set(file.contents, this.bounds[n]));
  }

  /** The file's contents (a view, not a copy); `undefined` for a name not packed. */
  get(name: string): Buffer | undefined {
    const n = this.index.get(name);
    return n === undefined ? undefined : this.bytes.subarray(this.bounds[n], this.bounds[n + 1]);
  }

  /** Whether `name` is packed (no view made). */
  has(name: string): boolean {
    return this.index.has(name);
  }

  /** The names of the files, in the order given. */
  names(): IterableIterator<string> {
    return this.index.keys();
  }
}
