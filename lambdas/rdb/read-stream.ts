import { createReadStream } from 'node:fs';
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

/** Streams an RDB file from disk through a reader, in `chunkSize` reads (default 1 MiB). */
export function readRdbFile(path: string, options: RdbReaderOptions, chunkSize = 1 << 20): Promise<ReadResult> {
  return readRdbStream(createReadStream(path, { highWaterMark: chunkSize }), options);
}
