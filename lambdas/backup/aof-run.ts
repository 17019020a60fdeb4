import { openAofImport } from '../capture/aof-import';
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
