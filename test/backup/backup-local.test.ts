import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zstdDecompressSync } from 'node:zlib';
import { SnapshotManifest } from '../../lambdas/catalog/manifest';
import { runBackup, runImport } from '../../lambdas/backup/run-backup';
import { listSnapshots, readManifest, resolveSnapshot } from '../../lambdas/catalog/catalog';
import { validateManifest } from '../../lambdas/catalog/validate-manifest';
import { verifySnapshot } from '../../lambdas/catalog/verify-snapshot';
import { exportEntry, RdbReader, RdbRecord, scoreFormatFor } from '../../lambdas/rdb';
import { dataKey, lockKey } from '../../lambdas/store/layout';
import { LocalStore } from '../../lambdas/store';
import { readDataset } from '../helpers/dataset';
import { FIXTURES_DIR } from '../helpers/fixtures';
import { RedisServer } from '../helpers/redis-server';
import { readAll, writeSampleData } from './sample-data';

/** Every key of a raw RDB, exported like the ground truth (sorted). */
function exportRdb(raw: Buffer): unknown[] {
  const keys: Array<{ db: number; key: Buffer; json: unknown }> = [];
  let version: string | null = null;
  let rdbVersion = 0;
  const reader = new RdbReader({
    onRecord: (r: RdbRecord) => {
      if (r.kind === 'header') rdbVersion = r.version;
      if (r.kind === 'aux' && r.key.toString() === 'redis-ver') version = r.value.toString();
      if (r.kind === 'entry') keys.push({ db: r.entry.db, key: Buffer.from(r.entry.key), json: exportEntry(r.entry, scoreFormatFor('redis', version, rdbVersion)) });
    },
  });
  reader.write(raw);
  reader.end();
  return keys.sort((a, b) => a.db - b.db || Buffer.compare(a.key, b.key)).map((k) => k.json);
}

/** Node's zstd decoder stops after one frame: decode the stored object frame by frame, as the manifest lists them. */
function decompressFrames(stored: Buffer, manifest: SnapshotManifest): Buffer {
  return Buffer.concat(manifest.chunks.map((c) => zstdDecompressSync(stored.subarray(c.stored.offset, c.stored.offset + c.stored.length))));
}

describe('backup into a local store', () => {
  let server: RedisServer;
  let dir: string;
  let store: LocalStore;

  beforeAll(async () => {
    server = await RedisServer.start({ config: { 'repl-diskless-sync': 'yes', 'repl-diskless-sync-delay': 0 } });
    await writeSampleData(server.client());
  });
  afterAll(async () => {
    await server.stop();
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'redis-backup-store-'));
    store = new LocalStore(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('a replication backup commits a manifest that matches the schema and the data at fork time', async () => {
    const manifest = await runBackup({ store, source: 'main', endpoint: { host: server.host, port: server.port }, chunkBytes: 64 << 10 });
    expect(() => validateManifest(JSON.parse(JSON.stringify(manifest)), 'test')).not.toThrow();
    expect(manifest.method).toBe('replication');
    expect(manifest.rdb.checksum).toBe('ok');
    expect(manifest.server?.engine).toBe('redis');
    expect(manifest.rdb.replId).toMatch(/^[0-9a-f]{40}$/);
    expect(manifest.chunks.length).toBeGreaterThan(1);
    expect(await readManifest(store, 'main', manifest.snapshotId)).toEqual(manifest);

    const stored = await readAll(await store.getStream(dataKey('main', manifest.snapshotId)));
    const raw = decompressFrames(stored, manifest);
    expect(raw.length).toBe(manifest.raw.bytes);
    const live = await readDataset(server.client());
    expect(exportRdb(raw)).toEqual(live.keys);
    expect(manifest.keys.total).toBe(live.keys.length);
    // The lock is gone once the run is over.
    expect(await store.get(lockKey('main'))).toBeNull();
  });

  test('every chunk is an independent zstd frame holding exactly its raw range, cut at a key record', async () => {
    const manifest = await runBackup({ store, source: 'main', endpoint: { host: server.host, port: server.port }, chunkBytes: 32 << 10 });
    const stored = await readAll(await store.getStream(dataKey('main', manifest.snapshotId)));
    const raw = decompressFrames(stored, manifest);
    const entryOffsets = new Set<number>();
    const reader = new RdbReader({ onRecord: (r) => r.kind === 'entry' && entryOffsets.add(r.entry.offset) });
    reader.write(raw);
    reader.end();
    let keys = 0;
    manifest.chunks.forEach((c, i) => {
      const frame = stored.subarray(c.stored.offset, c.stored.offset + c.stored.length);
      expect(zstdDecompressSync(frame).equals(raw.subarray(c.raw.offset, c.raw.offset + c.raw.length))).toBe(true);
      if (i > 0) expect(entryOffsets.has(c.raw.offset)).toBe(true);
      keys += c.keys;
    });
    expect(keys).toBe(manifest.keys.total);
    const last = manifest.chunks[manifest.chunks.length - 1];
    expect(last.raw.offset + last.raw.length).toBe(raw.length);
    expect(last.stored.offset + last.stored.length).toBe(stored.length);
  });

  test('verify re-reads the stored snapshot; a flipped byte is reported with its chunk', async () => {
    const manifest = await runBackup({ store, source: 'main', endpoint: { host: server.host, port: server.port }, chunkBytes: 32 << 10 });
    const ok = await verifySnapshot(store, 'main', 'latest');
    expect(ok.ok).toBe(true);
    expect(ok.rdb.keys).toBe(manifest.keys.total);

    const path = join(dir, dataKey('main', manifest.snapshotId));
    const { readFileSync, writeFileSync } = await import('node:fs');
    const bytes = readFileSync(path);
    const chunk = manifest.chunks[1];
    bytes[chunk.stored.offset + Math.floor(chunk.stored.length / 2)] ^= 0xff;
    writeFileSync(path, bytes);
    const bad = await verifySnapshot(store, 'main', manifest.snapshotId);
    expect(bad.ok).toBe(false);
    expect(bad.chunks[1].storedOk).toBe(false);
    expect(bad.chunks[0].storedOk).toBe(true);
    expect(bad.problems.join('\n')).toMatch(/Chunk 1/);
  });

  test('import stores an existing RDB file like a captured one; list and resolve see it', async () => {
    const file = join(FIXTURES_DIR, 'redis-7.4-types.rdb');
    const manifest = await runImport({ store, source: 'imported', path: file });
    expect(manifest.method).toBe('import');
    expect(manifest.importedFrom).toBe(file);
    expect(manifest.rdb.version).toBe(12);
    expect(manifest.functions).toEqual(['fixturelib']);
    const listing = await listSnapshots(store, 'imported');
    expect(listing.map((s) => [s.snapshotId, s.status])).toEqual([[manifest.snapshotId, 'committed']]);
    expect((await resolveSnapshot(store, 'imported', 'latest')).snapshotId).toBe(manifest.snapshotId);
    expect((await verifySnapshot(store, 'imported', manifest.snapshotId)).ok).toBe(true);
  });

  test('a corrupt RDB (wrong CRC-64) is refused and leaves nothing in the store', async () => {
    const file = join(FIXTURES_DIR, 'librdb-dumps', 'invalid_chksum_v8.rdb');
    await expect(runImport({ store, source: 'bad', path: file })).rejects.toMatchObject({ code: 'RDB_CHECKSUM_MISMATCH' });
    await expect(runImport({ store, source: 'bad', path: file, crcWorker: true })).rejects.toMatchObject({ code: 'RDB_CHECKSUM_MISMATCH' });
    expect(readdirSync(dir, { recursive: true }).filter((f) => !String(f).endsWith('/') && String(f).includes('.'))).toEqual([]);
  });

  test('a wrong password fails with a typed error, commits nothing and releases the lock', async () => {
    const secured = await RedisServer.start({ config: { requirepass: 'right', 'repl-diskless-sync-delay': 0 } });
    try {
      await expect(runBackup({ store, source: 'secured', endpoint: { host: secured.host, port: secured.port, password: 'wrong' } })).rejects.toMatchObject({ code: 'CAPTURE_AUTH_FAILED' });
      expect(await listSnapshots(store, 'secured')).toEqual([]);
      expect(await store.get(lockKey('secured'))).toBeNull();
      const ok = await runBackup({ store, source: 'secured', endpoint: { host: secured.host, port: secured.port, password: 'right' } });
      expect(ok.rdb.checksum).toBe('ok');
    } finally {
      await secured.stop();
    }
  });

  test('a second concurrent backup of the same source is refused while the first runs', async () => {
    // The first run's upload waits at a gate, so it is certainly still running (holding the lock) when the second starts.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const gated = new Proxy(store, {
      get(target, name) {
        if (name === 'putStream') return async (...args: Parameters<LocalStore['putStream']>) => gate.then(() => target.putStream(...args));
        const value: unknown = Reflect.get(target, name, target);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const first = runBackup({ store: gated, source: 'main', endpoint: { host: server.host, port: server.port } });
    while ((await store.get(lockKey('main'))) === null) await new Promise((r) => setTimeout(r, 5));
    await expect(runBackup({ store, source: 'main', endpoint: { host: server.host, port: server.port } })).rejects.toMatchObject({ code: 'STORE_LOCKED' });
    open();
    await first;
    expect((await listSnapshots(store, 'main')).filter((s) => s.status === 'committed')).toHaveLength(1);
  });

  test('a run that loses its lock to another run stops and commits nothing', async () => {
    const slow = await RedisServer.start({ config: { 'repl-diskless-sync': 'yes', 'repl-diskless-sync-delay': 0, 'rdb-key-save-delay': 2000 } });
    try {
      await writeSampleData(slow.client(), { bigValues: 400 });
      const run = runBackup({ store, source: 'contended', endpoint: { host: slow.host, port: slow.port }, lockTtlMs: 1500 });
      await new Promise((r) => setTimeout(r, 300));
      // Another run takes the lock over (as if ours had expired).
      await store.delete([lockKey('contended')]);
      await store.put(lockKey('contended'), Buffer.from(JSON.stringify({ owner: 'someone-else', token: 'x', acquiredAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 60_000).toISOString(), host: 'other', pid: 1 })));
      await expect(run).rejects.toMatchObject({ code: 'STORE_LOCKED' });
      expect((await listSnapshots(store, 'contended')).filter((s) => s.status === 'committed')).toEqual([]);
      // The other run's lock is left alone.
      expect(JSON.parse(String(await store.get(lockKey('contended')))).owner).toBe('someone-else');
    } finally {
      await slow.stop();
    }
  });

  test('bgsave backup reads dump.rdb from the data directory', async () => {
    const manifest = await runBackup({ store, source: 'bg', endpoint: { host: server.host, port: server.port }, method: 'bgsave', dataDir: server.dir });
    expect(manifest.method).toBe('bgsave');
    const raw = decompressFrames(await readAll(await store.getStream(dataKey('bg', manifest.snapshotId))), manifest);
    expect(exportRdb(raw)).toEqual((await readDataset(server.client())).keys);
  });
});
