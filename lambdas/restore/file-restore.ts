import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import Redis from 'ioredis';
import { describeEndpoint, RedisEndpoint } from '../capture/endpoint';
import { resolveSnapshot, SnapshotSelector } from '../catalog/catalog';
import { requireRdbManifest } from '../catalog/snapshot-kind';
import { SnapshotStore } from '../store/store';
import { RestoreError } from './errors';
import { partialResyncVerdict, PartialResyncVerdict } from './psync-check';
import { RdbFileProgress, writeRdbFile } from './rdb-file';
import { readReplication, readSyncCounters } from './replication-info';
import { newRestoreId, RestoreRecord, saveRecord, saveReport } from './restore-record';
import { joinSeededReplica, SeededReplicaReport } from './seed-replica';
import { connectControl } from './target-client';

export interface FileRestoreRequest {
  store: SnapshotStore;
  source: string;
  selector: SnapshotSelector;
  /** An existing directory: the data directory (`dir`) of the server that will load the RDB. */
  dir: string;
  /** The server's `dbfilename` (default dump.rdb). */
  dbfilename?: string;
  onProgress?: (p: RdbFileProgress) => void;
  /** The master the restored server is meant to follow: report whether it can continue from the snapshot with a partial sync. */
  asReplicaOf?: RedisEndpoint;
  /** A server started on `dir`: point it at `asReplicaOf` with REPLICAOF and report how it synced. */
  startReplica?: RedisEndpoint;
  /** Called once the RDB is in place, before `startReplica` is contacted: start the server here. */
  onWritten?: (path: string) => void | Promise<void>;
  /** startReplica: how long to wait for the server to answer and its link to come up (default 60 s). */
  replicaTimeoutMs?: number;
}

export interface FileRestoreReport {
  restoreId: string;
  source: string;
  snapshotId: string;
  mode: 'file';
  status: 'completed';
  startedAt: string;
  finishedAt: string;
  path: string;
  bytes: number;
  /** Keys in the snapshot (from its manifest). */
  keys: number;
  rdb: { version: number; replId: string | null; replOffset: number | null };
  /** With asReplicaOf: the master's answer to the snapshot's PSYNC, judged after the file was written. */
  partialResync: PartialResyncVerdict | null;
  /** How to start a server on the file (with replicaof when a partial sync is the aim). */
  startWith: string;
  replica: SeededReplicaReport | null;
}

const badRequest = (message: string): RestoreError => new RestoreError('RESTORE_BAD_REQUEST', message);

async function checkRequest(request: FileRestoreRequest, dbfilename: string): Promise<string> {
  if (dbfilename === '' || /[/\\]/.test(dbfilename) || dbfilename === '.' || dbfilename === '..') {
    throw badRequest(`dbfilename must be a plain file name (the server's dbfilename setting), not ${JSON.stringify(dbfilename)}`);
  }
  const dir = resolve(request.dir);
  const info = await stat(dir).catch(() => null);
  if (info === null) throw badRequest(`The restore directory ${dir} does not exist: create it (the server's data directory) first`);
  if (!info.isDirectory()) throw badRequest(`${dir} is not a directory`);
  if (request.startReplica !== undefined && request.asReplicaOf === undefined) throw badRequest('startReplica needs asReplicaOf: the master to point the restored server at');
  return join(dir, dbfilename);
}

function startWith(dir: string, dbfilename: string, master: RedisEndpoint | undefined): string {
  const base = `redis-server --dir ${dir} --dbfilename ${dbfilename}`;
  if (master === undefined) return base;
  const auth = master.password !== undefined ? ` --masterauth <password>${master.username !== undefined ? ` --masteruser ${master.username}` : ''}` : '';
  // Only a server that starts as a replica keeps the RDB's replication ID and can PSYNC with it.
  return `${base} --replicaof ${master.host} ${master.port}${auth} (replicaof in the configuration, not a later REPLICAOF: a server started as a master takes a new replication ID and needs a full sync)`;
}

/**
 * Restores a snapshot as an RDB file for a server to load at startup. The file
 * is written atomically from verified chunks (see writeRdbFile). With
 * `asReplicaOf` it reports whether the master could continue a replica seeded
 * from it with a partial sync; with `startReplica` it also attaches that
 * server to the master and reports how it synced.
 */
export async function restoreToDirectory(request: FileRestoreRequest): Promise<FileRestoreReport> {
  const { store, source } = request;
  const startedAt = new Date();
  const dbfilename = request.dbfilename ?? 'dump.rdb';
  const path = await checkRequest(request, dbfilename);
  const manifest = requireRdbManifest(await resolveSnapshot(store, source, request.selector), 'a file restore');
  const record: RestoreRecord = {
    restoreId: newRestoreId(startedAt),
    source,
    snapshotId: manifest.snapshotId,
    target: path,
    mode: 'file',
    options: {
      dir: request.dir,
      dbfilename,
      asReplicaOf: request.asReplicaOf && describeEndpoint(request.asReplicaOf),
      startReplica: request.startReplica && describeEndpoint(request.startReplica),
    },
    startedAt: startedAt.toISOString(),
    status: 'running',
  };
  let master: Redis | null = null;
  try {
    // Reach the master before writing anything: the check was asked for.
    if (request.asReplicaOf !== undefined) master = await connectControl(request.asReplicaOf);
    await saveRecord(store, record);
    const { bytes } = await writeRdbFile(store, manifest, path, request.onProgress);
    const writtenAt = Date.now();

    let partialResync: PartialResyncVerdict | null = null;
    let replica: SeededReplicaReport | null = null;
    if (master !== null && request.asReplicaOf !== undefined) {
      const baseline = await readSyncCounters(master);
      partialResync = partialResyncVerdict(manifest.rdb, await readReplication(master));
      await request.onWritten?.(path);
      if (request.startReplica !== undefined) {
        replica = await joinSeededReplica({
          replica: request.startReplica,
          master: request.asReplicaOf,
          masterClient: master,
          baseline,
          writtenAt,
          timeoutMs: request.replicaTimeoutMs ?? 60_000,
          notPartialBecause: partialResync.possible ? undefined : partialResync.reason,
        });
      }
    } else await request.onWritten?.(path);

    const finishedAt = new Date().toISOString();
    const report: FileRestoreReport = {
      restoreId: record.restoreId,
      source,
      snapshotId: manifest.snapshotId,
      mode: 'file',
      status: 'completed',
      startedAt: record.startedAt,
      finishedAt,
      path,
      bytes,
      keys: manifest.keys.total,
      rdb: { version: manifest.rdb.version, replId: manifest.rdb.replId, replOffset: manifest.rdb.replOffset },
      partialResync,
      startWith: startWith(resolve(request.dir), dbfilename, request.asReplicaOf),
      replica,
    };
    record.status = 'completed';
    record.finishedAt = finishedAt;
    await saveReport(store, source, record.restoreId, report);
    await saveRecord(store, record);
    return report;
  } catch (e) {
    record.status = 'failed';
    record.finishedAt = new Date().toISOString();
    record.error = { code: (e as { code?: string }).code ?? 'ERROR', message: (e as Error).message };
    await saveRecord(store, record).catch(() => undefined);
    if (e instanceof RestoreError) e.context.restoreId = record.restoreId;
    throw e;
  } finally {
    master?.disconnect();
  }
}
