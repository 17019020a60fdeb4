import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { missingParts, resolveAofSet } from '../../aof/read-set';
import { AofSource, AofSourceFile } from './source';

/**
 * An AOF on the local disk: a Redis data directory, an appendonlydir, a manifest,
 * or an old single appendonly.aof (see locateAof). Nothing records its checksums:
 * the restore hashes each file in its first read and the second read must match.
 */
export async function localAofSource(path: string, options: { engine?: 'redis' | 'valkey' } = {}): Promise<AofSource> {
  const set = await resolveAofSet(path);
  if (set.missing.length > 0) throw missingParts(set);
  const paths = new Map<AofSourceFile, string | Buffer>();
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
    async open(file: AofSourceFile): Promise<Readable> {
      const p = paths.get(file);
      if (p === undefined) throw new Error(`${file.name} is not a file of ${path}`);
      const stream = createReadStream(p, { highWaterMark: 256 << 10 });
      await new Promise<void>((resolve, reject) => stream.once('open', () => resolve()).once('error', reject));
      return stream;
    },
  };
}
