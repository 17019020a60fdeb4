import { Readable } from 'node:stream';

/** Refuses a byte range that is not [start, end) with 0 <= start <= end (a caller's bug). */
export function checkRange(store: string, key: string, range: { start: number; end: number }): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new RangeError(`Invalid byte range [${start}, ${end}) for ${key} in ${store}: need integers with 0 <= start <= end`);
  }
}

/** What a range that is empty, or starts at or past the end of the object, reads. */
export function emptyStream(): Readable {
  return Readable.from([]);
}
