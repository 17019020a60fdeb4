import { randomFillSync } from 'node:crypto';
import { Writable } from 'node:stream';

/** An argument of a Redis command: ASCII text, an integer, or raw bytes. */
export type RespArg = string | number | Buffer;

const CRLF = 0x0a0d; // "\r\n" as a little-endian uint16

/**
 * Encodes Redis commands as RESP arrays of bulk strings straight into large
 * buffers and hands full buffers to `out`. String arguments must be ASCII
 * (their length is taken as `string.length`). Call `drained()` now and then so
 * the generator never gets far ahead of the consumer.
 */
export class RespWriter {
  private buf: Buffer;
  private pos = 0;
  private blocked = false;
  /** Commands encoded so far (each one gets exactly one reply). */
  commands = 0;
  /** Bytes handed to `out` so far. */
  bytesOut = 0;

  constructor(
    private readonly out: Writable,
    private readonly chunkSize = 4 << 20,
  ) {
    this.buf = Buffer.allocUnsafe(chunkSize);
  }

  /** Encodes one command. */
  command(args: readonly RespArg[]): void {
    this.header(args.length);
    for (const a of args) {
      if (typeof a === 'string') this.bulkString(a);
      else if (typeof a === 'number') this.bulkString(String(a));
      else this.bulkBytes(a);
    }
  }

  /** Encodes `prefix` followed by one argument of `len` fresh random (non-compressible) bytes, then `suffix`. */
  commandWithRandom(prefix: readonly RespArg[], len: number, suffix: readonly RespArg[] = []): void {
    this.header(prefix.length + 1 + suffix.length);
    for (const a of prefix) this.bulkString(typeof a === 'number' ? String(a) : a.toString('latin1'));
    const head = `$${len}\r\n`;
    this.reserve(head.length + len + 2);
    this.pos += this.buf.write(head, this.pos, 'latin1');
    randomFillSync(this.buf, this.pos, len);
    this.pos += len;
    this.buf.writeUInt16LE(CRLF, this.pos);
    this.pos += 2;
    for (const a of suffix) this.bulkString(typeof a === 'number' ? String(a) : a.toString('latin1'));
  }

  private header(n: number): void {
    this.commands++;
    const h = `*${n}\r\n`;
    this.reserve(h.length);
    this.pos += this.buf.write(h, this.pos, 'latin1');
  }

  private bulkString(s: string): void {
    const head = `$${s.length}\r\n`;
    this.reserve(head.length + s.length + 2);
    this.pos += this.buf.write(head, this.pos, 'latin1');
    this.pos += this.buf.write(s, this.pos, 'latin1');
    this.buf.writeUInt16LE(CRLF, this.pos);
    this.pos += 2;
  }

  private bulkBytes(b: Buffer): void {
    const head = `$${b.length}\r\n`;
    this.reserve(head.length + b.length + 2);
    this.pos += this.buf.write(head, this.pos, 'latin1');
    this.pos += b.copy(this.buf, this.pos);
    this.buf.writeUInt16LE(CRLF, this.pos);
    this.pos += 2;
  }

  /** Makes room for `n` contiguous bytes, flushing the current buffer if needed. */
  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(Math.max(n, this.chunkSize));
  }

  /** Hands the bytes encoded so far to `out` (a fresh buffer is used afterwards). */
  flush(): void {
    if (this.pos === 0) return;
    const chunk = this.buf.subarray(0, this.pos);
    this.bytesOut += chunk.length;
    if (!this.out.write(chunk)) this.blocked = true;
    this.buf = Buffer.allocUnsafe(this.chunkSize);
    this.pos = 0;
  }

  /** Resolves once `out` has room again (immediately if it never pushed back). */
  async drained(): Promise<void> {
    if (!this.blocked) return;
    this.blocked = false;
    if (!this.out.writableNeedDrain) return;
    await new Promise<void>((resolve, reject) => {
      const onDrain = (): void => {
        this.out.off('error', onError);
        resolve();
      };
      const onError = (e: Error): void => {
        this.out.off('drain', onDrain);
        reject(e);
      };
      this.out.once('drain', onDrain);
      this.out.once('error', onError);
    });
  }

  /** Flushes and ends `out`, resolving when it has been fully written. */
  async end(): Promise<void> {
    this.flush();
    await new Promise<void>((resolve, reject) => {
      this.out.once('error', reject);
      this.out.end(() => resolve());
    });
  }
}
