import { stat } from 'node:fs/promises';
import { Crc64Worker } from './crc64-worker';
import { checksumMismatch, RdbError } from './errors';
import { readRdbFileTransient, readRdbStream, ReadResult } from './read-stream';
import { RdbReaderOptions } from './reader';
import { RdbSummary, SummaryCollector } from './summary';

export interface VerifyOptions {
  /** Walk every element of compact encodings (default true). */
  deep?: boolean;
  /** Accept bytes after the RDB trailer (default false: they are reported as corruption). */
  allowTrailing?: boolean;
  /** Number of biggest keys to keep in the summary (default 10). */
  topKeys?: number;
  emptyKeys?: RdbReaderOptions['emptyKeys'];
  /** Compute the CRC-64 on a worker thread, in parallel with parsing (default: for inputs of 32 MiB or more). */
  crcWorker?: boolean;
}

/** Inputs at least this big pay for starting a checksum thread. */
const WORKER_THRESHOLD = 32 << 20;

async function run(
  read: (options: RdbReaderOptions) => Promise<ReadResult>,
  options: VerifyOptions,
  useWorker: boolean,
): Promise<RdbSummary> {
  const collector = new SummaryCollector(options.topKeys ?? 10);
  const worker = useWorker ? new Crc64Worker() : null;
  try {
    const { trailingBytes, eof } = await read({
      onRecord: collector.onRecord,
      deep: options.deep,
      emptyKeys: options.emptyKeys,
      crcSink: worker ?? undefined,
    });
    const summary = collector.result();
    if (worker !== null && eof.checksum === 'deferred' && eof.storedCrc !== null) {
      const computed = await worker.digest();
      if (computed.toString(16).padStart(16, '0') !== eof.storedCrc) throw checksumMismatch(eof.storedCrc, computed, eof.offset + 1);
      summary.checksum = 'ok';
    }
    if (trailingBytes > 0 && !options.allowTrailing) {
      throw new RdbError(
        'RDB_CORRUPT',
        `${trailingBytes} unexpected bytes after the end of the RDB`,
        { offset: summary.bytes },
        'The file has data appended after the RDB trailer; if it is an AOF with an RDB preamble, verify it as an AOF',
      );
    }
    return summary;
  } finally {
    await worker?.close();
  }
}

/** Reads a whole RDB stream, checking structure and CRC-64; returns its summary or throws RdbError. */
export function verifyRdbStream(source: AsyncIterable<Buffer | Uint8Array>, options: VerifyOptions = {}): Promise<RdbSummary> {
  return run((o) => readRdbStream(source, o), options, options.crcWorker ?? false);
}

export async function verifyRdbFile(path: string, options: VerifyOptions = {}): Promise<RdbSummary> {
  const useWorker = options.crcWorker ?? (await stat(path)).size >= WORKER_THRESHOLD;
  // The summary copies what it keeps, so the file can be read through two reused buffers.
  return run((o) => readRdbFileTransient(path, o), options, useWorker);
}
