import { createHash } from 'node:crypto';
import { exportValue } from '../rdb/export/export-entry';
import { RedisValue } from '../rdb/value';

/**
 * A digest of a value for the restore's sample check: equal values (as Redis sees
 * them) give equal digests whatever their encoding. Strings are hashed with SHA-256;
 * lists by a chained 2 x 32-bit hash of their items in order; sets, hashes and sorted
 * sets, whose serialized order depends on the server, by the sum of a 2 x 32-bit hash
 * of each element (a multiset hash), which needs no sort. Streams and modules go
 * through their export form. (A check against restore mistakes, not against forgery.)
 */

/** murmur3's 32-bit finalizer. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Two 32-bit hashes of `b` in one pass: FNV-1a from `pair[0]` and the same walk with
 * another odd multiplier from `pair[1]`, each with the length mixed in and finalized.
 * The result replaces `pair`'s contents (no allocation per element).
 */
function hash2(b: Uint8Array, pair: Uint32Array): void {
  let a = pair[0];
  let c = pair[1];
  for (let i = 0; i < b.length; i++) {
    const x = b[i];
    a = Math.imul(a ^ x, 0x01000193);
    c = Math.imul(c ^ x, 0x5bd1e995);
  }
  const n = b.length & 0xffff;
  pair[0] = fmix32(Math.imul(a ^ n, 0x01000193));
  pair[1] = fmix32(Math.imul(c ^ n, 0x5bd1e995));
}

const SEED_A = 0x811c9dc5;
const SEED_B = 0x3c6ef372;

/** Sums of element hashes, order-independent. */
class Multiset {
  private a = 0;
  private b = 0;
  private n = 0;
  private readonly h = new Uint32Array(2);

  /** Adds the element made of `first`, then `second` and `third` when given (each hashed, chained by position). */
  add(first: Uint8Array, second?: Uint8Array, third?: Uint8Array): void {
    const h = this.h;
    h[0] = SEED_A ^ 0x9e3779b9;
    h[1] = SEED_B ^ 0x7f4a7c15;
    hash2(first, h);
    if (second !== undefined) hash2(second, h);
    if (third !== undefined) hash2(third, h);
    this.a = (this.a + h[0]) >>> 0;
    this.b = (this.b + h[1]) >>> 0;
    this.n++;
  }

  toString(): string {
    return `${this.n}:${this.a.toString(16)}:${this.b.toString(16)}`;
  }
}

/** 8 bytes for a score or an expiry time: hashed at once, so one buffer serves every element. */
const scratch = Buffer.alloc(8);
function f64(x: number): Buffer {
  scratch.writeDoubleLE(x, 0);
  return scratch;
}

/** An ordered hash (lists): each item chained into two 32-bit states, with its length. */
class Sequence {
  private readonly h = Uint32Array.of(SEED_A, SEED_B);
  private n = 0;

  add(item: Uint8Array): void {
    hash2(item, this.h);
    this.n++;
  }

  toString(): string {
    return `${this.n}:${this.h[0].toString(16)}:${this.h[1].toString(16)}`;
  }
}

/** `withFieldExpiry`: hash field expiry times are part of the digest. */
export function valueDigest(value: RedisValue, withFieldExpiry: boolean): string {
  switch (value.type) {
    case 'string':
      return `string:${createHash('sha256').update(value.value).digest('hex')}`;
    case 'list': {
      const seq = new Sequence();
      for (const item of value.items) seq.add(item);
      return `list:${seq.toString()}`;
    }
    case 'set': {
      const m = new Multiset();
      for (const member of value.members) m.add(member);
      return `set:${m.toString()}`;
    }
    case 'zset': {
      const m = new Multiset();
      for (const e of value.entries) m.add(e.member, f64(e.score));
      return `zset:${m.toString()}`;
    }
    case 'hash': {
      const m = new Multiset();
      for (const f of value.fields) {
        if (withFieldExpiry) m.add(f.field, f.value, f64(f.expireAtMs ?? -1));
        else m.add(f.field, f.value);
      }
      return `hash:${m.toString()}`;
    }
    default: {
      const exported = exportValue(value, 'shortest');
      if (!withFieldExpiry) delete exported.fieldExpireAtMs;
      return `${value.type}:${createHash('sha256').update(JSON.stringify(exported)).digest('hex')}`;
    }
  }
}
