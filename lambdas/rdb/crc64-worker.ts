import { Worker } from 'node:worker_threads';
import { crc64Tables } from './crc64';
import { wasmModuleBytes, WASM_WINDOW } from './crc64-wasm';

/**
 * CRC-64 on a worker thread, so that a second core checksums while the main
 * thread parses. `update` copies the bytes into a ring of shared slots and
 * tells the worker; when every slot is still being hashed it waits (Atomics)
 * for the worker, so memory stays bounded. `digest` resolves with the final CRC.
 * The worker runs the same WebAssembly loop as Crc64, from the bytes built here.
 */

const SLOT_BYTES = 512 << 10;
const SLOTS = 4;

// Shared control words.
const SENT = 0;
const DONE = 1;
const FINISH = 2;
const LENGTHS = 3;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { moduleBytes, tableWords, tableBytes, window: windowSize, slots, slotBytes, ring, control } = workerData;
const exp = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes), {}).exports;
new Uint32Array(exp.memory.buffer, 0, tableWords.length).set(tableWords);
const win = new Uint8Array(exp.memory.buffer, tableBytes, windowSize);
const data = new Uint8Array(ring);
const ctl = new Int32Array(control);
let lo = 0, hi = 0, done = 0;
while (true) {
  const sent = Atomics.load(ctl, ${SENT});
  if (sent === done) {
    if (Atomics.load(ctl, ${FINISH}) === 1) break;
    Atomics.wait(ctl, ${SENT}, sent, 100);
    continue;
  }
  const slot = done % slots;
  const length = ctl[${LENGTHS} + slot];
  const start = slot * slotBytes;
  exp.setState(lo, hi);
  for (let p = 0; p < length; p += windowSize) {
    const n = Math.min(windowSize, length - p);
    win.set(data.subarray(start + p, start + p + n), 0);
    exp.update(tableBytes, n);
  }
  lo = exp.getLo() >>> 0; hi = exp.getHi() >>> 0;
  done++;
  Atomics.store(ctl, ${DONE}, done);
  Atomics.notify(ctl, ${DONE});
}
parentPort.postMessage({ lo, hi });
`;

export class Crc64Worker {
  private readonly worker: Worker;
  private readonly ring = new SharedArrayBuffer(SLOTS * SLOT_BYTES);
  private readonly data = new Uint8Array(this.ring);
  /** [sent, done, finish, length of each slot...] shared with the worker. */
  private readonly ctl = new Int32Array(new SharedArrayBuffer(4 * (LENGTHS + SLOTS)));
  private sent = 0;
  private fill = 0;
  private readonly result: Promise<bigint>;
  private failure: Error | null = null;

  constructor() {
    const { lo, hi } = crc64Tables();
    const tableWords = new Uint32Array(lo.length * 2);
    for (let i = 0; i < lo.length; i++) {
      tableWords[2 * i] = lo[i];
      tableWords[2 * i + 1] = hi[i];
    }
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      // The worker only moves shared bytes through WebAssembly: a tiny heap keeps its footprint small.
      resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 8, codeRangeSizeMb: 2, stackSizeMb: 1 },
      workerData: {
        moduleBytes: wasmModuleBytes(),
        tableWords,
        tableBytes: tableWords.byteLength,
        window: WASM_WINDOW,
        slots: SLOTS,
        slotBytes: SLOT_BYTES,
        ring: this.ring,
        control: this.ctl.buffer,
      },
    });
    this.result = new Promise<bigint>((resolve, reject) => {
      this.worker.once('message', (msg: { lo: number; hi: number }) => resolve((BigInt(msg.hi >>> 0) << 32n) | BigInt(msg.lo >>> 0)));
      this.worker.once('error', (e: Error) => {
        this.failure = e;
        reject(e);
      });
    });
    // A failed checksum surfaces through digest(); do not let it go unhandled meanwhile.
    this.result.catch(() => undefined);
  }

  /** Adds buf[start, end) to the checksum. */
  update(buf: Uint8Array, start: number, end: number): void {
    let p = start;
    while (p < end) {
      if (this.fill === 0) this.waitForFreeSlot();
      const slotStart = (this.sent % SLOTS) * SLOT_BYTES;
      const n = Math.min(end - p, SLOT_BYTES - this.fill);
      this.data.set(buf.subarray(p, p + n), slotStart + this.fill);
      this.fill += n;
      p += n;
      if (this.fill === SLOT_BYTES) this.send();
    }
  }

  /** Blocks until the worker has finished with the slot the next batch goes into. */
  private waitForFreeSlot(): void {
    while (true) {
      if (this.failure) throw this.failure;
      const done = Atomics.load(this.ctl, DONE);
      if (this.sent - done < SLOTS) return;
      Atomics.wait(this.ctl, DONE, done, 1000);
    }
  }

  private send(): void {
    if (this.fill === 0) return;
    this.ctl[LENGTHS + (this.sent % SLOTS)] = this.fill;
    this.sent++;
    this.fill = 0;
    Atomics.store(this.ctl, SENT, this.sent);
    Atomics.notify(this.ctl, SENT);
  }

  /** The CRC of everything passed to `update`. Call once, at the end. */
  digest(): Promise<bigint> {
    if (this.failure) return Promise.reject(this.failure);
    this.send();
    Atomics.store(this.ctl, FINISH, 1);
    Atomics.notify(this.ctl, SENT);
    return this.result;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
