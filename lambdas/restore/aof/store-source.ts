import { Readable } from 'node:stream';
import { AofSnapshotFile, AofSnapshotManifest } from '../../catalog/aof-manifest';
import { resolveSnapshot, SnapshotSelector } from '../../catalog/catalog';
import { isAofManifest } from '../../catalog/snapshot-kind';
import { dataKey } from '../../store/layout';
import { SnapshotStore } from '../../store/store';
import { AofRestoreError } from './errors';
import { AofSource, AofSourceFile } from './source';
import { ZstdFramesDecoder } from './zstd-frames';

/**
 * The AOF snapshot a selector names, or null when it names an RDB snapshot (the
 * catalog validates either kind against the manifest schema).
 */
export async function findAofSnapshot(store: SnapshotStore, source: string, selector: SnapshotSelector): Promise<AofSnapshotManifest | null> {
  const manifest = await resolveSnapshot(store, source, selector);
  return isAofManifest(manifest) ? manifest : null;
}

const sourceFile = (f: AofSnapshotFile): AofSourceFile => ({ name: f.name, type: f.type, seq: f.seq, sha256: f.raw.sha256, bytes: f.raw.bytes });

/** A stored AOF snapshot: each file an object `aof/<file>.zst` (zstd), checked against the manifest's raw SHA-256. */
export function storeAofSource(store: SnapshotStore, manifest: AofSnapshotManifest): AofSource {
  const objects = new Map<AofSourceFile, string>();
  let manifestFile: AofSourceFile | null = null;
  const files: AofSourceFile[] = [];
  for (const f of manifest.files) {
    const file = sourceFile(f);
    objects.set(file, dataKey(manifest.source, manifest.snapshotId, f.object));
    if (f.type === 'manifest') manifestFile = file;
    else files.push(file);
  }
  const layout = manifest.aof.layout;
  if ((layout === 'multi-part') !== (manifestFile !== null) || files.length === 0) {
    throw new AofRestoreError('AOF_RESTORE_BAD_REQUEST', `The manifest of AOF snapshot ${manifest.snapshotId} is inconsistent (layout ${layout}, ${files.length} AOF files${manifestFile ? ' and an AOF manifest' : ''}): run 'redis-backup verify ${manifest.snapshotId}'`);
  }
  return {
    description: `${store.url} ${manifest.source}/${manifest.snapshotId}`,
    layout,
    dirName: manifest.aof.dirName,
    manifest: manifestFile,
    files,
    hasTimestamps: manifest.aof.timestamps !== null,
    engine: manifest.server?.engine ?? 'redis',
    rereadable: false,
    async open(file: AofSourceFile): Promise<Readable> {
      const key = objects.get(file);
      if (key === undefined) throw new Error(`${file.name} is not a file of snapshot ${manifest.snapshotId}`);
      let body: Readable;
      try {
        body = await store.getStream(key);
      } catch (e) {
        throw new AofRestoreError('AOF_RESTORE_READ_FAILED', `Cannot read ${key} from ${store.url}: ${(e as Error).message}. Nothing from ${file.name} was written`, { file: file.name }, { cause: e });
      }
      const decoder = new ZstdFramesDecoder();
      body.on('error', (e) => decoder.destroy(e));
      return body.pipe(decoder);
    },
  };
}
