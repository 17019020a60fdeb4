/**
 * LZF decompression (the format Redis uses for compressed RDB strings).
 *
 * The input is a sequence of runs: a control byte below 32 starts a literal run
 * of `ctrl + 1` bytes; any other control byte is a back-reference of length
 * `(ctrl >> 5) + 2` (7 means "add the next byte") at distance
 * `((ctrl & 0x1f) << 8) + next + 1`. References may overlap their own output.
 */

import { createWasmLzf, LZF_WASM_BAD_REF, LZF_WASM_IN_CAP, LZF_WASM_OUT_CAP, LZF_WASM_OVERFLOW } from './lzf-wasm';

export type LzfFailure = 'output-overflow' | 'input-overrun' | 'bad-reference' | 'short-output';

/** Why an LZF block could not be decompressed. The caller turns it into a positioned error. */
export class LzfError extends Error {
  constructor(readonly failure: LzfFailure, readonly inputOffset: number) {
    super(`LZF data is corrupt (${failure}) at compressed byte ${inputOffset}`);
    this.name = 'LzfError';
  }
}

/**
 * Decompresses `src[start, end)` into a new buffer of exactly `outLen` bytes.
 * Throws LzfError when the data does not decompress to exactly `outLen` bytes.
 */
export function lzfDecompress(src: Uint8Array, start: number, end: number, outLen: number): Buffer {
  const out = Buffer.allocUnsafe(outLen);
  const written = lzfDecompressInto(src, start, end, out);
  if (written !== outLen) throw new LzfError('short-output', end - start);
  return out;
}

/** The WebAssembly decoder (null if unavailable or turned off with REDIS_BACKUP_LZF=js). */
const wasm = process.env.REDIS_BACKUP_LZF === 'js' ? null : createWasmLzf();
/** Below this output size the JavaScript loop is as fast as the call into WebAssembly. */
const WASM_MIN = 48;

function fitsWasm(inLen: number, outLen: number): boolean {
  return wasm !== null && inLen <= LZF_WASM_IN_CAP && outLen <= LZF_WASM_OUT_CAP && outLen >= WASM_MIN;
}

function wasmFailure(code: number): LzfError {
  return new LzfError(code === LZF_WASM_OVERFLOW ? 'output-overflow' : code === LZF_WASM_BAD_REF ? 'bad-reference' : 'input-overrun', 0);
}

/** Decompresses into `out`, returning the number of bytes written. */
export function lzfDecompressInto(src: Uint8Array, start: number, end: number, out: Uint8Array): number {
  if (fitsWasm(end - start, out.length)) {
    const n = wasm!.decompress(src, start, end, out.length);
    if (n < 0) throw wasmFailure(n);
    out.set(wasm!.heap.subarray(LZF_WASM_IN_CAP, LZF_WASM_IN_CAP + n), 0);
    return n;
  }
  return lzfDecompressJs(src, start, end, out);
}

/**
 * Decompresses to exactly `outLen` bytes into scratch memory: the result is a view
 * that is valid only until the next LZF call. For blobs that are walked and dropped.
 */
export function lzfDecompressTransient(src: Uint8Array, start: number, end: number, outLen: number): Buffer {
  if (fitsWasm(end - start, outLen)) {
    const n = wasm!.decompress(src, start, end, outLen);
    if (n < 0) throw wasmFailure(n);
    if (n !== outLen) throw new LzfError('short-output', end - start);
    return Buffer.from(wasm!.heap.buffer, wasm!.heap.byteOffset + LZF_WASM_IN_CAP, n);
  }
  return lzfDecompress(src, start, end, outLen);
}

/** The JavaScript decoder (used for small outputs and as the fallback). */
export function lzfDecompressJs(src: Uint8Array, start: number, end: number, out: Uint8Array): number {
  return lzfWalk(src, start, end, out, out.length);
}

/**
 * Checks that `src[start, end)` decompresses to exactly `outLen` bytes without
 * producing them: the same failures as decompression, at a fraction of the cost.
 */
export function lzfValidate(src: Uint8Array, start: number, end: number, outLen: number): void {
  if (lzfWalk(src, start, end, null, outLen) !== outLen) throw new LzfError('short-output', end - start);
}

/** Decodes the LZF runs of src[start, end) into `out` (or only counts them when `out` is null); returns the output length. */
function lzfWalk(src: Uint8Array, start: number, end: number, out: Uint8Array | null, outEnd: number): number {
  let ip = start;
  let op = 0;
  while (ip < end) {
    const ctrl = src[ip++];
    if (ctrl < 32) {
      const run = ctrl + 1;
      if (op + run > outEnd) throw new LzfError('output-overflow', ip - start);
      if (ip + run > end) throw new LzfError('input-overrun', ip - start);
      if (out === null) {
        ip += run;
        op += run;
      } else if (run > 16) {
        out.set(src.subarray(ip, ip + run), op);
        ip += run;
        op += run;
      } else {
        for (let k = 0; k < run; k++) out[op++] = src[ip++];
      }
      continue;
    }
    let len = ctrl >>> 5;
    if (len === 7) {
      if (ip >= end) throw new LzfError('input-overrun', ip - start);
      len += src[ip++];
    }
    if (ip >= end) throw new LzfError('input-overrun', ip - start);
    let ref = op - ((ctrl & 0x1f) << 8) - src[ip++] - 1;
    if (ref < 0) throw new LzfError('bad-reference', ip - start);
    len += 2;
    if (op + len > outEnd) throw new LzfError('output-overflow', ip - start);
    if (out === null) {
      op += len;
    } else if (op - ref >= len && len > 16) {
      out.copyWithin(op, ref, ref + len);
      op += len;
    } else {
      while (len-- > 0) out[op++] = out[ref++];
    }
  }
  return op;
}
