import { AofCapture } from '../capture/aof-types';
import { aofObjectName, AofSnapshotFile, AofSnapshotManifest } from '../catalog/aof-manifest';
import { newSnapshotId } from '../catalog/snapshot-id';
import { validateAofManifest } from '../catalog/validate-manifest';
import { dataKey } from '../store/layout';
import { SnapshotStore } from '../store/store';
import { buildAofManifest } from './aof-build-manifest';
import { AofFileWriter, AofRdbInfo } from './aof-file-writer';
import { withSourceLock } from './source-lock';
import { commitManifest } from './commit-manifest';
import { compressManifestFile } from './aof-manifest-file';
import { DEFAULT_COMPRESSION_LEVEL, PipelineProgress } from './pipeline';

async function* once(body: Buffer): AsyncGenerator<Buffer> {
  yield body;
}

export interface AofSnapshotOptions {
  store: SnapshotStore;
  /** Source name: the folder snapshots are filed under. */
  source: string;
  /** The endpoint without secrets, recorded in the manifest (null for imports). */
  endpoint: string | null;
  /** zstd level (default 3). */
  compressionLevel?: number;
  /** How long the source lock lasts without a refresh (default 15 min). */
  lockTtlMs?: number;
  onProgress?: (progress: PipelineProgress) => void;
  signal?: AbortSignal;
  /** Clock, for tests. */
  now?: () => Date;
}

/**
 * Takes one AOF snapshot: under the source lock, starts the capture (a pinned,
 * consistent AOF set), streams each file once into `<source>/snapshots/<id>/aof/<file>.zst`
 * (verified as it passes: commands, RDB preamble, truncated tail only in the last
 * file), stores the AOF manifest, and commits by creating manifest.json last. On a
 * failure nothing is committed: uploads in progress are aborted, objects already
 * written are deleted. The capture is closed (pins removed) whatever happens.
 */
export async function takeAofSnapshot(startCapture: (signal: AbortSignal) => Promise<AofCapture>, options: AofSnapshotOptions): Promise<AofSnapshotManifest> {
  const { store, source } = options;
  const now = options.now ?? (() => new Date());
  const level = options.compressionLevel ?? DEFAULT_COMPRESSION_LEVEL;
  return withSourceLock(store, source, { ttlMs: options.lockTtlMs ?? 15 * 60_000, signal: options.signal }, async (signal) => {
    const startedAt = now();
    const snapshotId = newSnapshotId(startedAt);
    const written: string[] = [];
    let capture: AofCapture | null = null;
    try {
      capture = await startCapture(signal);
      const files: AofSnapshotFile[] = [];
      const progress = { rawBytes: 0, storedBytes: 0, keys: 0 };
      const put = async (name: string, body: AsyncIterable<Buffer> | Buffer): Promise<string> => {
        const object = aofObjectName(name);
        const key = dataKey(source, snapshotId, object);
        // Listed before the upload starts: a failure after the object became visible still deletes it.
        written.push(key);
        await store.putStream(key, Buffer.isBuffer(body) ? once(body) : body, { signal, contentType: 'application/zstd' });
        return object;
      };
      if (capture.layout === 'multi-part') {
        const m = await compressManifestFile(capture, level);
        files.push({ ...m.entry, object: await put(m.entry.name, m.body) });
      }
      let rdb: AofRdbInfo | null = null;
      let firstByteAt: number | null = null;
      for (const file of capture.files) {
        const writer = new AofFileWriter(file, {
          compressionLevel: level,
          signal,
          onBytes: (raw, stored) => {
            progress.rawBytes += raw;
            progress.storedBytes += stored;
            options.onProgress?.({ ...progress });
          },
        });
        const object = await put(file.name, writer.body());
        const outcome = writer.result();
        files.push({ ...outcome.entry, object });
        if (outcome.rdb !== null && rdb === null) {
          rdb = outcome.rdb;
          progress.keys = rdb.keys;
        }
        firstByteAt ??= outcome.firstByteAt;
      }
      const manifest = validateAofManifest(
        buildAofManifest({ snapshotId, source, endpoint: options.endpoint, startedAt, finishedAt: now(), firstByteAt, capture, files, rdb, compressionLevel: level }),
        `of snapshot ${snapshotId}`,
      );
      await commitManifest(store, source, snapshotId, manifest);
      return manifest;
    } catch (e) {
      if (written.length > 0) await store.delete(written).catch(() => undefined);
      throw e;
    } finally {
      await capture?.close().catch(() => undefined);
    }
  });
}
