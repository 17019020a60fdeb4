import { createHash } from 'node:crypto';
import { ZstdFrame } from '../backup/zstd-frame';
import { ManifestChunk, SnapshotManifest } from '../catalog/manifest';
import { dataKey } from '../store/layout';
import { SnapshotStore } from '../store/store';
import { RestoreError } from './errors';

/** A chunk whose stored and raw bytes both matched the manifest's SHA-256. */
export interface VerifiedChunk {
  chunk: ManifestChunk;
  /** The chunk's raw RDB bytes, in pieces. */
  raw: Buffer[];
}

/** Downloads, checks and decompresses one chunk. Nothing of it is returned unless both hashes match. */
export async function fetchVerifiedChunk(store: SnapshotStore, manifest: SnapshotManifest, chunk: ManifestChunk): Promise<VerifiedChunk> {
  const key = dataKey(manifest.source, manifest.snapshotId, manifest.stored.object);
  const stream = await store.getStream(key, { start: chunk.stored.offset, end: chunk.stored.offset + chunk.stored.length });
  const storedHash = createHash('sha256');
  const rawHash = createHash('sha256');
  const raw: Buffer[] = [];
  let storedBytes = 0;
  let rawBytes = 0;
  const frame = ZstdFrame.decompress();
  const corrupt = (what: string, cause?: unknown): RestoreError =>
    new RestoreError(
      'RESTORE_CHUNK_CORRUPT',
      `Chunk ${chunk.index} of snapshot ${manifest.snapshotId} is corrupt in the store (${what}); nothing from it was written. Use another snapshot, or check the store`,
      { snapshotId: manifest.snapshotId, chunk: chunk.index },
      { cause },
    );
  const take = (out: Buffer[]): void => {
    for (const b of out) {
      rawHash.update(b);
      rawBytes += b.length;
      raw.push(b);
    }
  };
  // A damaged frame can fail to decompress at all (zstd checks its own checksum): that is corruption too.
  const decode = async (step: Promise<Buffer[]>): Promise<void> => {
    try {
      take(await step);
    } catch (e) {
      throw corrupt(`its zstd frame does not decompress: ${(e as Error).message}`, e);
    }
  };
  try {
    for await (const piece of stream) {
      const buf = piece as Buffer;
      storedHash.update(buf);
      storedBytes += buf.length;
      await decode(frame.write(buf));
    }
    await decode(frame.end());
  } finally {
    frame.destroy();
    stream.destroy();
  }
  if (storedBytes !== chunk.stored.length || storedHash.digest('hex') !== chunk.storedSha256) throw corrupt('stored bytes do not match their SHA-256');
  if (rawBytes !== chunk.raw.length || rawHash.digest('hex') !== chunk.sha256) throw corrupt('decompressed bytes do not match their SHA-256');
  return { chunk, raw };
}

/**
 * Yields verified chunks in order from `fromChunk`, fetching the next one while
 * the caller writes the current one.
 */
export async function* verifiedChunks(store: SnapshotStore, manifest: SnapshotManifest, fromChunk = 0): AsyncGenerator<VerifiedChunk> {
  const chunks = manifest.chunks.slice(fromChunk);
  let next: Promise<VerifiedChunk> | null = chunks.length > 0 ? fetchVerifiedChunk(store, manifest, chunks[0]) : null;
  for (let i = 0; i < chunks.length; i++) {
    const current = await (next as Promise<VerifiedChunk>);
    next = i + 1 < chunks.length ? fetchVerifiedChunk(store, manifest, chunks[i + 1]) : null;
    // A prefetch that fails while the current chunk is being written is reported when it is reached.
    next?.catch(() => undefined);
    yield current;
  }
}
