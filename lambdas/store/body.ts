import { Readable } from 'node:stream';

/** What happened to a body while a store read it. */
export interface BodyProgress {
  /** Bytes read so far. */
  bytes: number;
  /** True once the body ended normally: every byte was read. */
  ended: boolean;
  /** Set when the body itself failed or the signal aborted: the caller's error, not the store's. */
  failure?: { error: unknown };
}

export function newBodyProgress(): BodyProgress {
  return { bytes: 0, ended: false };
}

function toBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (typeof value === 'string') return Buffer.from(value);
  throw new TypeError(`a store body must yield Buffers, got ${typeof value}`);
}

/** Stops reading a body that is abandoned before its end, without waiting on it. */
function release(body: Readable | AsyncIterable<Buffer>, iterator: AsyncIterator<unknown>): void {
  if (body instanceof Readable) {
    body.destroy();
    return;
  }
  // An async generator waiting on its own source runs return() only after that wait: don't block on it.
  iterator.return?.().catch(() => undefined);
}

/**
 * The body's next item, or the abort reason as soon as `signal` aborts (even while the
 * body waits for data); an abort that already happened wins over buffered data. Each call
 * listens to the signal only until it settles: racing every read against one long-lived
 * abort promise would keep every chunk read alive through that promise's reactions.
 */
function nextOrAbort(iterator: AsyncIterator<unknown>, signal: AbortSignal): Promise<IteratorResult<unknown>> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    iterator.next().then(
      (result) => {
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Reads `body` as Buffers, counting bytes into `progress`. When `signal` aborts, it throws the
 * abort reason at once, even while the body is waiting for data, and destroys the body. A failure
 * of the body (or the abort) is recorded in `progress.failure` before it is rethrown, so a store
 * can tell its caller's errors from its own. Stopping early (return() or throw() from the
 * consumer) also releases the body.
 */
export async function* readBody(
  body: Readable | AsyncIterable<Buffer>,
  signal: AbortSignal | undefined,
  progress: BodyProgress,
): AsyncGenerator<Buffer> {
  const iterator: AsyncIterator<unknown> = body[Symbol.asyncIterator]();
  try {
    while (true) {
      let chunk: Buffer;
      try {
        const next = signal ? await nextOrAbort(iterator, signal) : await iterator.next();
        if (next.done) {
          progress.ended = true;
          return;
        }
        chunk = toBuffer(next.value);
      } catch (error) {
        progress.failure ??= { error };
        throw error;
      }
      progress.bytes += chunk.length;
      // An error thrown in here comes from the consumer giving up (Readable.from throws an
      // AbortError into its generator when destroyed): not the body's failure.
      yield chunk;
    }
  } finally {
    if (!progress.ended) release(body, iterator);
  }
}

/** Stops a Readable body that a failed write will not read to its end (its producer sees it closed). */
export function abandonBody(body: Readable | AsyncIterable<Buffer>, progress: BodyProgress): void {
  if (!progress.ended && body instanceof Readable && !body.destroyed) body.destroy();
}
