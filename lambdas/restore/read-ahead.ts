/**
 * Iterates `source` ahead of its consumer: up to `maxBytes` of buffers are pulled and queued
 * while the consumer works on earlier ones, so a producer that waits on other threads (a
 * decompressor on zlib's thread pool, a file read) works in parallel with the consumer
 * instead of in turn. Items come out in order; a failure of `source` is thrown to the consumer
 * after the items that came before it. When the consumer stops early, the source is stopped
 * too (its `return`), and the consumer's own stop waits until that has happened, so whatever
 * the source holds (a file, a decompressor) is released before the caller moves on.
 */
export async function* readAhead(source: AsyncIterable<Buffer>, maxBytes: number): AsyncGenerator<Buffer> {
  const limit = Math.max(1, maxBytes);
  const it = source[Symbol.asyncIterator]();
  const queue: Buffer[] = [];
  let queued = 0;
  let done = false;
  let failure: { error: unknown } | null = null;
  let stopped = false;
  // Wakes whichever side waits: the consumer for an item, or the pump for room.
  let wake: (() => void) | null = null;
  const signal = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  const wait = (): Promise<void> => new Promise<void>((resolve) => (wake = resolve));

  const pump = (async (): Promise<void> => {
    try {
      while (!stopped) {
        if (queued >= limit) {
          await wait();
          continue;
        }
        const next = await it.next();
        if (next.done) break;
        queue.push(next.value);
        queued += next.value.length;
        signal();
      }
      if (stopped) await it.return?.();
    } catch (error) {
      failure = { error };
    } finally {
      done = true;
      signal();
    }
  })();

  try {
    while (true) {
      if (queue.length > 0) {
        const item = queue.shift() as Buffer;
        queued -= item.length;
        signal();
        yield item;
        continue;
      }
      if (done) break;
      await wait();
    }
    if (failure !== null) throw (failure as { error: unknown }).error;
  } finally {
    stopped = true;
    signal();
    await pump;
  }
}
