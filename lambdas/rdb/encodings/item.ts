/**
 * An element of a compact encoding (listpack, ziplist, intset, zipmap): either a
 * byte string or an integer. Integers outside the safe range are kept as bigint.
 */
export type PackedItem = Buffer | number | bigint;

/** The element as Redis would return it: integers become their decimal text. */
export function itemToBuffer(item: PackedItem): Buffer {
  if (Buffer.isBuffer(item)) return item;
  return Buffer.from(item.toString(), 'latin1');
}

/** The element as an integer (stream fields are integers stored either way). */
export function itemToBigInt(item: PackedItem): bigint | undefined {
  if (typeof item === 'bigint') return item;
  if (typeof item === 'number') return BigInt(item);
  const text = item.toString('latin1');
  return /^-?\d{1,20}$/.test(text) ? BigInt(text) : undefined;
}

/** The element as a JS number, if it is an integer within the safe range. */
export function itemToInt(item: PackedItem): number | undefined {
  if (typeof item === 'number') return item;
  const big = itemToBigInt(item);
  if (big === undefined || big > BigInt(Number.MAX_SAFE_INTEGER) || big < BigInt(Number.MIN_SAFE_INTEGER)) return undefined;
  return Number(big);
}

/** A zset score stored as an element (integers, or text such as "1.5", "inf"). */
export function itemToScore(item: PackedItem): number {
  if (typeof item === 'number') return item;
  if (typeof item === 'bigint') return Number(item);
  return parseScoreText(item.toString('latin1'));
}

/** Parses a score as strtod would for the forms Redis writes. */
export function parseScoreText(text: string): number {
  const t = text.trim().toLowerCase();
  if (t === 'inf' || t === '+inf' || t === 'infinity' || t === '+infinity') return Infinity;
  if (t === '-inf' || t === '-infinity') return -Infinity;
  return t === '' ? NaN : Number(t);
}

/** Converts a signed 64-bit integer read as bigint into the narrowest PackedItem. */
export function int64Item(v: bigint): PackedItem {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}
