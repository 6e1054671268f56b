/** A few recently served files kept in memory, bounded by their total bytes: the disk cache is the store. */
export class ByteLru {
  private readonly entries = new Map<string, { body: Uint8Array; type: string }>();
  private bytes = 0;

  /**
   * @param maxBytes The most bytes kept in all.
   * @param maxEntryBytes Larger files are not kept (one large image would push out many small ones).
   */
  constructor(
    private readonly maxBytes: number,
    private readonly maxEntryBytes: number,
  ) {}

  /** The entry for `key`, now the most recently used one. */
  get(key: string): { body: Uint8Array; type: string } | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  /** Keeps `entry`, dropping the least recently used ones past the budget. */
  set(key: string, entry: { body: Uint8Array; type: string }): void {
    if (entry.body.byteLength > this.maxEntryBytes || entry.body.byteLength > this.maxBytes) return;
    const before = this.entries.get(key);
    if (before) {
      this.bytes -= before.body.byteLength;
      this.entries.delete(key);
    }
    this.entries.set(key, entry);
    this.bytes += entry.body.byteLength;
    for (const [oldest, old] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= old.body.byteLength;
    }
  }
}
