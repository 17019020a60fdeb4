import { FileHandle } from 'node:fs/promises';
import { abortedError } from './errors';

/** Read size for RDB files; each chunk is a fresh buffer the consumer may keep. */
export const FILE_CHUNK = 256 << 10;

/** Streams a file from its start to its end; reads happen only as the consumer pulls. */
export async function* filePayload(
  handle: FileHandle,
  onError: (e: unknown) => Error,
  signal?: AbortSignal,
  chunkSize = FILE_CHUNK,
): AsyncGenerator<Buffer> {
  let position = 0;
  for (;;) {
    if (signal?.aborted) throw abortedError(undefined, signal.reason);
    const buf = Buffer.allocUnsafe(chunkSize);
    let bytesRead: number;
    try {
      ({ bytesRead } = await handle.read(buf, 0, chunkSize, position));
    } catch (e) {
      throw onError(e);
    }
    if (bytesRead === 0) return;
    position += bytesRead;
    yield bytesRead === chunkSize ? buf : buf.subarray(0, bytesRead);
  }
}
