import { IncompleteUpload } from '../../lambdas/store/store';
import { dataKey, lockKey, manifestKey, restorePrefix } from '../../lambdas/store/layout';
import { ListedObject, planOrphanCleanup } from '../../lambdas/retention';
import { retentionError } from './errors';

const NOW = new Date('2026-11-25T12:00:00Z');
const GRACE_MS = 60 * 60_000;
const SOURCE = 'prod';

function ago(minutes: number): Date {
  return new Date(NOW.getTime() - minutes * 60_000);
}

function object(key: string, minutesAgo: number): ListedObject {
  return { key, lastModified: ago(minutesAgo) };
}

function upload(key: string, minutesAgo: number, uploadId?: string): IncompleteUpload {
  return { key, initiated: ago(minutesAgo), ...(uploadId === undefined ? {} : { uploadId }) };
}

describe('planOrphanCleanup', () => {
  it('deletes the data of old snapshots without a manifest, and nothing else', () => {
    const objects = [
      // committed, old: untouched
      object(dataKey(SOURCE, 'committed'), 600),
      object(manifestKey(SOURCE, 'committed'), 599),
      // uncommitted, older than the grace period: orphaned
      object(dataKey(SOURCE, 'abandoned'), 120),
      object(dataKey(SOURCE, 'abandoned', 'extra.bin'), 90),
      // uncommitted but recent: a backup may be running
      object(dataKey(SOURCE, 'running'), 10),
      // not snapshot data
      object(lockKey(SOURCE), 5000),
      object(`${restorePrefix(SOURCE, 'r1')}checkpoint.json`, 5000),
    ];
    const plan = planOrphanCleanup(objects, [], new Set(['committed']), GRACE_MS, NOW);
    expect(plan.snapshotIds).toEqual(['abandoned']);
    expect(plan.deleteObjects).toEqual([
      { key: 'prod/snapshots/abandoned/data.rdb.zst', lastModified: ago(120), snapshotId: 'abandoned' },
      { key: 'prod/snapshots/abandoned/extra.bin', lastModified: ago(90), snapshotId: 'abandoned' },
    ]);
    expect(plan.abortUploads).toEqual([]);
  });

  it('never touches a committed snapshot, however old and whatever else it holds', () => {
    const objects = [object(dataKey(SOURCE, 'c1'), 100_000), object(dataKey(SOURCE, 'c1', 'stray.tmp'), 100_000)];
    const uploads = [upload(dataKey(SOURCE, 'c1'), 100_000, 'u-1')];
    expect(planOrphanCleanup(objects, uploads, new Set(['c1']), GRACE_MS, NOW)).toEqual({
      snapshotIds: [],
      deleteObjects: [],
      abortUploads: [],
    });
  });

  it('treats a manifest in the listing as committed even when the id set misses it (committed between listings)', () => {
    const objects = [object(dataKey(SOURCE, 'late'), 300), object(manifestKey(SOURCE, 'late'), 200)];
    const plan = planOrphanCleanup(objects, [upload(dataKey(SOURCE, 'late'), 300, 'u')], new Set(), GRACE_MS, NOW);
    expect(plan).toEqual({ snapshotIds: [], deleteObjects: [], abortUploads: [] });
  });

  it('keeps a whole snapshot while anything of it is within the grace period', () => {
    const objects = [
      object(dataKey(SOURCE, 'mixed'), 500),
      object(dataKey(SOURCE, 'mixed', 'part-2'), 5),
      object(dataKey(SOURCE, 'uploading'), 500),
    ];
    const uploads = [upload(dataKey(SOURCE, 'uploading', 'part-2'), 2, 'u-new')];
    const plan = planOrphanCleanup(objects, uploads, new Set(), GRACE_MS, NOW);
    expect(plan).toEqual({ snapshotIds: [], deleteObjects: [], abortUploads: [] });
  });

  it('uses a strict grace period: exactly graceMs old is kept, one millisecond more is not', () => {
    const exactly = { key: dataKey(SOURCE, 'edge'), lastModified: new Date(NOW.getTime() - GRACE_MS) };
    expect(planOrphanCleanup([exactly], [], new Set(), GRACE_MS, NOW).deleteObjects).toEqual([]);
    const older = { key: dataKey(SOURCE, 'edge'), lastModified: new Date(NOW.getTime() - GRACE_MS - 1) };
    expect(planOrphanCleanup([older], [], new Set(), GRACE_MS, NOW).snapshotIds).toEqual(['edge']);
  });

  it('keeps objects dated in the future (clock skew)', () => {
    expect(planOrphanCleanup([object(dataKey(SOURCE, 'skew'), -30)], [], new Set(), 0, NOW).deleteObjects).toEqual([]);
  });

  it('aborts incomplete uploads older than the grace period outside committed snapshots', () => {
    const uploads = [
      upload(dataKey(SOURCE, 'old'), 180, 'u-old'),
      upload(dataKey(SOURCE, 'old'), 240, 'u-older'),
      upload(dataKey(SOURCE, 'recent'), 30, 'u-recent'),
      upload(dataKey(SOURCE, 'committed'), 5000, 'u-committed'),
      upload(dataKey(SOURCE, 'local'), 100), // a local temporary file: no upload id
      upload(`${restorePrefix(SOURCE, 'r1')}records.json`, 300, 'u-restore'),
      upload(`${restorePrefix(SOURCE, 'r2')}records.json`, 30, 'u-restore-recent'),
    ];
    const plan = planOrphanCleanup([], uploads, new Set(['committed']), GRACE_MS, NOW);
    // In key order, then oldest first; the very objects given, ready for SnapshotStore.abortIncomplete.
    expect(plan.abortUploads).toEqual([
      upload(`${restorePrefix(SOURCE, 'r1')}records.json`, 300, 'u-restore'),
      upload(dataKey(SOURCE, 'local'), 100),
      upload(dataKey(SOURCE, 'old'), 240, 'u-older'),
      upload(dataKey(SOURCE, 'old'), 180, 'u-old'),
    ]);
    expect(plan.abortUploads[1]).toBe(uploads[4]);
    expect(plan.deleteObjects).toEqual([]);
    expect(plan.snapshotIds).toEqual([]);
  });

  it('cleans an abandoned snapshot completely: its objects and its uploads', () => {
    const plan = planOrphanCleanup(
      [object(dataKey(SOURCE, 'gone', 'b'), 200), object(dataKey(SOURCE, 'gone', 'a'), 300)],
      [upload(dataKey(SOURCE, 'gone', 'c'), 250, 'u-c')],
      new Set(['other']),
      GRACE_MS,
      NOW,
    );
    expect(plan.snapshotIds).toEqual(['gone']);
    expect(plan.deleteObjects.map((o) => o.key)).toEqual(['prod/snapshots/gone/a', 'prod/snapshots/gone/b']);
    expect(plan.abortUploads.map((u) => u.uploadId)).toEqual(['u-c']);
  });

  it('sorts its output by key regardless of the listing order', () => {
    const objects = ['z', 'a', 'm'].map((id) => object(dataKey(SOURCE, id), 500));
    const plan = planOrphanCleanup(objects, [], new Set(), GRACE_MS, NOW);
    expect(plan.snapshotIds).toEqual(['a', 'm', 'z']);
    expect(plan.deleteObjects.map((o) => o.snapshotId)).toEqual(['a', 'm', 'z']);
  });

  it('refuses keys of several sources: snapshot ids are only unique per source', () => {
    const err = retentionError(() =>
      planOrphanCleanup([object(dataKey('prod', 'a'), 500), object(dataKey('staging', 'a'), 500)], [], new Set(), GRACE_MS, NOW),
    );
    expect(err.code).toBe('RETENTION_INVALID_INPUT');
    expect(err.message).toMatch(/two sources \(prod and staging\)/);
    const mixedUpload = [upload(dataKey('qa', 'b'), 500, 'u')];
    expect(() => planOrphanCleanup([object(dataKey('prod', 'a'), 500)], mixedUpload, new Set(), GRACE_MS, NOW)).toThrow(/two sources/);
  });

  it('rejects a bad grace period, clock or date', () => {
    for (const grace of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const err = retentionError(() => planOrphanCleanup([], [], new Set(), grace, NOW));
      expect(err.code).toBe('RETENTION_INVALID_INPUT');
      expect(err.field).toBe('graceMs');
    }
    expect(retentionError(() => planOrphanCleanup([], [], new Set(), GRACE_MS, new Date('x'))).field).toBe('now');
    const badObject = { key: dataKey(SOURCE, 'a'), lastModified: new Date('x') };
    const objectErr = retentionError(() => planOrphanCleanup([badObject], [], new Set(), GRACE_MS, NOW));
    expect(objectErr.message).toMatch(/lastModified of prod\/snapshots\/a/);
    const badUpload = { key: dataKey(SOURCE, 'a'), initiated: new Date('x') };
    expect(retentionError(() => planOrphanCleanup([], [badUpload], new Set(), GRACE_MS, NOW)).message).toMatch(/initiated of the upload/);
  });

  it('does not modify its inputs', () => {
    const objects = [object(dataKey(SOURCE, 'b'), 500), object(dataKey(SOURCE, 'a'), 500)];
    const committed = new Set(['x']);
    planOrphanCleanup(objects, [], committed, GRACE_MS, NOW);
    expect(objects.map((o) => o.key)).toEqual(['prod/snapshots/b/data.rdb.zst', 'prod/snapshots/a/data.rdb.zst']);
    expect([...committed]).toEqual(['x']);
  });
});
