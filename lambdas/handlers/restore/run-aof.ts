/**
 * restore, for an AOF snapshot: replayed into the target by the engine (restoreSnapshot
 * dispatches to the AOF restore) in this one Lambda run. There is no checkpoint: a run that
 * ends before the data (Lambda's timeout) is not resumed; the state machine's retry finds the
 * replay begun and fails the restore with AOF_RESTORE_INCOMPLETE, saying what to do.
 */
import { RestoreState, RuntimeTarget } from '../../../lib/config/runtime-config';
import { AofSnapshotManifest } from '../../catalog/aof-manifest';
import { AofRestoreError, AofSnapshotLoadReport } from '../../restore/aof';
import { RestoreError } from '../../restore/errors';
import { restoreSnapshot } from '../../restore/restore';
import { loadRestore, RestoreRecord, saveRecord, saveReport } from '../../restore/restore-record';
import { AOF_INCOMPLETE_ADVICE, ServiceStepError } from '../errors';
import { aofDataFiles, aofReplayOptions } from './aof';
import { markCompleted } from './records';
import { reportKey } from './state';
import { StepContext } from './step-context';
import { targetEndpoint } from './targets';

/** Set in the record's options when a run hands the restore to the engine. */
const REPLAY_STARTED = 'replayStartedAt';

/**
 * The engine files its own record under the same id (its options, its start time): the service's
 * view (target name, request options, when the API accepted it) is put back on top of it.
 */
async function withServiceView(ctx: StepContext, ours: RestoreRecord): Promise<RestoreRecord> {
  const { store } = ctx.service;
  const engine = (await loadRestore(store, ours.source, ours.restoreId)).record;
  const merged: RestoreRecord = { ...engine, target: ours.target, startedAt: ours.startedAt, options: { ...engine.options, ...ours.options } };
  await saveRecord(store, merged);
  return merged;
}

/** The engine's errors say what the target received before they happened; any other error may have come after writes. */
function wroteNothing(e: unknown): boolean {
  if (!(e instanceof AofRestoreError || e instanceof RestoreError)) return false;
  const { commandsWritten, keysWritten } = e.context as { commandsWritten?: number; keysWritten?: number };
  return commandsWritten === 0 && keysWritten === 0;
}

/** Progress in the RDB restore's terms: data files as chunks, base keys written as keys, raw bytes replayed. */
function progressOf(report: AofSnapshotLoadReport, files: number): RestoreState['progress'] {
  return { chunk: files, chunks: files, keys: report.keys.written, rawBytes: report.files.reduce((n, f) => n + f.bytes, 0) };
}

export async function aofRestoreStep(state: RestoreState, ctx: StepContext, target: RuntimeTarget, record: RestoreRecord, manifest: AofSnapshotManifest): Promise<RestoreState> {
  const { store } = ctx.service;
  const files = aofDataFiles(manifest);
  // The engine's record replaced ours (no target name) or ours says a replay began: an earlier run of this step wrote.
  if (record.options[REPLAY_STARTED] !== undefined || record.options.targetName === undefined) {
    throw new ServiceStepError('AOF_RESTORE_INCOMPLETE', `The replay of AOF snapshot ${manifest.snapshotId} into ${record.target} (restore ${state.restoreId}) began in an earlier run of the restore step that ended before the data did. ${AOF_INCOMPLETE_ADVICE}`, {
      restoreId: state.restoreId,
      snapshotId: manifest.snapshotId,
    });
  }
  const dryRun = state.options.dryRun === true;
  const ours: RestoreRecord = { ...record, options: { ...record.options, [REPLAY_STARTED]: new Date().toISOString() } };
  if (!dryRun) await saveRecord(store, ours);
  const remainingMs = ctx.lambda.getRemainingTimeInMillis();
  ctx.logger.info('AOF replay starting', { files, rawBytes: manifest.raw.bytes, until: state.options.until, remainingMs });
  let report: AofSnapshotLoadReport;
  try {
    const out = await restoreSnapshot({ store, source: state.source, selector: manifest.snapshotId, target: targetEndpoint(target, ctx.lambda), restoreId: state.restoreId, ...aofReplayOptions(state.options), dryRun });
    if (!('kind' in out)) throw new Error(`Snapshot ${manifest.snapshotId} was restored as an RDB snapshot, but its manifest says aof`);
    report = out;
  } catch (e) {
    // The engine marked its record failed; the service's view goes back on it (record-failure files the step's error).
    // When the engine says nothing was written, a retry (a transient error) may start the replay again.
    if (!dryRun) await withServiceView(ctx, wroteNothing(e) ? record : ours).catch(() => undefined);
    throw e;
  }
  if (dryRun) {
    await saveReport(store, state.source, state.restoreId, report);
    await markCompleted(store, record);
  } else {
    await withServiceView(ctx, ours);
  }
  ctx.logger.info(dryRun ? 'Dry run done' : 'AOF replayed', {
    commandsSent: report.commands.sent,
    baseKeysWritten: report.keys.written,
    serverErrors: report.serverErrors.count,
    stoppedAt: report.until?.stoppedAt ?? null,
    ok: report.ok,
  });
  return { ...state, more: false, reportKey: reportKey(state), progress: progressOf(report, files) };
}
