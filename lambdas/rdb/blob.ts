import { Cursor } from './cursor';
import { RdbError } from './errors';

/** A compact-encoding walker (listpack, ziplist, intset, zipmap). */
export type BlobWalker<T> = (buf: Buffer, start: number, end: number, base: number, out: T[] | null) => number;

/**
 * Walks a compact blob just read with `cur.str()` from absolute offset `at`.
 * A plain string is a view into the cursor's buffer, so an error inside it gets its
 * exact file offset. A decompressed (LZF) string is a new buffer (which may still share
 * Node's allocation pool with the input, hence the range check): it has no file
 * positions, so an error inside it is reported at the compressed string, with the
 * position within the decompressed bytes in the reason.
 */
export function walkStoredBlob<T>(cur: Cursor, blob: Buffer, at: number, walk: BlobWalker<T>, out: T[] | null): number {
  const rel = blob.byteOffset - cur.buf.byteOffset;
  if (blob.buffer === cur.buf.buffer && rel >= 0 && rel + blob.length <= cur.buf.length) return walk(blob, 0, blob.length, cur.base + rel, out);
  try {
    return walk(blob, 0, blob.length, 0, out);
  } catch (e) {
    if (!(e instanceof RdbError)) throw e;
    throw new RdbError(e.code, `${e.reason} (at byte ${e.offset} of the decompressed LZF string)`, { offset: at, key: e.key, byte: e.byte }, e.hint);
  }
}
