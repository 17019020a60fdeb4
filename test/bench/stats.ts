/** Small statistics the benchmark sections share. */

/** Kilobytes (as /usr/bin/time and /proc report them) to megabytes (10^6 bytes). */
export const kbToMb = (kb: number | null): number | null => (kb === null ? null : (kb * 1024) / 1e6);

/** The median; the mean of the middle two for an even count. */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The lower median: always one of the values, so the run it came from can be found. */
export function lowerMedian(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
}

/** The median of the values present, or null when there are none. */
export function medianOrNull(values: Array<number | null | undefined>): number | null {
  const v = values.filter((x): x is number => x !== null && x !== undefined);
  return v.length === 0 ? null : median(v);
}
