import { RdbError } from './errors';
import { readRdbFile, readRdbStream } from './read-stream';
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
}

function finish(summary: RdbSummary, trailingBytes: number, options: VerifyOptions): RdbSummary {
  if (trailingBytes > 0 && !options.allowTrailing) {
    throw new RdbError('RDB_CORRUPT', `${trailingBytes} unexpected bytes after the end of the RDB`, { offset: summary.bytes }, 'The file has data appended after the RDB trailer; if it is an AOF with an RDB preamble, verify it as an AOF');
  }
  return summary;
}

/** Reads a whole RDB stream, checking structure and CRC-64; returns its summary or throws RdbError. */
export async function verifyRdbStream(source: AsyncIterable<Buffer | Uint8Array>, options: VerifyOptions = {}): Promise<RdbSummary> {
  const collector = new SummaryCollector(options.topKeys ?? 10);
  const { trailingBytes } = await readRdbStream(source, { onRecord: collector.onRecord, deep: options.deep, emptyKeys: options.emptyKeys });
  return finish(collector.result(), trailingBytes, options);
}

export async function verifyRdbFile(path: string, options: VerifyOptions = {}): Promise<RdbSummary> {
  const collector = new SummaryCollector(options.topKeys ?? 10);
  const { trailingBytes } = await readRdbFile(path, { onRecord: collector.onRecord, deep: options.deep, emptyKeys: options.emptyKeys });
  return finish(collector.result(), trailingBytes, options);
}
