import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { StoreError } from './errors';
import { isValidSourceName, lockKey } from './layout';
import { SnapshotStore } from './store';

/** The content of `<source>/lock.json`. Times are ISO 8601. */
export interface LockRecord {
  owner: string;
  /** Random; identifies one acquisition, so nobody releases or refreshes a lock that is not theirs. */
  token: string;
  acquiredAt: string;
  expiresAt: string;
  host: string;
  pid: number;
}

export interface LockOptions {
  /** Who holds the lock, for messages ("redis-backup@host:pid", a Lambda request id...). */
  owner: string;
  /** How long the lock holds without refresh(); a run that dies leaves it to expire. */
  ttlMs: number;
  /** The clock (tests). */
  now?: () => Date;
}

export interface Lock {
  readonly source: string;
  readonly key: string;
  /** The record as last written by this holder. */
  readonly record: LockRecord;
  /** Pushes the expiry to now + ttlMs; rejects with STORE_LOCKED if the lock is no longer ours. */
  refresh(): Promise<void>;
  /** Deletes the lock if it still holds our token; resolves false (and deletes nothing) otherwise. */
  release(): Promise<boolean>;
}

const JSON_TYPE = 'application/json';
const ATTEMPTS = 3;

function where(store: SnapshotStore, key: string): string {
  return store.url.endsWith('/') ? `${store.url}${key}` : `${store.url}/${key}`;
}

function encode(record: LockRecord): Buffer {
  return Buffer.from(`${JSON.stringify(record, null, 2)}\n`);
}

function isLockRecord(value: unknown): value is LockRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    ['owner', 'token', 'acquiredAt', 'expiresAt', 'host'].every((f) => typeof r[f] === 'string') &&
    typeof r.pid === 'number' &&
    !Number.isNaN(Date.parse(String(r.expiresAt)))
  );
}

type ReadLock = LockRecord | null | { unreadable: string };

async function readLock(store: SnapshotStore, key: string): Promise<ReadLock> {
  const data = await store.get(key);
  if (data === null) return null;
  try {
    const parsed: unknown = JSON.parse(data.toString('utf8'));
    return isLockRecord(parsed) ? parsed : { unreadable: 'it is not a lock record' };
  } catch (error) {
    return { unreadable: error instanceof Error ? error.message : String(error) };
  }
}

function heldError(store: SnapshotStore, source: string, key: string, held: LockRecord): StoreError {
  return new StoreError(
    'STORE_LOCKED',
    `Another backup of ${source} is running since ${held.acquiredAt}, started by ${held.owner} on ${held.host} (pid ${held.pid}); ` +
      `it expires at ${held.expiresAt}; wait, or delete ${where(store, key)} if that run is dead`,
    { store: store.url, key },
  );
}

function unreadableError(store: SnapshotStore, source: string, key: string, why: string): StoreError {
  return new StoreError(
    'STORE_LOCKED',
    `The lock of ${source} (${where(store, key)}) exists but cannot be read (${why}); it is taken over once it is older than the lock lifetime, or delete it now if no backup of ${source} is running`,
    { store: store.url, key },
  );
}

function contendedError(store: SnapshotStore, source: string, key: string): StoreError {
  return new StoreError(
    'STORE_LOCKED',
    `Another run is acquiring the lock of ${source} (${where(store, key)}) at the same time; retry later`,
    { store: store.url, key },
  );
}

/** Reads the lock back after writing it: on servers that ignore conditional writes, the last writer wins. */
async function confirm(store: SnapshotStore, source: string, key: string, record: LockRecord): Promise<void> {
  const back = await readLock(store, key);
  if (back !== null && 'token' in back && back.token === record.token) return;
  if (back !== null && 'token' in back) throw heldError(store, source, key, back);
  throw contendedError(store, source, key);
}

class StoreLock implements Lock {
  constructor(
    private readonly store: SnapshotStore,
    readonly source: string,
    readonly key: string,
    public record: LockRecord,
    private readonly options: LockOptions,
  ) {}

  private async stillOurs(): Promise<boolean> {
    const held = await readLock(this.store, this.key);
    return held !== null && 'token' in held && held.token === this.record.token;
  }

  private lost(): StoreError {
    return new StoreError(
      'STORE_LOCKED',
      `The lock of ${this.source} (${where(this.store, this.key)}) is no longer held by ${this.record.owner}: it was released, ` +
        `or expired at ${this.record.expiresAt} and was taken over; stop this run, another one may be writing`,
      { store: this.store.url, key: this.key },
    );
  }

  async refresh(): Promise<void> {
    if (!(await this.stillOurs())) throw this.lost();
    const now = (this.options.now ?? (() => new Date()))();
    const next: LockRecord = { ...this.record, expiresAt: new Date(now.getTime() + this.options.ttlMs).toISOString() };
    await this.store.put(this.key, encode(next), JSON_TYPE);
    this.record = next;
    if (!(await this.stillOurs())) throw this.lost();
  }

  async release(): Promise<boolean> {
    if (!(await this.stillOurs())) return false;
    await this.store.delete([this.key]);
    return true;
  }
}

/**
 * Takes the per-source lock `<source>/lock.json`, or rejects with STORE_LOCKED naming the holder.
 *
 * Creation is `putIfAbsent`. An expired lock (expiresAt before now) is taken over by deleting it
 * and creating ours. Every write is read back and its token checked. This is exclusive on
 * stores with atomic conditional creates (a directory, S3) except for one window: two runs
 * taking over the same expired lock at the same moment, where the second's delete can remove
 * the first's new lock; the first then finds out at its next refresh(). On S3-compatible
 * servers that ignore If-None-Match, the read-back only narrows races between creators.
 */
export async function acquireLock(store: SnapshotStore, source: string, options: LockOptions): Promise<Lock> {
  const key = lockKey(source);
  if (!isValidSourceName(source)) {
    throw new StoreError('STORE_BAD_KEY', `Invalid source name ${JSON.stringify(source)}: use letters, digits, '.', '_' and '-'`, { store: store.url, key });
  }
  if (!Number.isFinite(options.ttlMs) || options.ttlMs <= 0) throw new RangeError(`Lock ttlMs must be a positive number, got ${options.ttlMs}`);
  const now = options.now ?? (() => new Date());
  const newRecord = (): LockRecord => {
    const at = now();
    return {
      owner: options.owner,
      token: randomBytes(16).toString('hex'),
      acquiredAt: at.toISOString(),
      expiresAt: new Date(at.getTime() + options.ttlMs).toISOString(),
      host: hostname(),
      pid: process.pid,
    };
  };
  const take = async (): Promise<Lock | undefined> => {
    const record = newRecord();
    if (!(await store.putIfAbsent(key, encode(record), JSON_TYPE))) return undefined;
    await confirm(store, source, key, record);
    return new StoreLock(store, source, key, record, options);
  };

  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const lock = await take();
    if (lock) return lock;
    const held = await readLock(store, key);
    if (held === null) continue; // released in between
    if (!('token' in held)) {
      // A torn write (a store without atomic puts, a crash mid-write) leaves an unreadable lock:
      // it expires like any other, counted from when it was written.
      const info = await store.head(key);
      if (info === null) continue;
      if (info.lastModified.getTime() + options.ttlMs >= now().getTime()) throw unreadableError(store, source, key, held.unreadable);
    } else if (Date.parse(held.expiresAt) >= now().getTime()) throw heldError(store, source, key, held);
    // Expired: its run is dead. Take it over.
    await store.delete([key]);
    const taken = await take();
    if (taken) return taken;
  }
  throw contendedError(store, source, key);
}
