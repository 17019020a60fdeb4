import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalStore } from '../../lambdas/store/local-store';
import { collect, failingAfter, MIB, sleep } from './bodies';
import { storeContract } from './store-contract';

async function partialFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.filter((name) => name.includes('.partial-'));
}

describe('LocalStore: the store contract', () => {
  storeContract(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'redis-backup-local-store-'));
    const store = new LocalStore(dir);
    return {
      store,
      async untilWriting(key: string) {
        const parent = join(dir, ...key.split('/').slice(0, -1));
        const name = key.split('/').pop() ?? '';
        for (;;) {
          if (existsSync(parent) && (await readdir(parent)).some((f) => f.startsWith(`${name}.partial-`))) return;
          await sleep(5);
        }
      },
      async expectCleanedUp() {
        expect(await partialFiles(dir)).toEqual([]);
      },
      close: () => rm(dir, { recursive: true, force: true }),
    };
  });
});

describe('LocalStore', () => {
  let dir: string;
  let store: LocalStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'redis-backup-local-store-'));
    store = new LocalStore(dir);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('its url is the absolute directory; keys map to files under it', async () => {
    expect(store.url).toBe(dir);
    await store.put('src/snapshots/1/manifest.json', Buffer.from('{}'));
    expect(existsSync(join(dir, 'src', 'snapshots', '1', 'manifest.json'))).toBe(true);
  });

  test("lists in S3's byte order, where 'a-c' and 'a.txt' come before 'a/b'", async () => {
    const keys = ['s/a/b', 's/a-c', 's/a/c/d', 's/a.txt', 's/a0', 's/b'];
    for (const key of keys) await store.put(key, Buffer.from(key));
    expect((await collect(store.list('s/'))).map((o) => o.key)).toEqual(['s/a-c', 's/a.txt', 's/a/b', 's/a/c/d', 's/a0', 's/b']);
    expect((await collect(store.list('s/a'))).map((o) => o.key)).toEqual(['s/a-c', 's/a.txt', 's/a/b', 's/a/c/d', 's/a0']);
  });

  test('a crashed write is listed as incomplete and can be removed; it is never listed as an object', async () => {
    await mkdir(join(dir, 'src', 'snapshots', '7'), { recursive: true });
    await writeFile(join(dir, 'src', 'snapshots', '7', 'data.rdb.zst.partial-0123abcd'), 'half');
    await store.put('src/snapshots/7/other', Buffer.from('x'));
    expect((await collect(store.list('src/'))).map((o) => o.key)).toEqual(['src/snapshots/7/other']);
    const incomplete = await store.listIncomplete('src/');
    expect(incomplete).toEqual([{ key: 'src/snapshots/7/data.rdb.zst.partial-0123abcd', initiated: expect.any(Date) }]);
    expect(await store.listIncomplete('other/')).toEqual([]);
    await store.abortIncomplete(incomplete[0]);
    expect(await store.listIncomplete('src/')).toEqual([]);
    expect(await partialFiles(dir)).toEqual([]);
  });

  test('abortIncomplete refuses anything but a temporary file', async () => {
    await store.put('src/x', Buffer.from('x'));
    await expect(store.abortIncomplete({ key: 'src/x', initiated: new Date() })).rejects.toMatchObject({ code: 'STORE_BAD_KEY' });
    await expect(store.abortIncomplete({ key: 'src/x.partial-1', uploadId: 'abc', initiated: new Date() })).rejects.toMatchObject({
      code: 'STORE_BAD_KEY',
    });
    expect(await store.get('src/x')).not.toBeNull();
  });

  test('deleting the last object of a directory removes the emptied directories, not the root', async () => {
    await store.put('src/snapshots/1/data', Buffer.from('x'));
    await store.put('src/lock.json', Buffer.from('x'));
    await store.delete(['src/snapshots/1/data']);
    expect(existsSync(join(dir, 'src', 'snapshots'))).toBe(false);
    expect(existsSync(join(dir, 'src', 'lock.json'))).toBe(true);
    await store.delete(['src/lock.json']);
    expect(await readdir(dir)).toEqual([]);
    expect(existsSync(dir)).toBe(true);
  });

  test('a failed write removes its temporary file', async () => {
    await expect(store.putStream('a/b/c', failingAfter(3 * MIB, new Error('source lost')))).rejects.toThrow('source lost');
    expect(await partialFiles(dir)).toEqual([]);
    expect(await store.head('a/b/c')).toBeNull();
  });

  test('a directory is not an object', async () => {
    await store.put('d/inner/x', Buffer.from('x'));
    expect(await store.head('d/inner')).toBeNull();
    expect(await store.get('d/inner')).toBeNull();
    await expect(store.getStream('d/inner')).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
    await expect(store.putIfAbsent('d/inner', Buffer.from('y'))).resolves.toBe(false);
  });

  test('a write into an unwritable directory fails with STORE_ACCESS_DENIED naming the key', async () => {
    if (process.getuid?.() === 0) {
      // root ignores file modes: check the mapping of the error instead
      const { mapFsError } = await import('../../lambdas/store/local-fs');
      const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      expect(mapFsError(denied, dir, 'k', 'write', join(dir, 'k'))).toMatchObject({ code: 'STORE_ACCESS_DENIED', context: { key: 'k' } });
      return;
    }
    const { chmod } = await import('node:fs/promises');
    await mkdir(join(dir, 'ro'));
    await chmod(join(dir, 'ro'), 0o500);
    try {
      const error = await store.put('ro/k', Buffer.from('x')).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'STORE_ACCESS_DENIED', context: { store: dir, key: 'ro/k' } });
      expect(String(error)).toMatch(/check the owner and mode/);
    } finally {
      await chmod(join(dir, 'ro'), 0o700);
    }
  });

  test('reading a store whose directory does not exist finds nothing', async () => {
    const missing = new LocalStore(join(dir, 'not', 'there'));
    expect(await collect(missing.list(''))).toEqual([]);
    expect(await missing.listIncomplete('')).toEqual([]);
    expect(await missing.get('x')).toBeNull();
  });
});
