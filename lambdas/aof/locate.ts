import { open, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AofError } from './errors';

/** Where an AOF is: one old-style file, or the manifest of a multi-part AOF. */
export type AofLayout =
  | { kind: 'single'; path: string; name: string }
  | { kind: 'multi-part'; dir: string; manifestPath: string; manifestName: string };

/** The default names (appendfilename appendonly.aof, appenddirname appendonlydir). */
export const DEFAULT_AOF_NAME = 'appendonly.aof';
export const DEFAULT_AOF_DIR = 'appendonlydir';

async function kindOf(path: string): Promise<'file' | 'dir' | null> {
  try {
    const s = await stat(path);
    return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : null;
  } catch {
    return null;
  }
}

async function readHead(path: string, bytes: number): Promise<Buffer> {
  const fd = await open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fd.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fd.close();
  }
}

/**
 * redis-check-aof's test: the first line that is not a `#` comment starts with `file`.
 * (It reads the first 64 KiB, plenty for any manifest Redis writes.)
 */
export async function isManifestFile(path: string): Promise<boolean> {
  const head = await readHead(path, 64 << 10);
  let pos = 0;
  while (pos < head.length) {
    if (head[pos] !== 0x23) return head.toString('latin1', pos, pos + 4) === 'file';
    const nl = head.indexOf(0x0a, pos);
    if (nl === -1) return false;
    pos = nl + 1;
  }
  return false;
}

async function manifestIn(dir: string): Promise<string | null> {
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isFile() && e.name.endsWith('.manifest') && !e.name.startsWith('temp-'))
    .map((e) => e.name)
    .sort();
  if (names.length === 0) return null;
  if (names.length === 1) return names[0];
  if (names.includes(`${DEFAULT_AOF_NAME}.manifest`)) return `${DEFAULT_AOF_NAME}.manifest`;
  throw new AofError(
    'AOF_NOT_FOUND',
    `${dir} holds several AOF manifests (${names.join(', ')})`,
    { offset: 0 },
    'Point at the manifest to verify',
  );
}

/**
 * Finds the AOF at `path`: a manifest or AOF file itself, a directory holding a
 * manifest (`appendonlydir/`), or a Redis data directory holding `appendonlydir/`
 * or an old `appendonly.aof`. A multi-part AOF wins over an old file beside it, as
 * Redis 7 does once it has upgraded.
 */
export async function locateAof(path: string): Promise<AofLayout> {
  const kind = await kindOf(path);
  if (kind === 'file') {
    if (await isManifestFile(path)) return { kind: 'multi-part', dir: dirname(path), manifestPath: path, manifestName: basename(path) };
    return { kind: 'single', path, name: basename(path) };
  }
  if (kind === 'dir') {
    for (const dir of [path, join(path, DEFAULT_AOF_DIR)]) {
      if ((await kindOf(dir)) !== 'dir') continue;
      const manifest = await manifestIn(dir);
      if (manifest !== null) return { kind: 'multi-part', dir, manifestPath: join(dir, manifest), manifestName: manifest };
    }
    const single = join(path, DEFAULT_AOF_NAME);
    if ((await kindOf(single)) === 'file') return { kind: 'single', path: single, name: DEFAULT_AOF_NAME };
    throw new AofError(
      'AOF_NOT_FOUND',
      `No AOF in ${path}: no *.manifest there or in ${DEFAULT_AOF_DIR}/, and no ${DEFAULT_AOF_NAME}`,
      { offset: 0 },
      'Point at the AOF file, at its manifest, or at the directory Redis writes them to (dir / appenddirname)',
    );
  }
  throw new AofError('AOF_NOT_FOUND', `${path} does not exist`, { offset: 0 }, 'Check the path');
}

/**
 * Whether `path` should be verified as an AOF rather than an RDB: a directory holding
 * an AOF, a manifest, a file starting with a command (`*`) or an annotation (`#`),
 * or a `.aof` file with an RDB preamble.
 */
export async function isAofTarget(path: string): Promise<boolean> {
  const kind = await kindOf(path);
  if (kind === 'dir') {
    try {
      await locateAof(path);
      return true;
    } catch (e) {
      if (e instanceof AofError && e.code === 'AOF_NOT_FOUND' && / several AOF manifests /.test(e.reason)) return true;
      return false;
    }
  }
  if (kind !== 'file') return false;
  const head = await readHead(path, 8);
  if (head.length === 0) return /\.aof$/i.test(path);
  if (head[0] === 0x2a || head[0] === 0x23) return true;
  if (await isManifestFile(path)) return true;
  return /\.aof$/i.test(path) && /^(REDIS|VALKEY)/.test(head.toString('latin1'));
}

/** A manifest's file name as a path: names are bytes, kept as latin1 text by the parser. */
export function partPath(dir: string, file: string): string | Buffer {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(file)) return join(dir, file);
  return Buffer.concat([Buffer.from(`${dir}/`), Buffer.from(file, 'latin1')]);
}
