import { corrupt, limitExceeded, truncated } from './errors';
import { LzfError, lzfDecompressInto, lzfDecompressTransient, lzfValidate } from './lzf';

/**
 * Thrown (as a plain object, without a stack) when a non-final cursor runs out
 * of bytes. The reader catches it, keeps the partial record and asks for more.
 */
export const NEED_MORE = { needMore: true } as const;

export interface ReaderLimits {
  /** Largest single string (key, value, blob) accepted. */
  maxStringBytes: number;
}

export const DEFAULT_LIMITS: ReaderLimits = {
  maxStringBytes: 2 ** 31 - 1,
};

const ENC_INT8 = 0;
const ENC_INT16 = 1;
const ENC_INT32 = 2;
const ENC_LZF = 3;

/**
 * The most LZF can expand: a 3-byte back-reference (control, length extension,
 * offset) produces at most 7 + 255 + 2 = 264 bytes, i.e. 88 bytes per input byte.
 */
const LZF_MAX_EXPANSION = 88;

/** Result slot for `readLenOrEncoding`: avoids an allocation per call. */
export const LEN_IS_ENCODING = -1;

/**
 * A read position over `buf[pos, end)`. When `final` is false, running past `end`
 * throws NEED_MORE and records in `needEnd` how far the buffer must reach;
 * when true it throws a positioned RDB_TRUNCATED error.
 * `base` is the absolute stream offset of `buf[0]`, for error messages.
 */
export class Cursor {
  needEnd = 0;
  /** Encoding id set by `readLenOrEncoding` when it returns LEN_IS_ENCODING. */
  lastEncoding = 0;
  /** `skipStr` proves that LZF strings decompress (off for input already proved by a checksum). */
  checkLzf = true;

  constructor(
    public buf: Buffer,
    public pos: number,
    public end: number,
    public final: boolean,
    public base = 0,
    readonly limits: ReaderLimits = DEFAULT_LIMITS,
  ) {}

  /** Absolute stream offset of the current position. */
  get offset(): number {
    return this.base + this.pos;
  }

  need(n: number): void {
    if (this.pos + n > this.end) this.short(this.pos + n);
  }

  short(needEnd: number): never {
    if (this.final) throw truncated(this.base + this.end);
    this.needEnd = needEnd;
    throw NEED_MORE;
  }

  u8(): number {
    if (this.pos >= this.end) this.short(this.pos + 1);
    return this.buf[this.pos++];
  }

  skip(n: number): void {
    if (this.pos + n > this.end) this.short(this.pos + n);
    this.pos += n;
  }

  i32le(): number {
    this.need(4);
    const v = this.buf.readInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  /** A signed 64-bit little-endian integer as a JS number (exact up to 2^53). */
  i64le(): number {
    this.need(8);
    const lo = this.buf.readUInt32LE(this.pos);
    const hi = this.buf.readInt32LE(this.pos + 4);
    this.pos += 8;
    return hi * 4294967296 + lo;
  }

  /** An unsigned 64-bit big-endian integer as bigint (stream ids). */
  u64beBig(): bigint {
    this.need(8);
    const v = this.buf.readBigUInt64BE(this.pos);
    this.pos += 8;
    return v;
  }

  f64le(): number {
    this.need(8);
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  f32le(): number {
    this.need(4);
    const v = this.buf.readFloatLE(this.pos);
    this.pos += 4;
    return v;
  }

  /**
   * Reads an RDB length. Returns LEN_IS_ENCODING (and sets `lastEncoding`) when
   * the byte announces a special string encoding instead of a length.
   * 64-bit lengths above 2^53 are refused as corrupt.
   */
  readLenOrEncoding(): number {
    const at = this.pos;
    const b = this.u8();
    const kind = b >>> 6;
    if (kind === 0) return b & 0x3f;
    if (kind === 1) return ((b & 0x3f) << 8) | this.u8();
    if (kind === 3) {
      this.lastEncoding = b & 0x3f;
      return LEN_IS_ENCODING;
    }
    if (b === 0x80) {
      this.need(4);
      const v = this.buf.readUInt32BE(this.pos);
      this.pos += 4;
      return v;
    }
    if (b === 0x81) {
      this.need(8);
      const hi = this.buf.readUInt32BE(this.pos);
      const lo = this.buf.readUInt32BE(this.pos + 4);
      this.pos += 8;
      if (hi > 0x1fffff) throw corrupt(`64-bit length ${(BigInt(hi) << 32n) | BigInt(lo)} is out of range`, this.base + at);
      return hi * 4294967296 + lo;
    }
    throw corrupt(`Unknown length encoding 0x${b.toString(16)}`, this.base + at);
  }

  /** Reads an RDB length that must not be a string encoding. */
  len(): number {
    const at = this.pos;
    const v = this.readLenOrEncoding();
    if (v === LEN_IS_ENCODING) throw corrupt('Expected a length, found a string encoding marker', this.base + at);
    return v;
  }

  /** Reads an RDB length as bigint (stream ids, module ids, counters that may use all 64 bits). */
  lenBig(): bigint {
    const at = this.pos;
    const b = this.u8();
    if (b === 0x81) {
      this.need(8);
      const v = this.buf.readBigUInt64BE(this.pos);
      this.pos += 8;
      return v;
    }
    this.pos = at;
    return BigInt(this.len());
  }

  /** Checks a string length against the limit and, on a final cursor, the bytes left. */
  private checkStringLength(n: number, at: number): void {
    if (n > this.limits.maxStringBytes) throw limitExceeded('String', n, this.limits.maxStringBytes, this.base + at);
  }

  /**
   * Skips `count` RDB strings, each followed by `gap` fixed bytes (a binary score), in one
   * loop: the common 6- and 14-bit lengths inline, anything else through skipStr. For input
   * proved intact elsewhere (the reader's trusted mode): only the bounds are checked.
   */
  skipStrings(count: number, gap: number): void {
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos;
    for (let i = 0; i < count; i++) {
      if (pos >= end) this.short(pos + 1);
      const b = buf[pos];
      if (b < 0x40) pos += 1 + b;
      else if (b < 0x80) {
        if (pos + 1 >= end) this.short(pos + 2);
        pos += 2 + (((b & 0x3f) << 8) | buf[pos + 1]);
      } else {
        this.pos = pos;
        this.skipStr();
        pos = this.pos;
      }
      pos += gap;
    }
    if (pos > end) this.short(pos);
    this.pos = pos;
  }

  /** Skips an RDB string. LZF payloads are walked to prove they decompress to the declared length. */
  skipStr(): void {
    const at = this.pos;
    const n = this.readLenOrEncoding();
    if (n !== LEN_IS_ENCODING) {
      this.checkStringLength(n, at);
      this.skip(n);
      return;
    }
    switch (this.lastEncoding) {
      case ENC_INT8:
        this.skip(1);
        return;
      case ENC_INT16:
        this.skip(2);
        return;
      case ENC_INT32:
        this.skip(4);
        return;
      case ENC_LZF: {
        const clen = this.len();
        const ulen = this.len();
        this.checkLzfLengths(clen, ulen, at);
        this.need(clen);
        if (!this.checkLzf) {
          this.pos += clen;
          return;
        }
        try {
          lzfValidate(this.buf, this.pos, this.pos + clen, ulen);
        } catch (e) {
          if (e instanceof LzfError) throw corrupt(`Invalid LZF compressed string (${e.failure})`, this.base + at);
          throw e;
        }
        this.pos += clen;
        return;
      }
      default:
        throw corrupt(`Unknown string encoding ${this.lastEncoding}`, this.base + at);
    }
  }

  /** Reads an RDB string, decoding integer and LZF encodings. Plain strings are zero-copy views. */
  str(): Buffer {
    const at = this.pos;
    const n = this.readLenOrEncoding();
    if (n !== LEN_IS_ENCODING) {
      this.checkStringLength(n, at);
      this.need(n);
      const s = this.buf.subarray(this.pos, this.pos + n);
      this.pos += n;
      return s;
    }
    switch (this.lastEncoding) {
      case ENC_INT8: {
        this.need(1);
        return Buffer.from(String(this.buf.readInt8(this.pos++)), 'latin1');
      }
      case ENC_INT16: {
        this.need(2);
        const v = this.buf.readInt16LE(this.pos);
        this.pos += 2;
        return Buffer.from(String(v), 'latin1');
      }
      case ENC_INT32: {
        this.need(4);
        const v = this.buf.readInt32LE(this.pos);
        this.pos += 4;
        return Buffer.from(String(v), 'latin1');
      }
      case ENC_LZF: {
        const clen = this.len();
        const ulen = this.len();
        this.checkLzfLengths(clen, ulen, at);
        this.need(clen);
        const out = Buffer.allocUnsafe(ulen);
        this.inflate(clen, out, at);
        return out;
      }
      default:
        throw corrupt(`Unknown string encoding ${this.lastEncoding}`, this.base + at);
    }
  }

  /**
   * Like `str`, but an LZF string is decompressed into scratch memory: the result is
   * only valid until the next string is read. For blobs that are walked and dropped.
   */
  strTransient(): Buffer {
    const at = this.pos;
    const n = this.readLenOrEncoding();
    if (n !== LEN_IS_ENCODING || this.lastEncoding !== ENC_LZF) {
      this.pos = at;
      return this.str();
    }
    const clen = this.len();
    const ulen = this.len();
    this.checkLzfLengths(clen, ulen, at);
    this.need(clen);
    let out: Buffer;
    try {
      out = lzfDecompressTransient(this.buf, this.pos, this.pos + clen, ulen);
    } catch (e) {
      if (e instanceof LzfError) throw corrupt(`Invalid LZF compressed string (${e.failure})`, this.base + at);
      throw e;
    }
    this.pos += clen;
    return out;
  }

  private checkLzfLengths(clen: number, ulen: number, at: number): void {
    this.checkStringLength(ulen, at);
    if (clen === 0 || ulen === 0) throw corrupt(`LZF string with compressed length ${clen} and length ${ulen}`, this.base + at);
    // Refuse before allocating the output: a corrupt length must not cost gigabytes.
    if (ulen > clen * LZF_MAX_EXPANSION) throw corrupt(`LZF string of ${clen} compressed bytes cannot expand to ${ulen} bytes`, this.base + at);
  }

  private inflate(clen: number, out: Buffer, at: number): void {
    try {
      const written = lzfDecompressInto(this.buf, this.pos, this.pos + clen, out);
      if (written !== out.length) throw new LzfError('short-output', clen);
    } catch (e) {
      if (e instanceof LzfError) throw corrupt(`Invalid LZF compressed string (${e.failure})`, this.base + at);
      throw e;
    }
    this.pos += clen;
  }

  /** A string-form double (ZSET type 3 scores): length byte, 253/254/255 for NaN/+inf/-inf. */
  doubleStr(): number {
    const at = this.pos;
    const n = this.u8();
    if (n === 253) return NaN;
    if (n === 254) return Infinity;
    if (n === 255) return -Infinity;
    this.need(n);
    const text = this.buf.toString('latin1', this.pos, this.pos + n);
    this.pos += n;
    const v = Number(text);
    if (Number.isNaN(v) && !/^\s*nan\s*$/i.test(text)) throw corrupt(`Invalid score ${JSON.stringify(text)}`, this.base + at);
    return v;
  }

  skipDoubleStr(): void {
    const n = this.u8();
    if (n < 253) this.skip(n);
  }
}
