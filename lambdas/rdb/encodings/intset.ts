import { corrupt } from '../errors';
import { int64Item, PackedItem } from './item';

/**
 * Walks an intset blob: encoding width 2, 4 or 8, a length that fills the blob
 * exactly, strictly ascending members. Appends members to `out` when given.
 */
export function walkIntset(buf: Buffer, start: number, end: number, base: number, out: PackedItem[] | null): number {
  const size = end - start;
  const at = base + start;
  if (size < 8) throw corrupt(`Intset of ${size} bytes is too short`, at);
  const width = buf.readUInt32LE(start);
  if (width !== 2 && width !== 4 && width !== 8) throw corrupt(`Intset has invalid encoding width ${width}`, at);
  const length = buf.readUInt32LE(start + 4);
  if (length === 0) throw corrupt('Intset is empty', at);
  if (8 + length * width !== size) throw corrupt(`Intset of ${length} x ${width}-byte members does not fill its ${size}-byte blob`, at);
  let prev: bigint | number | null = null;
  for (let i = 0, p = start + 8; i < length; i++, p += width) {
    const v: number | bigint = width === 2 ? buf.readInt16LE(p) : width === 4 ? buf.readInt32LE(p) : buf.readBigInt64LE(p);
    if (prev !== null && !(v > prev)) throw corrupt('Intset members are not strictly ascending', base + p);
    prev = v;
    if (out !== null) out.push(typeof v === 'bigint' ? int64Item(v) : v);
  }
  return length;
}

export function intsetItems(blob: Buffer, base = 0): PackedItem[] {
  const out: PackedItem[] = [];
  walkIntset(blob, 0, blob.length, base, out);
  return out;
}
