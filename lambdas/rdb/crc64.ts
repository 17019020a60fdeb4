import { createWasmCrc64, WASM_TABLES, WasmCrc64, writeHalvesLE } from './crc64-wasm';

/**
 * CRC-64 as Redis computes it ("Jones" polynomial 0xad93d23594c935a9, reflected
 * input and output, initial value 0, no final XOR). Check value for "123456789"
 * is 0xe9c6d914c4b8d9ca.
 *
 * The 64-bit state is kept as two unsigned 32-bit halves so the hot loop stays
 * in small integers; the update is slicing-by-8 over eight 256-entry tables.
 */

const REFLECTED_POLY_HI = 0x95ac9329;
const REFLECTED_POLY_LO = 0xac4bc9b5;

/**
 * TABLE_LO[k * 256 + i] / TABLE_HI[...]: the CRC of byte i followed by k zero bytes.
 * The JavaScript loop uses the first 8 tables, the WebAssembly one all 16.
 */
const TABLE_LO = new Uint32Array(WASM_TABLES * 256);
const TABLE_HI = new Uint32Array(WASM_TABLES * 256);

function buildTables(): void {
  for (let i = 0; i < 256; i++) {
    let lo = i;
    let hi = 0;
    for (let bit = 0; bit < 8; bit++) {
      const carry = lo & 1;
      lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
      hi = hi >>> 1;
      if (carry) {
        lo = (lo ^ REFLECTED_POLY_LO) >>> 0;
        hi = (hi ^ REFLECTED_POLY_HI) >>> 0;
      }
    }
    TABLE_LO[i] = lo;
    TABLE_HI[i] = hi;
  }
  for (let k = 1; k < WASM_TABLES; k++) {
    for (let i = 0; i < 256; i++) {
      const prevLo = TABLE_LO[(k - 1) * 256 + i];
      const prevHi = TABLE_HI[(k - 1) * 256 + i];
      const idx = prevLo & 0xff;
      TABLE_LO[k * 256 + i] = (((prevLo >>> 8) | (prevHi << 24)) ^ TABLE_LO[idx]) >>> 0;
      TABLE_HI[k * 256 + i] = ((prevHi >>> 8) ^ TABLE_HI[idx]) >>> 0;
    }
  }
}
buildTables();

/** The lookup tables as unsigned halves (for the worker-thread checksum). */
export function crc64Tables(): { lo: Uint32Array; hi: Uint32Array } {
  return { lo: TABLE_LO, hi: TABLE_HI };
}

/** The WebAssembly loop, used for inputs of at least WASM_MIN bytes (null if WebAssembly is unavailable). */
const wasm = process.env.REDIS_BACKUP_CRC64 === 'js' ? null : createWasmCrc64(TABLE_LO, TABLE_HI);
const WASM_MIN = 512;

/**
 * The WebAssembly checksum, for callers that batch many short ranges (writeRangeCrcs);
 * null when WebAssembly is unavailable or REDIS_BACKUP_CRC64=js.
 */
export function wasmCrc64(): WasmCrc64 | null {
  return wasm;
}

/** Incremental CRC-64. `update` may be called with any split of the input. */
export class Crc64 {
  private lo = 0;
  private hi = 0;

  update(buf: Uint8Array, start = 0, end = buf.length): this {
    if (wasm !== null && end - start >= WASM_MIN) {
      [this.lo, this.hi] = wasm.update(this.lo, this.hi, buf, start, end);
      return this;
    }
    let lo = this.lo;
    let hi = this.hi;
    let i = start;
    const T = TABLE_LO;
    const H = TABLE_HI;
    const fastEnd = end - 8;
    while (i <= fastEnd) {
      const a = (lo ^ (buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24))) >>> 0;
      const b = (hi ^ (buf[i + 4] | (buf[i + 5] << 8) | (buf[i + 6] << 16) | (buf[i + 7] << 24))) >>> 0;
      const i7 = 1792 + (a & 0xff);
      const i6 = 1536 + ((a >>> 8) & 0xff);
      const i5 = 1280 + ((a >>> 16) & 0xff);
      const i4 = 1024 + (a >>> 24);
      const i3 = 768 + (b & 0xff);
      const i2 = 512 + ((b >>> 8) & 0xff);
      const i1 = 256 + ((b >>> 16) & 0xff);
      const i0 = b >>> 24;
      lo = T[i7] ^ T[i6] ^ T[i5] ^ T[i4] ^ T[i3] ^ T[i2] ^ T[i1] ^ T[i0];
      hi = H[i7] ^ H[i6] ^ H[i5] ^ H[i4] ^ H[i3] ^ H[i2] ^ H[i1] ^ H[i0];
      i += 8;
    }
    while (i < end) {
      const idx = (lo ^ buf[i]) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ T[idx];
      hi = (hi >>> 8) ^ H[idx];
      i++;
    }
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
    return this;
  }

  /** Starts again from the empty input. */
  reset(): this {
    this.lo = 0;
    this.hi = 0;
    return this;
  }

  /** The running state as two unsigned 32-bit halves [lo, hi] (for checkpoints). */
  get state(): [number, number] {
    return [this.lo >>> 0, this.hi >>> 0];
  }

  /** A CRC that continues from a saved state. */
  static fromState(lo: number, hi: number): Crc64 {
    const c = new Crc64();
    c.lo = lo >>> 0;
    c.hi = hi >>> 0;
    return c;
  }

  /** The CRC as an unsigned 64-bit bigint. */
  digest(): bigint {
    return (BigInt(this.hi >>> 0) << 32n) | BigInt(this.lo >>> 0);
  }

  /** True when the CRC equals the 8-byte little-endian value at `buf[offset]`. */
  matchesLE(buf: Uint8Array, offset: number): boolean {
    const lo = (buf[offset] | (buf[offset + 1] << 8) | (buf[offset + 2] << 16) | (buf[offset + 3] << 24)) >>> 0;
    const hi = (buf[offset + 4] | (buf[offset + 5] << 8) | (buf[offset + 6] << 16) | (buf[offset + 7] << 24)) >>> 0;
    return lo === this.lo >>> 0 && hi === this.hi >>> 0;
  }

  /** Writes the CRC as 8 little-endian bytes (the RDB trailer and DUMP footer form). */
  writeLE(out: Uint8Array, offset: number): void {
    writeHalvesLE(out, offset, this.lo >>> 0, this.hi >>> 0);
  }
}

/** One-shot CRC-64 of `buf[start, end)`. */
export function crc64(buf: Uint8Array, start = 0, end = buf.length): bigint {
  return new Crc64().update(buf, start, end).digest();
}

/** Reads an 8-byte little-endian unsigned value (a stored CRC) as bigint. */
export function readU64LE(buf: Uint8Array, offset: number): bigint {
  const lo = (buf[offset] | (buf[offset + 1] << 8) | (buf[offset + 2] << 16) | (buf[offset + 3] << 24)) >>> 0;
  const hi = (buf[offset + 4] | (buf[offset + 5] << 8) | (buf[offset + 6] << 16) | (buf[offset + 7] << 24)) >>> 0;
  return (BigInt(hi) << 32n) | BigInt(lo);
}
