import type { DumpCrcBatch } from '../rdb/dump-crc-batch';
import { RdbEntry } from '../rdb/entry';

/**
 * Encodes RESTORE key ttl payload [ABSTTL] [REPLACE] [IDLETIME s | FREQ f] as a RESP
 * array straight into a batch buffer, the DUMP payload (and its CRC-64) included:
 * no buffer or string per argument.
 */

const HEAD = Buffer.from('$7\r\nRESTORE\r\n', 'latin1');
const ABSTTL = Buffer.from('$6\r\nABSTTL\r\n', 'latin1');
const REPLACE = Buffer.from('$7\r\nREPLACE\r\n', 'latin1');
const IDLETIME = Buffer.from('$8\r\nIDLETIME\r\n', 'latin1');
const FREQ = Buffer.from('$4\r\nFREQ\r\n', 'latin1');

/** Bytes a RESTORE of `entry` may take beyond its key and value bytes. */
const OVERHEAD = 256;

export interface RestoreEncoding {
  /** The DUMP footer (RDB version) of the payload. */
  footer: number;
  /** The target has ABSTTL, IDLETIME and FREQ (>= 5.0); older ones get a relative TTL. */
  modern: boolean;
  replace: boolean;
  /** For the relative TTL of old targets. */
  now: number;
  /** Where short payloads' CRC footers are deferred to (filled before the buffer is sent); none: computed at once. */
  crcs?: DumpCrcBatch;
}

/** Most bytes `writeRestore` can write for `entry`. */
export function restoreBound(entry: RdbEntry): number {
  return entry.keyLength + entry.valueSize + 10 + OVERHEAD;
}

function digits(n: number): number {
  let d = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    d++;
  }
  return d;
}

/** Writes the non-negative integer `n` in decimal at `pos`; returns the end. */
function writeInt(out: Buffer, pos: number, n: number): number {
  const end = pos + digits(n);
  let p = end;
  do {
    const q = Math.floor(n / 10);
    out[--p] = 48 + (n - q * 10);
    n = q;
  } while (n > 0);
  return end;
}

function writeConst(out: Buffer, pos: number, c: Buffer): number {
  for (let i = 0; i < c.length; i++) out[pos + i] = c[i];
  return pos + c.length;
}

/** "$<len>\r\n" */
function writeBulkHeader(out: Buffer, pos: number, len: number): number {
  out[pos] = 0x24;
  const p = writeInt(out, pos + 1, len);
  out[p] = 13;
  out[p + 1] = 10;
  return p + 2;
}

function writeCrlf(out: Buffer, pos: number): number {
  out[pos] = 13;
  out[pos + 1] = 10;
  return pos + 2;
}

/** A bulk string holding the decimal integer `n`. */
function writeIntArg(out: Buffer, pos: number, n: number): number {
  const negative = n < 0;
  const abs = negative ? -n : n;
  let p = writeBulkHeader(out, pos, digits(abs) + (negative ? 1 : 0));
  if (negative) out[p++] = 0x2d;
  p = writeInt(out, p, abs);
  return writeCrlf(out, p);
}

/**
 * Writes the RESTORE command of `entry` at `out[pos]`, which must have `restoreBound(entry)`
 * bytes of room. Returns where the command ends.
 */
export function writeRestore(out: Buffer, pos: number, entry: RdbEntry, enc: RestoreEncoding): number {
  const expire = entry.expireAtMs;
  const abs = enc.modern && expire !== null;
  const extra = enc.modern && (entry.idle !== null || entry.freq !== null) ? 2 : 0;
  const count = 4 + (abs ? 1 : 0) + (enc.replace ? 1 : 0) + extra;
  out[pos] = 0x2a;
  out[pos + 1] = 48 + count;
  let p = writeCrlf(out, pos + 2);
  p = writeConst(out, p, HEAD);
  p = writeBulkHeader(out, p, entry.keyLength);
  p = writeCrlf(out, entry.copyKey(out, p));
  const ttl = expire === null ? 0 : enc.modern ? expire : Math.max(1, expire - enc.now);
  p = writeIntArg(out, p, ttl);
  p = writeBulkHeader(out, p, entry.valueSize + 10);
  p = entry.writeDumpPayload(out, p, enc.footer, enc.crcs);
  p = writeCrlf(out, p);
  if (abs) p = writeConst(out, p, ABSTTL);
  if (enc.replace) p = writeConst(out, p, REPLACE);
  if (extra > 0) {
    if (entry.idle !== null) {
      p = writeConst(out, p, IDLETIME);
      p = writeIntArg(out, p, entry.idle);
    } else {
      p = writeConst(out, p, FREQ);
      p = writeIntArg(out, p, entry.freq ?? 0);
    }
  }
  return p;
}
