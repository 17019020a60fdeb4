import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

/** Bodies for putStream tests. */

export const MIB = 1024 * 1024;

export function randomData(size: number): Buffer {
  return randomBytes(size);
}

/** `data` as an async iterable of `chunkSize` pieces. */
export async function* chunks(data: Buffer, chunkSize = 256 * 1024): AsyncGenerator<Buffer> {
  for (let offset = 0; offset < data.length; offset += chunkSize) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    yield data.subarray(offset, offset + chunkSize);
  }
}

/** Yields `bytes` of data, then throws `error`. */
export async function* failingAfter(bytes: number, error: Error, chunkSize = 256 * 1024): AsyncGenerator<Buffer> {
  yield* chunks(randomData(bytes), chunkSize);
  throw error;
}

/** Yields `bytes` of data, calls `onStalled`, then never yields again until the consumer gives up. */
export function stallingAfter(bytes: number, onStalled: () => void): Readable {
  const data = randomData(bytes);
  let sent = false;
  return new Readable({
    read() {
      if (!sent) {
        sent = true;
        this.push(data);
        setTimeout(onStalled, 20);
      }
      // then: no more data, no end
    },
  });
}

/** A body that yields `before` bytes, waits for `gate`, then yields `after` more bytes. */
export async function* gated(before: Buffer, gate: Promise<void>, after: Buffer, reached: () => void): AsyncGenerator<Buffer> {
  yield* chunks(before);
  reached();
  await gate;
  yield* chunks(after);
}

export async function readAll(stream: AsyncIterable<Buffer | string>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(Buffer.isBuffer(part) ? part : Buffer.from(part));
  return Buffer.concat(parts);
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
