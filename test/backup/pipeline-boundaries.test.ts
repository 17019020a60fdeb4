import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zstdDecompressSync } from 'node:zlib';
import { runSnapshotPipeline } from '../../lambdas/backup/pipeline';
import { RdbReader } from '../../lambdas/rdb';
import { FIXTURES_DIR } from '../helpers/fixtures';

/** Feeds `data` in pieces of `size` bytes. */
async function* pieces(data: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

describe('snapshot pipeline chunk boundaries', () => {
  // Regression: a key's expiry prefix arriving before the rest of the key went into the previous chunk.
  test.each([1, 5, 9, 13, 4096])('every chunk starts at a key record and holds exactly its raw range (input in %i-byte pieces)', async (size) => {
    const rdb = readFileSync(join(FIXTURES_DIR, 'redis-7.4-types.rdb'));
    const stored: Buffer[] = [];
    const result = await runSnapshotPipeline(
      pieces(rdb, size),
      async (body) => {
        for await (const b of body) stored.push(b);
      },
      { chunkBytes: 2048, crcWorker: false },
    );
    const all = Buffer.concat(stored);
    const starts = new Set<number>();
    const reader = new RdbReader({ onRecord: (r) => r.kind === 'entry' && starts.add(r.entry.offset) });
    reader.write(rdb);
    reader.end();
    expect(result.chunks.length).toBeGreaterThan(10);
    for (const c of result.chunks) {
      const raw = zstdDecompressSync(all.subarray(c.stored.offset, c.stored.offset + c.stored.length));
      expect(raw.equals(rdb.subarray(c.raw.offset, c.raw.offset + c.raw.length))).toBe(true);
      if (c.index > 0) expect(starts.has(c.raw.offset)).toBe(true);
    }
  });
});
