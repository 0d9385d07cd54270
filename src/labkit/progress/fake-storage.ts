/** Test support: an in-memory Storage with switches for the failures browsers really produce. */
export class FakeStorage implements Storage {
  map = new Map<string, string>();
  quotaBytes = Infinity;
  blocked = false;
  get length() {
    return this.map.size;
  }
  clear() {
    this.map.clear();
  }
  key(i: number) {
    return [...this.map.keys()][i] ?? null;
  }
  getItem(k: string) {
    if (this.blocked) throw new DOMException('The operation is insecure.', 'SecurityError');
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    if (this.blocked) throw new DOMException('The operation is insecure.', 'SecurityError');
    const used = [...this.map].reduce((n, [key, val]) => n + (key === k ? 0 : key.length + val.length), 0);
    if (used + k.length + v.length > this.quotaBytes) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    this.map.set(k, v);
  }
  removeItem(k: string) {
    if (this.blocked) throw new DOMException('The operation is insecure.', 'SecurityError');
    this.map.delete(k);
  }
}
