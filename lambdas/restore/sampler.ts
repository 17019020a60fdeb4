import { createHash } from 'node:crypto';
import { RdbEntry } from '../rdb/entry';
import { RedisValue } from '../rdb/value';
import { decodeValue } from '../rdb/value-reader';
import { valueDigest } from './value-digest';

interface Sample {
  db: number;
  key: Buffer;
  expireAtMs: number | null;
  /** valueDigest of the snapshot's value, with hash field expiry. */
  digest: string;
  /** Its valueDigest without hash field expiry; null when it has none (nothing could be dropped). */
  digestWithoutFieldExpiry: string | null;
  /** SHA-256 of its serialized form (type byte and value bytes, as a DUMP payload's body). */
  bodySha256: string;
}

function bodySha256(typeId: number, value: Uint8Array): string {
  return createHash('sha256').update(Uint8Array.of(typeId)).update(value).digest('hex');
}

/** A hash with at least one field expiry (the only values --allow-lossy may change). */
function hasFieldExpiry(value: RedisValue): boolean {
  return value.type === 'hash' && value.fields.some((f) => f.expireAtMs !== null);
}

/** Sampled keys whose commands are sent at once: round trips saved, target replies held in memory bounded. */
const CHECK_GROUP = 16;

/** What differs between a sampled key and the target's DUMP and PTTL of it, or null. */
function compare(s: Sample, payload: Buffer | null, pttl: number, withoutFieldExpiry: boolean): string | null {
  if (payload === null) return 'missing on the target';
  // Only a value with field expiry has a digest without it; for the others the two agree.
  const withFieldExpiry = !withoutFieldExpiry || s.digestWithoutFieldExpiry === null;
  const body = payload.subarray(0, payload.length - 10);
  // The target serialized the value exactly as the snapshot did (strings, listpacks, lists, sorted
  // sets by score): the same bytes are the same value, with nothing to decode. Otherwise (a
  // hash table's order, another encoding) the values are decoded and compared by digest.
  if (createHash('sha256').update(body).digest('hex') !== s.bodySha256) {
    const digest = valueDigest(decodeValue(body[0], body, 1, body.length), withFieldExpiry);
    if (digest !== (withFieldExpiry ? s.digest : s.digestWithoutFieldExpiry)) return 'value differs from the snapshot';
  }
  if ((s.expireAtMs === null) !== (pttl < 0)) return s.expireAtMs === null ? 'has an expiry the snapshot has not' : 'lost its expiry';
  return null;
}

/** One group of sampled keys whose commands were sent: their replies, and all of them at once. */
interface PendingGroup {
  keys: Array<{ s: Sample; selected: Promise<unknown>; payload: Promise<Buffer | null>; pttl: Promise<number> }>;
  replies: Promise<unknown[]>;
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
      digestWithoutFieldExpiry: hasFieldExpiry(value) ? valueDigest(value, false) : null,
      bodySha256: bodySha256(entry.typeId, entry.valueBytes),
    };
  }

  /**
   * Reads every sampled key back (DUMP, decoded by the engine) and compares value and expiry.
   * `withoutFieldExpiry`: the target cannot hold hash field expiry (--allow-lossy dropped it), so it is not compared.
   */
  async check(client: SampleClient, now = Date.now(), options: { withoutFieldExpiry?: boolean } = {}): Promise<SampleReport> {
    const mismatched: SampleReport['mismatched'] = [];
    // Keys that may have expired meanwhile are not checked.
    const due = this.samples.filter((s) => s.expireAtMs === null || s.expireAtMs > now + 1000);
    // A group's commands are sent together (in order on the one connection). The next group is
    // sent before the current one is compared, so the server reads values while we decode them:
    // at most two groups' replies are held.
    const send = (from: number): PendingGroup => {
      const keys = due.slice(from, from + CHECK_GROUP).map((s) => {
        const selected = client.select(s.db);
        return { s, selected, payload: client.dumpBuffer(s.key), pttl: client.pttl(s.key) };
      });
      const replies = Promise.all(keys.flatMap((g) => [g.selected, g.payload, g.pttl]));
      // Awaited in its turn; a failure while the group before is compared is not unhandled.
      replies.catch(() => undefined);
      return { keys, replies };
    };
    let next: PendingGroup | null = due.length > 0 ? send(0) : null;
    for (let i = 0; next !== null; i += CHECK_GROUP) {
      const current: PendingGroup = next;
      await current.replies;
      next = i + CHECK_GROUP < due.length ? send(i + CHECK_GROUP) : null;
      for (const { s, payload: pending, pttl: pendingTtl } of current.keys) {
        const problem = compare(s, await pending, await pendingTtl, options.withoutFieldExpiry === true);
        if (problem !== null) mismatched.push({ db: s.db, key: s.key.toString('utf8'), problem });
      }
    }
    return { checked: due.length, mismatched };
  }
}
