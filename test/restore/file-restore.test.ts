import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { runBackup } from '../../lambdas/backup/run-backup';
import { SnapshotManifest } from '../../lambdas/catalog/manifest';
import { restoreToDirectory } from '../../lambdas/restore/file-restore';
import { readReplication, readSyncCounters } from '../../lambdas/restore/replication-info';
import { loadRestore, readReport } from '../../lambdas/restore/restore-record';
import { LocalStore } from '../../lambdas/store';
import { dataKey } from '../../lambdas/store/layout';
import { readDataset } from '../helpers/dataset';
import { freePort, RedisServer } from '../helpers/redis-server';
import { writeSampleData } from '../backup/sample-data';

const CAPTURE = { 'repl-diskless-sync': 'yes', 'repl-diskless-sync-delay': 0 };

const temps: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** Waits until a replica has processed everything its master has written. */
async function caughtUp(replica: Redis, master: Redis): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const [r, m] = await Promise.all([readReplication(replica), readReplication(master)]);
    if (r.masterLinkStatus === 'up' && r.replOffset === m.replOffset) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the replica did not catch up with its master');
}

describe('restore to a directory (file mode)', () => {
  let source: RedisServer;
  let store: LocalStore;
  let manifest: SnapshotManifest;

  beforeAll(async () => {
    source = await RedisServer.start({ config: CAPTURE });
    await writeSampleData(source.client(), { bigValues: 100 });
    store = new LocalStore(tempDir('redis-backup-store-'));
    manifest = await runBackup({ store, source: 'main', endpoint: { host: source.host, port: source.port }, chunkBytes: 32 << 10 });
  });
  afterAll(async () => {
    await source.stop();
  });

  test('writes the RDB that a new server loads with the same data', async () => {
    const dir = tempDir('redis-backup-restore-');
    const progress: number[] = [];
    const report = await restoreToDirectory({ store, source: 'main', selector: 'latest', dir, onProgress: (p) => progress.push(p.chunk) });
    expect(report).toMatchObject({ snapshotId: manifest.snapshotId, mode: 'file', path: join(dir, 'dump.rdb'), bytes: manifest.raw.bytes, keys: manifest.keys.total });
    expect(report.rdb).toEqual({ version: manifest.rdb.version, replId: manifest.rdb.replId, replOffset: manifest.rdb.replOffset });
    expect(report.rdb.replId).toMatch(/^[0-9a-f]{40}$/);
    expect(report.partialResync).toBeNull();
    expect(progress).toEqual(manifest.chunks.map((c) => c.index + 1));
    expect(createHash('sha256').update(readFileSync(report.path)).digest('hex')).toBe(manifest.raw.sha256);
    expect(readdirSync(dir)).toEqual(['dump.rdb']);
    expect(await readReport(store, 'main', report.restoreId)).toEqual(report);
    expect((await loadRestore(store, 'main', report.restoreId)).record).toMatchObject({ mode: 'file', status: 'completed', target: report.path });

    const loaded = await RedisServer.start({ dir, config: { dbfilename: 'dump.rdb' } });
    try {
      expect(await readDataset(loaded.client())).toEqual(await readDataset(source.client()));
    } finally {
      await loaded.stop();
    }
  });

  test('honours dbfilename and refuses a directory that does not exist', async () => {
    const dir = tempDir('redis-backup-restore-');
    const report = await restoreToDirectory({ store, source: 'main', selector: manifest.snapshotId, dir, dbfilename: 'seed.rdb' });
    expect(readdirSync(dir)).toEqual(['seed.rdb']);
    expect(report.startWith).toContain(`--dbfilename seed.rdb`);
    await expect(restoreToDirectory({ store, source: 'main', selector: 'latest', dir: join(dir, 'missing') })).rejects.toMatchObject({ code: 'RESTORE_BAD_REQUEST' });
    await expect(restoreToDirectory({ store, source: 'main', selector: 'latest', dir, dbfilename: '../x.rdb' })).rejects.toMatchObject({ code: 'RESTORE_BAD_REQUEST' });
  });

  test('a corrupt chunk in the store fails the restore and leaves the existing dump.rdb untouched', async () => {
    const badStore = new LocalStore(tempDir('redis-backup-store-'));
    const bad = await runBackup({ store: badStore, source: 'bad', endpoint: { host: source.host, port: source.port }, chunkBytes: 32 << 10 });
    expect(bad.chunks.length).toBeGreaterThan(2);
    const object = join(badStore.url, dataKey('bad', bad.snapshotId));
    const bytes = readFileSync(object);
    const chunk = bad.chunks[2];
    bytes[chunk.stored.offset + Math.floor(chunk.stored.length / 2)] ^= 0xff;
    writeFileSync(object, bytes);

    const withOld = tempDir('redis-backup-restore-');
    writeFileSync(join(withOld, 'dump.rdb'), 'the previous dump');
    const failure = restoreToDirectory({ store: badStore, source: 'bad', selector: 'latest', dir: withOld });
    await expect(failure).rejects.toMatchObject({ code: 'RESTORE_CHUNK_CORRUPT', context: { chunk: 2 } });
    expect(readdirSync(withOld)).toEqual(['dump.rdb']);
    expect(readFileSync(join(withOld, 'dump.rdb'), 'utf8')).toBe('the previous dump');

    const empty = tempDir('redis-backup-restore-');
    const error = await restoreToDirectory({ store: badStore, source: 'bad', selector: 'latest', dir: empty }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RESTORE_CHUNK_CORRUPT' });
    expect(readdirSync(empty)).toEqual([]);
    const restoreId = (error as { context: { restoreId: string } }).context.restoreId;
    expect((await loadRestore(badStore, 'bad', restoreId)).record).toMatchObject({ status: 'failed', error: { code: 'RESTORE_CHUNK_CORRUPT' } });
  });
});

describe('seeding a replica from a snapshot', () => {
  let master: RedisServer;
  let store: LocalStore;
  let manifest: SnapshotManifest;
  const servers: RedisServer[] = [];
  const replicas: RedisServer[] = [];

  beforeAll(async () => {
    master = await RedisServer.start({ config: CAPTURE });
    await writeSampleData(master.client(), { bigValues: 50 });
    store = new LocalStore(tempDir('redis-backup-store-'));
    manifest = await runBackup({ store, source: 'm', endpoint: { host: master.host, port: master.port } });
    // Writes after the snapshot: a partial sync must bring them over.
    const c = master.client();
    for (let i = 0; i < 5; i++) await c.set(`after:${i}`, `v${i}`);
    await c.select(1);
    await c.hset('after:hash', 'f', 'v');
    await c.select(0);
  });
  afterAll(async () => {
    for (const s of [...replicas, ...servers]) await s.stop();
    await master.stop();
  });

  test('a server started with replicaof on the restored RDB continues with a partial sync', async () => {
    const dir = tempDir('redis-backup-replica-');
    const port = await freePort();
    const before = await readSyncCounters(master.client());
    const report = await restoreToDirectory({
      store,
      source: 'm',
      selector: 'latest',
      dir,
      asReplicaOf: { host: master.host, port: master.port },
      startReplica: { host: '127.0.0.1', port },
      onWritten: async () => {
        // replicaof in the configuration: the server loads the RDB as a replica.
        replicas.push(await RedisServer.start({ dir, config: { port, replicaof: `${master.host} ${master.port}` } }));
      },
      replicaTimeoutMs: 20_000,
    });
    expect(manifest.rdb.replId).not.toBeNull();
    expect(report.partialResync).toMatchObject({ possible: true, replId: manifest.rdb.replId, offset: (manifest.rdb.replOffset as number) + 1 });
    expect(report.partialResync?.behindBytes).toBeGreaterThan(0);
    expect(report.startWith).toContain(`--replicaof ${master.host} ${master.port}`);
    expect(report.replica).toMatchObject({ linkUp: true, sync: 'partial', startedBeforeWrite: false });
    const after = await readSyncCounters(master.client());
    expect(after.syncPartialOk).toBe(before.syncPartialOk + 1);
    expect(after.syncFull).toBe(before.syncFull);
    const replica = replicas[replicas.length - 1];
    expect(replica.output).toMatch(/Master accepted a Partial Resynchronization/);
    await caughtUp(replica.client(), master.client());
    const data = await readDataset(replica.client());
    expect(data).toEqual(await readDataset(master.client()));
    // Including the keys written after the snapshot (one of them in db 1).
    expect(await replica.client().get('after:4')).toBe('v4');
    expect(await replica.client({ db: 1 }).hget('after:hash', 'f')).toBe('v');
  });

  test('a server started as a master on the RDB and then given REPLICAOF needs a full sync, and the report says why', async () => {
    const dir = tempDir('redis-backup-replica-');
    const port = await freePort();
    const report = await restoreToDirectory({
      store,
      source: 'm',
      selector: 'latest',
      dir,
      asReplicaOf: { host: master.host, port: master.port },
      startReplica: { host: '127.0.0.1', port },
      onWritten: async () => {
        replicas.push(await RedisServer.start({ dir, config: { port } }));
      },
      replicaTimeoutMs: 20_000,
    });
    expect(report.partialResync?.possible).toBe(true);
    expect(report.replica).toMatchObject({ linkUp: true, sync: 'full' });
    expect(report.replica?.note).toMatch(/new replication ID/);
    const replica = replicas[replicas.length - 1];
    expect(replica.output).toMatch(/Full resync from master/);
    await caughtUp(replica.client(), master.client());
    expect(await readDataset(replica.client())).toEqual(await readDataset(master.client()));
  });

  test('a master whose backlog no longer holds the snapshot offset is reported as such', async () => {
    const small = await RedisServer.start({ config: { ...CAPTURE, 'repl-backlog-size': 16384 } });
    servers.push(small);
    const s = new LocalStore(tempDir('redis-backup-store-'));
    await writeSampleData(small.client(), { bigValues: 10 });
    await runBackup({ store: s, source: 'small', endpoint: { host: small.host, port: small.port } });
    const c = small.client();
    for (let i = 0; i < 64; i++) await c.set(`fill:${i}`, 'x'.repeat(1024));
    const report = await restoreToDirectory({ store: s, source: 'small', selector: 'latest', dir: tempDir('redis-backup-replica-'), asReplicaOf: { host: small.host, port: small.port } });
    expect(report.partialResync).toMatchObject({ possible: false });
    expect(report.partialResync?.reason).toMatch(/backlog starts at offset \d+, after the snapshot's offset/);
  });

  test('a master with another replication history is reported as such', async () => {
    const other = await RedisServer.start({ config: CAPTURE });
    servers.push(other);
    const report = await restoreToDirectory({ store, source: 'm', selector: 'latest', dir: tempDir('redis-backup-replica-'), asReplicaOf: { host: other.host, port: other.port } });
    expect(report.partialResync).toMatchObject({ possible: false });
    expect(report.partialResync?.reason).toMatch(/replication history changed/);
  });
});
