// A least-recently-used map bounded by entry count and by total bytes.

export class Lru {
  /** @param {{maxEntries: number, maxBytes: number}} limits */
  constructor({ maxEntries, maxBytes }) {
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
    this.map = new Map();
    this.bytes = 0;
    this.evictions = 0;
  }

  get(key) {
    const e = this.map.get(key);
    if (!e) return undefined;
    this.map.delete(key);
    this.map.set(key, e);
    return e.value;
  }

  /** @param {number} size bytes the value holds */
  set(key, value, size = 0) {
    if (size > this.maxBytes) return;
    const old = this.map.get(key);
    if (old) {
      this.bytes -= old.size;
      this.map.delete(key);
    }
    this.map.set(key, { value, size });
    this.bytes += size;
    while (this.map.size > this.maxEntries || this.bytes > this.maxBytes) {
      const [k, e] = this.map.entries().next().value;
      this.map.delete(k);
      this.bytes -= e.size;
      this.evictions++;
    }
  }

  delete(key) {
    const e = this.map.get(key);
    if (e) {
      this.bytes -= e.size;
      this.map.delete(key);
    }
  }

  get size() {
    return this.map.size;
  }
}
