/** GET /restores/{id}: the restore's record, checkpoint and report, from the store, under whichever configured source holds it. */
import { readManifest } from '../../catalog/catalog';
import { RestoreError } from '../../restore/errors';
import { loadRestore, readReport, RestoreCheckpoint, RestoreRecord } from '../../restore/restore-record';
import { SnapshotStore } from '../../store/store';
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
  keys?: number;
  counters?: { written?: number };
}

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
  if (report?.chunks !== undefined) return view(report.chunks, report.chunks, report.counters?.written ?? report.keys ?? 0);
  const chunks = await readManifest(store, record.source, record.snapshotId).then(
    (m) => m.chunks.length,
    () => null,
  );
  if (chunks === null) return null;
  // A file restore's report has no chunk count: it is written whole.
  if (report !== null) return view(chunks, chunks, report.keys ?? 0);
  return view(checkpoint?.nextChunk ?? 0, chunks, checkpoint?.counters.written ?? 0);
}

export async function restoreStatus(service: Service, restoreId: string): Promise<RestoreStatusView | null> {
  const { config, store } = service;
  const found = await find(
    store,
    config.sources.map((s) => s.name),
    restoreId,
  );
  if (found === null) return null;
  const { record, checkpoint } = found;
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
