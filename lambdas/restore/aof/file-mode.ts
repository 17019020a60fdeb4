import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { AofError } from '../../aof/errors';
import { partPath } from '../../aof/locate';
import { loadOrder, parseManifest } from '../../aof/manifest';
import { AofRestoreError } from './errors';
import { AofSource, AofSourceFile } from './source';
import { integrityError, invalidContent, stageFile } from './stage';

export interface AofFileModeRequest {
  source: AofSource;
  /** The server's data directory (`dir`); it must exist. */
  dataDir: string;
  /** Replace an AOF already there: only once every new file is written and verified (under temporary names) is the old manifest removed, the files renamed into place and the new manifest written last. */
  force?: boolean;
}

export interface AofFileModeReport {
  mode: 'file';
  source: string;
  /** The appendonlydir written, or the single AOF file. */
  path: string;
  files: Array<{ name: string; type: AofSourceFile['type']; bytes: number; sha256: string }>;
  /** How to start a server on it. */
  startWith: string;
}

const badRequest = (message: string): AofRestoreError => new AofRestoreError('AOF_RESTORE_BAD_REQUEST', message);

async function exists(path: string | Buffer): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function fsyncPath(path: string | Buffer): Promise<void> {
  const fd = await open(path, 'r');
  try {
    await fd.sync();
  } finally {
    await fd.close();
  }
}

const tempName = (at: (name: string) => string | Buffer, name: string): string | Buffer => at(`.${name}.restoring-${randomBytes(4).toString('hex')}`);

/** A name from the snapshot's manifest written as one file of the directory: never a path. */
const isPlainName = (name: string): boolean => name !== '' && name !== '.' && name !== '..' && !/[/\\\0]/.test(name);

/** The AOF manifest: small, read whole, checked to name exactly the files being written, in the same order. */
async function readManifestFile(source: AofSource, file: AofSourceFile): Promise<{ bytes: Buffer; sha256: string }> {
  const parts: Buffer[] = [];
  for await (const chunk of (await source.open(file)) as Readable & AsyncIterable<Buffer>) parts.push(chunk);
  const bytes = Buffer.concat(parts);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (file.sha256 !== null && sha256 !== file.sha256) throw integrityError(file, file.sha256, sha256, bytes.length, 'recorded in the snapshot manifest', '. Nothing was written');
  let names: string[];
  try {
    names = loadOrder(parseManifest(bytes, file.name)).map((e) => e.file);
  } catch (e) {
    if (e instanceof AofError) throw invalidContent(file, e);
    throw e;
  }
  const expected = source.files.map((f) => f.name);
  if (names.join('\n') !== expected.join('\n')) {
    throw new AofRestoreError('AOF_RESTORE_INVALID', `${file.name} names ${names.join(', ')}, not the files of the snapshot (${expected.join(', ')}). Nothing was written; run 'redis-backup verify' on the snapshot`, { file: file.name });
  }
  return { bytes, sha256 };
}

/**
 * File mode: the AOF written into a server's data directory so that a server
 * started there with `appendonly yes` loads it. Each file is verified (SHA-256 and
 * content) while it is written under a temporary name and fsync'd; only when every
 * file has passed are they renamed into place, and for a multi-part AOF the manifest
 * comes last, so the directory is loadable only once every file it names is complete.
 * A refused snapshot leaves an AOF already there (with --force) as it was.
 */
export async function writeAofFiles(request: AofFileModeRequest): Promise<AofFileModeReport> {
  const { source } = request;
  const dataDir = resolve(request.dataDir);
  const info = await stat(dataDir).catch(() => null);
  if (info === null || !info.isDirectory()) throw badRequest(`The restore directory ${dataDir} does not exist or is not a directory: create it (the server's data directory) first`);
  const multi = source.layout === 'multi-part';
  const dirName = source.dirName ?? 'appendonlydir';
  if (multi && (source.manifest === null || !isPlainName(dirName))) throw badRequest(`The AOF of ${source.description} has no usable manifest or directory name`);
  const names = [...source.files, ...(source.manifest ? [source.manifest] : [])].map((f) => f.name);
  const bad = names.find((n) => !isPlainName(n));
  if (bad !== undefined) throw badRequest(`The AOF of ${source.description} names a file ${JSON.stringify(bad)} that is a path, not a file name: nothing was written. Run 'redis-backup verify' on the snapshot`);
  // A multi-part AOF's names are its manifest's bytes (kept as latin1 text): written as
  // those bytes, not re-encoded. A single file's name is a file system name already.
  const outDir = multi ? partPath(dataDir, dirName) : dataDir;
  const at = (name: string): string | Buffer => {
    if (!multi) return join(dataDir, name);
    return typeof outDir === 'string' ? partPath(outDir, name) : Buffer.concat([outDir, Buffer.from(`/${name}`, 'latin1')]);
  };
  const path = multi ? outDir.toString() : at(source.files[0].name).toString();

  const manifest = multi ? await readManifestFile(source, source.manifest!) : null;
  const existing = multi ? ((await exists(outDir)) ? await readdir(outDir, { encoding: 'latin1' }) : []) : (await exists(at(source.files[0].name))) ? [source.files[0].name] : [];
  if (existing.length > 0 && !request.force) {
    throw new AofRestoreError('AOF_RESTORE_EXISTS', `${path} already holds an AOF (${existing.slice(0, 5).join(', ')}${existing.length > 5 ? ', ...' : ''}). Nothing was written. Move it away, or replace it with --force`);
  }
  await mkdir(outDir, { recursive: true });

  // Every file is written and verified under a temporary name first; the AOF already
  // there (with --force) is untouched until all of them have passed.
  const staged: Array<{ tmp: string | Buffer; name: string; entry: AofFileModeReport['files'][number] }> = [];
  const temps: Array<string | Buffer> = [];
  try {
    for (let i = 0; i < source.files.length; i++) {
      const file = source.files[i];
      const tmp = tempName(at, file.name);
      temps.push(tmp);
      const done = await stageFile(source, file, { last: i === source.files.length - 1, spool: true, spoolPath: tmp });
      await fsyncPath(tmp);
      staged.push({ tmp, name: file.name, entry: { name: file.name, type: file.type, bytes: done.bytes, sha256: done.sha256 } });
    }
    if (manifest !== null) {
      const file = source.manifest!;
      const tmp = tempName(at, file.name);
      temps.push(tmp);
      const fd = await open(tmp, 'wx');
      try {
        await fd.writeFile(manifest.bytes);
        await fd.sync();
      } finally {
        await fd.close();
      }
      staged.push({ tmp, name: file.name, entry: { name: file.name, type: 'manifest', bytes: manifest.bytes.length, sha256: manifest.sha256 } });
    }
    // All verified. The old manifest goes first: from here on the directory is not a
    // loadable AOF until the new manifest, renamed last, names complete files.
    if (multi) for (const name of existing.filter((n) => n.endsWith('.manifest'))) await rm(at(name), { force: true });
    for (const s of staged) await rename(s.tmp, at(s.name));
    await fsyncPath(outDir);
  } finally {
    for (const t of temps) await rm(t, { force: true });
  }
  const written = staged.map((s) => s.entry);
  // Files of the replaced AOF that the new manifest does not name.
  if (multi && existing.length > 0) {
    const keep = new Set(written.map((w) => w.name));
    for (const name of existing) if (!keep.has(name)) await rm(at(name), { recursive: true, force: true });
  }
  const appendfilename = multi ? source.manifest!.name.replace(/\.manifest$/, '') : source.files[0].name;
  return {
    mode: 'file',
    source: source.description,
    path,
    files: written,
    startWith: `redis-server --dir ${dataDir} --appendonly yes${multi ? ` --appenddirname ${dirName}` : ''} --appendfilename ${appendfilename}`,
  };
}
