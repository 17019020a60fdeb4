/**
 * GET /restores/{id}: the restore's record, checkpoint and report, from the store, under
 * whichever configured source holds it. A record still 'running' is checked against its
 * execution: one that ended without the record-failure step running (the state machine's own
 * timeout, a StopExecution, or a failure it could not record) is marked failed here.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { readSnapshotManifest } from '../../catalog/catalog';
import { isAofManifest } from '../../catalog/snapshot-kind';
import { aofDataFiles } from '../restore/aof';
import { RestoreError } from '../../restore/errors';
import { loadRestore, readReport, RestoreCheckpoint, RestoreRecord } from '../../restore/restore-record';
import { SnapshotStore } from '../../store/store';
import { RestoreExecution, RestoreStarter } from '../restore-starter';
import { failureOf } from '../restore/record-failure';
import { markFailed } from '../restore/records';
import { Service } from '../service';

export interface RestoreProgressView {
  chunksDone: number;
  chunks: number;
  keysWritten: number;
  percent: number;
}

export interface RestoreStatusView {
  restoreId: string;
  source: string;
  snapshotId: string;
  /** The configured target's name. */
  target: string | null;
  /** Where it points, without secrets. */
  targetAddress: string;
  mode: RestoreRecord['mode'];
  status: RestoreRecord['status'];
  startedAt: string;
  finishedAt: string | null;
  progress: RestoreProgressView | null;
  report: unknown;
  error: { code: string; message: string } | null;
}

interface ReportCounts {
  chunks?: number;
  /** A file restore's keys; an AOF replay's base keys ({written}). */
  keys?: number | { written?: number };
  counters?: { written?: number };
  /** 'aof': the report of an AOF replay (files instead of chunks). */
  kind?: string;
  files?: unknown[];
}

const keysIn = (report: ReportCounts): number => (typeof report.keys === 'number' ? report.keys : (report.keys?.written ?? 0));

async function find(store: SnapshotStore, sources: string[], restoreId: string): Promise<{ record: RestoreRecord; checkpoint: RestoreCheckpoint | null } | null> {
  const found = await Promise.all(
    sources.map((source) =>
      loadRestore(store, source, restoreId).catch((e: unknown) => {
        if (e instanceof RestoreError && e.code === 'RESTORE_NOT_FOUND') return null;
        throw e;
      }),
    ),
  );
  return found.find((f) => f !== null) ?? null;
}

const view = (chunksDone: number, chunks: number, keysWritten: number): RestoreProgressView => ({ chunksDone, chunks, keysWritten, percent: chunks === 0 ? 100 : Math.floor((chunksDone / chunks) * 100) });

async function progressOf(store: SnapshotStore, record: RestoreRecord, checkpoint: RestoreCheckpoint | null, report: ReportCounts | null): Promise<RestoreProgressView | null> {
  if (report?.chunks !== undefined) return view(report.chunks, report.chunks, report.counters?.written ?? keysIn(report));
  // An AOF snapshot's progress counts its data files; it has no checkpoint (replayed in one run).
  const chunks = await readSnapshotManifest(store, record.source, record.snapshotId).then(
    (m) => (isAofManifest(m) ? aofDataFiles(m) : m.chunks.length),
    () => null,
  );
  if (chunks === null) return null;
  // A file restore's report has no chunk count: it is written whole. Nor has an AOF replay's.
  if (report !== null) return view(chunks, chunks, keysIn(report));
  return view(checkpoint?.nextChunk ?? 0, chunks, checkpoint?.counters.written ?? 0);
}

/** How an execution that is over ended, as the record's error; null while it runs or when it succeeded. */
export function executionFailure(execution: RestoreExecution): { code: string; message: string } | null {
  switch (execution.status) {
    case 'TIMED_OUT':
      return { code: 'EXECUTION_TIMED_OUT', message: 'The restore did not finish within the state machine\'s timeout (restore.timeoutHours in the configuration)' };
    case 'ABORTED':
      return { code: 'EXECUTION_ABORTED', message: 'The restore\'s execution was stopped before it finished' };
    case 'FAILED':
    case 'PENDING_REDRIVE':
      return failureOf({ Error: execution.error ?? 'EXECUTION_FAILED', Cause: execution.cause });
    default:
      return null;
  }
}

/** The record, with the end of its execution when the record still says running but the execution is over. */
async function reconciled(store: SnapshotStore, record: RestoreRecord, executions: () => RestoreStarter, logger: Logger): Promise<RestoreRecord> {
  let execution: RestoreExecution | null;
  try {
    execution = await executions().execution(record.restoreId);
  } catch (e) {
    logger.warn('Cannot describe the restore execution; answering from the record', { restoreId: record.restoreId, cause: e });
    return record;
  }
  const error = execution === null ? null : executionFailure(execution);
  if (error === null) return record;
  const finishedAt = execution?.stopDate ?? new Date().toISOString();
  await markFailed(store, record, error, finishedAt);
  return { ...record, status: 'failed', finishedAt, error };
}

export async function restoreStatus(service: Service, restoreId: string, executions?: { starter: () => RestoreStarter; logger: Logger }): Promise<RestoreStatusView | null> {
  const { config, store } = service;
  const found = await find(
    store,
    config.sources.map((s) => s.name),
    restoreId,
  );
  if (found === null) return null;
  const { checkpoint } = found;
  const record = found.record.status === 'running' && executions !== undefined ? await reconciled(store, found.record, executions.starter, executions.logger) : found.record;
  const report = await readReport<ReportCounts>(store, record.source, restoreId);
  const targetName = record.options.targetName;
  return {
    restoreId,
    source: record.source,
    snapshotId: record.snapshotId,
    target: typeof targetName === 'string' ? targetName : null,
    targetAddress: record.target,
    mode: record.mode,
    status: record.status,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt ?? null,
    progress: await progressOf(store, record, checkpoint, report),
    report,
    error: record.error ?? null,
  };
}
