import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChunkSpool } from '../../lambdas/restore/chunk-spool';

describe('ChunkSpool', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'redis-backup-spool-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function roundTrip(budget: number, pieces: Buffer[], readPiece: number): Promise<{ out: Buffer; onDisk: boolean; files: number }> {
    const spool = new ChunkSpool(budget, dir);
    for (const p of pieces) await spool.write(p);
    await spool.seal();
    const got: Buffer[] = [];
    // A piece read from a file is valid until the one after next is asked for: keep a copy.
    for await (const b of spool.read(readPiece)) got.push(Buffer.from(b));
    const files = readdirSync(dir).length;
    const onDisk = spool.onDisk;
    await spool.dispose();
    return { out: Buffer.concat(got), onDisk, files };
  }

  test('keeps a chunk within its memory budget in memory and gives it back whole', async () => {
    const pieces = Array.from({ length: 20 }, () => randomBytes(1000));
    const r = await roundTrip(1 << 20, pieces, 4096);
    expect(r.onDisk).toBe(false);
    expect(r.files).toBe(0);
    expect(r.out.equals(Buffer.concat(pieces))).toBe(true);
  });

  test('spools a chunk beyond its budget to a temporary file, reads it back in pieces, and removes the file', async () => {
    const pieces = Array.from({ length: 40 }, (_, i) => randomBytes(50_000 + i));
    const r = await roundTrip(100_000, pieces, 300_000);
    expect(r.onDisk).toBe(true);
    expect(r.files).toBe(1);
    expect(r.out.equals(Buffer.concat(pieces))).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
  });
});
