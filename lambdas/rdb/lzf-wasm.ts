import { funcBody, I32, MEMORY_COPY, name, OP, section, sleb, vec, WASM_HEADER } from './wasm/emit';

/**
 * LZF decompression as a small WebAssembly function. Literal runs and
 * non-overlapping back-references are bulk copies (memory.copy); overlapping
 * references, which replicate their own output, are copied byte by byte.
 * Memory: the compressed input at [0, IN_CAP), the output at [IN_CAP, IN_CAP + OUT_CAP).
 */

export const LZF_WASM_IN_CAP = 512 << 10;
export const LZF_WASM_OUT_CAP = 1 << 20;
const PAGES = (LZF_WASM_IN_CAP + LZF_WASM_OUT_CAP) / 65536;

/** Error results of the WebAssembly function, mirroring LzfError failures. */
export const LZF_WASM_OVERFLOW = -1;
export const LZF_WASM_OVERRUN = -2;
export const LZF_WASM_BAD_REF = -3;

// params: 0 ip, 1 iend, 2 op, 3 oend; locals: 4 ctrl, 5 len, 6 ref, 7 ostart
const [IP, IEND, OPOS, OEND, CTRL, LEN, REF, OSTART] = [0, 1, 2, 3, 4, 5, 6, 7];

const get = (l: number): number[] => [OP.localGet, l];
const set = (l: number): number[] => [OP.localSet, l];
const c32 = (v: number): number[] => [OP.i32Const, ...sleb(v)];
const fail = (code: number): number[] => [...c32(code), OP.return];
const ifThen = (cond: number[], body: number[]): number[] => [...cond, OP.if, OP.void, ...body, OP.end];
const inc = (l: number, by: number[]): number[] => [...get(l), ...by, OP.i32Add, ...set(l)];

/** Copies LEN (> 0) bytes forward, one at a time, from local `src` to OPOS, advancing both; LEN ends at 0. */
function byteLoop(src: number): number[] {
  return [
    OP.loop, OP.void,
    ...get(OPOS), ...get(src), OP.i32Load8u, 0, 0, OP.i32Store8, 0, 0,
    ...inc(OPOS, c32(1)),
    ...inc(src, c32(1)),
    ...get(LEN), ...c32(1), OP.i32Sub, ...set(LEN),
    ...get(LEN), OP.brIf, 0,
    OP.end,
  ];
}

/** Copies LEN bytes from local `src` to OPOS and advances both: a byte loop for short runs, memory.copy for long ones. */
function copyRun(src: number): number[] {
  return [
    ...get(LEN), ...c32(16), OP.i32LtU,
    OP.if, OP.void,
    ...byteLoop(src),
    OP.else,
    ...get(OPOS), ...get(src), ...get(LEN), ...MEMORY_COPY,
    ...inc(OPOS, get(LEN)),
    ...inc(src, get(LEN)),
    OP.end,
  ];
}

function decompressCode(): number[] {
  return [
    ...get(OPOS), ...set(OSTART),
    OP.block, OP.void, OP.loop, OP.void,
    ...get(IP), ...get(IEND), OP.i32GeU, OP.brIf, 1,
    ...get(IP), OP.i32Load8u, 0, 0, ...set(CTRL),
    ...inc(IP, c32(1)),
    ...get(CTRL), ...c32(32), OP.i32LtU,
    OP.if, OP.void,
    // literal run of ctrl + 1 bytes
    ...get(CTRL), ...c32(1), OP.i32Add, ...set(LEN),
    ...ifThen([...get(OPOS), ...get(LEN), OP.i32Add, ...get(OEND), OP.i32GtU], fail(LZF_WASM_OVERFLOW)),
    ...ifThen([...get(IP), ...get(LEN), OP.i32Add, ...get(IEND), OP.i32GtU], fail(LZF_WASM_OVERRUN)),
    ...copyRun(IP),
    OP.else,
    // back-reference
    ...get(CTRL), ...c32(5), OP.i32ShrU, ...set(LEN),
    ...ifThen([...get(LEN), ...c32(7), OP.i32Eq], [
      ...ifThen([...get(IP), ...get(IEND), OP.i32GeU], fail(LZF_WASM_OVERRUN)),
      ...get(LEN), ...get(IP), OP.i32Load8u, 0, 0, OP.i32Add, ...set(LEN),
      ...inc(IP, c32(1)),
    ]),
    ...ifThen([...get(IP), ...get(IEND), OP.i32GeU], fail(LZF_WASM_OVERRUN)),
    ...get(OPOS), ...get(CTRL), ...c32(31), OP.i32And, ...c32(8), OP.i32Shl, OP.i32Sub,
    ...get(IP), OP.i32Load8u, 0, 0, OP.i32Sub, ...c32(1), OP.i32Sub, ...set(REF),
    ...inc(IP, c32(1)),
    ...ifThen([...get(REF), ...get(OSTART), OP.i32LtS], fail(LZF_WASM_BAD_REF)),
    ...inc(LEN, c32(2)),
    ...ifThen([...get(OPOS), ...get(LEN), OP.i32Add, ...get(OEND), OP.i32GtU], fail(LZF_WASM_OVERFLOW)),
    ...get(OPOS), ...get(REF), OP.i32Sub, ...get(LEN), OP.i32GeU,
    OP.if, OP.void,
    ...copyRun(REF),
    OP.else,
    // overlapping: forward byte copy replicates the pattern
    ...byteLoop(REF),
    OP.end,
    OP.end,
    OP.br, 0,
    OP.end, OP.end,
    ...get(OPOS), ...get(OSTART), OP.i32Sub,
    OP.end,
  ];
}

function moduleBytes(): Uint8Array {
  return Uint8Array.from([
    ...WASM_HEADER,
    ...section(1, vec([[0x60, 4, I32, I32, I32, I32, 1, I32]])),
    ...section(3, vec([[0]])),
    ...section(5, vec([[0x00, PAGES]])),
    ...section(7, vec([[...name('decompress'), 0, 0], [...name('memory'), 2, 0]])),
    ...section(10, vec([funcBody([[4, I32]], decompressCode())])),
  ]);
}

export interface WasmLzf {
  /** The module's memory as bytes (input at 0, output at LZF_WASM_IN_CAP). */
  readonly heap: Uint8Array;
  /**
   * Decompresses src[start, end) into the output area; returns the number of bytes
   * written, or a negative LZF_WASM_* error. Requires end - start <= IN_CAP and outLen <= OUT_CAP.
   */
  decompress(src: Uint8Array, start: number, end: number, outLen: number): number;
}

export function createWasmLzf(): WasmLzf | null {
  try {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes()), {});
    const exp = instance.exports as unknown as { decompress(ip: number, iend: number, op: number, oend: number): number; memory: WebAssembly.Memory };
    const heap = new Uint8Array(exp.memory.buffer);
    return {
      heap,
      decompress(src, start, end, outLen) {
        const n = end - start;
        heap.set(src.subarray(start, end), 0);
        return exp.decompress(0, n, LZF_WASM_IN_CAP, LZF_WASM_IN_CAP + outLen);
      },
    };
  } catch {
    return null;
  }
}
