import { createHash, Hash } from 'node:crypto';

/**
 * Hashes a byte stream per range: feed bytes in order with `update`; each range
 * [offset, offset + length) gets its own SHA-256. Ranges must be sorted and disjoint.
 */
export class RangeHasher {
  private pos = 0;
  private index = 0;
  private hash: Hash | null = null;
  readonly digests: string[] = [];

  constructor(private readonly ranges: ReadonlyArray<{ offset: number; length: number }>) {}

  update(buf: Buffer): void {
    let p = 0;
    while (p < buf.length && this.index < this.ranges.length) {
      const r = this.ranges[this.index];
      const at = this.pos + p;
      if (at < r.offset) {
        p += Math.min(buf.length - p, r.offset - at);
        continue;
      }
      this.hash ??= createHash('sha256');
      const n = Math.min(buf.length - p, r.offset + r.length - at);
      this.hash.update(buf.subarray(p, p + n));
      p += n;
      if (this.pos + p === r.offset + r.length) this.closeRange();
    }
    this.pos += buf.length;
  }

  private closeRange(): void {
    this.digests.push((this.hash ?? createHash('sha256')).digest('hex'));
    this.hash = null;
    this.index++;
  }

  /** Closes ranges that ended exactly at the end (including empty ones); returns the digests. */
  finish(): string[] {
    while (this.index < this.ranges.length && this.ranges[this.index].offset + this.ranges[this.index].length <= this.pos) this.closeRange();
    return this.digests;
  }
}
