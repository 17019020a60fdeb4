import { captureBgsave, captureFile, captureReplication } from '../capture';
import { describeEndpoint, RedisEndpoint } from '../capture/endpoint';
import { CaptureError } from '../capture/errors';
import { CaptureTimeouts } from '../capture/types';
import { SnapshotManifest } from '../catalog/manifest';
import { SnapshotOptions, takeSnapshot } from './take-snapshot';

export type BackupMethod = 'replication' | 'bgsave';

export interface BackupRequest extends Omit<SnapshotOptions, 'endpoint'> {
  endpoint: RedisEndpoint;
  /** 'replication' (default): stream a fresh RDB over the replication protocol; 'bgsave': BGSAVE and read the file from dataDir. */
  method?: BackupMethod;
  /** bgsave: where the server's data directory is mounted. */
  dataDir?: string;
  /** bgsave: the RDB file name (default: CONFIG GET dbfilename, else dump.rdb). */
  dbfilename?: string;
  /** replication: the sync command, when a service renames it. */
  syncCommand?: string;
  timeouts?: Partial<CaptureTimeouts>;
}

/** Captures a live server into a committed snapshot. */
export function runBackup(request: BackupRequest): Promise<SnapshotManifest> {
  const method = request.method ?? 'replication';
  const { endpoint, timeouts } = request;
  if (method === 'bgsave' && !request.dataDir) {
    throw new CaptureError('CAPTURE_DATA_DIR', 'The bgsave method needs the directory where the server writes its RDB (--data-dir)', { host: endpoint.host, port: endpoint.port });
  }
  const start =
    method === 'bgsave'
      ? (signal: AbortSignal) => captureBgsave({ endpoint, dataDir: request.dataDir as string, dbfilename: request.dbfilename, timeouts, signal })
      : (signal: AbortSignal) => captureReplication({ endpoint, timeouts, syncCommand: request.syncCommand, signal });
  return takeSnapshot(start, { ...request, endpoint: describeEndpoint(endpoint) });
}

export interface ImportRequest extends Omit<SnapshotOptions, 'endpoint'> {
  /** An RDB file: a dump.rdb, or an RDB exported by a managed service. */
  path: string;
}

/** Stores an existing RDB file as a snapshot, verified and indexed like a captured one. */
export function runImport(request: ImportRequest): Promise<SnapshotManifest> {
  return takeSnapshot((signal) => captureFile(request.path, { signal }), { ...request, endpoint: null });
}
