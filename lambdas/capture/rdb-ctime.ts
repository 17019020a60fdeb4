import { FileHandle } from 'node:fs/promises';
import { RdbReader, RdbRecord } from '../rdb';

/** How much of the file head is read to find the AUX fields. */
const HEAD_BYTES = 64 << 10;

class Stop extends Error {}

/**
 * The `ctime` AUX field (unix seconds, the saving server's clock, set when the
 * save started) from the head of an RDB file; null when absent (RDB < 7) or
 * unreadable (left for verification to report).
 */
export async function readRdbCtime(handle: FileHandle): Promise<number | null> {
  const head = Buffer.alloc(HEAD_BYTES);
  const { bytesRead } = await handle.read(head, 0, HEAD_BYTES, 0);
  let ctime: number | null = null;
  const onRecord = (r: RdbRecord): void => {
    if (r.kind === 'header') return;
    if (r.kind === 'aux') {
      if (r.key.toString('latin1') === 'ctime') {
        const n = Number(r.value.toString('latin1'));
        if (Number.isSafeInteger(n)) ctime = n;
        throw new Stop();
      }
      return;
    }
    throw new Stop(); // AUX fields come first: past them, there is no ctime.
  };
  try {
    new RdbReader({ onRecord, deep: false }).write(head.subarray(0, bytesRead));
  } catch (e) {
    if (!(e instanceof Stop)) return null;
  }
  return ctime;
}
