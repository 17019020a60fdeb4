import { SnapshotManifest } from '../catalog/manifest';
import { Crc64 } from '../rdb/crc64';
import { checksumMismatch, RdbError } from '../rdb/errors';
import { RdbRecord } from '../rdb/records';
import { RdbReader } from '../rdb/reader';
import { RestoreError } from './errors';
import { VerifiedChunk } from './verified-chunks';

/**
 * Parses one verified chunk on its own (from its first key record, with the
 * database in force where it starts), feeding `crc` with its bytes. For each
 * piece of raw input the records found are handed to `onBatch`, which may wait;
 * `onRaw` gets the piece itself once parsed. At the last chunk the RDB's CRC-64
 * trailer is checked against `crc`.
 *
 * The chunk's bytes matched the manifest's SHA-256, and the manifest was written
 * after a deep check of every value at backup: values are only skipped here to
 * find where records end (the reader's `trusted` mode), not walked again.
 */
export async function readChunk(
  manifest: SnapshotManifest,
  verified: VerifiedChunk,
  crc: Crc64,
  onBatch: (records: RdbRecord[]) => Promise<void>,
  onRaw?: (piece: Buffer) => Promise<void>,
): Promise<void> {
  const { chunk, raw } = verified;
  const last = chunk.index === manifest.chunks.length - 1;
  const batch: RdbRecord[] = [];
  const reader = new RdbReader({
    onRecord: (r) => batch.push(r),
    crcSink: crc,
    trusted: true,
    resumeAt: chunk.index === 0 ? undefined : { rdbVersion: manifest.rdb.version, db: chunk.db, offset: chunk.raw.offset },
  });
  const corrupt = (e: unknown): RestoreError =>
    new RestoreError(
      'RESTORE_SNAPSHOT_CORRUPT',
      `Chunk ${chunk.index} of snapshot ${manifest.snapshotId} matches its SHA-256 but is not a valid RDB part: ${(e as Error).message}`,
      { snapshotId: manifest.snapshotId, chunk: chunk.index },
      { cause: e },
    );
  try {
    for await (const piece of raw) {
      reader.write(piece);
      if (batch.length > 0) await onBatch(batch.splice(0));
      if (onRaw) await onRaw(piece);
    }
    if (last) {
      const eof = reader.end();
      if (batch.length > 0) await onBatch(batch.splice(0));
      if (eof.checksum === 'deferred' && eof.storedCrc !== null) {
        const computed = crc.digest();
        if (computed.toString(16).padStart(16, '0') !== eof.storedCrc) throw checksumMismatch(eof.storedCrc, computed, eof.offset + 1);
      }
    } else if (reader.consumed !== chunk.raw.offset + chunk.raw.length) {
      throw new RdbError('RDB_CORRUPT', 'The chunk does not end at a record boundary', { offset: reader.consumed });
    }
  } catch (e) {
    if (e instanceof RdbError) throw corrupt(e);
    throw e;
  }
}
