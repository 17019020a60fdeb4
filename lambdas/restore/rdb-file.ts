import { randomBytes } from 'node:crypto';
import { FileHandle, open, rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { SnapshotManifest } from '../catalog/manifest';
import { Crc64 } from '../rdb/crc64';
import { fsyncDir, removeQuietly, writeAll } from '../store/local-fs';
import { SnapshotStore } from '../store/store';
import { readChunk } from './chunk-entries';
import { RestoreError } from './errors';
import { verifiedChunks } from './verified-chunks';

export interface RdbFileProgress {
  chunk: number;
  chunks: number;
  /** Key records in the chunks written so far (from the manifest). */
  keys: number;
  rawBytes: number;
}

const noBatch = async (): Promise<void> => undefined;

/**
 * Writes a snapshot's raw RDB to `path`, atomically: into a temporary file in
 * the same directory, chunk by chunk once each chunk has matched its SHA-256
 * and parsed as RDB, then fsync; only when the last chunk has also matched the
 * RDB's CRC-64 trailer is the file renamed over `path` and the directory
 * fsynced. On any failure the temporary file is removed and `path` is untouched.
 */
export async function writeRdbFile(store: SnapshotStore, manifest: SnapshotManifest, path: string, onChunk?: (p: RdbFileProgress) => void): Promise<{ bytes: number }> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.restore-${randomBytes(6).toString('hex')}.tmp`);
  const ioError = (what: string, e: unknown): RestoreError =>
    new RestoreError('RESTORE_WRITE_FAILED', `Cannot ${what} ${temp} (for ${path}): ${(e as Error).message}. ${path} was left as it was`, { snapshotId: manifest.snapshotId, target: path }, { cause: e });
  const handle: FileHandle = await open(temp, 'wx').catch((e: unknown) => Promise.reject(ioError('create', e)));
  let isOpen = true;
  try {
    const crc = new Crc64();
    let bytes = 0;
    let keys = 0;
    for await (const verified of verifiedChunks(store, manifest)) {
      await readChunk(manifest, verified, crc, noBatch, (piece) => writeAll(handle, piece).catch((e: unknown) => Promise.reject(ioError('write', e))));
      bytes += verified.chunk.raw.length;
      keys += verified.chunk.keys;
      onChunk?.({ chunk: verified.chunk.index + 1, chunks: manifest.chunks.length, keys, rawBytes: bytes });
    }
    if (bytes !== manifest.raw.bytes) {
      throw new RestoreError('RESTORE_SNAPSHOT_CORRUPT', `Snapshot ${manifest.snapshotId} has ${bytes} bytes in its chunks but ${manifest.raw.bytes} in its manifest`, { snapshotId: manifest.snapshotId });
    }
    await handle.sync().catch((e: unknown) => Promise.reject(ioError('fsync', e)));
    isOpen = false;
    await handle.close();
    await rename(temp, path).catch((e: unknown) => Promise.reject(ioError('rename', e)));
    await fsyncDir(dir);
    return { bytes };
  } catch (e) {
    if (isOpen) await handle.close().catch(() => undefined);
    await removeQuietly(temp).catch(() => undefined);
    throw e;
  }
}
