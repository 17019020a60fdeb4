import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreError } from '../../lambdas/store/errors';
import { LocalStore } from '../../lambdas/store/local-store';
import { acquireLock, LockRecord } from '../../lambdas/store/lock';
import { openStore } from '../../lambdas/store/open-store';
import { SnapshotStore } from '../../lambdas/store/store';
import { S3Server } from '../helpers/s3-server';

const T0 = new Date('2030-01-01T00:00:00.000Z');
const at = (ms: number) => (): Date => new Date(T0.getTime() + ms);

async function rejection(promise: Promise<unknown>): Promise<StoreError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StoreError);
  return error as StoreError;
}

async function record(store: SnapshotStore, source: string): Promise<LockRecord | null> {
  const data = await store.get(`${source}/lock.json`);
  return data === null ? null : (JSON.parse(data.toString()) as LockRecord);
}

interface Backend {
  store: SnapshotStore;
  close(): Promise<void>;
}

const backends: [string, () => Promise<Backend>][] = [
  [
    'LocalStore',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'redis-backup-lock-'));
      return { store: new LocalStore(dir), close: () => rm(dir, { recursive: true, force: true }) };
    },
  ],
  [
    'S3Store on s3rver',
    async () => {
      const server = await S3Server.start();
      return { store: openStore(server.url, server.storeOptions), close: () => server.stop() };
    },
  ],
];

describe.each(backends)('acquireLock on %s', (_, open) => {
  let backend: Backend;
  let store: SnapshotStore;
  beforeAll(async () => {
    backend = await open();
    store = backend.store;
  });
  afterAll(async () => {
    await backend.close();
  });

  test('acquire writes <source>/lock.json; release deletes it', async () => {
    const lock = await acquireLock(store, 'acq', { owner: 'run-1', ttlMs: 60_000, now: at(0) });
    expect(lock.key).toBe('acq/lock.json');
    const held = await record(store, 'acq');
    expect(held).toEqual({
      owner: 'run-1',
      token: expect.stringMatching(/^[0-9a-f]{32}$/),
      acquiredAt: '2030-01-01T00:00:00.000Z',
      expiresAt: '2030-01-01T00:01:00.000Z',
      host: hostname(),
      pid: process.pid,
    });
    expect(held).toEqual(lock.record);
    await expect(lock.release()).resolves.toBe(true);
    expect(await record(store, 'acq')).toBeNull();
    const again = await acquireLock(store, 'acq', { owner: 'run-2', ttlMs: 60_000 });
    await again.release();
  });

  test('a second acquire fails with STORE_LOCKED naming the holder, its start and its expiry', async () => {
    const first = await acquireLock(store, 'busy', { owner: 'run-1', ttlMs: 60_000, now: at(0) });
    const error = await rejection(acquireLock(store, 'busy', { owner: 'run-2', ttlMs: 60_000, now: at(30_000) }));
    expect(error.code).toBe('STORE_LOCKED');
    expect(error.context.key).toBe('busy/lock.json');
    expect(error.message).toContain('Another backup of busy is running since 2030-01-01T00:00:00.000Z, started by run-1');
    expect(error.message).toContain(`on ${hostname()} (pid ${process.pid})`);
    expect(error.message).toContain('it expires at 2030-01-01T00:01:00.000Z; wait, or delete ');
    expect(error.message).toMatch(/busy\/lock\.json if that run is dead$/);
    expect((await record(store, 'busy'))?.token).toBe(first.record.token);
    await first.release();
  });

  test('an expired lock is taken over; the old holder can neither release nor refresh it', async () => {
    const dead = await acquireLock(store, 'exp', { owner: 'dead-run', ttlMs: 1000, now: at(0) });
    const next = await acquireLock(store, 'exp', { owner: 'next-run', ttlMs: 1000, now: at(1001) });
    expect(next.record.token).not.toBe(dead.record.token);
    expect((await record(store, 'exp'))?.owner).toBe('next-run');
    await expect(dead.release()).resolves.toBe(false);
    expect((await record(store, 'exp'))?.owner).toBe('next-run');
    const lost = await rejection(dead.refresh());
    expect(lost.code).toBe('STORE_LOCKED');
    expect(lost.message).toContain('no longer held by dead-run');
    expect((await record(store, 'exp'))?.owner).toBe('next-run');
    await expect(next.release()).resolves.toBe(true);
  });

  test('a lock expiring exactly now still holds', async () => {
    const first = await acquireLock(store, 'edge', { owner: 'run-1', ttlMs: 1000, now: at(0) });
    expect((await rejection(acquireLock(store, 'edge', { owner: 'run-2', ttlMs: 1000, now: at(1000) }))).code).toBe('STORE_LOCKED');
    await first.release();
  });

  test('refresh pushes the expiry out', async () => {
    let now = 0;
    const lock = await acquireLock(store, 'ref', { owner: 'run-1', ttlMs: 1000, now: () => at(now)() });
    now = 900;
    await lock.refresh();
    expect(lock.record.expiresAt).toBe('2030-01-01T00:00:01.900Z');
    expect(await record(store, 'ref')).toEqual(lock.record);
    const error = await rejection(acquireLock(store, 'ref', { owner: 'run-2', ttlMs: 1000, now: at(1500) }));
    expect(error.message).toContain('it expires at 2030-01-01T00:00:01.900Z');
    await lock.release();
  });

  test('an unreadable lock is reported while young, and taken over once older than the lock lifetime', async () => {
    await store.put('bad/lock.json', Buffer.from('{not json'));
    const error = await rejection(acquireLock(store, 'bad', { owner: 'run-1', ttlMs: 60_000 }));
    expect(error.code).toBe('STORE_LOCKED');
    expect(error.message).toMatch(/exists but cannot be read .*delete it now if no backup of bad is running/);
    expect((await store.get('bad/lock.json'))?.toString()).toBe('{not json');
    const later = new Date(Date.now() + 61_000);
    const lock = await acquireLock(store, 'bad', { owner: 'run-2', ttlMs: 60_000, now: () => later });
    expect(lock.record.owner).toBe('run-2');
    await lock.release();
  });

  test('refuses an invalid source name', async () => {
    expect((await rejection(acquireLock(store, '../x', { owner: 'run-1', ttlMs: 1000 }))).code).toBe('STORE_BAD_KEY');
    await expect(acquireLock(store, 'ok', { owner: 'run-1', ttlMs: 0 })).rejects.toThrow(RangeError);
  });
});

describe('acquireLock on a store with atomic creates (LocalStore)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'redis-backup-lock-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('of many concurrent acquires exactly one wins', async () => {
    const stores = Array.from({ length: 12 }, () => new LocalStore(dir));
    const results = await Promise.allSettled(stores.map((s, i) => acquireLock(s, 'race', { owner: `run-${i}`, ttlMs: 60_000 })));
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'STORE_LOCKED' });
  });
});
