import { captureAof, AofCaptureOptions } from '../capture/aof-capture';
import { openAofImport } from '../capture/aof-import';
import { describeEndpoint, RedisEndpoint } from '../capture/endpoint';
import { CaptureError } from '../capture/errors';
import { CaptureTimeouts } from '../capture/types';
import { AofSnapshotManifest } from '../catalog/aof-manifest';
import { AofSnapshotOptions, takeAofSnapshot } from './aof-snapshot';

export interface AofImportRequest extends Omit<AofSnapshotOptions, 'endpoint'> {
  /** An AOF: an appendonlydir (or the data directory holding it), its manifest, or an old single appendonly.aof. */
  path: string;
}

/** Stores an existing AOF as a snapshot of kind aof, verified and indexed like a captured one. */
export function runAofImport(request: AofImportRequest): Promise<AofSnapshotManifest> {
  return takeAofSnapshot(() => openAofImport(request.path), { ...request, endpoint: null });
}

export interface AofBackupRequest extends Omit<AofSnapshotOptions, 'endpoint'> {
  endpoint: RedisEndpoint;
  /** Where the server's data directory is mounted. */
  dataDir: string;
  /** Run a BGREWRITEAOF first and wait for it (default false). */
  rewrite?: boolean;
  timeouts?: Partial<CaptureTimeouts>;
  /** Capture options for tests: open handles instead of hard links, pin attempts, poll interval. */
  capture?: Pick<AofCaptureOptions, 'handlesOnly' | 'pinAttempts' | 'pollMs'>;
}

/**
 * Captures a live server's AOF (bgsave method, data directory mounted) into a committed
 * snapshot of kind aof: a consistent, pinned set while rewrites are paused, each file
 * verified and stored, the server's settings restored and the pins removed whatever happens.
 */
export function runAofBackup(request: AofBackupRequest): Promise<AofSnapshotManifest> {
  const { endpoint } = request;
  if (!request.dataDir) {
    throw new CaptureError('CAPTURE_DATA_DIR', 'The AOF backup reads the files from the server\'s data directory: give --data-dir', { host: endpoint.host, port: endpoint.port });
  }
  return takeAofSnapshot(
    (signal) => captureAof({ endpoint, dataDir: request.dataDir, rewrite: request.rewrite, timeouts: request.timeouts, signal, ...request.capture }),
    { ...request, endpoint: describeEndpoint(endpoint) },
  );
}
