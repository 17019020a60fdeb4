import { corrupt } from '../errors';
import { int64Item, PackedItem } from './item';

const HEADER_SIZE = 10;

/**
 * Walks a ziplist blob `buf[start, end)`: header byte count and tail offset,
 * every entry's prev-length and encoding, the terminator and the element count.
 * When `out` is given, the elements are appended to it. Returns the element count.
 */
export function walkZiplist(buf: Buffer, start: number, end: number, base: number, out: PackedItem[] | null): number {
  const size = end - start;
  const at = base + start;
  if (size < HEADER_SIZE + 1) throw corrupt(`Ziplist of ${size} bytes is too short`, at);
  const zlbytes = buf.readUInt32LE(start);
  if (zlbytes !== size) throw corrupt(`Ziplist header says ${zlbytes} bytes but the blob has ${size}`, at);
  const zltail = buf.readUInt32LE(start + 4);
  const declared = buf.readUInt16LE(start + 8);
  if (buf[end - 1] !== 0xff) throw corrupt('Ziplist does not end with 0xFF', at);
  const last = end - 1;
  let p = start + HEADER_SIZE;
  let prevSize = 0;
  let lastEntry = -1;
  let count = 0;
  while (p < last) {
    const entryStart = p;
    let prevlen = buf[p];
    if (prevlen === 0xfe) {
      if (p + 5 > last) throw corrupt('Ziplist entry overruns the blob', base + p);
      prevlen = buf.readUInt32LE(p + 1);
      p += 5;
    } else {
      p += 1;
    }
    if (prevlen !== prevSize) throw corrupt(`Ziplist entry prev-length ${prevlen} does not match previous entry size ${prevSize}`, base + entryStart);
    if (p >= last) throw corrupt('Ziplist entry overruns the blob', base + p);
    const enc = buf[p];
    let item: PackedItem;
    const kind = enc >>> 6;
    if (kind === 0) {
      const n = enc & 0x3f;
      p += 1;
      if (p + n > last) throw corrupt('Ziplist string overruns the blob', base + p);
      item = buf.subarray(p, p + n);
      p += n;
    } else if (kind === 1) {
      if (p + 2 > last) throw corrupt('Ziplist entry overruns the blob', base + p);
      const n = ((enc & 0x3f) << 8) | buf[p + 1];
      p += 2;
      if (p + n > last) throw corrupt('Ziplist string overruns the blob', base + p);
      item = buf.subarray(p, p + n);
      p += n;
    } else if (kind === 2) {
      if (p + 5 > last) throw corrupt('Ziplist entry overruns the blob', base + p);
      const n = buf.readUInt32BE(p + 1);
      p += 5;
      if (p + n > last || n > last) throw corrupt('Ziplist string overruns the blob', base + p);
      item = buf.subarray(p, p + n);
      p += n;
    } else {
      p += 1;
      let width: number;
      switch (enc) {
        case 0xc0: width = 2; break;
        case 0xd0: width = 4; break;
        case 0xe0: width = 8; break;
        case 0xf0: width = 3; break;
        case 0xfe: width = 1; break;
        default:
          if (enc >= 0xf1 && enc <= 0xfd) {
            width = 0;
            break;
          }
          throw corrupt(`Invalid ziplist entry encoding 0x${enc.toString(16)}`, base + p - 1);
      }
      if (p + width > last) throw corrupt('Ziplist integer overruns the blob', base + p);
      switch (width) {
        case 0: item = (enc & 0x0f) - 1; break;
        case 1: item = buf.readInt8(p); break;
        case 2: item = buf.readInt16LE(p); break;
        case 3: item = buf.readIntLE(p, 3); break;
        case 4: item = buf.readInt32LE(p); break;
        default: item = int64Item(buf.readBigInt64LE(p));
      }
      p += width;
    }
    if (out !== null) out.push(item);
    prevSize = p - entryStart;
    lastEntry = entryStart;
    count++;
  }
  const expectedTail = lastEntry === -1 ? HEADER_SIZE : lastEntry - start;
  if (zltail !== expectedTail) throw corrupt(`Ziplist tail offset ${zltail} does not point at the last entry (${expectedTail})`, at);
  if (declared !== 65535 && declared !== count) throw corrupt(`Ziplist header says ${declared} elements but holds ${count}`, at);
  return count;
}

/** All elements of a ziplist blob. */
export function ziplistItems(blob: Buffer, base = 0): PackedItem[] {
  const out: PackedItem[] = [];
  walkZiplist(blob, 0, blob.length, base, out);
  return out;
}
