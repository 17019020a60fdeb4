import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { zstdCompressSync } from 'node:zlib';
import { AofReader } from '../../lambdas/aof';
import { resolveAofSet } from '../../lambdas/aof/read-set';
import { aofObjectName, AofSnapshotFile, AofSnapshotManifest } from '../../lambdas/catalog/aof-manifest';
import { newSnapshotId } from '../../lambdas/catalog/snapshot-id';
import { dataKey, manifestKey } from '../../lambdas/store/layout';
import { SnapshotStore } from '../../lambdas/store/store';

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** `data` as zstd: one frame, or `frames` frames cut at equal sizes with a skippable frame between the first two. */
export function zstd(data: Buffer, frames = 1): Buffer {
  if (frames <= 1 || data.length < frames) return zstdCompressSync(data);
  const size = Math.ceil(data.length / frames);
  const out: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) {
    out.push(zstdCompressSync(data.subarray(i, i + size)));
    if (i === 0) out.push(Buffer.from([0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 1, 2, 3]));
  }
  return Buffer.concat(out);
}

/**
 * Stores the AOF at `path` as an AOF snapshot exactly as lambdas/catalog/aof-manifest.ts
 * lays it out (what the capture engineer's import writes): each file one object
 * aof/<file>.zst, the AOF manifest too, manifest.json last. Small test AOFs are read
 * whole. `frames` > 1 stores the incr files as several zstd frames.
 */
export async function storeAofSnapshot(store: SnapshotStore, source: string, path: string, options: { frames?: number; engine?: 'redis' | 'valkey' } = {}): Promise<AofSnapshotManifest> {
  const set = await resolveAofSet(path);
  const snapshotId = newSnapshotId();
  const files: AofSnapshotFile[] = [];
  let rdbVersion: number | null = null;
  let first: number | null = null;
  let last: number | null = null;
  const put = async (name: string, type: AofSnapshotFile['type'], seq: number | null, raw: Buffer, format: AofSnapshotFile['format'], commands: number, ts: AofSnapshotFile['timestamps']): Promise<void> => {
    const stored = zstd(raw, type === 'incr' ? (options.frames ?? 1) : 1);
    const object = aofObjectName(name);
    await store.put(dataKey(source, snapshotId, object), stored);
    files.push({ name, type, seq, object, format, raw: { bytes: raw.length, sha256: sha256(raw) }, stored: { bytes: stored.length, sha256: sha256(stored) }, commands, timestamps: ts });
  };
  if (set.layout.kind === 'multi-part') await put(set.layout.manifestName, 'manifest', null, readFileSync(set.layout.manifestPath), 'text', 0, null);
  for (const part of set.parts) {
    const raw = readFileSync(part.path);
    let ts: AofSnapshotFile['timestamps'] = null;
    const reader = new AofReader({
      format: part.type === 'incr' ? 'resp' : 'auto',
      onRecord: (r) => {
        if (r.kind === 'timestamp') ts = { first: ts?.first ?? r.seconds, last: r.seconds };
      },
    });
    reader.write(raw);
    const result = reader.end();
    if (result.rdb) rdbVersion = result.rdb.version;
    const t = ts as AofSnapshotFile['timestamps'];
    if (t !== null) {
      first ??= t.first;
      last = t.last;
    }
    await put(part.name, part.type, part.seq, raw, result.format, result.commands, t);
  }
  const now = new Date().toISOString();
  const manifest: AofSnapshotManifest = {
    formatVersion: 1,
    kind: 'aof',
    snapshotId,
    source,
    method: 'import',
    endpoint: null,
    importedFrom: path,
    startedAt: now,
    finishedAt: now,
    timings: { firstByteMs: 0, totalMs: 0 },
    server: { engine: options.engine ?? 'redis', version: '7.0.0', role: null },
    aof: {
      layout: set.layout.kind,
      dirName: set.layout.kind === 'multi-part' ? set.layout.dir.split('/').pop()! : null,
      manifestName: set.layout.kind === 'multi-part' ? set.layout.manifestName : null,
      rdbVersion,
      timestamps: first !== null && last !== null ? { first, last } : null,
    },
    baseKeys: null,
    files,
    raw: { bytes: files.reduce((n, f) => n + f.raw.bytes, 0) },
    stored: { bytes: files.reduce((n, f) => n + f.stored.bytes, 0), compression: { algorithm: 'zstd', level: 3 } },
    tool: { name: 'redis-backup', version: '0.1.0' },
  };
  await store.put(manifestKey(source, snapshotId), Buffer.from(JSON.stringify(manifest, null, 2)), 'application/json');
  return manifest;
}
