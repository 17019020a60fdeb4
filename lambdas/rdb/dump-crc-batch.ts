import { wasmCrc64 } from './crc64';
import { WasmCrc64 } from './crc64-wasm';

/** Payloads up to this size are deferred; a longer one is checksummed at once (one copy into the module is then cheap). */
const DEFER_MAX = 4096;
/** Ranges held at most before `defer` refuses (a batch of small commands rarely holds more). */
const CAPACITY = 16384;

/**
 * The CRC-64 footers of DUMP payloads written into one output buffer, computed together:
 * a short payload's CRC costs several times its bytes in the JavaScript loop, and one
 * WebAssembly call each would copy every payload into the module on its own. The payloads
 * are written with room for their CRC (`defer`), and `finish` fills every footer before
 * the buffer is used. Null from `create` when WebAssembly is unavailable.
 */
export class DumpCrcBatch {
  private readonly starts = new Int32Array(CAPACITY);
  private readonly ends = new Int32Array(CAPACITY);
  private count = 0;

  private constructor(private readonly wasm: WasmCrc64) {}

  static create(): DumpCrcBatch | null {
    const wasm = wasmCrc64();
    return wasm === null ? null : new DumpCrcBatch(wasm);
  }

  /** Footers not written yet. */
  get pending(): number {
    return this.count;
  }

  /**
   * Takes the payload at [start, end) of the output buffer (its 8-byte CRC goes at `end`)
   * if it is short enough and there is room; false: the caller computes the CRC itself.
   * Ranges must come in increasing order.
   */
  defer(start: number, end: number): boolean {
    if (end - start > DEFER_MAX || this.count === CAPACITY) return false;
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.count++;
    return true;
  }

  /** Writes every deferred CRC into `buf` (the buffer the payloads were written to) and starts over. */
  finish(buf: Uint8Array): void {
    this.wasm.writeRangeCrcs(buf, this.starts, this.ends, this.count);
    this.count = 0;
  }
}
