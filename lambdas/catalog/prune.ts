import { OrphanPlan, planOrphanCleanup, planRetention, RetentionPlan, RetentionPolicy } from '../retention';
import { manifestKey, snapshotsPrefix } from '../store/layout';
import { IncompleteUpload, ObjectInfo, SnapshotStore } from '../store/store';
import { deleteSnapshot, listSnapshots } from './catalog';

export interface PruneOptions {
  policy: RetentionPolicy;
  /** Plan only (default false). */
  dryRun?: boolean;
  /** Uncommitted data younger than this is left alone: a backup may still be writing it (default 24 h). */
  orphanGraceMs?: number;
  now?: Date;
}

export interface PruneReport {
  source: string;
  dryRun: boolean;
  plan: RetentionPlan;
  orphans: OrphanPlan;
  /** Snapshots deleted (empty in a dry run). */
  deleted: string[];
}

export const DEFAULT_ORPHAN_GRACE_MS = 24 * 3_600_000;

/**
 * Applies a retention policy to one source: planned first (retention rules, the
 * newest verified snapshot and Object Lock protection, uncommitted data older
 * than the grace period), then executed unless this is a dry run.
 */
export async function pruneSource(store: SnapshotStore, source: string, options: PruneOptions): Promise<PruneReport> {
  const now = options.now ?? new Date();
  const dryRun = options.dryRun ?? false;
  const snapshots = await listSnapshots(store, source);
  const committed = snapshots.filter((s) => s.manifest !== null);
  const forRetention = await Promise.all(
    committed.map(async (s) => ({
      id: s.snapshotId,
      takenAt: s.takenAt,
      // A committed snapshot was verified (structure and CRC-64) while it was captured.
      verified: true,
      retainedUntil: await store.retainedUntil(manifestKey(source, s.snapshotId)),
    })),
  );
  const plan = planRetention(forRetention, options.policy, now);

  const objects: ObjectInfo[] = [];
  for await (const o of store.list(snapshotsPrefix(source))) objects.push(o);
  const incomplete: IncompleteUpload[] = await store.listIncomplete(snapshotsPrefix(source));
  const orphans = planOrphanCleanup(objects, incomplete, new Set(committed.map((s) => s.snapshotId)), options.orphanGraceMs ?? DEFAULT_ORPHAN_GRACE_MS, now);

  const deleted: string[] = [];
  if (!dryRun) {
    for (const r of plan.remove) {
      await deleteSnapshot(store, source, r.id);
      deleted.push(r.id);
    }
    if (orphans.deleteObjects.length > 0) await store.delete(orphans.deleteObjects.map((o) => o.key));
    for (const u of orphans.abortUploads) await store.abortIncomplete(u);
  }
  return { source, dryRun, plan, orphans, deleted };
}
