import { exportValue } from '../rdb/export/export-entry';
import { RdbEntry } from '../rdb/entry';
import { decodeValue } from '../rdb/value-reader';

interface Sample {
  db: number;
  key: Buffer;
  expireAtMs: number | null;
  typeId: number;
  /** The serialized value (a copy): decoded only at the check, and only if the target's differs. */
  valueBytes: Buffer;
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
 * Keeps a uniform random sample of written keys (reservoir sampling) to compare with
 * the target at the end. A key is chosen on its position alone; only a chosen key's
 * name and serialized value are copied, and values are decoded at the check.
 */
export class KeySampler {
  private readonly samples: Sample[] = [];
  private seen = 0;

  constructor(private readonly size: number) {}

  offer(db: number, entry: RdbEntry): void {
    if (this.size <= 0) return;
    this.seen++;
    const slot = this.samples.length < this.size ? this.samples.length : Math.floor(Math.random() * this.seen);
    if (slot >= this.size) return;
    this.samples[slot] = { db, key: Buffer.from(entry.key), expireAtMs: entry.expireAtMs, typeId: entry.typeId, valueBytes: Buffer.from(entry.valueBytes) };
  }

  /**
   * Reads every sampled key back (DUMP, decoded by the engine) and compares value and expiry.
   * `withoutFieldExpiry`: the target cannot hold hash field expiry (--allow-lossy dropped it), so it is not compared.
   */
  async check(client: SampleClient, now = Date.now(), options: { withoutFieldExpiry?: boolean } = {}): Promise<SampleReport> {
    const mismatched: SampleReport['mismatched'] = [];
    let checked = 0;
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
      // The same serialization (same type, same bytes) is the same value; otherwise both are decoded and compared.
      const same = body[0] === s.typeId && body.length === s.valueBytes.length + 1 && s.valueBytes.equals(body.subarray(1));
      if (!same && !sameValue(body, s, options.withoutFieldExpiry === true)) {
        mismatched.push({ db: s.db, key: name, problem: 'value differs from the snapshot' });
        continue;
      }
      const pttl = await client.pttl(s.key);
      if ((s.expireAtMs === null) !== (pttl < 0)) mismatched.push({ db: s.db, key: name, problem: s.expireAtMs === null ? 'has an expiry the snapshot has not' : 'lost its expiry' });
    }
    return { checked, mismatched };
  }
}

function sameValue(body: Buffer, s: Sample, withoutFieldExpiry: boolean): boolean {
  const value = JSON.stringify(exportValue(decodeValue(body[0], body, 1, body.length), 'shortest'));
  const expected = exportValue(decodeValue(s.typeId, s.valueBytes), 'shortest');
  if (withoutFieldExpiry) delete expected.fieldExpireAtMs;
  return value === JSON.stringify(expected);
}
