import { AofSnapshotManifest } from '../../catalog/aof-manifest';
import { describeEndpoint, RedisEndpoint } from '../../capture/endpoint';
import { SnapshotStore } from '../../store/store';
import { newRestoreId, RestoreRecord, saveRecord, saveReport } from '../restore-record';
import { AofRestoreError } from './errors';
import { AofFileModeReport, writeAofFiles } from './file-mode';
import { AofLoadOptions, loadAof } from './load';
import { AofLoadReport } from './report';
import { storeAofSource } from './store-source';

/** Options of an RDB restore an AOF snapshot cannot honour (its keys are in commands). */
export interface UnsupportedForAof {
  cluster?: unknown[];
  match?: string[];
  types?: string[];
  resume?: string;
}

export interface AofSnapshotIds {
  restoreId: string;
  snapshotId: string;
  kind: 'aof';
}

export type AofSnapshotLoadReport = AofLoadReport & AofSnapshotIds;
export type AofSnapshotFileReport = AofFileModeReport & AofSnapshotIds & { status: 'completed' };

function refuseUnsupported(o: UnsupportedForAof): void {
  const bad = [o.cluster && o.cluster.length > 0 ? 'a cluster:// target' : null, o.match && o.match.length > 0 ? '--match' : null, o.types && o.types.length > 0 ? '--type' : null, o.resume !== undefined ? '--resume' : null].filter((x) => x !== null);
  if (bad.length > 0) {
    throw new AofRestoreError('AOF_RESTORE_BAD_REQUEST', `An AOF snapshot restores by replaying commands, which cannot be done with ${bad.join(', ')}. Nothing was written. Filter by database with --db / --db-map, or restore an RDB snapshot`);
  }
}

async function recorded<T extends object>(store: SnapshotStore, record: RestoreRecord, dryRun: boolean, work: () => Promise<T>): Promise<T & AofSnapshotIds> {
  try {
    if (!dryRun) await saveRecord(store, record);
    const report = { ...(await work()), restoreId: record.restoreId, snapshotId: record.snapshotId, kind: 'aof' as const };
    if (!dryRun) {
      record.status = 'completed';
      record.finishedAt = new Date().toISOString();
      await saveReport(store, record.source, record.restoreId, report);
      await saveRecord(store, record);
    }
    return report;
  } catch (e) {
    if (!dryRun) {
      record.status = 'failed';
      record.finishedAt = new Date().toISOString();
      record.error = { code: (e as { code?: string }).code ?? 'ERROR', message: (e as Error).message };
      await saveRecord(store, record).catch(() => undefined);
    }
    if (e instanceof AofRestoreError) e.context.restoreId = record.restoreId;
    throw e;
  }
}

function newRecord(source: string, manifest: AofSnapshotManifest, target: string, mode: 'load' | 'file', options: Record<string, unknown>, restoreId?: string): RestoreRecord {
  const startedAt = new Date();
  return { restoreId: restoreId ?? newRestoreId(startedAt), source, snapshotId: manifest.snapshotId, target, mode, options, startedAt: startedAt.toISOString(), status: 'running' };
}

/** Load mode for a stored AOF snapshot, with its restore record and report saved like an RDB restore's. */
export async function restoreAofSnapshot(
  request: AofLoadOptions & UnsupportedForAof & { store: SnapshotStore; source: string; manifest: AofSnapshotManifest; target: RedisEndpoint; /** Run under this id (handed out by the caller) instead of a new one. */ restoreId?: string },
): Promise<AofSnapshotLoadReport> {
  refuseUnsupported(request);
  const { store, source, manifest } = request;
  const options = { dbs: request.dbs, dbMap: request.dbMap, flush: request.flush, replace: request.replace, allowLossy: request.allowLossy, until: request.until?.toISOString(), untilWithoutTimestamps: request.untilWithoutTimestamps };
  const record = newRecord(source, manifest, describeEndpoint(request.target), 'load', options, request.restoreId);
  return recorded(store, record, request.dryRun === true, () => loadAof({ ...request, source: storeAofSource(store, manifest) }));
}

/** File mode for a stored AOF snapshot: the appendonlydir (or appendonly.aof) written into a data directory. */
export async function restoreAofSnapshotToDirectory(request: { store: SnapshotStore; source: string; manifest: AofSnapshotManifest; dataDir: string; force?: boolean }): Promise<AofSnapshotFileReport> {
  const { store, source, manifest } = request;
  const record = newRecord(source, manifest, request.dataDir, 'file', { dir: request.dataDir, force: request.force === true });
  const report = await recorded(store, record, false, () => writeAofFiles({ source: storeAofSource(store, manifest), dataDir: request.dataDir, force: request.force }));
  return { ...report, status: 'completed' };
}
