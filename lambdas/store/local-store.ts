import { FileHandle, link, open, readFile, rename, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { BatchedFileWriter, WRITE_BATCH_BYTES } from './batched-writer';
import { abandonBody, newBodyProgress, readBody } from './body';
import { StoreError, StoreNotFoundError } from './errors';
import { assertValidKey, assertValidPrefix, PARTIAL_MARKER } from './keys';
import { createPartial, errno, fsyncDir, mapFsError, pruneEmptyDirs, removeQuietly, writeAll, writePartial } from './local-fs';
import { walkFiles } from './local-walk';
import { checkRange, emptyStream } from './range';
import { IncompleteUpload, ObjectInfo, PutStreamOptions, PutStreamResult, SnapshotStore } from './store';

const MISSING = ['ENOENT', 'ENOTDIR', 'EISDIR'];
/** A streamed object's data is synced every this many bytes while it is written (its writeback then overlaps the stream). */
const EARLY_SYNC_BYTES = 64 << 20;
/** link() errors meaning "this file system has no hard links", not "the name is taken". */
const NO_HARD_LINKS = ['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV'];

/**
 * A SnapshotStore in a local directory: key `a/b/c` is the file `<root>/a/b/c`.
 *
 * Every write goes to `<file>.partial-<random>`, is fsynced, then renamed (or, for putIfAbsent,
 * hard-linked) into place, and the directory is fsynced: a crash leaves either the old state or
 * the new one, plus at worst a `.partial-` file that `listIncomplete` reports. Emptied
 * directories are removed after deletes. A key cannot be both an object and a directory here
 * (`a` and `a/b`), unlike in S3; the layout never needs that.
 */
export class LocalStore implements SnapshotStore {
  readonly url: string;

  constructor(rootDir: string) {
    this.url = resolve(rootDir);
  }

  private pathOf(key: string): string {
    assertValidKey(this.url, key);
    return join(this.url, ...key.split('/'));
  }

  async putStream(key: string, body: Readable | AsyncIterable<Buffer>, options: PutStreamOptions = {}): Promise<PutStreamResult> {
    const path = this.pathOf(key);
    const { signal } = options;
    signal?.throwIfAborted();
    const progress = newBodyProgress();
    let temp: string | undefined;
    try {
      const partial = await createPartial(path);
      temp = partial.path;
      // Data syncs every EARLY_SYNC_BYTES: the final sync before the rename then has little left.
      const writer = new BatchedFileWriter(partial.handle, WRITE_BATCH_BYTES, EARLY_SYNC_BYTES);
      try {
        for await (const chunk of readBody(body, signal, progress)) await writer.write(chunk);
        await writer.finish();
        await partial.handle.sync();
      } finally {
        await writer.settle();
        await partial.handle.close();
      }
      // The last moment an abort still cancels the write.
      signal?.throwIfAborted();
      await rename(temp, path);
      temp = undefined;
      await fsyncDir(dirname(path));
      return { size: progress.bytes };
    } catch (error) {
      abandonBody(body, progress);
      if (temp !== undefined) await this.discard(key, temp, error);
      if (progress.failure) throw progress.failure.error; // the body's own error, or the abort
      if (signal?.aborted && error === signal.reason) throw error;
      throw mapFsError(error, this.url, key, 'write', path);
    }
  }

  /** Removes a failed write's temporary file; if even that fails, says so. */
  private async discard(key: string, temp: string, cause: unknown): Promise<void> {
    try {
      await removeQuietly(temp);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new StoreError(
        'STORE_WRITE_FAILED',
        `Writing ${key} in ${this.url} failed and its temporary file ${temp} could not be removed (${reason}): delete it by hand`,
        { store: this.url, key },
        { cause },
      );
    }
  }

  async put(key: string, body: Buffer): Promise<void> {
    const path = this.pathOf(key);
    try {
      const temp = await writePartial(path, body);
      try {
        await rename(temp, path);
      } catch (error) {
        await removeQuietly(temp);
        throw error;
      }
      await fsyncDir(dirname(path));
    } catch (error) {
      throw mapFsError(error, this.url, key, 'write', path);
    }
  }

  async putIfAbsent(key: string, body: Buffer): Promise<boolean> {
    const path = this.pathOf(key);
    try {
      if (await this.exists(path)) return false;
      const temp = await writePartial(path, body);
      try {
        // link() fails with EEXIST if the name is taken, atomically, and publishes complete content.
        await link(temp, path);
      } catch (error) {
        if (errno(error) === 'EEXIST') return false;
        if (!NO_HARD_LINKS.includes(errno(error) ?? '')) throw error;
        return await this.createExclusive(path, body);
      } finally {
        await removeQuietly(temp);
      }
      await fsyncDir(dirname(path));
      return true;
    } catch (error) {
      throw mapFsError(error, this.url, key, 'write', path);
    }
  }

  private async exists(path: string): Promise<boolean> {
    try {
      await stat(path);
      return true;
    } catch (error) {
      if (MISSING.includes(errno(error) ?? '')) return false;
      throw error;
    }
  }

  /**
   * putIfAbsent on a file system without hard links: an exclusive create of the final name.
   * Still never replaces anything, but a crash mid-write could leave a truncated object.
   */
  private async createExclusive(path: string, body: Buffer): Promise<boolean> {
    let handle: FileHandle;
    try {
      handle = await open(path, 'wx');
    } catch (error) {
      if (errno(error) === 'EEXIST') return false;
      throw error;
    }
    try {
      await writeAll(handle, body);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsyncDir(dirname(path));
    return true;
  }

  async get(key: string): Promise<Buffer | null> {
    const path = this.pathOf(key);
    try {
      return await readFile(path);
    } catch (error) {
      if (MISSING.includes(errno(error) ?? '')) return null;
      throw mapFsError(error, this.url, key, 'read', path);
    }
  }

  async getStream(key: string, range?: { start: number; end: number }): Promise<Readable> {
    const path = this.pathOf(key);
    if (range) checkRange(this.url, key, range);
    let handle: FileHandle | undefined;
    try {
      handle = await open(path, 'r');
      if (!(await handle.stat()).isFile()) {
        await handle.close();
        handle = undefined;
      }
    } catch (error) {
      if (!MISSING.includes(errno(error) ?? '')) throw mapFsError(error, this.url, key, 'read', path);
    }
    if (!handle) throw new StoreNotFoundError(this.url, key);
    if (range && range.end === range.start) {
      await handle.close();
      return emptyStream();
    }
    return handle.createReadStream(range ? { start: range.start, end: range.end - 1 } : {});
  }

  async head(key: string): Promise<ObjectInfo | null> {
    const path = this.pathOf(key);
    try {
      const s = await stat(path);
      return s.isFile() ? { key, size: s.size, lastModified: new Date(s.mtimeMs) } : null;
    } catch (error) {
      if (MISSING.includes(errno(error) ?? '')) return null;
      throw mapFsError(error, this.url, key, 'read', path);
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    assertValidPrefix(this.url, prefix);
    try {
      for await (const file of walkFiles(this.url, prefix, 'objects')) {
        yield { key: file.key, size: file.size, lastModified: file.mtime };
      }
    } catch (error) {
      throw mapFsError(error, this.url, prefix === '' ? undefined : prefix, 'list', join(this.url, prefix));
    }
  }

  async delete(keys: string[]): Promise<void> {
    const paths = keys.map((key) => [key, this.pathOf(key)] as const);
    for (const [key, path] of paths) {
      try {
        await removeQuietly(path);
      } catch (error) {
        if (errno(error) === 'EISDIR') continue; // a directory is no object
        throw mapFsError(error, this.url, key, 'delete', path);
      }
      await pruneEmptyDirs(this.url, dirname(path));
    }
  }

  /** Temporary files of writes that are in progress or were interrupted by a crash. */
  async listIncomplete(prefix: string): Promise<IncompleteUpload[]> {
    assertValidPrefix(this.url, prefix);
    const found: IncompleteUpload[] = [];
    try {
      // `initiated` is the file's last write: at least its creation, and recent while a write is still going on.
      for await (const file of walkFiles(this.url, prefix, 'partials')) found.push({ key: file.key, initiated: file.mtime });
    } catch (error) {
      throw mapFsError(error, this.url, prefix === '' ? undefined : prefix, 'list', join(this.url, prefix));
    }
    return found;
  }

  /** Removes a temporary file listed by listIncomplete (its key is the temporary file's own). */
  async abortIncomplete(upload: IncompleteUpload): Promise<void> {
    const { key } = upload;
    const cut = key.lastIndexOf(PARTIAL_MARKER);
    if (upload.uploadId !== undefined || cut <= 0 || key.indexOf('/', cut) !== -1) {
      throw new StoreError(
        'STORE_BAD_KEY',
        `${JSON.stringify(key)}${upload.uploadId !== undefined ? ` (upload id ${upload.uploadId})` : ''} is not a temporary file of ${this.url}: pass an entry returned by listIncomplete`,
        { store: this.url, key },
      );
    }
    const path = join(dirname(this.pathOf(key.slice(0, cut))), key.slice(key.lastIndexOf('/') + 1));
    try {
      await removeQuietly(path);
    } catch (error) {
      throw mapFsError(error, this.url, key, 'delete', path);
    }
    await pruneEmptyDirs(this.url, dirname(path));
  }

  async retainedUntil(key: string): Promise<Date | null> {
    this.pathOf(key);
    return null;
  }
}
