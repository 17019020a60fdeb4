import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { EofRecord } from './records';
import { RdbReader, RdbReaderOptions } from './reader';

export interface ReadResult {
  eof: EofRecord;
  rdbVersion: number;
  /** Bytes that followed the RDB trailer. */
  trailingBytes: number;
}

/** Pushes every chunk of `source` through a new RdbReader. */
export async function readRdbStream(source: AsyncIterable<Buffer | Uint8Array>, options: RdbReaderOptions): Promise<ReadResult> {
  const reader = new RdbReader(options);
  for await (const chunk of source) reader.write(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  const eof = reader.end();
  return { eof, rdbVersion: reader.rdbVersion, trailingBytes: reader.trailing };
}

/**
 * Streams an RDB file from disk through a reader, in `chunkSize` reads. The default
 * (256 KiB) keeps peak memory low: chunks wait for the garbage collector once parsed.
 */
export function readRdbFile(path: string, options: RdbReaderOptions, chunkSize = 256 << 10): Promise<ReadResult> {
  return readRdbStream(createReadStream(path, { highWaterMark: chunkSize }), options);
}

/**
 * Reads a file through a reader with `transientInput`, reusing two read buffers:
 * memory stays flat whatever the file size. Records' buffers are valid only during onRecord.
 */
export async function readRdbFileTransient(path: string, options: RdbReaderOptions, chunkSize = 256 << 10): Promise<ReadResult> {
  const reader = new RdbReader({ ...options, transientInput: true });
  const ring = [Buffer.allocUnsafe(chunkSize), Buffer.allocUnsafe(chunkSize)];
  const file = await open(path, 'r');
  try {
    // Read ahead: the next chunk is read into the other buffer while this one is parsed
    // (the reader keeps nothing of a transient chunk once write returns).
    let next = file.read(ring[0], 0, chunkSize, null);
    for (let i = 0; ; i++) {
      const { bytesRead } = await next;
      if (bytesRead === 0) break;
      const buf = ring[i & 1];
      next = file.read(ring[(i + 1) & 1], 0, chunkSize, null);
      reader.write(bytesRead === chunkSize ? buf : buf.subarray(0, bytesRead));
    }
  } finally {
    await file.close();
  }
  const eof = reader.end();
  return { eof, rdbVersion: reader.rdbVersion, trailingBytes: reader.trailing };
}
