import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { runBackup } from '../../lambdas/backup/run-backup';
import { CaptureError } from '../../lambdas/capture/errors';
import { listSnapshots, readManifest } from '../../lambdas/catalog/catalog';
import { pruneSource } from '../../lambdas/catalog/prune';
import { validateManifest } from '../../lambdas/catalog/validate-manifest';
import { verifySnapshot } from '../../lambdas/catalog/verify-snapshot';
import { RdbError } from '../../lambdas/rdb';
import { StoreError } from '../../lambdas/store/errors';
import { dataKey, lockKey, manifestKey } from '../../lambdas/store/layout';
import { acquireLock, LockRecord } from '../../lambdas/store/lock';
import { openStore } from '../../lambdas/store/open-store';
import { MultipartEvent } from '../../lambdas/store/s3-upload';
import { SnapshotStore } from '../../lambdas/store/store';
import { bulk, FakeMaster, REPLID, sleep } from '../capture/helpers';
import { freePort, RedisServer } from '../helpers/redis-server';
import { S3Server, UploadOnDisk } from '../helpers/s3-server';

/**
 * Replication backups into S3 (s3rver), and the faults that must leave nothing
 * committed: the source dropping the transfer, a source that never gets going, the
 * store going away mid-upload, a corrupt payload, a concurrent run.
 */

const MIB = 1024 * 1024;
/** The smallest part S3 allows: snapshots bigger than this are multipart uploads. */
const PART = 5 * MIB;
const CHUNK = 1 * MIB;
/** Incompressible values, so the stored object is as big as the RDB: 3 parts. */
const BLOBS = 600;
const BLOB_BYTES = 20 * 1024;
/** Fails fast instead of waiting on a dead peer. */
const fast = { connectMs: 2000, replyMs: 2000, startMs: 10_000, idleMs: 5000 };

/** Records multipart events; lets a test wait for one. */
class MultipartLog {
  readonly events: MultipartEvent[] = [];
  private waiters: Array<{ match: (e: MultipartEvent) => boolean; resolve: (e: MultipartEvent) => void }> = [];

  readonly listener = (event: MultipartEvent): void => {
    this.events.push(event);
    this.waiters = this.waiters.filter((w) => (w.match(event) ? (w.resolve(event), false) : true));
  };

  states(): string[] {
    return this.events.map((e) => e.state);
  }

  /** The first event in `state` (already seen, or the next one). */
  next(state: MultipartEvent['state']): Promise<MultipartEvent> {
    const seen = this.events.find((e) => e.state === state);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ match: (e) => e.state === state, resolve }));
  }
}

async function keysOf(store: SnapshotStore, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of store.list(prefix)) keys.push(o.key);
  return keys;
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof Error) return e;
    throw new Error(`rejected with a non-error: ${String(e)}`);
  }
  throw new Error('expected a failure, but it succeeded');
}

/**
 * `inner`, counting its small writes in progress. s3rver (unlike S3) stores the part of a
 * PutObject it received when the connection is cut, so the tests stop it between writes.
 */
function countingWrites(inner: SnapshotStore): { store: SnapshotStore; writing: () => number } {
  let writing = 0;
  const counted = async <T>(write: () => Promise<T>): Promise<T> => {
    writing++;
    try {
      return await write();
    } finally {
      writing--;
    }
  };
  const store: SnapshotStore = {
    url: inner.url,
    putStream: (key, body, options) => inner.putStream(key, body, options),
    put: (key, body, contentType) => counted(() => inner.put(key, body, contentType)),
    putIfAbsent: (key, body, contentType) => counted(() => inner.putIfAbsent(key, body, contentType)),
    get: (key) => inner.get(key),
    getStream: (key, range) => inner.getStream(key, range),
    head: (key) => inner.head(key),
    list: (prefix) => inner.list(prefix),
    delete: (keys) => counted(() => inner.delete(keys)),
    listIncomplete: (prefix) => inner.listIncomplete(prefix),
    abortIncomplete: (upload) => inner.abortIncomplete(upload),
    retainedUntil: (key) => inner.retainedUntil(key),
  };
  return { store, writing: () => writing };
}

async function writeBlobs(client: Redis, count: number, size: number): Promise<void> {
  for (let i = 0; i < count; i += 100) {
    const p = client.pipeline();
    for (let j = i; j < Math.min(count, i + 100); j++) p.set(`blob:${j}`, randomBytes(size));
    await p.exec();
  }
  const p = client.pipeline();
  for (let i = 0; i < 50; i++) p.hset(`h:${i}`, 'a', String(i), 'b', 'x'.repeat(i));
  p.rpush('list', ...Array.from({ length: 500 }, (_, i) => `item-${i}`));
  p.zadd('zset', 1, 'one', 2, 'two');
  p.sadd('set', 'a', 'b', 'c');
  await p.exec();
}

describe('replication backup into S3 (s3rver)', () => {
  let redis: RedisServer;
  let client: Redis;
  let s3: S3Server;
  let log: MultipartLog;
  let store: SnapshotStore;
  let dumpRdb: Buffer;

  beforeAll(async () => {
    [redis, s3] = await Promise.all([RedisServer.start({ config: { 'repl-diskless-sync': 'yes', 'repl-diskless-sync-delay': 0 } }), S3Server.start()]);
    client = redis.client();
    await writeBlobs(client, BLOBS, BLOB_BYTES);
    // The same dataset as the server writes it to disk, for the fake master.
    await client.save();
    dumpRdb = readFileSync(join(redis.dir, 'dump.rdb'));
  });
  afterAll(async () => {
    await Promise.all([redis?.stop(), s3?.stop()]);
  });
  beforeEach(() => {
    log = new MultipartLog();
    store = openStore(s3.url, { ...s3.storeOptions, partSize: PART, onMultipart: log.listener });
  });
  afterEach(async () => {
    await client.config('SET', 'rdb-key-save-delay', '0');
  });

  const endpoint = (): { host: string; port: number } => ({ host: redis.host, port: redis.port });

  /** Multipart uploads of a source that s3rver still holds. */
  async function uploadsOf(source: string): Promise<UploadOnDisk[]> {
    return (await s3.incompleteUploadsOnDisk()).filter((u) => u.key.startsWith(`${s3.prefix}${source}/`));
  }

  /** Nothing committed, no upload left, the lock gone. */
  async function expectNothingLeft(source: string): Promise<void> {
    expect(await listSnapshots(store, source)).toEqual([]);
    expect(await keysOf(store, `${source}/`)).toEqual([]);
    expect(await uploadsOf(source)).toEqual([]);
    expect(await store.get(lockKey(source))).toBeNull();
  }

  test('a multipart snapshot is committed with a valid manifest, lists and verifies', async () => {
    const progress: number[] = [];
    const manifest = await runBackup({ store, source: 'main', endpoint: endpoint(), chunkBytes: CHUNK, onProgress: (p) => progress.push(p.rawBytes) });

    // The returned manifest is the stored one, and both match the published schema.
    const stored = await store.get(manifestKey('main', manifest.snapshotId));
    expect(stored).not.toBeNull();
    const parsed: unknown = JSON.parse(String(stored));
    expect(validateManifest(parsed, 'in S3')).toEqual(manifest);
    expect(await readManifest(store, 'main', manifest.snapshotId)).toEqual(manifest);
    expect(manifest).toMatchObject({ method: 'replication', source: 'main', endpoint: `redis://${redis.host}:${redis.port}`, importedFrom: null });
    expect(manifest.rdb.checksum).toBe('ok');
    expect(manifest.server).toEqual({ engine: 'redis', version: expect.stringMatching(/^\d+\.\d+\.\d+$/), role: 'master' });
    expect(manifest.keys.total).toBe(Number(await client.dbsize()));

    // Truly multipart, in several chunks.
    expect(manifest.stored.bytes).toBeGreaterThan(PART);
    expect(manifest.chunks.length).toBeGreaterThanOrEqual(Math.floor(manifest.raw.bytes / CHUNK));
    expect(log.states()).toEqual(['created', 'completed']);
    expect(log.events[0].key).toBe(dataKey('main', manifest.snapshotId));
    const parts = s3.requests.filter((r) => r.method === 'PUT' && r.query.has('partNumber') && r.path.endsWith(dataKey('main', manifest.snapshotId)));
    expect(parts).toHaveLength(Math.ceil(manifest.stored.bytes / PART));
    expect(progress[progress.length - 1]).toBe(manifest.raw.bytes);
    expect((await store.head(dataKey('main', manifest.snapshotId)))?.size).toBe(manifest.stored.bytes);

    const listing = await listSnapshots(store, 'main');
    expect(listing).toEqual([{ snapshotId: manifest.snapshotId, status: 'committed', takenAt: new Date(manifest.startedAt), manifest, storedBytes: expect.any(Number) }]);
    expect(listing[0].storedBytes).toBe(manifest.stored.bytes + (stored?.length ?? 0));

    const report = await verifySnapshot(store, 'main', 'latest');
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.chunks).toHaveLength(manifest.chunks.length);
    expect(report.rdb).toEqual({ checksum: 'ok', keys: manifest.keys.total });

    expect(await store.get(lockKey('main'))).toBeNull();
    expect(await uploadsOf('main')).toEqual([]);
  });

  test('writes running during the capture: the snapshot is consistent and verifies', async () => {
    await client.config('SET', 'rdb-key-save-delay', '1000'); // µs per key: the transfer lasts about 0.7 s
    const writer = redis.client();
    let writing = true;
    let writes = 0;
    let during = 0;
    let capturing = false;
    const loop = (async () => {
      for (let i = 0; writing; i++) {
        const p = writer.pipeline();
        p.set(`live:${i % 300}`, randomBytes(64));
        p.incr('counter');
        p.rpush('list', `new-${i}`);
        p.hset(`h:${i % 50}`, 'c', String(i));
        p.set(`blob:${i % BLOBS}`, randomBytes(BLOB_BYTES)); // overwrite keys the child is saving
        p.del(`live:${(i + 150) % 300}`);
        await p.exec();
        writes++;
        if (capturing) during++;
      }
    })();
    try {
      const manifest = await runBackup({
        store,
        source: 'live',
        endpoint: endpoint(),
        chunkBytes: CHUNK,
        onProgress: () => {
          capturing = true;
        },
      });
      capturing = false;
      expect(during).toBeGreaterThanOrEqual(3);
      const report = await verifySnapshot(store, 'live', manifest.snapshotId);
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.rdb.keys).toBe(manifest.keys.total);
      expect(manifest.keys.total).toBeGreaterThanOrEqual(BLOBS);
    } finally {
      writing = false;
      await loop;
    }
    expect(writes).toBeGreaterThan(during);
  });

  test('a) the server kills the replica mid-payload: CAPTURE_CLOSED, upload aborted, nothing committed, lock released', async () => {
    // Diskless, with a delay per key: the transfer takes about 3 s, the first part is in S3 after about 1.3 s.
    await client.config('SET', 'rdb-key-save-delay', '5000');
    let progressed = 0;
    let killed = 0;
    const run = runBackup({ store, source: 'killed', endpoint: endpoint(), chunkBytes: CHUNK, timeouts: fast, onProgress: (p) => (progressed = p.rawBytes) });
    // Once a part is in S3 (the upload is a real multipart upload) and the pipeline has reported progress.
    await log.next('created');
    expect(progressed).toBeGreaterThan(PART);
    killed = Number(await client.call('CLIENT', 'KILL', 'TYPE', 'replica'));
    const error = await failure(run);
    expect(killed).toBe(1);
    expect(error).toBeInstanceOf(CaptureError);
    expect(error).toMatchObject({ code: 'CAPTURE_CLOSED', context: { phase: 'payload', host: redis.host, port: redis.port } });
    expect((error as CaptureError).context.bytesReceived).toBeGreaterThanOrEqual(progressed);
    expect(error.message).toMatch(/closed the connection \(payload idle\).*without its end marker/);
    expect(log.states()).toEqual(['created', 'aborted']);
    await expectNothingLeft('killed');
  });

  test('b) a server that closes during the handshake: CAPTURE_CLOSED, nothing written', async () => {
    const fake = await FakeMaster.start({ replies: { REPLCONF: (socket) => void socket.destroy() } });
    try {
      const error = await failure(runBackup({ store, source: 'handshake', endpoint: fake.endpoint, timeouts: fast }));
      expect(error).toMatchObject({ code: 'CAPTURE_CLOSED', context: { phase: 'reply', command: 'REPLCONF capa', port: fake.port } });
      expect(error.message).toContain(`redis://127.0.0.1:${fake.port} closed the connection (reply to REPLCONF capa)`);
    } finally {
      await fake.close();
    }
    expect(log.events).toEqual([]);
    await expectNothingLeft('handshake');
  });

  test('c) an unreachable host: CAPTURE_CONNECT_FAILED at once, lock released', async () => {
    const port = await freePort();
    const t0 = Date.now();
    // Default timeouts: a refused connection fails at once, not after the 10 s connect timeout.
    const error = await failure(runBackup({ store, source: 'nobody', endpoint: { host: '127.0.0.1', port } }));
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(error).toMatchObject({ code: 'CAPTURE_CONNECT_FAILED', context: { phase: 'connect', port } });
    expect(error.message).toMatch(/ECONNREFUSED; nothing listens there/);
    expect(log.events).toEqual([]);
    await expectNothingLeft('nobody');
  });

  test('d) the S3 server stops mid-upload: a store error; after it returns, prune aborts the leftover upload and an expired lock is taken over', async () => {
    const lockTtlMs = 3000;
    const down = new MultipartLog();
    const fragile = countingWrites(openStore(s3.url, { ...s3.storeOptions, partSize: PART, maxAttempts: 1, onMultipart: down.listener }));
    await client.config('SET', 'rdb-key-save-delay', '4000');
    const run = runBackup({ store: fragile.store, source: 'halted', endpoint: endpoint(), chunkBytes: CHUNK, timeouts: fast, lockTtlMs });
    const created = await down.next('created');
    // Once the first part is stored: it must stay behind as part of the incomplete upload.
    while (!(await uploadsOf('halted')).some((u) => u.parts > 0)) await sleep(2);
    // Not while the lock is being refreshed (s3rver would keep a torn lock.json).
    while (fragile.writing() > 0) await sleep(2);
    await s3.halt();
    const haltedAt = Date.now();
    let error: Error;
    try {
      error = await failure(run);
    } finally {
      await s3.resume();
    }
    expect(error).toBeInstanceOf(StoreError);
    expect(['STORE_UNREACHABLE', 'STORE_WRITE_FAILED']).toContain((error as StoreError).code);
    expect(error.message).toMatch(/ECONNREFUSED|socket hang up|ECONNRESET/);
    // The store was down when the upload was to be aborted: it is left behind, and the error says so.
    expect(down.states()).toEqual(['created', 'abort-failed']);
    expect(error.message).toContain(`its multipart upload ${created.uploadId} could not be aborted`);

    // Nothing committed; the parts already sent remain as an incomplete upload.
    expect(await listSnapshots(store, 'halted')).toEqual([]);
    expect(await keysOf(store, 'halted/snapshots/')).toEqual([]);
    const onDisk = await uploadsOf('halted');
    expect(onDisk).toEqual([{ uploadId: created.uploadId, key: `${s3.prefix}${created.key}`, parts: 1 }]);

    // The lock written before the halt could not be released; it carries an expiry.
    const lockBytes = await store.get(lockKey('halted'));
    expect(lockBytes).not.toBeNull();
    const lock = JSON.parse(String(lockBytes)) as LockRecord;
    expect(lock).toMatchObject({ pid: process.pid, owner: expect.stringMatching(/^redis-backup@/) });
    const expiresAt = Date.parse(lock.expiresAt);
    expect(expiresAt - Date.parse(lock.acquiredAt)).toBeGreaterThanOrEqual(lockTtlMs);
    expect(expiresAt).toBeLessThanOrEqual(haltedAt + lockTtlMs + 100);

    // Until it expires, it keeps other runs out (a clock just before its expiry, so that a slow machine cannot make it pass).
    await client.config('SET', 'rdb-key-save-delay', '0');
    const locked = await failure(acquireLock(store, 'halted', { owner: 'probe', ttlMs: lockTtlMs, now: () => new Date(expiresAt - 1) }));
    expect(locked).toMatchObject({ code: 'STORE_LOCKED' });
    expect(locked.message).toContain(`it expires at ${lock.expiresAt}`);

    // Orphan cleanup (no grace) aborts the leftover upload and keeps everything else.
    const plan = await pruneSource(store, 'halted', { policy: { keepLast: 1 }, dryRun: true, orphanGraceMs: 0, now: new Date(Date.now() + 1000) });
    expect(plan.orphans.abortUploads).toEqual([{ key: created.key, uploadId: created.uploadId, initiated: expect.any(Date) }]);
    expect(await uploadsOf('halted')).toHaveLength(1);
    const pruned = await pruneSource(store, 'halted', { policy: { keepLast: 1 }, orphanGraceMs: 0, now: new Date(Date.now() + 1000) });
    expect(pruned.orphans.abortUploads.map((u) => u.uploadId)).toEqual([created.uploadId]);
    expect(pruned.deleted).toEqual([]);
    expect(await uploadsOf('halted')).toEqual([]);
    expect(await store.listIncomplete('halted/')).toEqual([]);

    // Once expired, the next backup takes the lock over and commits.
    await sleep(Math.max(0, expiresAt - Date.now() + 50));
    const manifest = await runBackup({ store, source: 'halted', endpoint: endpoint(), chunkBytes: CHUNK, lockTtlMs });
    expect((await listSnapshots(store, 'halted')).map((s) => [s.snapshotId, s.status])).toEqual([[manifest.snapshotId, 'committed']]);
    expect((await verifySnapshot(store, 'halted', manifest.snapshotId)).ok).toBe(true);
    expect(await store.get(lockKey('halted'))).toBeNull();
  });

  test('e) a payload with a wrong CRC-64 from a fake master: RDB_CHECKSUM_MISMATCH, upload aborted, nothing committed', async () => {
    const bad = Buffer.from(dumpRdb);
    bad[bad.length - 1] ^= 0xff;
    expect(bad.length).toBeGreaterThan(PART);
    const fake = await FakeMaster.start({
      replies: {
        INFO: bulk('# Server\r\nredis_version:7.0.15\r\n# Replication\r\nrole:master\r\n'),
        PSYNC: (socket) => {
          socket.write(`+FULLRESYNC ${REPLID} 0\r\n$${bad.length}\r\n`);
          socket.write(bad);
        },
      },
    });
    try {
      const error = await failure(runBackup({ store, source: 'corrupt', endpoint: fake.endpoint, chunkBytes: CHUNK, timeouts: fast }));
      expect(error).toBeInstanceOf(RdbError);
      expect(error).toMatchObject({ code: 'RDB_CHECKSUM_MISMATCH' });
      expect(error.message).toMatch(/checksum|CRC/i);
    } finally {
      await fake.close();
    }
    // The whole payload went up as a multipart upload, which was aborted instead of completed.
    expect(log.states()).toEqual(['created', 'aborted']);
    expect(log.events[0].key).toMatch(/^corrupt\/snapshots\/[^/]+\/data\.rdb\.zst$/);
    await expectNothingLeft('corrupt');
  });

  test('f) a second concurrent backup of the same source: STORE_LOCKED, while the first completes', async () => {
    const pending: { second?: Promise<Error> } = {};
    const manifest = await runBackup({
      store,
      source: 'busy',
      endpoint: endpoint(),
      chunkBytes: CHUNK,
      onProgress: () => {
        // The first run holds the lock while its payload streams.
        pending.second ??= failure(runBackup({ store, source: 'busy', endpoint: endpoint(), chunkBytes: CHUNK }));
      },
    });
    if (pending.second === undefined) throw new Error('the first run reported no progress');
    const error = await pending.second;
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'STORE_LOCKED', context: { key: lockKey('busy') } });
    expect(error.message).toMatch(/Another backup of busy is running since .* started by redis-backup@/);
    expect((await listSnapshots(store, 'busy')).map((s) => [s.snapshotId, s.status])).toEqual([[manifest.snapshotId, 'committed']]);
    expect((await verifySnapshot(store, 'busy', 'latest')).ok).toBe(true);
    expect(log.states()).toEqual(['created', 'completed']);
    expect(await store.get(lockKey('busy'))).toBeNull();
  });
});
