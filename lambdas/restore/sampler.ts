import { RdbEntry } from '../rdb/entry';
import { decodeValue } from '../rdb/value-reader';
import { valueDigest } from './value-digest';

interface Sample {
  db: number;
  key: Buffer;
  expireAtMs: number | null;
  /** valueDigest of the snapshot's value, with and without hash field expiry. */
  digest: string;
  digestWithoutFieldExpiry: string;
}

/** What the sample check needs of a target connection (an ioredis client, or a cluster view that has only db 0). */
export interface SampleClient {
  select(db: number): Promise<unknown>;
  dumpBuffer(key: Buffer): Promise<Buffer | null>;
  pttl(key: Buffer): Promise<number>;
}

export interface SampleReport {
  checked: number;
  mismatched: Array<{ db: number; key: string; problem: string }>;
}

/**
 * Keeps a uniform random sample of written keys to compare with the target at the end.
 * A key is chosen on its position alone, and only a chosen key's value is decoded (to a
 * digest): with `expected` (how many keys will be offered, at most) each key is chosen
 * with the probability that leaves `size` picks for the keys still to come (selection
 * sampling: each value decoded once); without it, by reservoir sampling (a chosen key
 * may be replaced later, so some more values are decoded).
 */
export class KeySampler {
  private readonly samples: Sample[] = [];
  private seen = 0;

  constructor(
    private readonly size: number,
    private readonly expected?: number,
  ) {}

  offer(db: number, entry: RdbEntry): void {
    if (this.size <= 0) return;
    const seen = this.seen++;
    let slot: number;
    if (this.expected !== undefined && this.expected > seen) {
      const wanted = this.size - this.samples.length;
      if (wanted <= 0 || Math.random() * (this.expected - seen) >= wanted) return;
      slot = this.samples.length;
    } else {
      slot = this.samples.length < this.size ? this.samples.length : Math.floor(Math.random() * (seen + 1));
      if (slot >= this.size) return;
    }
    const value = entry.value();
    this.samples[slot] = {
      db,
      key: Buffer.from(entry.key),
      expireAtMs: entry.expireAtMs,
      digest: valueDigest(value, true),
      digestWithoutFieldExpiry: valueDigest(value, false),
    };
  }

  /**
   * Reads every sampled key back (DUMP, decoded by the engine) and compares value and expiry.
   * `withoutFieldExpiry`: the target cannot hold hash field expiry (--allow-lossy dropped it), so it is not compared.
   */
  async check(client: SampleClient, now = Date.now(), options: { withoutFieldExpiry?: boolean } = {}): Promise<SampleReport> {
    const mismatched: SampleReport['mismatched'] = [];
    let checked = 0;
    const withFieldExpiry = options.withoutFieldExpiry !== true;
    for (const s of this.samples) {
      if (s.expireAtMs !== null && s.expireAtMs <= now + 1000) continue; // may have expired meanwhile
      checked++;
      await client.select(s.db);
      const name = s.key.toString('utf8');
      const payload = await client.dumpBuffer(s.key);
      if (payload === null) {
        mismatched.push({ db: s.db, key: name, problem: 'missing on the target' });
        continue;
      }
      const body = payload.subarray(0, payload.length - 10);
      const digest = valueDigest(decodeValue(body[0], body, 1, body.length), withFieldExpiry);
      if (digest !== (withFieldExpiry ? s.digest : s.digestWithoutFieldExpiry)) {
        mismatched.push({ db: s.db, key: name, problem: 'value differs from the snapshot' });
        continue;
      }
      const pttl = await client.pttl(s.key);
      if ((s.expireAtMs === null) !== (pttl < 0)) mismatched.push({ db: s.db, key: name, problem: s.expireAtMs === null ? 'has an expiry the snapshot has not' : 'lost its expiry' });
    }
    return { checked, mismatched };
  }
}
