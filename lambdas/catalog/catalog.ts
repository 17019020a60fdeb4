import { dataKey, manifestKey, MANIFEST_NAME, parseSnapshotKey, snapshotsPrefix } from '../store/layout';
import { SnapshotStore } from '../store/store';
import { CatalogError } from './errors';
import { SnapshotManifest } from './manifest';
import { snapshotIdTime } from './snapshot-id';
import { AnySnapshotManifest, isAofManifest, requireRdbManifest } from './snapshot-kind';
import { parseManifest } from './validate-manifest';

export interface SnapshotListing {
  snapshotId: string;
  /** 'committed': the manifest exists; 'incomplete': data without a manifest (a run in progress, or one that failed). */
  status: 'committed' | 'incomplete';
  takenAt: Date;
  /** Null for incomplete snapshots; either kind (rdb or aof) for committed ones. */
  manifest: AnySnapshotManifest | null;
  /** Bytes stored under the snapshot's folder. */
  storedBytes: number;
}

/** Sources that have snapshots in the store, sorted. */
export async function listSources(store: SnapshotStore): Promise<string[]> {
  const sources = new Set<string>();
  for await (const obj of store.list('')) {
    const parsed = parseSnapshotKey(obj.key);
    if (parsed) sources.add(parsed.source);
  }
  return [...sources].sort();
}

/** Every snapshot of a source, newest first, committed and incomplete. */
export async function listSnapshots(store: SnapshotStore, source: string): Promise<SnapshotListing[]> {
  const groups = new Map<string, { hasManifest: boolean; bytes: number; lastModified: Date }>();
  for await (const obj of store.list(snapshotsPrefix(source))) {
    const parsed = parseSnapshotKey(obj.key);
    if (!parsed || parsed.source !== source) continue;
    const g = groups.get(parsed.snapshotId) ?? { hasManifest: false, bytes: 0, lastModified: obj.lastModified };
    if (parsed.name === MANIFEST_NAME) g.hasManifest = true;
    g.bytes += obj.size;
    if (obj.lastModified > g.lastModified) g.lastModified = obj.lastModified;
    groups.set(parsed.snapshotId, g);
  }
  const out: SnapshotListing[] = [];
  for (const [snapshotId, g] of groups) {
    const manifest = g.hasManifest ? await readSnapshotManifest(store, source, snapshotId) : null;
    const takenAt = manifest ? new Date(manifest.startedAt) : (snapshotIdTime(snapshotId) ?? g.lastModified);
    out.push({ snapshotId, status: manifest ? 'committed' : 'incomplete', takenAt, manifest, storedBytes: g.bytes });
  }
  return out.sort((a, b) => (a.snapshotId < b.snapshotId ? 1 : a.snapshotId > b.snapshotId ? -1 : 0));
}

/** A committed snapshot's manifest, of either kind (narrow with isAofManifest / isRdbManifest). */
export async function readSnapshotManifest(store: SnapshotStore, source: string, snapshotId: string): Promise<AnySnapshotManifest> {
  const key = manifestKey(source, snapshotId);
  const bytes = await store.get(key);
  if (bytes === null) {
    throw new CatalogError('CATALOG_SNAPSHOT_NOT_FOUND', `No committed snapshot ${snapshotId} of source ${source} in ${store.url} (run 'redis-backup list' to see the snapshots)`, { source, snapshotId });
  }
  const manifest = parseManifest(bytes, `${store.url} ${key}`);
  if (manifest.snapshotId !== snapshotId || manifest.source !== source) {
    throw new CatalogError('CATALOG_BAD_MANIFEST', `The manifest at ${key} describes snapshot ${manifest.snapshotId} of ${manifest.source}`, { source, snapshotId, where: key });
  }
  return manifest;
}

/** An RDB snapshot's manifest; CATALOG_WRONG_KIND for an AOF snapshot. */
export async function readManifest(store: SnapshotStore, source: string, snapshotId: string): Promise<SnapshotManifest> {
  return requireRdbManifest(await readSnapshotManifest(store, source, snapshotId), 'this operation');
}

/** Which snapshot: an id, 'latest', or the newest taken at or before a time. */
export type SnapshotSelector = string | { before: Date };

/** Resolves a selector to a committed snapshot's manifest, of either kind (narrow with isAofManifest / requireRdbManifest). */
export async function resolveSnapshot(store: SnapshotStore, source: string, selector: SnapshotSelector): Promise<AnySnapshotManifest> {
  if (typeof selector === 'string' && selector !== 'latest') return readSnapshotManifest(store, source, selector);
  const committed = (await listSnapshots(store, source)).filter((s) => s.manifest !== null);
  const candidates = typeof selector === 'string' ? committed : committed.filter((s) => s.takenAt.getTime() <= selector.before.getTime());
  const chosen = candidates[0];
  if (chosen === undefined || chosen.manifest === null) {
    const when = typeof selector === 'string' ? '' : ` taken at or before ${selector.before.toISOString()}`;
    throw new CatalogError('CATALOG_NO_SNAPSHOTS', `No committed snapshot of source ${source}${when} in ${store.url}`, { source });
  }
  return chosen.manifest;
}

/** The objects of a committed snapshot besides its manifest.json. */
export function snapshotObjects(manifest: AnySnapshotManifest): string[] {
  const { source, snapshotId } = manifest;
  if (isAofManifest(manifest)) return manifest.files.map((f) => dataKey(source, snapshotId, f.object));
  return [dataKey(source, snapshotId, manifest.stored.object)];
}

/**
 * Deletes a snapshot of either kind: the manifest first (so the snapshot stops
 * existing at once), then its data objects. Refuses while S3 Object Lock retains
 * one of its objects.
 */
export async function deleteSnapshot(store: SnapshotStore, source: string, snapshotId: string): Promise<void> {
  const manifest = await readSnapshotManifest(store, source, snapshotId);
  const keys = [manifestKey(source, snapshotId), ...snapshotObjects(manifest)];
  for (const key of keys) {
    const until = await store.retainedUntil(key);
    if (until !== null && until.getTime() > Date.now()) {
      throw new CatalogError('CATALOG_RETAINED', `Snapshot ${snapshotId} is under S3 Object Lock until ${until.toISOString()} and cannot be deleted before then`, { source, snapshotId });
    }
  }
  await store.delete([keys[0]]);
  await store.delete(keys.slice(1));
}
