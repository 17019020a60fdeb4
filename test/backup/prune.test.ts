import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { runImport } from '../../lambdas/backup/run-backup';
import { listSnapshots } from '../../lambdas/catalog/catalog';
import { SnapshotManifest } from '../../lambdas/catalog/manifest';
import { pruneSource } from '../../lambdas/catalog/prune';
import { newSnapshotId } from '../../lambdas/catalog/snapshot-id';
import { verifySnapshot } from '../../lambdas/catalog/verify-snapshot';
import { LocalStore } from '../../lambdas/store';
import { dataKey, manifestKey, snapshotPrefix } from '../../lambdas/store/layout';
import { IncompleteUpload, ObjectInfo, PutStreamOptions, PutStreamResult, SnapshotStore } from '../../lambdas/store/store';
import { FIXTURES_DIR } from '../helpers/fixtures';

/** pruneSource on a real local store holding imported snapshots with faked capture times. */

const FIXTURE = join(FIXTURES_DIR, 'redis-7.0-types.rdb');
const SOURCE = 'app';
const NOW = new Date('2026-03-15T12:00:00Z');
/** Oldest first. With keepLast 1 + daily 3, the two oldest go: 03-05 (a day beyond the 3 kept) and 03-06 08:00 (not its day's newest). */
const TAKEN = ['2026-03-05T10:00:00Z', '2026-03-06T08:00:00Z', '2026-03-06T20:00:00Z', '2026-03-12T12:00:00Z', '2026-03-15T11:00:00Z'];
const POLICY = { keepLast: 1, daily: 3 };
const HOUR = 3_600_000;

/** A store (here a LocalStore) that records every delete and abort, in order. */
class RecordingStore implements SnapshotStore {
  readonly deletes: string[][] = [];
  constructor(private readonly inner: SnapshotStore) {}
  get url(): string {
    return this.inner.url;
  }
  putStream(key: string, body: Readable | AsyncIterable<Buffer>, options?: PutStreamOptions): Promise<PutStreamResult> {
    return this.inner.putStream(key, body, options);
  }
  put(key: string, body: Buffer, contentType?: string): Promise<void> {
    return this.inner.put(key, body, contentType);
  }
  putIfAbsent(key: string, body: Buffer, contentType?: string): Promise<boolean> {
    return this.inner.putIfAbsent(key, body, contentType);
  }
  get(key: string): Promise<Buffer | null> {
    return this.inner.get(key);
  }
  getStream(key: string, range?: { start: number; end: number }): Promise<Readable> {
    return this.inner.getStream(key, range);
  }
  head(key: string): Promise<ObjectInfo | null> {
    return this.inner.head(key);
  }
  list(prefix: string): AsyncIterable<ObjectInfo> {
    return this.inner.list(prefix);
  }
  delete(keys: string[]): Promise<void> {
    this.deletes.push([...keys]);
    return this.inner.delete(keys);
  }
  listIncomplete(prefix: string): Promise<IncompleteUpload[]> {
    return this.inner.listIncomplete(prefix);
  }
  abortIncomplete(upload: IncompleteUpload): Promise<void> {
    this.deletes.push([upload.key]);
    return this.inner.abortIncomplete(upload);
  }
  retainedUntil(key: string): Promise<Date | null> {
    return this.inner.retainedUntil(key);
  }
}

/** Every file under `dir`: relative path -> size, mtime and SHA-256. */
function filesOf(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const s = statSync(path);
    out[path.slice(dir.length + 1)] = `${s.size} ${s.mtimeMs} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
  }
  return out;
}

describe('pruneSource on a local store', () => {
  let dir: string;
  let store: RecordingStore;
  /** Oldest first, like TAKEN. */
  let snapshots: SnapshotManifest[];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'redis-backup-prune-'));
    store = new RecordingStore(new LocalStore(dir));
    snapshots = [];
    for (const at of TAKEN) snapshots.push(await runImport({ store, source: SOURCE, path: FIXTURE, now: () => new Date(at) }));
    // A second source that prune must never touch.
    await runImport({ store, source: 'other', path: FIXTURE, now: () => new Date(TAKEN[0]) });
    store.deletes.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const ids = (...indexes: number[]): string[] => indexes.map((i) => snapshots[i].snapshotId);

  test('the snapshots carry the faked times', async () => {
    const listing = await listSnapshots(store, SOURCE);
    expect(listing.map((s) => [s.snapshotId, s.status, s.takenAt.toISOString()])).toEqual(
      [...snapshots].reverse().map((m) => [m.snapshotId, 'committed', new Date(m.startedAt).toISOString()]),
    );
    expect(snapshots.map((m) => m.startedAt)).toEqual(TAKEN.map((t) => new Date(t).toISOString()));
    expect(snapshots.map((m) => m.snapshotId.slice(0, 16))).toEqual(['20260305T100000Z', '20260306T080000Z', '20260306T200000Z', '20260312T120000Z', '20260315T110000Z']);
  });

  test('a dry run returns the plan and changes nothing', async () => {
    const before = filesOf(dir);
    const report = await pruneSource(store, SOURCE, { policy: POLICY, dryRun: true, now: NOW });
    expect(report.dryRun).toBe(true);
    expect(report.source).toBe(SOURCE);
    expect(report.deleted).toEqual([]);
    expect(report.plan.keep).toEqual([
      { id: snapshots[4].snapshotId, takenAt: new Date(TAKEN[4]), reasons: ['last 1', 'daily 2026-03-15', 'newest verified'] },
      { id: snapshots[3].snapshotId, takenAt: new Date(TAKEN[3]), reasons: ['daily 2026-03-12'] },
      { id: snapshots[2].snapshotId, takenAt: new Date(TAKEN[2]), reasons: ['daily 2026-03-06'] },
    ]);
    expect(report.plan.remove).toEqual([
      { id: snapshots[1].snapshotId, takenAt: new Date(TAKEN[1]) },
      { id: snapshots[0].snapshotId, takenAt: new Date(TAKEN[0]) },
    ]);
    expect(report.orphans).toEqual({ snapshotIds: [], deleteObjects: [], abortUploads: [] });
    expect(store.deletes).toEqual([]);
    expect(filesOf(dir)).toEqual(before);
  });

  test('a real run deletes exactly the planned snapshots, each manifest before its data, and keeps the rest intact', async () => {
    const plan = await pruneSource(store, SOURCE, { policy: POLICY, dryRun: true, now: NOW });
    const before = filesOf(dir);
    const report = await pruneSource(store, SOURCE, { policy: POLICY, now: NOW });
    expect(report.dryRun).toBe(false);
    expect(report.plan).toEqual(plan.plan);
    expect(report.deleted).toEqual(plan.plan.remove.map((r) => r.id));
    expect(report.deleted).toEqual(ids(1, 0));

    // Manifest first (the snapshot stops existing at once), then its data; nothing else.
    expect(store.deletes).toEqual(
      ids(1, 0).flatMap((id) => [[manifestKey(SOURCE, id)], [dataKey(SOURCE, id)]]),
    );

    const after = filesOf(dir);
    const removedFolders = ids(1, 0).map((id) => snapshotPrefix(SOURCE, id));
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).filter((f) => !removedFolders.some((p) => f.startsWith(p))).sort());
    for (const f of Object.keys(after)) expect(after[f]).toBe(before[f]);
    for (const id of ids(1, 0)) expect(existsSync(join(dir, SOURCE, 'snapshots', id))).toBe(false);

    const listing = await listSnapshots(store, SOURCE);
    expect(listing.map((s) => [s.snapshotId, s.status])).toEqual(ids(4, 3, 2).map((id) => [id, 'committed']));
    for (const id of ids(4, 3, 2)) expect((await verifySnapshot(store, SOURCE, id)).ok).toBe(true);
    expect((await listSnapshots(store, 'other')).map((s) => s.status)).toEqual(['committed']);

    // Applying the same policy again removes nothing more.
    store.deletes.length = 0;
    const again = await pruneSource(store, SOURCE, { policy: POLICY, now: NOW });
    expect(again.plan.remove).toEqual([]);
    expect(again.deleted).toEqual([]);
    expect(store.deletes).toEqual([]);
  });

  test('orphan cleanup removes uncommitted data older than the grace period and leaves young data alone', async () => {
    const now = new Date();
    const graceMs = HOUR;
    // Whole seconds: utimes takes seconds as a float, which cannot hold every millisecond exactly.
    const wholeSecond = (ms: number): Date => new Date(Math.floor(ms / 1000) * 1000);
    const old = wholeSecond(now.getTime() - 3 * HOUR);
    const young = wholeSecond(now.getTime() - 10 * 60_000);
    const oldId = newSnapshotId(old);
    const youngId = newSnapshotId(young);
    const setTime = (key: string, at: Date): void => utimesSync(join(dir, ...key.split('/')), at, at);

    // An interrupted backup from 3 hours ago: its data object and a temporary file of a write that never finished.
    await store.put(dataKey(SOURCE, oldId), Buffer.from('half a snapshot'));
    setTime(dataKey(SOURCE, oldId), old);
    const oldPartial = `${dataKey(SOURCE, oldId)}.partial-0123456789ab`;
    writeFileSync(join(dir, ...oldPartial.split('/')), 'leftover');
    setTime(oldPartial, old);
    // A backup still writing: 10 minutes old.
    await store.put(dataKey(SOURCE, youngId), Buffer.from('in progress'));
    setTime(dataKey(SOURCE, youngId), young);
    const youngPartial = `${dataKey(SOURCE, youngId)}.partial-ba9876543210`;
    writeFileSync(join(dir, ...youngPartial.split('/')), 'still writing');
    // Committed snapshots with old files are not orphans, whatever their age.
    setTime(dataKey(SOURCE, snapshots[0].snapshotId), old);

    const listed = await listSnapshots(store, SOURCE);
    expect(listed.filter((s) => s.status === 'incomplete').map((s) => s.snapshotId).sort()).toEqual([oldId, youngId].sort());
    store.deletes.length = 0;

    const keepAll = { keepLast: 100 };
    const before = filesOf(dir);
    const dry = await pruneSource(store, SOURCE, { policy: keepAll, dryRun: true, orphanGraceMs: graceMs, now });
    expect(dry.orphans.snapshotIds).toEqual([oldId]);
    expect(dry.orphans.deleteObjects).toEqual([{ key: dataKey(SOURCE, oldId), lastModified: old, snapshotId: oldId }]);
    expect(dry.orphans.abortUploads).toEqual([{ key: oldPartial, initiated: old }]);
    expect(dry.plan.remove).toEqual([]);
    expect(filesOf(dir)).toEqual(before);
    expect(store.deletes).toEqual([]);

    const report = await pruneSource(store, SOURCE, { policy: keepAll, orphanGraceMs: graceMs, now });
    expect(report.orphans).toEqual(dry.orphans);
    expect(report.deleted).toEqual([]);
    expect(store.deletes).toEqual([[dataKey(SOURCE, oldId)], [oldPartial]]);

    // The old folder is gone entirely; the young one and every committed snapshot remain untouched.
    expect(existsSync(join(dir, SOURCE, 'snapshots', oldId))).toBe(false);
    const after = filesOf(dir);
    expect(after).toEqual(Object.fromEntries(Object.entries(before).filter(([f]) => !f.startsWith(snapshotPrefix(SOURCE, oldId)))));
    expect(await store.get(dataKey(SOURCE, youngId))).toEqual(Buffer.from('in progress'));
    expect((await store.listIncomplete(`${SOURCE}/`)).map((u) => u.key)).toEqual([youngPartial]);
    const listing = await listSnapshots(store, SOURCE);
    expect(listing.filter((s) => s.status === 'committed').map((s) => s.snapshotId)).toEqual(ids(4, 3, 2, 1, 0));
    expect(listing.filter((s) => s.status === 'incomplete').map((s) => s.snapshotId)).toEqual([youngId]);

    // With no grace at all, the young leftovers go too.
    const eager = await pruneSource(store, SOURCE, { policy: keepAll, orphanGraceMs: 0, now: new Date(Date.now() + 1000) });
    expect(eager.orphans.snapshotIds).toEqual([youngId]);
    expect(eager.orphans.abortUploads.map((u) => u.key)).toEqual([youngPartial]);
    expect(existsSync(join(dir, SOURCE, 'snapshots', youngId))).toBe(false);
    expect((await listSnapshots(store, SOURCE)).map((s) => s.status)).toEqual(Array(5).fill('committed'));
  });
});
