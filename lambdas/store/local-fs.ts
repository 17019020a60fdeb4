import { randomBytes } from 'node:crypto';
import { FileHandle, mkdir, open, rmdir, unlink } from 'node:fs/promises';
import { dirname, sep } from 'node:path';
import { StoreError, StoreErrorCode } from './errors';
import { PARTIAL_MARKER } from './keys';

/** File-system helpers of LocalStore: temporary files, durable renames, error mapping. */

export function errno(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const { code } = error;
  return typeof code === 'string' ? code : undefined;
}

/** `<path>.partial-<random>`: where a write goes until it is complete. */
export function partialPath(path: string): string {
  return `${path}${PARTIAL_MARKER}${randomBytes(6).toString('hex')}`;
}

/** Flushes a directory's entries (a rename or link in it) to disk. */
export async function fsyncDir(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    // Some file systems refuse fsync on a directory; the rename itself still happened.
    if (!['EINVAL', 'EISDIR', 'EPERM', 'ENOTSUP', 'EOPNOTSUPP'].includes(errno(error) ?? '')) throw error;
  } finally {
    await handle?.close();
  }
}

/**
 * Creates `<path>.partial-<random>` exclusively, creating its directory as needed. Retries when
 * the directory vanishes in between (a concurrent delete prunes empty directories).
 */
export async function createPartial(path: string): Promise<{ path: string; handle: FileHandle }> {
  for (let attempt = 1; ; attempt++) {
    await mkdir(dirname(path), { recursive: true });
    const temp = partialPath(path);
    try {
      return { path: temp, handle: await open(temp, 'wx') };
    } catch (error) {
      if (errno(error) !== 'ENOENT' || attempt >= 3) throw error;
    }
  }
}

export async function writeAll(handle: FileHandle, chunk: Buffer): Promise<void> {
  let offset = 0;
  while (offset < chunk.length) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
    offset += bytesWritten;
  }
}

/** Writes `data` to a new, fsynced temporary file next to `path`; returns the temporary file's path. */
export async function writePartial(path: string, data: Buffer): Promise<string> {
  const { path: temp, handle } = await createPartial(path);
  try {
    await writeAll(handle, data);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await removeQuietly(temp);
    throw error;
  }
  await handle.close();
  return temp;
}

/** Deletes a file; a missing one is fine. */
export async function removeQuietly(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if (!['ENOENT', 'ENOTDIR'].includes(errno(error) ?? '')) throw error;
  }
}

/** Removes the now-empty directories from `dir` up to (not including) `root`. */
export async function pruneEmptyDirs(root: string, dir: string): Promise<void> {
  const inside = root.endsWith(sep) ? root : `${root}${sep}`;
  for (let current = dir; current.startsWith(inside); current = dirname(current)) {
    try {
      await rmdir(current);
    } catch {
      return; // not empty (or already gone): stop here
    }
  }
}

export type FsAction = 'read' | 'write' | 'delete' | 'list';

const UNREACHABLE = ['ENOTCONN', 'ESTALE', 'ETIMEDOUT', 'EHOSTDOWN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNREFUSED'];

/** A file-system error as a StoreError whose message says what to do next. */
export function mapFsError(error: unknown, store: string, key: string | undefined, action: FsAction, path: string): StoreError {
  if (error instanceof StoreError) return error;
  const code = errno(error) ?? 'unknown error';
  const detail = error instanceof Error ? error.message : String(error);
  const writing = action === 'write' || action === 'delete';
  let storeCode: StoreErrorCode = writing ? 'STORE_WRITE_FAILED' : 'STORE_READ_FAILED';
  let hint: string;
  if (code === 'EACCES' || code === 'EPERM') {
    storeCode = 'STORE_ACCESS_DENIED';
    hint = `check the owner and mode of ${path} and its directories (this process runs as uid ${process.getuid?.() ?? '?'})`;
  } else if (code === 'ENOSPC' || code === 'EDQUOT') {
    hint = `free space on the file system holding ${store}, or store backups elsewhere`;
  } else if (code === 'EROFS') {
    hint = `${store} is on a read-only file system: remount it read-write or store backups elsewhere`;
  } else if (code === 'ENOTDIR' || code === 'EISDIR' || code === 'EEXIST') {
    hint = `a file and a directory collide at ${path}: remove whichever does not belong to the store`;
  } else if (UNREACHABLE.includes(code)) {
    storeCode = 'STORE_UNREACHABLE';
    hint = `the file system holding ${store} is not reachable (a network mount gone stale?): check the mount and retry`;
  } else {
    hint = 'check the disk and the file system, then retry';
  }
  const what = key === undefined ? store : `${key} in ${store}`;
  return new StoreError(storeCode, `Could not ${action} ${what} (${code}: ${detail}): ${hint}`, { store, key }, { cause: error });
}
