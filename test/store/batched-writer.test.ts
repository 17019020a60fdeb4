import { randomBytes } from 'node:crypto';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchedFileWriter } from '../../lambdas/store/batched-writer';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'redis-backup-batched-writer-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('buffers of every size, empty and bigger than a batch, land in order', async () => {
  const pieces = [1, 0, 4096, 70_000, 3 << 20, 17, 0, 1 << 20, 999_999, 5].map((n) => randomBytes(n));
  const path = join(dir, 'out');
  const handle = await open(path, 'w');
  try {
    const writer = new BatchedFileWriter(handle, 256 << 10);
    for (const piece of pieces) await writer.write(piece);
    await writer.finish();
  } finally {
    await handle.close();
  }
  expect((await readFile(path)).equals(Buffer.concat(pieces))).toBe(true);
});

test('a failed write rejects finish() with the file system error, and settle() still lets the file be closed', async () => {
  const path = join(dir, 'read-only');
  await open(path, 'w').then((h) => h.close());
  const handle = await open(path, 'r'); // writes fail with EBADF
  const writer = new BatchedFileWriter(handle, 1024);
  try {
    let failure: unknown = null;
    try {
      for (let i = 0; i < 4; i++) await writer.write(randomBytes(1024));
      await writer.finish();
    } catch (e) {
      failure = e;
    }
    expect((failure as NodeJS.ErrnoException | null)?.code).toBe('EBADF');
    await writer.settle();
  } finally {
    await handle.close();
  }
});

test('with syncEveryBytes, data syncs start as the bytes pass (beside the writes) and every byte still lands in order', async () => {
  const pieces = Array.from({ length: 24 }, (_, i) => randomBytes(100_000 + i));
  const path = join(dir, 'synced');
  const handle = await open(path, 'w');
  // The real handle, with its datasync calls counted.
  const datasync = handle.datasync.bind(handle);
  let syncs = 0;
  handle.datasync = async () => {
    syncs++;
    return datasync();
  };
  try {
    const writer = new BatchedFileWriter(handle, 256 << 10, 512 << 10);
    for (const piece of pieces) await writer.write(piece);
    await writer.finish();
  } finally {
    await handle.close();
  }
  // 2.4 MB in 256 KiB batches with a sync due every 512 KiB, one at a time: some, not one per batch.
  expect(syncs).toBeGreaterThanOrEqual(1);
  expect(syncs).toBeLessThanOrEqual(5);
  expect((await readFile(path)).equals(Buffer.concat(pieces))).toBe(true);
});

test('a failed early sync rejects finish() with its error, even when later writes succeed', async () => {
  const path = join(dir, 'sync-fails');
  const handle = await open(path, 'w');
  // A disk error cannot be made to happen here: the handle's datasync reports one.
  handle.datasync = async () => {
    throw Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
  };
  try {
    const writer = new BatchedFileWriter(handle, 1024, 2048);
    let failure: unknown = null;
    try {
      for (let i = 0; i < 8; i++) await writer.write(randomBytes(1024));
      await writer.finish();
    } catch (e) {
      failure = e;
    }
    expect((failure as NodeJS.ErrnoException | null)?.code).toBe('EIO');
    await writer.settle();
  } finally {
    await handle.close();
  }
});
