/**
 * The CRC-64 slicing-by-16 loop as a tiny WebAssembly module, emitted byte by byte
 * here (no toolchain needed). 64-bit table entries and 8-byte loads make it
 * several times faster than the two-halves JavaScript loop. Memory layout: the
 * sixteen 256-entry i64 tables at [0, 32768), the input window after them.
 */

import { funcBody, I32, I64, name, OP, section, sleb, uleb, vec, WASM_HEADER } from './wasm/emit';

/** Table k holds the CRC of byte i followed by k zero bytes. */
export const WASM_TABLES = 16;
const TABLE_BYTES = WASM_TABLES * 256 * 8;
/** Largest slice copied into the module per call. */
export const WASM_WINDOW = 1 << 20;
const PAGES = Math.ceil((TABLE_BYTES + WASM_WINDOW) / 65536);

/** Pushes the XOR of the 8 table lookups for the bytes of local `x`, using tables [base, base + 8). */
function lookups(x: number, base: number, first: boolean): number[] {
  const code: number[] = [];
  for (let j = 0; j < 8; j++) {
    code.push(
      OP.localGet, x, OP.i64Const, ...sleb(8 * j), OP.i64ShrU, OP.i32WrapI64,
      OP.i32Const, ...sleb(255), OP.i32And, OP.i32Const, 3, OP.i32Shl,
      OP.i64Load, 3, ...uleb((base + 7 - j) * 2048),
    );
    if (j > 0 || !first) code.push(OP.i64Xor);
  }
  return code;
}

/** update(p, n): folds memory[p, p+n) into the CRC held in global 0. */
function updateBody(): number[] {
  // params: 0 = p, 1 = n; locals: 2 = crc (i64), 3 = x (i64), 4 = y (i64), 5 = end, 6 = end16
  const code: number[] = [
    OP.globalGet, 0, OP.localSet, 2,
    OP.localGet, 0, OP.localGet, 1, OP.i32Add, OP.localSet, 5,
    OP.localGet, 0, OP.localGet, 1, OP.i32Const, ...sleb(-16), OP.i32And, OP.i32Add, OP.localSet, 6,
    OP.block, OP.void, OP.loop, OP.void,
    OP.localGet, 0, OP.localGet, 6, OP.i32GeU, OP.brIf, 1,
    OP.localGet, 2, OP.localGet, 0, OP.i64Load, 3, 0, OP.i64Xor, OP.localSet, 3,
    OP.localGet, 0, OP.i64Load, 3, 8, OP.localSet, 4,
    ...lookups(3, 8, true),
    ...lookups(4, 0, false),
    OP.localSet, 2,
    OP.localGet, 0, OP.i32Const, 16, OP.i32Add, OP.localSet, 0,
    OP.br, 0, OP.end, OP.end,
    OP.block, OP.void, OP.loop, OP.void,
    OP.localGet, 0, OP.localGet, 5, OP.i32GeU, OP.brIf, 1,
    OP.localGet, 2, OP.i32WrapI64, OP.localGet, 0, OP.i32Load8u, 0, 0, OP.i32Xor,
    OP.i32Const, ...sleb(255), OP.i32And, OP.i32Const, 3, OP.i32Shl, OP.i64Load, 3, 0,
    OP.localGet, 2, OP.i64Const, 8, OP.i64ShrU, OP.i64Xor, OP.localSet, 2,
    OP.localGet, 0, OP.i32Const, 1, OP.i32Add, OP.localSet, 0,
    OP.br, 0, OP.end, OP.end,
    OP.localGet, 2, OP.globalSet, 0, OP.end,
  ];
  return funcBody([[3, I64], [2, I32]], code);
}

/** The module's bytes (also instantiated by the checksum worker). */
export function wasmModuleBytes(): Uint8Array {
  const setState = funcBody([], [OP.localGet, 0, OP.i64ExtendI32U, OP.localGet, 1, OP.i64ExtendI32U, OP.i64Const, 32, OP.i64Shl, OP.i64Or, OP.globalSet, 0, OP.end]);
  const getLo = funcBody([], [OP.globalGet, 0, OP.i32WrapI64, OP.end]);
  const getHi = funcBody([], [OP.globalGet, 0, OP.i64Const, 32, OP.i64ShrU, OP.i32WrapI64, OP.end]);
  const bytes = [
    ...WASM_HEADER,
    ...section(1, vec([[0x60, 2, I32, I32, 0], [0x60, 0, 1, I32]])),
    ...section(3, vec([[0], [0], [1], [1]])),
    ...section(5, vec([[0x00, ...uleb(PAGES)]])),
    ...section(6, vec([[I64, 1, OP.i64Const, 0, OP.end]])),
    ...section(7, vec([
      [...name('update'), 0, 0],
      [...name('setState'), 0, 1],
      [...name('getLo'), 0, 2],
      [...name('getHi'), 0, 3],
      [...name('memory'), 2, 0],
    ])),
    ...section(10, vec([updateBody(), setState, getLo, getHi])),
  ];
  return Uint8Array.from(bytes);
}

/** Writes the 64-bit value held as unsigned 32-bit halves as 8 little-endian bytes at `out[offset]` (the CRC's stored form). */
export function writeHalvesLE(out: Uint8Array, offset: number, lo: number, hi: number): void {
  out[offset] = lo & 0xff;
  out[offset + 1] = (lo >>> 8) & 0xff;
  out[offset + 2] = (lo >>> 16) & 0xff;
  out[offset + 3] = lo >>> 24;
  out[offset + 4] = hi & 0xff;
  out[offset + 5] = (hi >>> 8) & 0xff;
  out[offset + 6] = (hi >>> 16) & 0xff;
  out[offset + 7] = hi >>> 24;
}

interface Exports {
  update(p: number, n: number): void;
  setState(lo: number, hi: number): void;
  getLo(): number;
  getHi(): number;
  memory: WebAssembly.Memory;
}

export interface WasmCrc64 {
  /** Folds buf[start, end) into the CRC given as two unsigned halves; returns the new halves. */
  update(lo: number, hi: number, buf: Uint8Array, start: number, end: number): [number, number];
  /**
   * For each i < count: the CRC-64 of buf[starts[i], ends[i]) (from zero), written as 8
   * little-endian bytes at buf[ends[i]]. Ranges come in increasing order, each under
   * WASM_WINDOW bytes: many short ranges cost one copy into the module, not one each.
   */
  writeRangeCrcs(buf: Uint8Array, starts: Int32Array, ends: Int32Array, count: number): void;
}

/** Instantiates the module with the given tables; null when WebAssembly is unavailable. */
export function createWasmCrc64(tableLo: Uint32Array, tableHi: Uint32Array): WasmCrc64 | null {
  let exp: Exports;
  try {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(wasmModuleBytes()), {});
    exp = instance.exports as unknown as Exports;
  } catch {
    return null;
  }
  const words = new Uint32Array(exp.memory.buffer, 0, TABLE_BYTES / 4);
  for (let i = 0; i < tableLo.length; i++) {
    words[2 * i] = tableLo[i];
    words[2 * i + 1] = tableHi[i];
  }
  const window = new Uint8Array(exp.memory.buffer, TABLE_BYTES, WASM_WINDOW);
  return {
    update(lo, hi, buf, start, end) {
      exp.setState(lo, hi);
      for (let p = start; p < end; p += WASM_WINDOW) {
        const n = Math.min(WASM_WINDOW, end - p);
        window.set(buf.subarray(p, p + n), 0);
        exp.update(TABLE_BYTES, n);
      }
      return [exp.getLo() >>> 0, exp.getHi() >>> 0];
    },
    writeRangeCrcs(buf, starts, ends, count) {
      if (count === 0) return;
      const last = ends[count - 1];
      // buf[held, heldEnd) is in the window.
      let held = 0;
      let heldEnd = -1;
      for (let i = 0; i < count; i++) {
        const s = starts[i];
        const e = ends[i];
        if (s < held || e > heldEnd) {
          held = s;
          heldEnd = Math.min(last, s + WASM_WINDOW);
          window.set(buf.subarray(held, heldEnd), 0);
        }
        exp.setState(0, 0);
        exp.update(TABLE_BYTES + s - held, e - s);
        writeHalvesLE(buf, e, exp.getLo(), exp.getHi());
      }
    },
  };
}
