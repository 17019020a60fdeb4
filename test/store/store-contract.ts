import { Readable } from 'node:stream';
import { StoreError, StoreNotFoundError } from '../../lambdas/store/errors';
import { ObjectInfo, SnapshotStore } from '../../lambdas/store/store';
import { chunks, collect, failingAfter, gated, MIB, randomData, readAll, stallingAfter } from './bodies';

/** A store under test, with ways to look behind it. */
export interface StoreFixture {
  store: SnapshotStore;
  /** Resolves once a putStream to `key` is under way on the backend (a temporary file, a multipart upload). */
  untilWriting(key: string): Promise<void>;
  /** Asserts that a failed putStream to `key` left nothing behind on the backend. */
  expectCleanedUp(key: string): Promise<void>;
  close(): Promise<void>;
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<StoreError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StoreError);
  expect((error as StoreError).code).toBe(code);
  return error as StoreError;
}

/**
 * The SnapshotStore contract (store.ts), run against every implementation. Each test works under
 * its own prefix, so one store serves the whole suite.
 */
export function storeContract(setup: () => Promise<StoreFixture>): void {
  let fx: StoreFixture;
  let store: SnapshotStore;
  beforeAll(async () => {
    fx = await setup();
    store = fx.store;
  });
  afterAll(async () => {
    await fx?.close();
  });

  describe('putStream', () => {
    test('round-trips a multi-MiB body given as an async iterable or a Readable', async () => {
      const data = randomData(12 * MIB + 12345);
      await expect(store.putStream('rt/iterable.bin', chunks(data))).resolves.toEqual({ size: data.length });
      await expect(store.putStream('rt/readable.bin', Readable.from(chunks(data, 64 * 1024)))).resolves.toEqual({ size: data.length });
      for (const key of ['rt/iterable.bin', 'rt/readable.bin']) {
        expect((await store.get(key))?.equals(data)).toBe(true);
        expect((await readAll(await store.getStream(key))).equals(data)).toBe(true);
        expect((await store.head(key))?.size).toBe(data.length);
      }
    });

    test('stores an empty body', async () => {
      await expect(store.putStream('rt/empty', chunks(Buffer.alloc(0)))).resolves.toEqual({ size: 0 });
      expect(await store.get('rt/empty')).toEqual(Buffer.alloc(0));
    });

    test('an object is invisible until all of it is stored', async () => {
      let open = (): void => undefined;
      const gate = new Promise<void>((resolve) => (open = resolve));
      let reached = (): void => undefined;
      const halfway = new Promise<void>((resolve) => (reached = resolve));
      const [before, after] = [randomData(6 * MIB), randomData(MIB)];
      const writing = store.putStream('inv/data', gated(before, gate, after, reached));
      await halfway;
      await fx.untilWriting('inv/data');
      expect(await store.head('inv/data')).toBeNull();
      expect(await store.get('inv/data')).toBeNull();
      expect(await collect(store.list('inv/'))).toEqual([]);
      open();
      await expect(writing).resolves.toEqual({ size: before.length + after.length });
      expect((await store.get('inv/data'))?.equals(Buffer.concat([before, after]))).toBe(true);
    });

    test('a body that throws midway rejects with its error and leaves nothing behind', async () => {
      const boom = new Error('compressor failed');
      await expect(store.putStream('fail/data', failingAfter(12 * MIB, boom))).rejects.toBe(boom);
      expect(await store.head('fail/data')).toBeNull();
      expect(await collect(store.list('fail/'))).toEqual([]);
      expect(await store.listIncomplete('fail/')).toEqual([]);
      await fx.expectCleanedUp('fail/data');
    });

    test('aborting the signal mid-write rejects with the abort reason and leaves nothing behind', async () => {
      const controller = new AbortController();
      const writing = store.putStream(
        'abort/data',
        stallingAfter(12 * MIB, () => undefined),
        { signal: controller.signal },
      );
      await fx.untilWriting('abort/data');
      controller.abort();
      const error: unknown = await writing.catch((e: unknown) => e);
      expect(error).toBe(controller.signal.reason);
      expect((error as Error).name).toBe('AbortError');
      expect(await store.head('abort/data')).toBeNull();
      expect(await store.listIncomplete('abort/')).toEqual([]);
      await fx.expectCleanedUp('abort/data');
    });

    test('an already aborted signal rejects without writing', async () => {
      const controller = new AbortController();
      controller.abort();
      await expect(store.putStream('abort/early', chunks(randomData(1000)), { signal: controller.signal })).rejects.toThrow();
      expect(await store.head('abort/early')).toBeNull();
    });
  });

  describe('small objects', () => {
    test('put writes and replaces; get reads; a missing key reads null', async () => {
      await store.put('small/a.json', Buffer.from('{"v":1}'), 'application/json');
      expect((await store.get('small/a.json'))?.toString()).toBe('{"v":1}');
      await store.put('small/a.json', Buffer.from('{"v":2}'));
      expect((await store.get('small/a.json'))?.toString()).toBe('{"v":2}');
      expect(await store.get('small/missing.json')).toBeNull();
    });

    test('putIfAbsent creates once, then resolves false and leaves the object unchanged', async () => {
      await expect(store.putIfAbsent('once/lock.json', Buffer.from('first'), 'application/json')).resolves.toBe(true);
      await expect(store.putIfAbsent('once/lock.json', Buffer.from('second'))).resolves.toBe(false);
      expect((await store.get('once/lock.json'))?.toString()).toBe('first');
      expect(await store.listIncomplete('once/')).toEqual([]);
    });

    test('head gives size and modification time, or null', async () => {
      const before = Date.now() - 5000;
      await store.put('head/x', Buffer.from('12345'));
      const info = await store.head('head/x');
      expect(info).toEqual({ key: 'head/x', size: 5, lastModified: expect.any(Date) });
      expect(info!.lastModified.getTime()).toBeGreaterThan(before);
      expect(await store.head('head/missing')).toBeNull();
    });

    test('retainedUntil is null without Object Lock', async () => {
      await store.put('ret/x', Buffer.from('x'));
      await expect(store.retainedUntil('ret/x')).resolves.toBeNull();
    });
  });

  describe('getStream', () => {
    const data = randomData(MIB + 7);
    beforeAll(async () => {
      await store.putStream('range/data', chunks(data));
    });

    test.each([
      ['the start', 0, 10],
      ['the middle', 100, 700_000],
      ['the end', data.length - 5, data.length],
      ['everything', 0, data.length],
    ])('reads a byte range at %s', async (_, start, end) => {
      expect((await readAll(await store.getStream('range/data', { start, end }))).equals(data.subarray(start, end))).toBe(true);
    });

    test('an empty range, or one past the end, reads nothing; one crossing the end reads the tail', async () => {
      expect((await readAll(await store.getStream('range/data', { start: 5, end: 5 }))).length).toBe(0);
      expect((await readAll(await store.getStream('range/data', { start: data.length + 10, end: data.length + 20 }))).length).toBe(0);
      const tail = await readAll(await store.getStream('range/data', { start: data.length - 3, end: data.length + 100 }));
      expect(tail.equals(data.subarray(data.length - 3))).toBe(true);
    });

    test('a missing object rejects with StoreNotFoundError', async () => {
      const error = await expectCode(store.getStream('range/missing'), 'STORE_NOT_FOUND');
      expect(error).toBeInstanceOf(StoreNotFoundError);
      expect(error.context.key).toBe('range/missing');
      await expectCode(store.getStream('range/missing', { start: 0, end: 10 }), 'STORE_NOT_FOUND');
      await expectCode(store.getStream('range/missing', { start: 3, end: 3 }), 'STORE_NOT_FOUND');
    });

    test('an inverted range is refused', async () => {
      await expect(store.getStream('range/data', { start: 10, end: 5 })).rejects.toThrow(RangeError);
    });
  });

  describe('list and delete', () => {
    // No name here is a sibling's name plus a character below '/' ('a-c' next to 'a/b'): S3 lists
    // 'a-c' first (byte order), s3rver lists 'a/b' first. LocalStore's test checks that case.
    const keys = ['l/b', 'l/a/b', 'l/ab', 'l/a/c/d', 'l/z/x', 'l/é', 'l/A', 'l/a0'];
    beforeAll(async () => {
      for (const key of keys) await store.put(key, Buffer.from(key));
    });

    test('lists every object under a prefix in key (byte) order, with sizes', async () => {
      const listed = await collect(store.list('l/'));
      expect(listed.map((o) => o.key)).toEqual([...keys].sort(byteOrder));
      for (const o of listed) {
        expect(o).toEqual<ObjectInfo>({ key: o.key, size: Buffer.byteLength(o.key), lastModified: expect.any(Date) });
      }
    });

    test('a prefix may end inside a name', async () => {
      expect((await collect(store.list('l/a'))).map((o) => o.key)).toEqual(['l/a/b', 'l/a/c/d', 'l/a0', 'l/ab']);
      expect((await collect(store.list('l/a/'))).map((o) => o.key)).toEqual(['l/a/b', 'l/a/c/d']);
      expect((await collect(store.list('l/a/c'))).map((o) => o.key)).toEqual(['l/a/c/d']);
      expect(await collect(store.list('l/nothing/'))).toEqual([]);
      expect(await collect(store.list('nothing-here/'))).toEqual([]);
    });

    test('delete removes the given objects and ignores missing ones', async () => {
      await store.delete(['l/a/c/d', 'l/never-existed', 'l/b']);
      await store.delete([]);
      expect(await store.head('l/a/c/d')).toBeNull();
      expect((await collect(store.list('l/'))).map((o) => o.key)).toEqual(keys.filter((k) => k !== 'l/a/c/d' && k !== 'l/b').sort(byteOrder));
      await store.put('l/a/c/d', Buffer.from('back'));
      expect((await store.get('l/a/c/d'))?.toString()).toBe('back');
    });
  });

  describe('keys', () => {
    test.each(['../x', '/abs', 'a//b', 'a/./b', 'a/../b', '', 'a/', 'x.partial-1', 'a\\b'])('refuses the key %j', async (key) => {
      await expectCode(store.put(key, Buffer.from('x')), 'STORE_BAD_KEY');
      await expectCode(store.get(key), 'STORE_BAD_KEY');
      await expectCode(store.head(key), 'STORE_BAD_KEY');
      await expectCode(store.putStream(key, chunks(Buffer.from('x'))), 'STORE_BAD_KEY');
      await expectCode(store.delete(['ok', key]), 'STORE_BAD_KEY');
    });

    test('refuses a listing prefix that climbs out', async () => {
      await expectCode(collect(store.list('../')), 'STORE_BAD_KEY');
      await expectCode(store.listIncomplete('a/../../'), 'STORE_BAD_KEY');
    });
  });
}
