import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { missingParts, resolveAofSet } from '../../aof/read-set';
import { AofRestoreError } from './errors';
import { AofSource, AofSourceFile } from './source';

function changed(file: AofSourceFile, how: string): AofRestoreError {
  return new AofRestoreError('AOF_RESTORE_INTEGRITY', `${file.name} ${how} after it was verified (the AOF changed during the restore). Nothing from ${file.name} was written; restore from a copy that does not change (stop the server's rewrites, or back it up first)`, { file: file.name });
}

/**
 * An AOF on the local disk: a Redis data directory, an appendonlydir, a manifest,
 * or an old single appendonly.aof (see locateAof). Nothing records its checksums:
 * the restore hashes each file in its first read and the second read must match.
 * The second read (the replay) is bounded to the bytes the first read verified (a
 * live AOF grows meanwhile) and refused when the file was replaced (another inode)
 * or shortened; a change inside the verified bytes is found by the hash at the end.
 */
export async function localAofSource(path: string, options: { engine?: 'redis' | 'valkey' } = {}): Promise<AofSource> {
  const set = await resolveAofSet(path);
  if (set.missing.length > 0) throw missingParts(set);
  const paths = new Map<AofSourceFile, string | Buffer>();
  const inodes = new Map<AofSourceFile, number>();
  const files = set.parts.map((p) => {
    const f: AofSourceFile = { name: p.name, type: p.type, seq: p.seq, sha256: null, bytes: null };
    paths.set(f, p.path);
    return f;
  });
  const layout = set.layout;
  let manifest: AofSourceFile | null = null;
  if (layout.kind === 'multi-part') {
    manifest = { name: layout.manifestName, type: 'manifest', seq: null, sha256: set.manifestSha256, bytes: null };
    paths.set(manifest, layout.manifestPath);
  }
  return {
    description: layout.kind === 'multi-part' ? layout.manifestPath : layout.path,
    layout: layout.kind,
    dirName: layout.kind === 'multi-part' ? (layout.dir.split('/').filter((s) => s !== '').pop() ?? null) : null,
    manifest,
    files,
    hasTimestamps: null,
    engine: options.engine ?? 'redis',
    rereadable: true,
    async open(file: AofSourceFile, again?: { bytes: number }): Promise<Readable> {
      const p = paths.get(file);
      if (p === undefined) throw new Error(`${file.name} is not a file of ${path}`);
      if (again?.bytes === 0) return Readable.from([]);
      const handle = await open(p, 'r');
      let info;
      try {
        info = await handle.stat();
      } catch (e) {
        await handle.close();
        throw e;
      }
      // The file first read, its inode noted; the replay reads the same file, no further than verified.
      const seen = inodes.get(file);
      if (again === undefined) inodes.set(file, info.ino);
      else if ((seen !== undefined && seen !== info.ino) || info.size < again.bytes) {
        await handle.close();
        throw changed(file, seen !== undefined && seen !== info.ino ? 'was replaced by another file' : `is now ${info.size} bytes, shorter than the ${again.bytes} verified`);
      }
      const stream = handle.createReadStream({ highWaterMark: 256 << 10, end: again ? again.bytes - 1 : undefined });
      return stream;
    },
  };
}
