/**
 * The first run of a load (or cluster) restore, before the engine resumes it:
 * empty the target (flush) or check that it is empty (neither flush nor
 * replace), then save the checkpoint "nothing written yet". Every later run, a
 * retry included, resumes from the last checkpoint and leaves the target as it is.
 */
import { SnapshotManifest } from '../../catalog/manifest';
import { Crc64 } from '../../rdb/crc64';
import { LoadTarget } from '../../restore/load-target';
import { LoadRestoreOptions } from '../../restore/restore';
import { RestoreRecord, saveCheckpoint } from '../../restore/restore-record';
import { SnapshotStore } from '../../store/store';
import { checkClusterDbs, ensureTargetEmpty } from './targets';

export async function prepareTarget(store: SnapshotStore, record: RestoreRecord, manifest: SnapshotManifest, target: LoadTarget): Promise<void> {
  const options = record.options as LoadRestoreOptions;
  if (target.isCluster) checkClusterDbs(manifest, options);
  if (options.flush === true) await target.flush((await target.capabilities()).functions);
  else if (options.replace !== true) await ensureTargetEmpty(target, manifest, options);
  await saveCheckpoint(store, record.source, {
    restoreId: record.restoreId,
    snapshotId: manifest.snapshotId,
    nextChunk: 0,
    crc: new Crc64().state,
    counters: { read: 0, written: 0, skippedExpired: 0, filtered: 0, perDb: {} },
    updatedAt: new Date().toISOString(),
  });
}
