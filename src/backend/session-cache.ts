// A bounded least-recently-used cache of sessions (or anything with a `release()`), releasing what it
// evicts, replaces or deletes.

export interface Releasable {
  release(): Promise<void> | void;
}

export class SessionCache<K, V extends Releasable> {
  private readonly entries = new Map<K, V>();

  constructor(readonly maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`SessionCache needs a positive integer capacity (got ${maxEntries})`);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  /** The cached value, now the most recently used. */
  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  /** Caches `value` under `key` (releasing a different value it replaces), evicting the least recently used. */
  set(key: K, value: V): void {
    const old = this.entries.get(key);
    this.entries.delete(key);
    if (old !== undefined && old !== value) release(old);
    this.entries.set(key, value);
    while (this.entries.size > this.maxEntries) {
      const [oldestKey, oldest] = this.entries.entries().next().value as [K, V];
      this.entries.delete(oldestKey);
      release(oldest);
    }
  }

  /** The cached value, or one made by `create` and cached (concurrent creators keep the first one cached). */
  async getOrCreate(key: K, create: () => Promise<V>): Promise<V> {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    const made = await create();
    const raced = this.get(key);
    if (raced !== undefined) {
      release(made);
      return raced;
    }
    this.set(key, made);
    return made;
  }

  /** Removes and releases one entry. */
  delete(key: K): boolean {
    const value = this.entries.get(key);
    if (value === undefined) return false;
    this.entries.delete(key);
    release(value);
    return true;
  }

  /** Releases every entry. */
  async clear(): Promise<void> {
    const values = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(values.map((v) => Promise.resolve().then(() => v.release()).catch(() => undefined)));
  }
}

function release(value: Releasable): void {
  // A failing release (e.g. an already-released session) must not break the cache.
  Promise.resolve()
    .then(() => value.release())
    .catch(() => undefined);
}
