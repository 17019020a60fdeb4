/** Redis Cluster hash slots: CRC16 (XMODEM) of the key, or of its hash tag, modulo 16384. */

export const SLOT_COUNT = 16384;

const TABLE = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 8;
    for (let b = 0; b < 8; b++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
    t[i] = c;
  }
  return t;
})();

/** CRC16-CCITT, XMODEM variant (polynomial 0x1021, initial value 0, no reflection), as Redis Cluster uses. */
export function crc16(buf: Buffer, start = 0, end = buf.length): number {
  let crc = 0;
  for (let i = start; i < end; i++) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ buf[i]) & 0xff];
  return crc;
}

/**
 * The slot of a key. When the key has a hash tag — a '{', then a '}' somewhere after
 * it (the first one), with at least one byte between them — only the tag is hashed.
 */
export function keySlot(key: Buffer | string): number {
  const buf = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  const open = buf.indexOf(0x7b); // {
  if (open !== -1) {
    const close = buf.indexOf(0x7d, open + 1); // }
    if (close !== -1 && close !== open + 1) return crc16(buf, open + 1, close) & (SLOT_COUNT - 1);
  }
  return crc16(buf) & (SLOT_COUNT - 1);
}
