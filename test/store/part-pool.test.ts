import { PartPool } from '../../lambdas/store/part-pool';

describe('PartPool', () => {
  test('makes buffers on demand up to its count, then a take waits for a buffer given back', async () => {
    const pool = new PartPool(16, 2);
    expect(pool.buffersAllocated).toBe(0);
    const a = await pool.take();
    const b = await pool.take();
    expect([a.length, b.length, pool.buffersAllocated]).toEqual([16, 16, 2]);
    let third: Buffer | undefined;
    const waiting = pool.take().then((buffer) => (third = buffer));
    await new Promise((resolve) => setImmediate(resolve));
    expect(third).toBeUndefined();
    pool.give(b);
    await waiting;
    expect(third).toBe(b);
    expect(pool.buffersAllocated).toBe(2);
  });

  test('a buffer given back with nobody waiting is reused by the next take', async () => {
    const pool = new PartPool(8, 3);
    const a = await pool.take();
    pool.give(a);
    expect(await pool.take()).toBe(a);
    expect(pool.buffersAllocated).toBe(1);
  });

  test('close rejects the waiting and every later take with its error', async () => {
    const pool = new PartPool(8, 1);
    const a = await pool.take();
    const waiting = pool.take();
    const boom = new Error('part 3 failed');
    pool.close(boom);
    await expect(waiting).rejects.toBe(boom);
    await expect(pool.take()).rejects.toBe(boom);
    pool.give(a); // a late give is harmless
    await expect(pool.take()).rejects.toBe(boom);
  });

  test('refuses a buffer of another size, and sizes or counts that are not positive integers', async () => {
    const pool = new PartPool(8, 1);
    expect(() => pool.give(Buffer.alloc(9))).toThrow(/9 bytes, not 8/);
    expect(() => new PartPool(0, 1)).toThrow(RangeError);
    expect(() => new PartPool(8, 1.5)).toThrow(RangeError);
  });
});
