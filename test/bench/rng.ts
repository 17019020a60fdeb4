/** A small seeded PRNG (mulberry32): the dataset's shape is reproducible, only random payload bytes differ. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** `len` characters of lowercase ASCII (moderately compressible text). */
  word(len: number): string {
    let s = '';
    for (let i = 0; i < len; i++) s += String.fromCharCode(97 + ((this.next() * 26) | 0));
    return s;
  }
}
