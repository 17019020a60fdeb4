import { corrupt } from '../errors';
import { int64Item, PackedItem } from './item';

const HEADER_SIZE = 6;

function backlenSize(l: number): number {
  if (l <= 127) return 1;
  if (l < 16383) return 2;
  if (l < 2097151) return 3;
  if (l < 268435455) return 4;
  return 5;
}

/**
 * Walks a listpack blob `buf[start, end)`, checking every entry and its back-length
 * and the header's byte and element counts. When `out` is given, the elements are
 * appended to it. Returns the number of elements. `base` is the absolute offset of
 * `buf[0]` for error messages.
 */
export function walkListpack(buf: Buffer, start: number, end: number, base: number, out: PackedItem[] | null): number {
  const size = end - start;
  const at = base + start;
  if (size < HEADER_SIZE + 1) throw corrupt(`Listpack of ${size} bytes is too short`, at);
  const totalBytes = buf.readUInt32LE(start);
  if (totalBytes !== size) throw corrupt(`Listpack header says ${totalBytes} bytes but the blob has ${size}`, at);
  if (buf[end - 1] !== 0xff) throw corrupt('Listpack does not end with 0xFF', at);
  const declared = buf.readUInt16LE(start + 4);
  let p = start + HEADER_SIZE;
  let count = 0;
  const last = end - 1;
  while (p < last) {
    const b = buf[p];
    let headerLen: number;
    let dataLen = 0;
    let intVal: PackedItem | null = null;
    if (b < 0x80) {
      headerLen = 1;
      intVal = b;
    } else if (b < 0xc0) {
      headerLen = 1;
      dataLen = b & 0x3f;
    } else if (b < 0xe0) {
      headerLen = 2;
      if (p + 2 > last) throw corrupt('Listpack entry overruns the blob', base + p);
      let v = ((b & 0x1f) << 8) | buf[p + 1];
      if (v >= 4096) v -= 8192;
      intVal = v;
    } else if (b < 0xf0) {
      headerLen = 2;
      if (p + 2 > last) throw corrupt('Listpack entry overruns the blob', base + p);
      dataLen = ((b & 0x0f) << 8) | buf[p + 1];
    } else {
      switch (b) {
        case 0xf0:
          headerLen = 5;
          if (p + 5 > last) throw corrupt('Listpack entry overruns the blob', base + p);
          dataLen = buf.readUInt32LE(p + 1);
          break;
        case 0xf1:
          headerLen = 3;
          if (p + 3 > last) throw corrupt('Listpack entry overruns the blob', base + p);
          intVal = buf.readInt16LE(p + 1);
          break;
        case 0xf2:
          headerLen = 4;
          if (p + 4 > last) throw corrupt('Listpack entry overruns the blob', base + p);
          intVal = buf.readIntLE(p + 1, 3);
          break;
        case 0xf3:
          headerLen = 5;
          if (p + 5 > last) throw corrupt('Listpack entry overruns the blob', base + p);
          intVal = buf.readInt32LE(p + 1);
          break;
        case 0xf4:
          headerLen = 9;
          if (p + 9 > last) throw corrupt('Listpack entry overruns the blob', base + p);
          intVal = int64Item(buf.readBigInt64LE(p + 1));
          break;
        default:
          throw corrupt(`Invalid listpack entry encoding 0x${b.toString(16)}`, base + p);
      }
    }
    const entryLen = headerLen + dataLen;
    const backLen = backlenSize(entryLen);
    const next = p + entryLen + backLen;
    if (next > last || next < p) throw corrupt('Listpack entry overruns the blob', base + p);
    // The back-length: most significant 7-bit group first, later bytes flagged with 0x80.
    let q = p + entryLen;
    let stored = buf[q];
    if (stored & 0x80) throw corrupt('Listpack entry has an invalid back-length', base + q);
    for (q++; q < next; q++) {
      const c = buf[q];
      if (!(c & 0x80)) throw corrupt('Listpack entry has an invalid back-length', base + q);
      stored = stored * 128 + (c & 0x7f);
    }
    if (stored !== entryLen) throw corrupt(`Listpack back-length ${stored} does not match entry length ${entryLen}`, base + p + entryLen);
    if (out !== null) out.push(intVal !== null ? intVal : buf.subarray(p + headerLen, p + entryLen));
    count++;
    p = next;
  }
  if (declared !== 65535 && declared !== count) {
    throw corrupt(`Listpack header says ${declared} elements but holds ${count}`, at);
  }
  return count;
}

/** All elements of a listpack blob. */
export function listpackItems(blob: Buffer, base = 0): PackedItem[] {
  const out: PackedItem[] = [];
  walkListpack(blob, 0, blob.length, base, out);
  return out;
}
