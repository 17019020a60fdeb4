import { createHash } from 'node:crypto';
import { ZstdFrame } from '../backup/zstd-frame';
import { ManifestChunk, SnapshotManifest } from '../catalog/manifest';
import { dataKey } from '../store/layout';
import { SnapshotStore } from '../store/store';
import { ChunkSpool } from './chunk-spool';
import { readAhead } from './read-ahead';
import { RestoreError } from './errors';

/**
 * A chunk whose stored bytes matched the manifest's SHA-256. The stored bytes
 * determine the raw ones (zstd decoding is deterministic), so nothing is used
 * before that check; the raw bytes are checked against their own SHA-256 too as
 * they are decompressed, and the end of `raw` throws if they differ (a manifest
 * that contradicts itself).
 */
export interface VerifiedChunk {
  chunk: ManifestChunk;
  /** The chunk's raw RDB bytes, decompressed as they are read, in pieces of 128 KiB to 1 MiB. Read once. */
  raw: AsyncIterable<Buffer>;
  /** Frees the chunk's spool (memory or temporary file). */
  dispose(): Promise<void>;
}

export interface VerifiedChunkOptions {
  /** Stored bytes of one chunk kept in memory; beyond that the chunk is spooled to a temporary file (default 8 MiB). */
  memoryBudget?: number;
  /** Where spool files go (default the OS temporary directory). */
  spoolDir?: string;
}

const DEFAULT_MEMORY_BUDGET = 8 << 20;
/** The decoder's output buffer size: raw bytes are handed out in pieces of up to that, so big keys rarely straddle two. */
const RAW_PIECE = 256 << 10;
/** Smaller output pieces are joined up to this before they are handed out. */
const MIN_PIECE = 64 << 10;
/** Raw bytes decompressed ahead of the parser, so decompressing and writing keys overlap. */
const RAW_READ_AHEAD = 2 << 20;
/** Stored bytes fed to the decompressor at a time. */
const STORED_PIECE = 1 << 20;

function chunkCorrupt(manifest: SnapshotManifest, chunk: ManifestChunk, what: string, written: boolean, cause?: unknown): RestoreError {
  const outcome = written
    ? 'keys from it before this point were written. Its stored bytes matched their SHA-256, so the snapshot manifest contradicts itself: check the backup that wrote it'
    : 'nothing from it was written. Use another snapshot, or check the store';
  return new RestoreError(
    'RESTORE_CHUNK_CORRUPT',
    `Chunk ${chunk.index} of snapshot ${manifest.snapshotId} is corrupt in the store (${what}); ${outcome}`,
    { snapshotId: manifest.snapshotId, chunk: chunk.index },
    { cause },
  );
}

/** Decompresses a spooled chunk piece by piece, checking the raw length and SHA-256 at the end. */
async function* rawPieces(manifest: SnapshotManifest, chunk: ManifestChunk, spool: ChunkSpool): AsyncGenerator<Buffer> {
  const rawHash = createHash('sha256');
  let rawBytes = 0;
  let group: Buffer[] = [];
  let groupBytes = 0;
  const frame = ZstdFrame.decompress(RAW_PIECE);
  // A frame that fails to decompress after its stored bytes matched: the manifest is wrong.
  const decode = async (step: Promise<Buffer[]>): Promise<Buffer[]> => {
    try {
      return await step;
    } catch (e) {
      throw chunkCorrupt(manifest, chunk, `its zstd frame does not decompress: ${(e as Error).message}`, rawBytes > 0, e);
    }
  };
  const pieces: Buffer[] = [];
  const take = (out: Buffer[]): void => {
    for (const b of out) {
      rawHash.update(b);
      rawBytes += b.length;
      group.push(b);
      groupBytes += b.length;
      // The decoder's output buffers are RAW_PIECE bytes: most pieces go out as they are, small ones joined.
      if (groupBytes >= MIN_PIECE) {
        pieces.push(group.length === 1 ? group[0] : Buffer.concat(group, groupBytes));
        group = [];
        groupBytes = 0;
      }
    }
  };
  try {
    // The decoder is done with a stored piece once its write resolves (pieces of at least its
    // 16 KiB buffer wait for 'drain'; a smaller one can only be the last), so the spool may reuse it.
    for await (const stored of spool.read(STORED_PIECE)) {
      take(await decode(frame.write(stored)));
      while (pieces.length > 0) yield pieces.shift()!;
    }
    take(await decode(frame.end()));
    while (pieces.length > 0) yield pieces.shift()!;
    if (groupBytes > 0) yield Buffer.concat(group, groupBytes);
  } finally {
    frame.destroy();
  }
  if (rawBytes !== chunk.raw.length || rawHash.digest('hex') !== chunk.sha256) throw chunkCorrupt(manifest, chunk, 'decompressed bytes do not match their SHA-256', true);
}

/** Downloads one chunk into a spool and checks its stored bytes. Nothing of it is returned unless they match. */
export async function fetchVerifiedChunk(store: SnapshotStore, manifest: SnapshotManifest, chunk: ManifestChunk, options: VerifiedChunkOptions = {}): Promise<VerifiedChunk> {
  const key = dataKey(manifest.source, manifest.snapshotId, manifest.stored.object);
  const spool = new ChunkSpool(options.memoryBudget ?? DEFAULT_MEMORY_BUDGET, options.spoolDir);
  try {
    const stream = await store.getStream(key, { start: chunk.stored.offset, end: chunk.stored.offset + chunk.stored.length });
    const storedHash = createHash('sha256');
    try {
      for await (const piece of stream) {
        const buf = piece as Buffer;
        storedHash.update(buf);
        await spool.write(buf);
      }
    } finally {
      stream.destroy();
    }
    await spool.seal();
    if (spool.size !== chunk.stored.length || storedHash.digest('hex') !== chunk.storedSha256) throw chunkCorrupt(manifest, chunk, 'stored bytes do not match their SHA-256', false);
  } catch (e) {
    await spool.dispose();
    throw e;
  }
  return { chunk, raw: readAhead(rawPieces(manifest, chunk, spool), RAW_READ_AHEAD), dispose: () => spool.dispose() };
}

/**
 * Yields verified chunks in order from `fromChunk`, fetching the next one while the
 * caller uses the current one. Each chunk is disposed once the caller moves on.
 */
export async function* verifiedChunks(store: SnapshotStore, manifest: SnapshotManifest, fromChunk = 0, options: VerifiedChunkOptions = {}): AsyncGenerator<VerifiedChunk> {
  const chunks = manifest.chunks.slice(fromChunk);
  let next: Promise<VerifiedChunk> | null = chunks.length > 0 ? fetchVerifiedChunk(store, manifest, chunks[0], options) : null;
  try {
    for (let i = 0; i < chunks.length; i++) {
      const current = await (next as Promise<VerifiedChunk>);
      next = i + 1 < chunks.length ? fetchVerifiedChunk(store, manifest, chunks[i + 1], options) : null;
      // A prefetch that fails while the current chunk is being written is reported when it is reached.
      next?.catch(() => undefined);
      try {
        yield current;
      } finally {
        await current.dispose();
      }
    }
  } finally {
    // Stopped early (an error, or the caller broke off): the prefetched chunk's spool goes too.
    if (next !== null) await next.then((c) => c.dispose(), () => undefined);
  }
}
