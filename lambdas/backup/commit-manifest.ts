import { CatalogError } from '../catalog/errors';
import { manifestKey } from '../store/layout';
import { SnapshotStore } from '../store/store';

/**
 * Commits a snapshot: creates its manifest.json with a conditional create, the
 * last write of every backup. An existing manifest is never replaced.
 */
export async function commitManifest(store: SnapshotStore, source: string, snapshotId: string, manifest: object): Promise<void> {
  const committed = await store.putIfAbsent(manifestKey(source, snapshotId), Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), 'application/json');
  if (!committed) {
    throw new CatalogError('CATALOG_COMMIT_CONFLICT', `A manifest for snapshot ${snapshotId} already exists in ${store.url}; not overwriting it`, { source, snapshotId });
  }
}
