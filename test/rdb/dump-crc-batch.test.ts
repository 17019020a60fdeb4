import { randomBytes } from 'node:crypto';
import { crc64, readU64LE } from '../../lambdas/rdb/crc64';
import { buildDumpPayload, writeDumpPayload } from '../../lambdas/rdb/dump';
import { DumpCrcBatch } from '../../lambdas/rdb/dump-crc-batch';

/** A deterministic generator, so a failure can be replayed. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe('DumpCrcBatch', () => {
  const batch = DumpCrcBatch.create();

  test('is available (WebAssembly is on in the supported runtime)', () => {
    expect(batch).not.toBeNull();
  });

  test('deferred DUMP payloads get the same bytes as payloads checksummed at once, across window refills', () => {
    const rnd = lcg(7);
    // More than the module's 1 MiB window: ranges after the first megabyte need a second copy.
    const out = Buffer.alloc(3 << 20);
    const expected: Array<{ pos: number; payload: Buffer }> = [];
    let pos = 0;
    let deferred = 0;
    while (pos < out.length - 10_000) {
      // Mostly short values, some over the deferral limit (checksummed at once), a few empty.
      const len = rnd() < 0.05 ? 4_000 + Math.floor(rnd() * 2_000) : Math.floor(rnd() * 300);
      const value = randomBytes(len);
      const typeId = Math.floor(rnd() * 20);
      const before = batch!.pending;
      const end = writeDumpPayload(typeId, value, 0, value.length, 11, out, pos, batch!);
      if (batch!.pending > before) deferred++;
      expected.push({ pos, payload: buildDumpPayload(typeId, value, 11) });
      // Gaps between payloads, as other command bytes sit between them in a batch.
      pos = end + Math.floor(rnd() * 40);
    }
    expect(deferred).toBeGreaterThan(1_000);
    expect(deferred).toBeLessThan(expected.length);
    batch!.finish(out);
    expect(batch!.pending).toBe(0);
    for (const { pos: at, payload } of expected) {
      const got = out.subarray(at, at + payload.length);
      expect(readU64LE(got, got.length - 8)).toBe(crc64(payload, 0, payload.length - 8));
      expect(got.equals(payload)).toBe(true);
    }
  });

  test('refuses payloads over its limit and when full, so the caller checksums them itself', () => {
    const b = DumpCrcBatch.create()!;
    expect(b.defer(0, 5_000)).toBe(false);
    let taken = 0;
    while (b.defer(taken * 20, taken * 20 + 10)) taken++;
    expect(taken).toBe(16_384);
    expect(b.pending).toBe(16_384);
  });
});
