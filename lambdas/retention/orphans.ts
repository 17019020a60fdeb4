import { MANIFEST_NAME, parseSnapshotKey } from '../store/layout';
import { IncompleteUpload, ObjectInfo } from '../store/store';
import { assertValidDate } from './dates';
import { invalidInput } from './errors';

export type ListedObject = Pick<ObjectInfo, 'key' | 'lastModified'>;

export interface OrphanObject extends ListedObject {
  snapshotId: string;
}

/** What cleanup may delete; every list is sorted by key (uploads then by initiation time, then upload id). */
export interface OrphanPlan {
  /** Uncommitted snapshots (no manifest) whose every object and upload is older than the grace period. */
  snapshotIds: string[];
  /** The objects of those snapshots, to delete. */
  deleteObjects: OrphanObject[];
  /** Incomplete uploads older than the grace period, to abort. */
  abortUploads: IncompleteUpload[];
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Plans the removal of what interrupted backups left behind under one source (pure: no I/O).
 *
 * - `objects`: a listing of the source (typically `<source>/snapshots/`); only keys of the form
 *   `<source>/snapshots/<id>/<name>` are considered, anything else is never touched.
 * - `committedSnapshotIds`: this source's snapshots that have a manifest. A manifest.json seen in
 *   `objects` also marks its snapshot committed, so a backup committing between the two listings
 *   is safe.
 * - A snapshot's objects are deleted only if it is not committed and its newest activity (latest
 *   object lastModified or upload initiation) is older than `graceMs` before `now`: a backup may
 *   still be writing it. `graceMs` must therefore exceed the longest backup.
 * - An incomplete upload is aborted if it is older than the grace period, is not part of a
 *   committed snapshot, and (when it is part of a snapshot) that snapshot is quiet as above.
 *
 * "Older than" is strict: something exactly `graceMs` old is kept. Keys of several sources in one
 * call are refused (RETENTION_INVALID_INPUT), since snapshot ids are only unique per source.
 */
export function planOrphanCleanup(
  objects: readonly ListedObject[],
  incompleteUploads: readonly IncompleteUpload[],
  committedSnapshotIds: ReadonlySet<string>,
  graceMs: number,
  now: Date,
): OrphanPlan {
  assertValidDate(now, 'now');
  if (typeof graceMs !== 'number' || !Number.isFinite(graceMs) || graceMs < 0) {
    throw invalidInput(`graceMs must be a non-negative number of milliseconds, got ${String(graceMs)}`, 'graceMs');
  }
  const cutoff = now.getTime() - graceMs;

  let source: string | undefined;
  /** The snapshot a key belongs to, or undefined for keys outside `<source>/snapshots/<id>/`. */
  const snapshotOf = (key: string): { snapshotId: string; name: string } | undefined => {
    const parsed = parseSnapshotKey(key);
    if (!parsed) return undefined;
    if (source === undefined) source = parsed.source;
    else if (parsed.source !== source) {
      throw invalidInput(`keys of two sources (${source} and ${parsed.source}) given to one orphan cleanup`, 'key');
    }
    return parsed;
  };

  const committed = new Set(committedSnapshotIds);
  /** Latest activity per snapshot id. */
  const lastActivity = new Map<string, number>();
  const touch = (id: string, time: number): void => {
    lastActivity.set(id, Math.max(lastActivity.get(id) ?? -Infinity, time));
  };

  const candidates: OrphanObject[] = [];
  for (const object of objects) {
    assertValidDate(object.lastModified, `lastModified of ${object.key}`);
    const parsed = snapshotOf(object.key);
    if (parsed === undefined) continue;
    const { snapshotId } = parsed;
    if (parsed.name === MANIFEST_NAME) committed.add(snapshotId);
    touch(snapshotId, object.lastModified.getTime());
    candidates.push({ key: object.key, lastModified: object.lastModified, snapshotId });
  }
  const uploadSnapshots = incompleteUploads.map((upload) => {
    assertValidDate(upload.initiated, `initiated of the upload of ${upload.key}`);
    const snapshotId = snapshotOf(upload.key)?.snapshotId;
    if (snapshotId !== undefined) touch(snapshotId, upload.initiated.getTime());
    return snapshotId;
  });

  const quietOrphan = (id: string): boolean => !committed.has(id) && (lastActivity.get(id) ?? -Infinity) < cutoff;

  const deleteObjects = candidates.filter((o) => quietOrphan(o.snapshotId)).sort((a, b) => compareKeys(a.key, b.key));
  const abortUploads = incompleteUploads
    .filter((upload, i) => {
      const snapshotId = uploadSnapshots[i];
      return snapshotId === undefined ? upload.initiated.getTime() < cutoff : quietOrphan(snapshotId);
    })
    .sort(
      (a, b) =>
        compareKeys(a.key, b.key) || a.initiated.getTime() - b.initiated.getTime() || compareKeys(a.uploadId ?? '', b.uploadId ?? ''),
    );
  const snapshotIds = [...new Set(deleteObjects.map((o) => o.snapshotId))].sort(compareKeys);
  return { snapshotIds, deleteObjects, abortUploads };
}
