import { createHash, Hash } from 'node:crypto';
import { ManifestChunk } from '../catalog/manifest';
import { Crc64Worker } from '../rdb/crc64-worker';
import { checksumMismatch, RdbError } from '../rdb/errors';
import { EofRecord, RdbRecord } from '../rdb/records';
import { RdbReader } from '../rdb/reader';
import { RdbSummary, SummaryCollector } from '../rdb/summary';
import { BatchPool } from './batch-pool';
import { ZstdFrame } from './zstd-frame';

export interface PipelineOptions {
  /** Raw bytes per chunk (each chunk is one zstd frame, cut at a key-record boundary). Default 64 MiB. */
  chunkBytes?: number;
  /** zstd level (default DEFAULT_COMPRESSION_LEVEL). */
  compressionLevel?: number;
  /**
   * Checksum the RDB on a worker thread (default false). The pipeline already keeps zlib's thread
   * busy beside the main one; measured, the worker cost more in copies, wake-ups and memory (its
   * own V8 isolate, about 15 MB) than the CRC it takes off the main thread.
   */
  crcWorker?: boolean;
  onProgress?: (progress: PipelineProgress) => void;
}

export interface PipelineProgress {
  rawBytes: number;
  storedBytes: number;
  keys: number;
}

export interface PipelineResult {
  summary: RdbSummary;
  eof: EofRecord;
  raw: { bytes: number; sha256: string };
  stored: { bytes: number; sha256: string };
  chunks: ManifestChunk[];
  /** When the first payload byte arrived (ms since epoch), or null if none did. */
  firstByteAt: number | null;
}

export const DEFAULT_CHUNK_BYTES = 64 << 20;
/**
 * zstd level 1. In the capture bench it stores 2% (random values) to 3% (compressible ones) more
 * than level 3 for about half the compression CPU, and capture time is what the live server pays
 * for: its fork's copy-on-write lasts as long as the capture. Higher levels are an option away.
 */
export const DEFAULT_COMPRESSION_LEVEL = 1;
/** Raw bytes hashed and handed to the compressor at once. */
const RAW_BATCH_BYTES = 1 << 20;
/** Raw bytes the compressor may have queued before the pipeline waits for it (it works on zlib's thread pool meanwhile). */
const QUEUED_RAW_BYTES = 2 << 20;
/** Size of the compressed pieces given to the store: also zlib's output buffer, so one compressor trip per raw batch of random data. */
const STORED_PIECE_BYTES = 1 << 20;

interface OpenChunk {
  index: number;
  rawOffset: number;
  storedOffset: number;
  storedLength: number;
  db: number;
  rawHash: Hash;
  storedHash: Hash;
}

/**
 * The streaming heart of a backup: RDB bytes flow once through the RDB reader
 * (structure and CRC-64 verified as they pass, keys counted), SHA-256 of the raw
 * stream, and zstd, cut into chunks of about `chunkBytes` at key-record
 * boundaries, each chunk its own zstd frame. `store` receives the compressed
 * body as an async iterable and must consume it to the end (an upload); when
 * anything fails the iteration throws and the store discards what it wrote.
 */
export async function runSnapshotPipeline(
  payload: AsyncIterable<Buffer>,
  store: (body: AsyncIterable<Buffer>) => Promise<unknown>,
  options: PipelineOptions = {},
): Promise<PipelineResult> {
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const level = options.compressionLevel ?? DEFAULT_COMPRESSION_LEVEL;
  const collector = new SummaryCollector(0);
  const crcWorker = options.crcWorker === true ? new Crc64Worker() : null;

  const rawHash = createHash('sha256');
  const storedHash = createHash('sha256');
  let rawBytes = 0;
  let storedBytes = 0;
  let keys = 0;
  let firstByteAt: number | null = null;

  // Cut decisions come from the reader (at entries); raw bytes are fed to the compressor only up to
  // what the reader has consumed, so a cut can never fall inside bytes already compressed.
  const cuts: Array<{ offset: number; db: number }> = [];
  const keysPerChunk: number[] = [0];
  let lastCut = 0;
  const onRecord = (r: RdbRecord): void => {
    collector.onRecord(r);
    if (r.kind !== 'entry') return;
    const { offset, db } = r.entry;
    if (offset - lastCut >= chunkBytes) {
      cuts.push({ offset, db });
      lastCut = offset;
      keysPerChunk.push(0);
    }
    keysPerChunk[keysPerChunk.length - 1]++;
    keys++;
  };
  const reader = new RdbReader({ onRecord, crcSink: crcWorker ?? undefined });

  const pending: Buffer[] = [];
  let pendingStart = 0; // absolute offset of pending[0][0]
  let fedUpTo = 0;
  // Raw bytes of the current chunk not yet given to the compressor: copied into a pooled buffer and
  // handed over (and hashed) RAW_BATCH_BYTES at a time, since each compressor write is a trip to
  // zlib's thread pool; the buffer is reused once zlib has consumed it.
  const pool = new BatchPool(RAW_BATCH_BYTES, QUEUED_RAW_BYTES / RAW_BATCH_BYTES + 2);
  let batch: Buffer | null = null;
  let batchFill = 0;
  const chunks: ManifestChunk[] = [];
  const openChunk = (rawOffset: number, db: number): OpenChunk => ({
    index: chunks.length,
    rawOffset,
    storedOffset: storedBytes,
    storedLength: 0,
    db,
    rawHash: createHash('sha256'),
    storedHash: createHash('sha256'),
  });
  // One compressor for every chunk: each chunk ends its frame and the next one starts a new frame
  // in the same context, so the compressor's memory is allocated once, not once per chunk.
  const compressor = ZstdFrame.compress(level, { outputBytes: STORED_PIECE_BYTES, queuedInputBytes: QUEUED_RAW_BYTES });
  let current = openChunk(0, 0);

  const emit = (out: Buffer[]): Buffer[] => {
    for (const b of out) {
      storedHash.update(b);
      current.storedHash.update(b);
      current.storedLength += b.length;
      storedBytes += b.length;
    }
    return out;
  };

  /** Hashes and compresses the batched raw bytes. */
  async function* flushBatch(): AsyncGenerator<Buffer> {
    if (batch === null || batchFill === 0) return;
    const buffer = batch;
    const raw = buffer.subarray(0, batchFill);
    batch = null;
    batchFill = 0;
    rawHash.update(raw);
    current.rawHash.update(raw);
    yield* emit(await compressor.write(raw, () => pool.give(buffer)));
  }

  /** Moves raw bytes [fedUpTo, upTo) from `pending` into the current chunk. */
  async function* feed(upTo: number): AsyncGenerator<Buffer> {
    while (fedUpTo < upTo) {
      const head = pending[0];
      const from = fedUpTo - pendingStart;
      batch ??= pool.take();
      const n = Math.min(head.length - from, upTo - fedUpTo, batch.length - batchFill);
      head.copy(batch, batchFill, from, from + n);
      batchFill += n;
      fedUpTo += n;
      if (from + n === head.length) {
        pending.shift();
        pendingStart += head.length;
      }
      if (batchFill === batch.length) yield* flushBatch();
    }
  }

  async function* closeChunk(): AsyncGenerator<Buffer> {
    yield* flushBatch();
    yield* emit(await compressor.endFrame());
    chunks.push({
      index: current.index,
      raw: { offset: current.rawOffset, length: fedUpTo - current.rawOffset },
      stored: { offset: current.storedOffset, length: current.storedLength },
      db: current.db,
      sha256: current.rawHash.digest('hex'),
      storedSha256: current.storedHash.digest('hex'),
      keys: keysPerChunk[current.index] ?? 0,
    });
  }

  let eof: EofRecord | null = null;
  async function* produce(): AsyncGenerator<Buffer> {
    for await (const buf of payload) {
      if (buf.length === 0) continue;
      firstByteAt ??= Date.now();
      rawBytes += buf.length;
      pending.push(buf);
      reader.write(buf);
      for (const cut of cuts.splice(0)) {
        yield* feed(cut.offset);
        yield* closeChunk();
        current = openChunk(cut.offset, cut.db);
      }
      // Not `consumed`: a key's prefix read before the key itself must stay with the key's chunk.
      yield* feed(reader.recordBoundary);
      options.onProgress?.({ rawBytes, storedBytes, keys });
    }
    const end = reader.end();
    // The CRC is settled before the last bytes go out, so a bad payload aborts the upload.
    if (crcWorker !== null && end.checksum === 'deferred' && end.storedCrc !== null) {
      const computed = await crcWorker.digest();
      if (computed.toString(16).padStart(16, '0') !== end.storedCrc) throw checksumMismatch(end.storedCrc, computed, end.offset + 1);
      eof = { ...end, checksum: 'ok' };
    } else {
      eof = end;
    }
    if (reader.trailing > 0) {
      throw new RdbError('RDB_CORRUPT', `${reader.trailing} unexpected bytes after the end of the RDB payload`, { offset: end.size }, 'The source sent more than one RDB; capture again');
    }
    yield* feed(rawBytes);
    yield* closeChunk();
    options.onProgress?.({ rawBytes, storedBytes, keys });
  }

  // The first failure inside the stream is the cause; the store may wrap or replace it while aborting.
  let streamFailure: unknown = null;
  async function* guarded(): AsyncGenerator<Buffer> {
    try {
      yield* produce();
    } catch (e) {
      streamFailure = e;
      throw e;
    }
  }

  try {
    try {
      await store(guarded());
    } catch (e) {
      throw streamFailure ?? e;
    }
    if (eof === null) throw new Error('The snapshot store did not consume the whole snapshot stream');
    const end: EofRecord = eof;
    const summary = collector.result();
    summary.checksum = end.checksum;
    return {
      summary,
      eof: end,
      raw: { bytes: rawBytes, sha256: rawHash.digest('hex') },
      stored: { bytes: storedBytes, sha256: storedHash.digest('hex') },
      chunks,
      firstByteAt,
    };
  } finally {
    compressor.destroy();
    await crcWorker?.close();
  }
}
