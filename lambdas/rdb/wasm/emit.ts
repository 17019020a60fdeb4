/** A minimal WebAssembly binary encoder for the engine's two hand-written loops (CRC-64 and LZF). */

export const I32 = 0x7f;
export const I64 = 0x7e;

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

export function sleb(n: number): number[] {
  const out: number[] = [];
  while (true) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

export const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
export const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
export const name = (s: string): number[] => [...uleb(s.length), ...Buffer.from(s, 'latin1')];

/** The opcodes our modules use. */
export const OP = {
  block: 0x02, loop: 0x03, br: 0x0c, brIf: 0x0d, end: 0x0b, void: 0x40,
  localGet: 0x20, localSet: 0x21, globalGet: 0x23, globalSet: 0x24,
  i64Load: 0x29, i32Load8u: 0x2d, i32Const: 0x41, i64Const: 0x42,
  i32GeU: 0x4f, i32Add: 0x6a, i32And: 0x71, i32Xor: 0x73, i32Shl: 0x74,
  if: 0x04, else: 0x05, return: 0x0f, i32LtS: 0x48, i32LtU: 0x49, i32GtU: 0x4b, i32Eq: 0x46, i32Sub: 0x6b, i32ShrU: 0x76, i32Store8: 0x3a,
  i64Or: 0x84, i64Xor: 0x85, i64Shl: 0x86, i64ShrU: 0x88, i32WrapI64: 0xa7, i64ExtendI32U: 0xad,
} as const;

/** memory.copy dst src len (bulk memory). */
export const MEMORY_COPY = [0xfc, 10, 0, 0];

/** Encodes a function body: its locals (count, type) and code (ending with `end`). */
export function funcBody(locals: Array<[number, number]>, code: number[]): number[] {
  const b = [...vec(locals.map(([n, t]) => [...uleb(n), t])), ...code];
  return [...uleb(b.length), ...b];
}

export const WASM_HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
