import { createHash } from 'node:crypto';
import { createReadStream, PathLike } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { AofError } from './errors';
import { AofReader, AofReaderOptions } from './reader';
import { AofReadResult } from './records';

export interface ReadAofFileOptions extends Omit<AofReaderOptions, 'totalBytes'> {
  /** Read size (default 256 KiB). */
  chunkSize?: number;
  /**
   * Read into two reused buffers (the next read in flight while one is parsed), so
   * memory stays flat whatever the file size; records' buffers are valid only during
   * `onRecord`. Default false (every chunk fresh: records may be kept).
   */
  transientInput?: boolean;
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
  const chunkSize = options.chunkSize ?? 256 << 10;
  if (size > 0) {
    try {
      if (options.transientInput === true) await readTransient(path, size, chunkSize, take);
      else for await (const chunk of createReadStream(path, { start: 0, end: size - 1, highWaterMark: chunkSize })) take(chunk as Buffer);
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

/**
 * Reads the first `size` bytes of `path` into two alternating buffers: the next read
 * is in flight while `take` parses the current one (which it must not keep). Stops
 * early, like a stream, when the file turns out shorter.
 */
async function readTransient(path: PathLike, size: number, chunkSize: number, take: (chunk: Buffer) => void): Promise<void> {
  const len = Math.min(chunkSize, size);
  const ring = [Buffer.allocUnsafe(len), Buffer.allocUnsafe(len)];
  const file = await open(path, 'r');
  let position = 0;
  const readInto = (buf: Buffer): { want: number; done: Promise<{ bytesRead: number }> } => {
    const want = Math.min(buf.length, size - position);
    const done = want === 0 ? Promise.resolve({ bytesRead: 0 }) : file.read(buf, 0, want, position);
    position += want;
    return { want, done };
  };
  let next = readInto(ring[0]);
  try {
    for (let i = 0; ; i++) {
      const { want, done } = next;
      const { bytesRead } = await done;
      if (bytesRead === 0) break;
      const buf = ring[i & 1];
      // A short read is the end of a file that shrank: nothing more to read.
      next = bytesRead < want ? { want: 0, done: Promise.resolve({ bytesRead: 0 }) } : readInto(ring[(i + 1) & 1]);
      take(bytesRead === buf.length ? buf : buf.subarray(0, bytesRead));
    }
  } finally {
    // Never close the file under a read in flight.
    await next.done.catch(() => undefined);
    await file.close();
  }
}

function readFailed(path: string, e: unknown): AofError {
  const msg = e instanceof Error ? e.message : String(e);
  return new AofError('AOF_READ_FAILED', `Cannot read ${path}: ${msg}`, { offset: 0 }, 'Check that the file exists and is readable', { cause: e });
}
