import { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PARTIAL_MARKER } from './keys';
import { errno } from './local-fs';

/** One file found under a LocalStore's root. */
export interface WalkedFile {
  /** The file's path relative to the root, with '/' separators. */
  key: string;
  path: string;
  size: number;
  mtime: Date;
}

/** Which files a walk yields: stored objects, or the temporary files of writes in progress. */
export type WalkKind = 'objects' | 'partials';

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

async function fileStat(path: string): Promise<{ size: number; mtime: Date } | undefined> {
  try {
    const s = await stat(path);
    // A Date built here rather than Stats' own, which comes from Node's realm (not jest's sandbox).
    return s.isFile() ? { size: s.size, mtime: new Date(s.mtimeMs) } : undefined;
  } catch (error) {
    if (['ENOENT', 'ENOTDIR', 'ELOOP'].includes(errno(error) ?? '')) return undefined; // gone meanwhile, or a dangling link
    throw error;
  }
}

async function* walkDir(dirPath: string, dirKey: string, prefix: string, kind: WalkKind): AsyncGenerator<WalkedFile> {
  let entries: Dirent[];
  try {
    entries = await readdir(dirPath, { withFileTypes: true });
  } catch (error) {
    if (['ENOENT', 'ENOTDIR'].includes(errno(error) ?? '')) return;
    throw error;
  }
  // A directory sorts as its name plus '/', which is where its keys fall among its siblings in
  // S3's byte order ('a-c' < 'a/b' because '-' < '/').
  const items = entries
    .map((entry) => ({ entry, sortKey: `${dirKey}${entry.name}${entry.isDirectory() ? '/' : ''}` }))
    .filter(({ sortKey }) => sortKey.startsWith(prefix))
    .sort((a, b) => byteOrder(a.sortKey, b.sortKey));
  for (const { entry, sortKey } of items) {
    const path = join(dirPath, entry.name);
    if (entry.isDirectory()) {
      yield* walkDir(path, sortKey, prefix, kind);
      continue;
    }
    if (entry.name.includes(PARTIAL_MARKER) !== (kind === 'partials')) continue;
    const info = await fileStat(path); // follows a symbolic link to a file; skips anything else
    if (info) yield { key: sortKey, path, ...info };
  }
}

/** The files under `root` whose keys start with `prefix`, in S3 key order (UTF-8 byte order). */
export function walkFiles(root: string, prefix: string, kind: WalkKind): AsyncGenerator<WalkedFile> {
  const dirKey = prefix.slice(0, prefix.lastIndexOf('/') + 1);
  const dirPath = join(root, ...dirKey.split('/').filter((s) => s !== ''));
  return walkDir(dirPath, dirKey, prefix, kind);
}
