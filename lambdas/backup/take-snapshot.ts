import { Capture } from '../capture/types';
import { SnapshotManifest } from '../catalog/manifest';
import { newSnapshotId } from '../catalog/snapshot-id';
import { validateManifest } from '../catalog/validate-manifest';
import { dataKey } from '../store/layout';
import { SnapshotStore } from '../store/store';
import { buildManifest } from './build-manifest';
import { DEFAULT_COMPRESSION_LEVEL, PipelineOptions, runSnapshotPipeline } from './pipeline';
import { withSourceLock } from './source-lock';
import { commitManifest } from './commit-manifest';

export interface SnapshotOptions extends PipelineOptions {
  store: SnapshotStore;
  /** Source name: the folder snapshots are filed under. */
  source: string;
  /** The endpoint without secrets, recorded in the manifest (null for imports). */
  endpoint: string | null;
  /** How long the source lock lasts without a refresh (default 15 min; refreshed every third of it; losing it aborts the run). */
  lockTtlMs?: number;
  signal?: AbortSignal;
  /** Clock, for tests. */
  now?: () => Date;
}

/**
 * Takes one snapshot: locks the source, starts the capture, streams it through
 * the pipeline into `<source>/snapshots/<id>/data.rdb.zst`, and commits by
 * creating the manifest last (a conditional create). On any failure nothing is
 * committed: the upload is aborted, a data object already written is deleted,
 * and the lock is released.
 */
export async function takeSnapshot(startCapture: (signal: AbortSignal) => Promise<Capture>, options: SnapshotOptions): Promise<SnapshotManifest> {
  const { store, source } = options;
  const now = options.now ?? (() => new Date());
  const lockTtlMs = options.lockTtlMs ?? 15 * 60_000;
  return withSourceLock(store, source, { ttlMs: lockTtlMs, signal: options.signal }, async (signal) => {
    let capture: Capture | null = null;
    const startedAt = now();
    const snapshotId = newSnapshotId(startedAt);
    const key = dataKey(source, snapshotId);
    let dataWritten = false;
    try {
      capture = await startCapture(signal);
      const level = options.compressionLevel ?? DEFAULT_COMPRESSION_LEVEL;
      const pipeline = await runSnapshotPipeline(
        capture.payload,
        async (body) => {
          await store.putStream(key, body, { signal, contentType: 'application/zstd' });
          dataWritten = true;
        },
        options,
      );
      const manifest = validateManifest(
        buildManifest({ snapshotId, source, endpoint: options.endpoint, startedAt, finishedAt: now(), capture: capture.info, pipeline, compressionLevel: level }),
        `of snapshot ${snapshotId}`,
      );
      await commitManifest(store, source, snapshotId, manifest);
      return manifest;
    } catch (e) {
      if (dataWritten) await store.delete([key]).catch(() => undefined);
      throw e;
    } finally {
      await capture?.close().catch(() => undefined);
    }
  });
}
