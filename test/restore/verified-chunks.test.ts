import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runImport } from '../../lambdas/backup/run-backup';
import { SnapshotManifest } from '../../lambdas/catalog/manifest';
import { fetchVerifiedChunk, verifiedChunks } from '../../lambdas/restore/verified-chunks';
import { dataKey } from '../../lambdas/store/layout';
import { LocalStore } from '../../lambdas/store';

const FIXTURE = join(__dirname, '../../../shared/fixtures/redis-7.4-types.rdb');

describe('verified chunks (streamed, spooled to disk beyond the memory budget)', () => {
  let dir: string;
  let spoolDir: string;
  let store: LocalStore;
  let manifest: SnapshotManifest;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'redis-backup-vchunks-'));
    spoolDir = mkdtempSync(join(tmpdir(), 'redis-backup-vspool-'));
    store = new LocalStore(dir);
    manifest = await runImport({ store, source: 'src', path: FIXTURE, chunkBytes: 64 << 10 });
    expect(manifest.chunks.length).toBeGreaterThan(2);
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(spoolDir, { recursive: true, force: true });
  });

  async function rawOf(budget: number, from = 0): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const chunk of verifiedChunks(store, manifest, from, { memoryBudget: budget, spoolDir })) {
      for await (const piece of chunk.raw) parts.push(Buffer.from(piece));
    }
    return Buffer.concat(parts);
  }

  test('gives back the exact RDB bytes from memory and from spool files, and leaves no file behind', async () => {
    const rdb = readFileSync(FIXTURE);
    expect((await rawOf(1 << 30)).equals(rdb)).toBe(true);
    expect((await rawOf(1024)).equals(rdb)).toBe(true);
    expect(readdirSync(spoolDir)).toEqual([]);
    const tail = await rawOf(1024, 2);
    expect(tail.equals(rdb.subarray(manifest.chunks[2].raw.offset))).toBe(true);
  });

  test('a stored byte flipped: the chunk is refused before any of its bytes is handed out', async () => {
    const path = join(dir, dataKey('src', manifest.snapshotId));
    const good = readFileSync(path);
    const bad = Buffer.from(good);
    bad[manifest.chunks[1].stored.offset + 5] ^= 0x40;
    writeFileSync(path, bad);
    try {
      await expect(fetchVerifiedChunk(store, manifest, manifest.chunks[1], { memoryBudget: 1024, spoolDir })).rejects.toMatchObject({
        code: 'RESTORE_CHUNK_CORRUPT',
        context: { chunk: 1 },
        message: expect.stringContaining('nothing from it was written'),
      });
      expect(readdirSync(spoolDir)).toEqual([]);
    } finally {
      writeFileSync(path, good);
    }
  });

  test('raw bytes that contradict the manifest are refused at the end of the chunk, saying so', async () => {
    const wrong = { ...manifest, chunks: manifest.chunks.map((c, i) => (i === 1 ? { ...c, sha256: createHash('sha256').update('other').digest('hex') } : c)) };
    const chunk = await fetchVerifiedChunk(store, wrong, wrong.chunks[1], { memoryBudget: 1024, spoolDir });
    try {
      let pieces = 0;
      const read = async (): Promise<void> => {
        for await (const _piece of chunk.raw) pieces++;
      };
      await expect(read()).rejects.toMatchObject({ code: 'RESTORE_CHUNK_CORRUPT', message: expect.stringContaining('manifest contradicts itself') });
      expect(pieces).toBeGreaterThan(0);
    } finally {
      await chunk.dispose();
    }
    expect(readdirSync(spoolDir)).toEqual([]);
  });
});
