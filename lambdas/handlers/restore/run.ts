/**
 * restore: writes the snapshot into the target. A load or cluster restore
 * resumes from the last checkpoint and stops after a chunk when the Lambda run
 * is nearly over, answering `more: true` so that the state machine invokes it
 * again. A file restore writes the RDB file in one run; a dry run reads the
 * snapshot and reports what would be written. An AOF snapshot is replayed in
 * one run (./run-aof.ts).
 */
import { RestoreState, RuntimeTarget } from '../../../lib/config/runtime-config';
import { readManifest, readSnapshotManifest } from '../../catalog/catalog';
import { isAofManifest } from '../../catalog/snapshot-kind';
import { RestoreError } from '../../restore/errors';
import { restoreToDirectory } from '../../restore/file-restore';
import { restoreIntoServer, RestoreProgress } from '../../restore/restore';
import { loadRestore, readReport, RestoreRecord, saveReport } from '../../restore/restore-record';
import { markCompleted, markRunning } from './records';
import { aofRestoreStep } from './run-aof';
import { reportKey, snapshotIdOf } from './state';
import { StepContext } from './step-context';
import { engineTarget, loadOptions, resolveRestore } from './targets';

interface ReportCounts {
  chunks?: number;
  keys?: number;
  bytes?: number;
  counters?: { written: number };
}

export async function restoreStep(state: RestoreState, ctx: StepContext): Promise<RestoreState> {
  const { config, store } = ctx.service;
  const { target } = resolveRestore(config, state);
  const invocations = (state.invocations ?? 0) + 1;
  const record = await markRunning(store, state.source, state.restoreId);
  const manifest = await readSnapshotManifest(store, state.source, snapshotIdOf(state));
  if (isAofManifest(manifest)) {
    if (record.status === 'completed') return { ...state, more: false, invocations, reportKey: reportKey(state) };
    return aofRestoreStep({ ...state, invocations }, ctx, target, record, manifest);
  }
  if (record.status === 'completed') {
    // A retried invocation whose earlier run finished.
    const report = await readReport<ReportCounts>(store, state.source, state.restoreId);
    const chunks = report?.chunks ?? state.progress?.chunks ?? 0;
    return { ...state, more: false, invocations, reportKey: reportKey(state), progress: { chunk: chunks, chunks, keys: report?.counters?.written ?? report?.keys ?? 0, rawBytes: state.progress?.rawBytes ?? 0 } };
  }
  const next = { ...state, invocations };
  if (state.mode === 'file') return fileStep(next, ctx, target, record);
  if (state.options.dryRun === true) return dryRunStep(next, ctx, target, record);
  return loadStep(next, ctx, target);
}

async function loadStep(state: RestoreState, ctx: StepContext, target: RuntimeTarget): Promise<RestoreState> {
  const { store } = ctx.service;
  const { checkpoint } = await loadRestore(store, state.source, state.restoreId);
  // The first run starts the engine under the API's restore id (it empties or checks the target); every later run, a retry included, resumes from the checkpoint.
  const start = checkpoint === null ? { restoreId: state.restoreId, ...loadOptions(state.options) } : { resume: state.restoreId };
  if (checkpoint !== null) ctx.logger.info('Resuming restore', { nextChunk: checkpoint.nextChunk, keysWritten: checkpoint.counters.written });

  // Pause after a chunk when the rest of the run would not fit another two of the slowest so far.
  const pause = new AbortController();
  let last = Date.now();
  let slowest = 0;
  let done = null as RestoreProgress | null;
  const onProgress = (p: RestoreProgress): void => {
    const now = Date.now();
    slowest = Math.max(slowest, now - last);
    last = now;
    done = p;
    if (ctx.lambda.getRemainingTimeInMillis() < ctx.reserveMs + 2 * slowest) pause.abort();
  };
  let rawBytes = state.progress?.rawBytes ?? 0;
  try {
    const report = await restoreIntoServer({ store, source: state.source, selector: snapshotIdOf(state), ...engineTarget(target, ctx.lambda), ...start, signal: pause.signal, onProgress });
    ctx.logger.info('Restore written', { chunks: report.chunks, keysWritten: report.counters.written, resumedFromChunk: report.resumedFromChunk, verified: report.verification.ok });
    rawBytes += (await readManifest(store, state.source, report.snapshotId)).chunks.slice(report.resumedFromChunk).reduce((n, c) => n + c.raw.length, 0);
    return { ...state, more: false, reportKey: reportKey(state), progress: { chunk: report.chunks, chunks: report.chunks, keys: report.counters.written, rawBytes } };
  } catch (e) {
    if (!(e instanceof RestoreError && e.code === 'RESTORE_PAUSED') || done === null) throw e;
    const { chunk, chunks, keys } = done;
    rawBytes += done.rawBytes;
    ctx.logger.info('Restore paused; the state machine resumes it', { chunksDone: chunk, chunks, keysWritten: keys, remainingMs: ctx.lambda.getRemainingTimeInMillis() });
    return { ...state, more: true, progress: { chunk, chunks, keys, rawBytes } };
  }
}

/** A dry run: the snapshot read and filtered as a restore would, nothing written (in one run: it keeps no checkpoint). */
async function dryRunStep(state: RestoreState, ctx: StepContext, target: RuntimeTarget, record: RestoreRecord): Promise<RestoreState> {
  const { store } = ctx.service;
  const report = await restoreIntoServer({ store, source: state.source, selector: snapshotIdOf(state), ...engineTarget(target, ctx.lambda), ...loadOptions(state.options), dryRun: true });
  await saveReport(store, state.source, state.restoreId, { ...report, restoreId: state.restoreId });
  await markCompleted(store, record);
  ctx.logger.info('Dry run done', { chunks: report.chunks, keys: report.counters.written });
  return { ...state, more: false, reportKey: reportKey(state), progress: { chunk: report.chunks, chunks: report.chunks, keys: report.counters.written, rawBytes: 0 } };
}

async function fileStep(state: RestoreState, ctx: StepContext, target: RuntimeTarget, record: RestoreRecord): Promise<RestoreState> {
  const { store } = ctx.service;
  const report = await restoreToDirectory({ store, source: state.source, selector: snapshotIdOf(state), dir: target.dataDir ?? '', dbfilename: target.dbfilename });
  // The engine filed its own record under a new id; the service's id is the one the API handed out.
  await saveReport(store, state.source, state.restoreId, { ...report, restoreId: state.restoreId, engineRestoreId: report.restoreId });
  await markCompleted(store, record);
  const chunks = state.progress?.chunks ?? (await readManifest(store, state.source, report.snapshotId)).chunks.length;
  ctx.logger.info('RDB file written', { path: report.path, bytes: report.bytes });
  return { ...state, more: false, engineRestoreId: report.restoreId, reportKey: reportKey(state), progress: { chunk: chunks, chunks, keys: report.keys, rawBytes: report.bytes } };
}
