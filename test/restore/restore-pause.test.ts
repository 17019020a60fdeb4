import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBackup } from '../../lambdas/backup/run-backup';
import { SnapshotManifest } from '../../lambdas/catalog/manifest';
import { RestoreError } from '../../lambdas/restore/errors';
import { restoreIntoServer } from '../../lambdas/restore/restore';
import { loadRestore, newRestoreId, saveRecord } from '../../lambdas/restore/restore-record';
import { LocalStore } from '../../lambdas/store';
import { writeSampleData } from '../backup/sample-data';
import { readDataset } from '../helpers/dataset';
import { RedisServer } from '../helpers/redis-server';

const FAST = { 'repl-diskless-sync': 'yes', 'repl-diskless-sync-delay': 0 };

/** The engine entry point as the service drives it: under an id handed out beforehand, paused by a signal at a checkpoint, resumed by a later run. */
describe('restoreIntoServer: restoreId and the pause signal', () => {
  let source: RedisServer;
  let target: RedisServer;
  let dir: string;
  let store: LocalStore;
  let manifest: SnapshotManifest;

  beforeAll(async () => {
    [source, target] = await Promise.all([RedisServer.start({ config: FAST }), RedisServer.start()]);
    await writeSampleData(source.client());
    dir = mkdtempSync(join(tmpdir(), 'redis-backup-pause-'));
    store = new LocalStore(dir);
    // The RDB's key order varies by server (hash seeds), and so do the cuts: 48 KiB chunks made two or three. 24 KiB make more than two.
    manifest = await runBackup({ store, source: 'src', endpoint: { host: source.host, port: source.port }, chunkBytes: 24 << 10 });
    expect(manifest.chunks.length).toBeGreaterThan(2);
  });
  afterAll(async () => {
    await Promise.all([source.stop(), target.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  test('a restore filed under a given id pauses at a checkpoint when asked, stays running, and a resume finishes it exactly', async () => {
    const restoreId = newRestoreId();
    // The caller (the service's API) filed the record first, with options of its own.
    const filedAt = '2026-11-25T08:00:00.000Z';
    await saveRecord(store, { restoreId, source: 'src', snapshotId: manifest.snapshotId, target: 'staging', mode: 'load', options: { targetName: 'staging' }, startedAt: filedAt, status: 'running' });
    await target.client().set('stale', 'x');

    const pause = new AbortController();
    const seen: number[] = [];
    const err = await restoreIntoServer({
      store,
      source: 'src',
      selector: manifest.snapshotId,
      target: { host: target.host, port: target.port },
      restoreId,
      flush: true,
      signal: pause.signal,
      onProgress: (p) => {
        seen.push(p.chunk);
        if (p.chunk === 1) pause.abort();
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RestoreError);
    expect(err).toMatchObject({ code: 'RESTORE_PAUSED', context: { restoreId, chunk: 1 } });
    // It stopped at the chunk boundary after the signal: nothing more was read or written.
    expect(seen).toEqual([1]);
    const paused = await loadRestore(store, 'src', restoreId);
    expect(paused.record).toMatchObject({ restoreId, status: 'running', startedAt: filedAt, snapshotId: manifest.snapshotId, options: { targetName: 'staging', flush: true } });
    expect(paused.record.error).toBeUndefined();
    expect(paused.checkpoint).toMatchObject({ restoreId, nextChunk: 1 });
    expect(await target.client().exists('stale')).toBe(0);

    const report = await restoreIntoServer({ store, source: 'src', selector: manifest.snapshotId, target: { host: target.host, port: target.port }, resume: restoreId });
    expect(report).toMatchObject({ restoreId, status: 'completed', resumedFromChunk: 1, chunks: manifest.chunks.length, writes: { failed: 0 }, verification: { ok: true } });
    expect(await readDataset(target.client())).toEqual(await readDataset(source.client()));
    expect((await loadRestore(store, 'src', restoreId)).record).toMatchObject({ status: 'completed', startedAt: filedAt });
  });

  test('the checkpoint "nothing written" is saved once the target is prepared; a restore that has begun resumes and is refused a fresh start', async () => {
    await target.client().flushall();
    const restoreId = newRestoreId();
    const checkpoints: number[] = [];
    const put = jest.spyOn(store, 'put');
    const pause = new AbortController();
    pause.abort();
    try {
      // Asked to pause from the start: the target is prepared and one chunk written, then it stops.
      await expect(
        restoreIntoServer({ store, source: 'src', selector: manifest.snapshotId, target: { host: target.host, port: target.port }, restoreId, signal: pause.signal }),
      ).rejects.toMatchObject({ code: 'RESTORE_PAUSED', context: { chunk: 1 } });
      for (const [key, body] of put.mock.calls) {
        if (key.endsWith(`${restoreId}/checkpoint.json`)) checkpoints.push((JSON.parse(body.toString('utf8')) as { nextChunk: number }).nextChunk);
      }
    } finally {
      put.mockRestore();
    }
    // A run that died inside chunk 0 would find checkpoint 0 and resume (replacing keys) instead of calling the target not empty.
    expect(checkpoints).toEqual([0, 1]);
    await expect(restoreIntoServer({ store, source: 'src', selector: manifest.snapshotId, target: { host: target.host, port: target.port }, restoreId })).rejects.toMatchObject({
      code: 'RESTORE_BAD_REQUEST',
      message: expect.stringContaining('resume it'),
    });
    const report = await restoreIntoServer({ store, source: 'src', selector: manifest.snapshotId, target: { host: target.host, port: target.port }, resume: restoreId });
    expect(report).toMatchObject({ resumedFromChunk: 1, verification: { ok: true } });
    expect(await readDataset(target.client())).toEqual(await readDataset(source.client()));
  });
});
