/**
 * A map of values made on first use and kept, with a bound on how many: for what is made once per
 * mount path (a query's results with its URLs, a site's head tags), where the mount path comes from
 * the request (`app.use("/:lang", pages)`) and so could be any number of them. Past the bound the
 * oldest goes; a busy one is made again when next asked for.
 */

/** How many mount paths a site is usually served under, with room to spare. */
const DEFAULT_LIMIT = 64;

/** Values by key, made by `make` on first use, at most `limit` of them (the least recently made go first). */
export class BoundedMap<K, V> {
  private readonly values = new Map<K, V>();

  constructor(private readonly limit = DEFAULT_LIMIT) {}

  /** The value of `key`, made now if there is none. */
  get(key: K, make: () => V): V {
    const known = this.values.get(key);
    if (known !== undefined || this.values.has(key)) return known as V;
    const made = make();
    if (this.values.size >= this.limit) this.values.delete(this.values.keys().next().value as K);
    this.values.set(key, made);
    return made;
  }

  /** Forgets `key`: its value is made again when next asked for. */
  delete(key: K): void {
    this.values.delete(key);
  }
}
