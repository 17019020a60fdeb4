import { createHash } from 'node:crypto';
import { createReadStream, PathLike } from 'node:fs';
import { stat } from 'node:fs/promises';
import { AofError } from './errors';
import { AofReader, AofReaderOptions } from './reader';
import { AofReadResult } from './records';

export interface ReadAofFileOptions extends Omit<AofReaderOptions, 'totalBytes'> {
  /** Read size (default 256 KiB). */
  chunkSize?: number;
}

export interface AofFileRead {
  /** Bytes read: the file's size when it was opened. */
  size: number;
  /** SHA-256 of those bytes (hex), computed even when the content is invalid. */
  sha256: string;
  /** Complete commands read (those of a MULTI left open included), up to the problem for an invalid file. */
  commands: number;
  /** What the file held, or null when it is invalid. */
  result: AofReadResult | null;
  /** Why it is invalid (the rest of the file is still hashed). */
  error: AofError | null;
}

/**
 * Streams one AOF file through an AofReader, hashing every byte. Reads the size the
 * file had when it was opened (a live AOF grows), so offsets and hash describe one state.
 * An invalid content is returned as `error`; I/O failures throw AOF_READ_FAILED.
 */
export async function readAofFile(path: PathLike, options: ReadAofFileOptions = {}): Promise<AofFileRead> {
  const label = String(path);
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (e) {
    throw readFailed(label, e);
  }
  const hash = createHash('sha256');
  const reader = new AofReader({ ...options, totalBytes: size });
  let error: AofError | null = null;
  /** An error of the caller's record handler: passed through as it is. */
  let fromHandler: unknown = undefined;
  let read = 0;
  const take = (chunk: Buffer): void => {
    hash.update(chunk);
    read += chunk.length;
    if (error !== null) return;
    try {
      reader.write(chunk);
    } catch (e) {
      if (!(e instanceof AofError)) throw (fromHandler = e);
      error = e;
    }
  };
  if (size > 0) {
    try {
      for await (const chunk of createReadStream(path, { start: 0, end: size - 1, highWaterMark: options.chunkSize ?? 256 << 10 })) take(chunk as Buffer);
    } catch (e) {
      if (e === fromHandler) throw e;
      throw readFailed(label, e);
    }
  }
  let result: AofReadResult | null = null;
  if (error === null) {
    try {
      result = reader.end();
    } catch (e) {
      if (!(e instanceof AofError)) throw e;
      error = e;
    }
  }
  return { size: read, sha256: hash.digest('hex'), commands: reader.commandsRead, result, error };
}

function readFailed(path: string, e: unknown): AofError {
  const msg = e instanceof Error ? e.message : String(e);
  return new AofError('AOF_READ_FAILED', `Cannot read ${path}: ${msg}`, { offset: 0 }, 'Check that the file exists and is readable', { cause: e });
}
