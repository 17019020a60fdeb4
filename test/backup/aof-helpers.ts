import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zstdDecompressSync } from 'node:zlib';
import { AofSnapshotManifest } from '../../lambdas/catalog/aof-manifest';
import { dataKey, snapshotsPrefix } from '../../lambdas/store/layout';
import { SnapshotStore } from '../../lambdas/store/store';

export const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

export async function keysUnder(store: SnapshotStore, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of store.list(prefix)) keys.push(o.key);
  return keys;
}

/** Every stored file of an AOF snapshot, decompressed, by name; checks both SHA-256s against the manifest. */
export async function storedFiles(store: SnapshotStore, m: AofSnapshotManifest): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const f of m.files) {
    const stored = await store.get(dataKey(m.source, m.snapshotId, f.object));
    if (stored === null) throw new Error(`${f.object} is missing`);
    expect({ name: f.name, bytes: stored.length, sha: sha256(stored) }).toEqual({ name: f.name, bytes: f.stored.bytes, sha: f.stored.sha256 });
    const raw = zstdDecompressSync(stored);
    expect({ name: f.name, bytes: raw.length, sha: sha256(raw) }).toEqual({ name: f.name, bytes: f.raw.bytes, sha: f.raw.sha256 });
    out.set(f.name, raw);
  }
  return out;
}

/** The original bytes of each file of an AOF directory (appendonlydir) or single file, by name. */
export function originalFiles(dir: string, m: AofSnapshotManifest): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const base = m.aof.layout === 'multi-part' ? join(dir, m.aof.dirName ?? 'appendonlydir') : dir;
  for (const f of m.files) out.set(f.name, readFileSync(join(base, f.name)));
  return out;
}

/** Nothing of a failed run is left: no objects, no incomplete uploads, no lock. */
export async function expectNothingLeft(store: SnapshotStore, source: string): Promise<void> {
  expect(await keysUnder(store, snapshotsPrefix(source))).toEqual([]);
  expect(await store.listIncomplete(snapshotsPrefix(source))).toEqual([]);
  expect(await keysUnder(store, `${source}/lock.json`)).toEqual([]);
}
