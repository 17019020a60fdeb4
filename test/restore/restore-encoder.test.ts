import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeCommand } from '../../lambdas/capture/resp';
import { RdbEntry } from '../../lambdas/rdb/entry';
import { RdbReader } from '../../lambdas/rdb/reader';
import { restoreCommand } from '../../lambdas/restore/cluster/restore-command';
import { restoreBound, writeRestore } from '../../lambdas/restore/restore-encoder';
import { TargetCapabilities } from '../../lambdas/restore/types';

const FIXTURE = join(__dirname, '../../../shared/fixtures/redis-7.0-types.rdb');

function entriesOf(rdb: Buffer): RdbEntry[] {
  const out: RdbEntry[] = [];
  const reader = new RdbReader({ onRecord: (r) => r.kind === 'entry' && out.push(r.entry), emptyKeys: 'skip' });
  reader.write(rdb);
  reader.end();
  return out;
}

/** A small RDB (version 10, no checksum) with keys carrying IDLE, FREQ and an expiry, an integer key name and a long one. */
function withPrefixes(): Buffer {
  const str = (s: string): Buffer => Buffer.concat([Buffer.from([s.length]), Buffer.from(s)]);
  const ms = Buffer.alloc(8);
  ms.writeBigInt64LE(4102444800123n);
  return Buffer.concat([
    Buffer.from('REDIS0010'),
    Buffer.from([248, 0x40 | 1, 0x2c]), // IDLE 300
    Buffer.from([0]), str('idle-key'), str('v1'),
    Buffer.from([249, 7]), // FREQ 7
    Buffer.from([0]), str('freq-key'), str('v2'),
    Buffer.from([252]), ms, Buffer.from([248, 5]), // expiry and IDLE 5
    Buffer.from([0]), str('both'), str('v3'),
    Buffer.from([0, 0xc1, 0x39, 0x30]), str('v4'), // key 12345, stored as a 16-bit integer
    Buffer.from([0, 0x40, 70]), Buffer.from('k'.repeat(70)), str('v5'), // a 70-byte name (14-bit length)
    Buffer.from([255]), Buffer.alloc(8),
  ]);
}

const caps = (major: number): TargetCapabilities => ({
  engine: 'redis',
  version: [major, 0, 0],
  rdbVersion: 10,
  hashFieldExpiry: false,
  streamMetadata: true,
  createConsumer: true,
  functions: true,
});

describe('writeRestore (RESTORE encoded into the batch buffer)', () => {
  const entries = [...entriesOf(readFileSync(FIXTURE)), ...entriesOf(withPrefixes())];

  test('writes exactly the bytes of the generic encoder, for every fixture key and option', () => {
    expect(entries.some((e) => e.idle !== null)).toBe(true);
    expect(entries.some((e) => e.freq !== null)).toBe(true);
    expect(entries.some((e) => e.expireAtMs !== null)).toBe(true);
    // Key names the RDB stores as integers or LZF are copied from their decoded form.
    expect(entries.some((e) => /^-?\d+$/.test(e.key.toString('latin1')))).toBe(true);
    expect(entries.some((e) => e.key.length >= 64)).toBe(true);
    const now = Date.now();
    for (const major of [7, 4]) {
      for (const replace of [false, true]) {
        for (const e of entries) {
          const footer = Math.max(e.minRdbVersion, 9);
          const expected = encodeCommand(restoreCommand(e, footer, caps(major), replace, now));
          const out = Buffer.alloc(restoreBound(e) + 3, 0xee);
          const end = writeRestore(out, 3, e, { footer, modern: major >= 5, replace, now });
          expect(out.subarray(3, end).equals(expected)).toBe(true);
          expect(end).toBeLessThanOrEqual(out.length);
        }
      }
    }
  });
});
