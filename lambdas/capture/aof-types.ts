import { createReadStream } from 'node:fs';
import { FileHandle } from 'node:fs/promises';
import { CaptureError } from './errors';
import { CaptureInfo } from './types';

/** One file of a captured AOF, readable as it was when it was captured (pinned). */
export interface AofCaptureFile {
  /** Its name in the server's directory (or the old single file's name). */
  name: string;
  type: 'base' | 'incr' | 'single';
  /** Sequence number from the AOF manifest; null for a single file. */
  seq: number | null;
  /** Bytes to read: the size when the file was pinned (a live incr file keeps growing). */
  size: number;
  /** The last file of the set: the only one a truncated tail is acceptable in. */
  last: boolean;
  /**
   * Store the file only up to its last complete command (outside a MULTI): set for the
   * file a live server is appending to, whose last bytes at pin time may be a command
   * being written. When false, a truncated tail is kept and recorded.
   */
  cutTail: boolean;
  /** Streams bytes [0, size). */
  read(signal?: AbortSignal): AsyncIterable<Buffer>;
}

/** A consistent AOF set, pinned until `close`. */
export interface AofCapture {
  readonly info: CaptureInfo & { method: 'bgsave' | 'import' };
  readonly layout: 'multi-part' | 'single';
  /** appenddirname (e.g. appendonlydir) for a multi-part AOF, else null. */
  readonly dirName: string | null;
  /** The AOF manifest's name (e.g. appendonly.aof.manifest), else null. */
  readonly manifestName: string | null;
  /** The AOF manifest to store: it names exactly `files` (history entries dropped). Null for a single file. */
  readonly manifest: Buffer | null;
  /** Base then incr files in load order, or the single file. */
  readonly files: AofCaptureFile[];
  /** Releases the pins and restores whatever the capture changed on the server (idempotent; never throws). */
  close(): Promise<void>;
}

const READ_CHUNK = 256 << 10;

/** Streams bytes [0, size) of a file by path or of an open handle (left open). */
export async function* readRange(from: string | Buffer | FileHandle, size: number, label: string, signal?: AbortSignal): AsyncGenerator<Buffer> {
  if (size === 0) return;
  // A handle is read with positioned reads, never through a stream (destroying one
  // closes its handle): a pinned file may be read more than once.
  const stream = typeof from === 'string' || Buffer.isBuffer(from) ? createReadStream(from, { start: 0, end: size - 1, highWaterMark: READ_CHUNK, signal }) : null;
  let read = 0;
  try {
    if (stream === null) {
      const handle = from as FileHandle;
      while (read < size) {
        signal?.throwIfAborted();
        const buf = Buffer.allocUnsafe(Math.min(READ_CHUNK, size - read));
        const { bytesRead } = await handle.read(buf, 0, buf.length, read);
        if (bytesRead === 0) break;
        read += bytesRead;
        yield buf.subarray(0, bytesRead);
      }
    } else {
      for await (const chunk of stream) {
        const buf = chunk as Buffer;
        read += buf.length;
        yield buf;
      }
    }
  } catch (e) {
    if (e instanceof CaptureError || (e as { name?: string }).name === 'AbortError') throw e;
    throw new CaptureError('CAPTURE_FILE', `Reading ${label} failed (${(e as { code?: string }).code ?? String(e)}); retry`, { phase: 'file', path: label }, { cause: e });
  } finally {
    stream?.destroy();
  }
  if (read !== size) {
    throw new CaptureError('CAPTURE_FILE', `${label} shrank while it was read (${read} of ${size} bytes): something truncated it; retry the capture`, { phase: 'file', path: label });
  }
}
