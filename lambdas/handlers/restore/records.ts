/** The restore record under the restore id the API handed out (lambdas/restore/restore-record.ts keeps it in the store). */
import { RestoreState, RuntimeTarget } from '../../../lib/config/runtime-config';
import { RestoreError } from '../../restore/errors';
import { loadRestore, RestoreRecord, saveRecord } from '../../restore/restore-record';
import { SnapshotStore } from '../../store/store';
import { describeTarget, loadOptions } from './targets';

/**
 * Files the record of an accepted restore (validate does it, before anything is
 * written). A load or cluster restore's options are the engine's, which it
 * resumes with; the service adds the target's name.
 */
export async function createRecord(store: SnapshotStore, state: RestoreState, target: RuntimeTarget, snapshotId: string): Promise<RestoreRecord> {
  const extras = { targetName: target.name, repoint: state.options.repoint === true, dryRun: state.options.dryRun === true };
  const until = state.options.until !== undefined ? { until: state.options.until } : {};
  const options = state.mode === 'file' ? { ...extras, dir: target.dataDir, dbfilename: target.dbfilename } : { ...loadOptions(state.options), ...until, ...extras };
  const record: RestoreRecord = {
    restoreId: state.restoreId,
    source: state.source,
    snapshotId,
    target: describeTarget(target),
    mode: state.mode,
    options: JSON.parse(JSON.stringify(options)) as Record<string, unknown>,
    startedAt: state.requestedAt ?? new Date().toISOString(),
    status: 'running',
  };
  await saveRecord(store, record);
  return record;
}

/** The record, or null when there is none yet. */
export async function findRecord(store: SnapshotStore, source: string, restoreId: string): Promise<RestoreRecord | null> {
  try {
    return (await loadRestore(store, source, restoreId)).record;
  } catch (e) {
    if (e instanceof RestoreError && e.code === 'RESTORE_NOT_FOUND') return null;
    throw e;
  }
}

/** Back to running (a step retried after the engine recorded a transient error as a failure), unless the restore completed. */
export async function markRunning(store: SnapshotStore, source: string, restoreId: string): Promise<RestoreRecord> {
  const { record } = await loadRestore(store, source, restoreId);
  if (record.status === 'running' || record.status === 'completed') return record;
  const running: RestoreRecord = { ...record, status: 'running' };
  delete running.error;
  delete running.finishedAt;
  await saveRecord(store, running);
  return running;
}

export async function markFailed(store: SnapshotStore, record: RestoreRecord, error: { code: string; message: string }, finishedAt = new Date().toISOString()): Promise<void> {
  await saveRecord(store, { ...record, status: 'failed', finishedAt, error });
}

export async function markCompleted(store: SnapshotStore, record: RestoreRecord): Promise<void> {
  const done: RestoreRecord = { ...record, status: 'completed', finishedAt: new Date().toISOString() };
  delete done.error;
  await saveRecord(store, done);
}
