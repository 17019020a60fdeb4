import { corrupt } from '../errors';

const BIGLEN = 254;
const END = 255;

/**
 * Walks a zipmap blob (Redis <= 2.4 small hashes): count byte, then
 * `len key len free value padding` pairs and the 0xFF terminator. Appends
 * field and value alternately to `out` when given. Returns the pair count.
 */
export function walkZipmap(buf: Buffer, start: number, end: number, base: number, out: Buffer[] | null): number {
  const at = base + start;
  if (end - start < 2) throw corrupt('Zipmap is too short', at);
  const declared = buf[start];
  let p = start + 1;
  let pairs = 0;
  const readLen = (): number => {
    if (p >= end) throw corrupt('Zipmap entry overruns the blob', base + p);
    const b = buf[p];
    if (b < BIGLEN) {
      p += 1;
      return b;
    }
    if (b === END) throw corrupt('Zipmap ends in the middle of a pair', base + p);
    if (p + 5 > end) throw corrupt('Zipmap length overruns the blob', base + p);
    const n = buf.readUInt32LE(p + 1);
    p += 5;
    return n;
  };
  while (true) {
    if (p >= end) throw corrupt('Zipmap has no terminator', base + p);
    if (buf[p] === END) {
      p++;
      break;
    }
    const klen = readLen();
    if (p + klen > end) throw corrupt('Zipmap field overruns the blob', base + p);
    const field = buf.subarray(p, p + klen);
    p += klen;
    const vlen = readLen();
    if (p >= end) throw corrupt('Zipmap entry overruns the blob', base + p);
    const free = buf[p++];
    if (p + vlen + free > end) throw corrupt('Zipmap value overruns the blob', base + p);
    const value = buf.subarray(p, p + vlen);
    p += vlen + free;
    if (out !== null) out.push(field, value);
    pairs++;
  }
  if (p !== end) throw corrupt('Zipmap has bytes after its terminator', base + p);
  if (declared < BIGLEN && declared !== pairs) throw corrupt(`Zipmap header says ${declared} pairs but holds ${pairs}`, at);
  return pairs;
}
