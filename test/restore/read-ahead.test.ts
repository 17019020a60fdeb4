import { setImmediate as tick } from 'node:timers/promises';
import { readAhead } from '../../lambdas/restore/read-ahead';

/** A source of `count` buffers of `size` bytes (byte i of each holds its index), each after a tick; records how far it got. */
function source(count: number, size: number, failAt = -1) {
  const state = { produced: 0, finished: false };
  async function* gen(): AsyncGenerator<Buffer> {
    try {
      for (let i = 0; i < count; i++) {
        await tick();
        if (i === failAt) throw new Error(`source failed at ${i}`);
        state.produced++;
        yield Buffer.alloc(size, i);
      }
    } finally {
      state.finished = true;
    }
  }
  return { state, it: gen() };
}

describe('readAhead', () => {
  test('yields every item in order and pulls ahead while the consumer works, up to the byte limit', async () => {
    const { state, it } = source(20, 100);
    const seen: number[] = [];
    const aheadWhenTaken: number[] = [];
    for await (const b of readAhead(it, 350)) {
      aheadWhenTaken.push(state.produced - seen.length);
      seen.push(b[0]);
      for (let i = 0; i < 10; i++) await tick(); // a slow consumer
    }
    expect(seen).toEqual([...Array(20).keys()]);
    // The source ran ahead of the consumer, never by more than the limit allows (4 x 100 bytes: the one over 350 included).
    expect(Math.max(...aheadWhenTaken)).toBeGreaterThan(1);
    expect(Math.max(...aheadWhenTaken)).toBeLessThanOrEqual(4);
    expect(state.finished).toBe(true);
  });

  test('a failing source: the items before the failure come out, then its error', async () => {
    const { it } = source(10, 10, 3);
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const b of readAhead(it, 1000)) seen.push(b[0]);
      })(),
    ).rejects.toThrow('source failed at 3');
    expect(seen).toEqual([0, 1, 2]);
  });

  test('a consumer that stops early stops the source, and waits for it to finish', async () => {
    const { state, it } = source(100, 10);
    for await (const b of readAhead(it, 50)) {
      if (b[0] === 2) break;
    }
    expect(state.finished).toBe(true);
    expect(state.produced).toBeLessThan(100);
  });

  test('a consumer that throws stops the source too', async () => {
    const { state, it } = source(100, 10);
    await expect(
      (async () => {
        for await (const b of readAhead(it, 50)) if (b[0] === 1) throw new Error('consumer failed');
      })(),
    ).rejects.toThrow('consumer failed');
    expect(state.finished).toBe(true);
  });

  test('a limit of 0 still makes progress (one item at a time)', async () => {
    const { it } = source(5, 10);
    const seen: number[] = [];
    for await (const b of readAhead(it, 0)) seen.push(b[0]);
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });
});
