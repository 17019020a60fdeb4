import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAof, localAofSource } from '../../lambdas/restore/aof';
import { restoreSnapshot } from '../../lambdas/restore/restore';
import { LocalStore } from '../../lambdas/store';
import { tempDir } from '../aof/helpers';
import { readDataset } from '../helpers/dataset';
import { RedisServer } from '../helpers/redis-server';
import { runAofImport } from '../../lambdas/backup/aof-run';

/**
 * --until against an AOF written by a real redis-server 7.0 with
 * aof-timestamp-enabled yes: keys written in three different seconds, the replay
 * stopped between them at the first #TS: annotation later than the time given.
 */

/** Waits until the wall clock is in a later second than `ms` (Redis annotates whole seconds). */
async function nextSecond(ms: number): Promise<void> {
  const wait = Math.floor(ms / 1000) * 1000 + 1000 + 50 - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}

const t = tempDir('redis-backup-aof-until-');
const dataDir = t.dir;
let cutA: Date;
let cutB: Date;
let started: Date;

beforeAll(async () => {
  started = new Date(Math.floor(Date.now() / 1000) * 1000 - 1000);
  const server = await RedisServer.start({ dir: dataDir, config: { appendonly: 'yes', 'aof-timestamp-enabled': 'yes', appendfsync: 'always' } });
  // appendfsync always: every reply comes after its write is in the file (the server is killed, not shut down).
  try {
    const c = server.client();
    await nextSecond(Date.now());
    await c.set('a:1', '1');
    await c.multi().set('a:tx', '1').select(1).set('a:db1', '1').exec();
    await c.select(0);
    cutA = new Date();
    await nextSecond(cutA.getTime());
    await c.set('b:1', '1');
    await c.incr('a:1');
    cutB = new Date();
    await nextSecond(cutB.getTime());
    await c.set('c:1', '1');
    await c.del('b:1');
  } finally {
    await server.stop();
  }
}, 30_000);
afterAll(() => t.remove());

async function replayUntil(until: Date | undefined): Promise<{ keys: Array<[number, string, unknown]>; report: Awaited<ReturnType<typeof loadAof>> }> {
  const server = await RedisServer.start();
  try {
    const report = await loadAof({ source: await localAofSource(dataDir), target: { host: server.host, port: server.port }, until });
    const dataset = await readDataset(server.client());
    return { keys: dataset.keys.map((k) => [k.db, String(k.key), k.value]), report };
  } finally {
    await server.stop();
  }
}

test('stops at the first annotation after the time: what was written by then, nothing later', async () => {
  const a = await replayUntil(cutA);
  expect(a.keys).toEqual([
    [0, 'a:1', '1'],
    [0, 'a:tx', '1'],
    [1, 'a:db1', '1'],
  ]);
  expect(a.report.until?.stoppedAt).toMatchObject({ file: 'appendonly.aof.1.incr.aof' });
  expect(new Date(a.report.until!.stoppedAt!.timestamp).getTime()).toBeGreaterThan(cutA.getTime());
  expect(a.report.files[0].replayed).toBe('whole');
  expect(a.report.files[1].replayed).toBe('until');

  const b = await replayUntil(cutB);
  expect(b.keys).toEqual([
    [0, 'a:1', '2'],
    [0, 'a:tx', '1'],
    [0, 'b:1', '1'],
    [1, 'a:db1', '1'],
  ]);

  const all = await replayUntil(undefined);
  expect(all.keys.map((k) => k[1])).toEqual(['a:1', 'a:tx', 'c:1', 'a:db1']);
  expect(all.report.until).toBeNull();
});

test('a time before the base was written is refused, nothing written', async () => {
  const server = await RedisServer.start();
  try {
    await expect(loadAof({ source: await localAofSource(dataDir), target: { host: server.host, port: server.port }, until: new Date(started.getTime() - 60_000) })).rejects.toMatchObject({ code: 'AOF_RESTORE_BAD_REQUEST' });
    expect(await server.client().dbsize()).toBe(0);
  } finally {
    await server.stop();
  }
});

test('imported, then through the orchestrator (the snapshot manifest says it has annotations); dry run shows the same stop', async () => {
  const root = mkdtempSync(join(tmpdir(), 'redis-backup-aof-until-store-'));
  const server = await RedisServer.start();
  try {
    const store = new LocalStore(root);
    const manifest = await runAofImport({ store, source: 'src', path: dataDir });
    expect(manifest.aof.timestamps).not.toBeNull();
    const request = { store, source: 'src', selector: manifest.snapshotId, target: { host: server.host, port: server.port }, until: cutA };
    const dry = await restoreSnapshot({ ...request, dryRun: true });
    const report = await restoreSnapshot(request);
    if (!('kind' in dry) || !('kind' in report)) throw new Error('expected AOF reports');
    expect(dry.until?.stoppedAt).toEqual(report.until?.stoppedAt);
    expect((await readDataset(server.client())).keys.map((k) => String(k.key))).toEqual(['a:1', 'a:tx', 'a:db1']);
  } finally {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  }
});
