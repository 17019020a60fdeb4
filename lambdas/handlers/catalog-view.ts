/**
 * Catalog reads for the API and the freshness check that cost one listing plus
 * one manifest per snapshot shown, where listSnapshots reads every manifest.
 * (Candidates for lambdas/catalog: they only use its public pieces.)
 */
import { readSnapshotManifest, resolveSnapshot } from '../catalog/catalog';
import { CatalogError } from '../catalog/errors';
import { AnySnapshotManifest, keysOf } from '../catalog/snapshot-kind';
import { SnapshotManifest } from '../catalog/manifest';
import { snapshotIdTime } from '../catalog/snapshot-id';
import { MANIFEST_NAME, parseSnapshotKey, snapshotsPrefix } from '../store/layout';
import { SnapshotStore } from '../store/store';

export interface SnapshotFolder {
  snapshotId: string;
  committed: boolean;
  storedBytes: number;
  lastModified: Date;
}

/** Every snapshot folder of a source, newest first, from one listing. */
export async function snapshotFolders(store: SnapshotStore, source: string): Promise<SnapshotFolder[]> {
  const folders = new Map<string, SnapshotFolder>();
  for await (const obj of store.list(snapshotsPrefix(source))) {
    const parsed = parseSnapshotKey(obj.key);
    if (parsed === null || parsed.source !== source) continue;
    const f = folders.get(parsed.snapshotId) ?? { snapshotId: parsed.snapshotId, committed: false, storedBytes: 0, lastModified: obj.lastModified };
    if (parsed.name === MANIFEST_NAME) f.committed = true;
    f.storedBytes += obj.size;
    if (obj.lastModified > f.lastModified) f.lastModified = obj.lastModified;
    folders.set(parsed.snapshotId, f);
  }
  return [...folders.values()].sort((a, b) => (a.snapshotId < b.snapshotId ? 1 : a.snapshotId > b.snapshotId ? -1 : 0));
}

/** The newest committed snapshot's manifest (either kind), or null when the source has none. */
export async function newestCommitted(store: SnapshotStore, source: string): Promise<AnySnapshotManifest | null> {
  const newest = (await snapshotFolders(store, source)).find((f) => f.committed);
  return newest === undefined ? null : readSnapshotManifest(store, source, newest.snapshotId);
}

export interface SnapshotSummary {
  snapshotId: string;
  status: 'committed' | 'incomplete';
  takenAt: string;
  storedBytes: number;
  /** Committed snapshots only. */
  kind?: AnySnapshotManifest['kind'];
  finishedAt?: string;
  method?: SnapshotManifest['method'];
  keys?: number;
  rawBytes?: number;
  durationMs?: number;
  server?: SnapshotManifest['server'];
}

export function summarize(folder: SnapshotFolder, manifest: AnySnapshotManifest | null): SnapshotSummary {
  if (manifest === null) {
    const takenAt = snapshotIdTime(folder.snapshotId) ?? folder.lastModified;
    return { snapshotId: folder.snapshotId, status: 'incomplete', takenAt: takenAt.toISOString(), storedBytes: folder.storedBytes };
  }
  return {
    snapshotId: folder.snapshotId,
    status: 'committed',
    kind: manifest.kind,
    takenAt: manifest.startedAt,
    finishedAt: manifest.finishedAt,
    storedBytes: folder.storedBytes,
    method: manifest.method,
    keys: keysOf(manifest) ?? undefined,
    rawBytes: manifest.raw.bytes,
    durationMs: manifest.timings.totalMs,
    server: manifest.server,
  };
}

export interface SnapshotPage {
  snapshots: SnapshotSummary[];
  /** The id to continue after, or null on the last page. */
  nextAfter: string | null;
}

/** A page of snapshots, newest first: at most `limit`, older than `after` when given. */
export async function snapshotPage(store: SnapshotStore, source: string, options: { limit: number; after?: string }): Promise<SnapshotPage> {
  const { after } = options;
  const folders = (await snapshotFolders(store, source)).filter((f) => after === undefined || f.snapshotId < after);
  const page = folders.slice(0, options.limit);
  const snapshots = await Promise.all(page.map(async (f) => summarize(f, f.committed ? await readSnapshotManifest(store, source, f.snapshotId) : null)));
  return { snapshots, nextAfter: folders.length > page.length && page.length > 0 ? page[page.length - 1].snapshotId : null };
}

/** A restore request's snapshot, of either kind: an id, 'latest', or the newest taken at or before a time. Throws CatalogError when none matches. */
export async function resolveSelector(store: SnapshotStore, source: string, selector: string | { before: string }): Promise<AnySnapshotManifest> {
  if (selector === 'latest') {
    const newest = await newestCommitted(store, source);
    if (newest === null) throw new CatalogError('CATALOG_NO_SNAPSHOTS', `Source ${source} has no committed snapshot`, { source });
    return newest;
  }
  if (typeof selector === 'string') return readSnapshotManifest(store, source, selector);
  const before = new Date(selector.before);
  if (Number.isNaN(before.getTime())) throw new CatalogError('CATALOG_NO_SNAPSHOTS', `${JSON.stringify(selector.before)} is not a time`, { source });
  return resolveSnapshot(store, source, { before });
}
