import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBackup } from '../../lambdas/backup/run-backup';
import { SnapshotManifest } from '../../lambdas/catalog/manifest';
import { restoreIntoServer } from '../../lambdas/restore/restore';
import { loadRestore } from '../../lambdas/restore/restore-record';
import { dataKey } from '../../lambdas/store/layout';
import { LocalStore } from '../../lambdas/store';
import { writeSampleData } from '../backup/sample-data';
import { readDataset } from '../helpers/dataset';
import { RedisServer } from '../helpers/redis-server';

const FAST = { 'repl-diskless-sync': 'yes', 'repl-diskless-sync-delay': 0 };

describe('restore into a running server (load mode)', () => {
  let source: RedisServer;
  let dir: string;
  let store: LocalStore;
  let manifest: SnapshotManifest;

  beforeAll(async () => {
    source = await RedisServer.start({ config: FAST });
    await writeSampleData(source.client());
    await source.client().set('expired-soon', 'x', 'PX', 1500);
    dir = mkdtempSync(join(tmpdir(), 'redis-backup-restore-'));
    store = new LocalStore(dir);
    // Key order (and so where cuts fall) varies by server: 24 KiB chunks make more than two whatever the order.
    manifest = await runBackup({ store, source: 'src', endpoint: { host: source.host, port: source.port }, chunkBytes: 24 << 10 });
    expect(manifest.chunks.length).toBeGreaterThan(2);
    await new Promise((r) => setTimeout(r, 1600)); // let 'expired-soon' expire before restoring
    await source.client().del('expired-soon');
  });
  afterAll(async () => {
    await source.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('restores every key with its TTL into an empty server and verifies counts and a sample', async () => {
    const target = await RedisServer.start();
    try {
      const report = await restoreIntoServer({ store, source: 'src', selector: 'latest', target: { host: target.host, port: target.port } });
      expect(report.status).toBe('completed');
      expect(report.verification.ok).toBe(true);
      expect(report.counters.skippedExpired).toBe(1);
      expect(report.writes.failed).toBe(0);
      expect(report.verification.sample?.checked).toBeGreaterThan(0);
      expect((await readDataset(target.client())).keys).toEqual((await readDataset(source.client())).keys);
      // The restore record and report are kept in the store.
      const { record } = await loadRestore(store, 'src', report.restoreId);
      expect(record.status).toBe('completed');
    } finally {
      await target.stop();
    }
  });

  test('a non-empty target is refused unless --flush or --replace; filters and db mapping apply', async () => {
    const target = await RedisServer.start();
    try {
      await target.client().set('already-here', '1');
      const endpoint = { host: target.host, port: target.port };
      await expect(restoreIntoServer({ store, source: 'src', selector: 'latest', target: endpoint })).rejects.toMatchObject({ code: 'RESTORE_TARGET_NOT_EMPTY' });
      expect(await target.client().dbsize()).toBe(1);

      const report = await restoreIntoServer({ store, source: 'src', selector: manifest.snapshotId, target: endpoint, flush: true, dbs: [1], dbMap: { 1: 7 }, match: ['h:*', 's:int:*'] });
      expect(report.verification.ok).toBe(true);
      const c = target.client();
      await c.select(7);
      expect((await c.keys('*')).sort()).toEqual(['h:big:1', 'h:small:1', 's:int:1']);
      await c.select(0);
      expect(await c.dbsize()).toBe(0);
      expect(report.counters.filtered).toBe(report.counters.read - 3 - report.counters.skippedExpired);

      const again = await restoreIntoServer({ store, source: 'src', selector: 'latest', target: endpoint, replace: true, types: ['string'], dbs: [0] });
      expect(again.writes.failed).toBe(0);
      expect(again.verification.counts).toBe('not comparable');
    } finally {
      await target.stop();
    }
  });

  test('a dry run verifies the snapshot and writes nothing', async () => {
    const report = await restoreIntoServer({ store, source: 'src', selector: 'latest', target: { host: '127.0.0.1', port: 1 }, dryRun: true });
    expect(report.status).toBe('dry-run');
    expect(report.counters.written).toBe(manifest.keys.total - 1);
  });

  test('a wrong target password and an unknown snapshot id fail with typed errors', async () => {
    const target = await RedisServer.start({ config: { requirepass: 'right' } });
    try {
      await expect(restoreIntoServer({ store, source: 'src', selector: 'latest', target: { host: target.host, port: target.port, password: 'wrong' } })).rejects.toMatchObject({ code: 'RESTORE_TARGET_AUTH' });
      await expect(restoreIntoServer({ store, source: 'src', selector: '20200101T000000Z-000000', target: { host: target.host, port: target.port, password: 'right' } })).rejects.toMatchObject({ code: 'CATALOG_SNAPSHOT_NOT_FOUND' });
      expect(await target.client({ password: 'right' }).dbsize()).toBe(0);
    } finally {
      await target.stop();
    }
  });

  test('a chunk corrupted in the store stops the restore before any key from it is written', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'redis-backup-corrupt-'));
    try {
      const bad = new LocalStore(copy);
      const m = await runBackup({ store: bad, source: 'src', endpoint: { host: source.host, port: source.port }, chunkBytes: 48 << 10 });
      const path = join(copy, dataKey('src', m.snapshotId));
      const bytes = readFileSync(path);
      const victim = m.chunks[2];
      bytes[victim.stored.offset + 10] ^= 0x55;
      writeFileSync(path, bytes);
      const target = await RedisServer.start();
      try {
        const err = await restoreIntoServer({ store: bad, source: 'src', selector: 'latest', target: { host: target.host, port: target.port } }).catch((e: unknown) => e);
        expect(err).toMatchObject({ code: 'RESTORE_CHUNK_CORRUPT', context: { chunk: 2 } });
        const written = (err as { context: { keysWritten: number } }).context.keysWritten;
        expect(written).toBe(m.chunks[0].keys + m.chunks[1].keys);
        const onTarget = (await readDataset(target.client())).keys.length;
        expect(onTarget).toBeLessThanOrEqual(written);
      } finally {
        await target.stop();
      }
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  test('a target killed mid-restore is finished by --resume with the exact data', async () => {
    const targetDir = mkdtempSync(join(tmpdir(), 'redis-backup-target-'));
    // The target persists every write (AOF, fsync always), as a real one would across a crash.
    const persistent = { appendonly: 'yes', appendfsync: 'always' };
    let target = await RedisServer.start({ dir: targetDir, config: persistent });
    const port = target.port;
    let chunksSeen = 0;
    // Chunks are written without a pause at their ends, so the target is stopped from the store:
    // when chunk 2 is fetched (chunk 1 being written) and chunk 0 is checkpointed.
    const killing = new LocalStore(dir);
    const getStream = killing.getStream.bind(killing);
    killing.getStream = async (key, range) => {
      if (range?.start === manifest.chunks[2].stored.offset) {
        while (chunksSeen < 1) await new Promise((r) => setTimeout(r, 5));
        await target.stop();
      }
      return getStream(key, range);
    };
    try {
      const err = await restoreIntoServer({
        store: killing,
        source: 'src',
        selector: manifest.snapshotId,
        target: { host: target.host, port },
        onProgress: (p) => {
          chunksSeen = p.chunk;
        },
      }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: expect.stringMatching(/RESTORE_WRITE_FAILED|RESTORE_TARGET_UNREACHABLE/) });
      const restoreId = (err as { context: { restoreId: string } }).context.restoreId;
      const { record, checkpoint } = await loadRestore(store, 'src', restoreId);
      expect(record.status).toBe('failed');
      // The last checkpoint is the last chunk whose keys were all acknowledged, and progress said so.
      expect(checkpoint?.nextChunk).toBeGreaterThanOrEqual(1);
      expect(checkpoint?.nextChunk).toBeLessThan(manifest.chunks.length);
      expect(checkpoint?.nextChunk).toBe(chunksSeen);

      target = await RedisServer.start({ dir: targetDir, config: { ...persistent, port } });
      const report = await restoreIntoServer({ store, source: 'src', selector: 'latest', target: { host: target.host, port: target.port }, resume: restoreId });
      expect(report.resumedFromChunk).toBe(checkpoint?.nextChunk);
      expect(report.writes.failed).toBe(0);
      expect((await readDataset(target.client())).keys).toEqual((await readDataset(source.client())).keys);
    } finally {
      await target.stop();
      rmSync(targetDir, { recursive: true, force: true });
    }
  });
});
