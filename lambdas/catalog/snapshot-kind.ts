import { AofSnapshotManifest } from './aof-manifest';
import { CatalogError } from './errors';
import { SnapshotManifest } from './manifest';

/** The manifest of a committed snapshot of either kind. */
export type AnySnapshotManifest = SnapshotManifest | AofSnapshotManifest;

export function isAofManifest(m: AnySnapshotManifest): m is AofSnapshotManifest {
  return m.kind === 'aof';
}

export function isRdbManifest(m: AnySnapshotManifest): m is SnapshotManifest {
  return m.kind === 'rdb';
}

/** The manifest as an RDB snapshot's; CATALOG_WRONG_KIND (saying what to do instead) for an AOF snapshot. */
export function requireRdbManifest(m: AnySnapshotManifest, action: string): SnapshotManifest {
  if (isRdbManifest(m)) return m;
  throw new CatalogError(
    'CATALOG_WRONG_KIND',
    `Snapshot ${m.snapshotId} of ${m.source} is an AOF snapshot (kind aof), and ${action} takes an RDB snapshot: pick an RDB snapshot ('redis-backup list' shows the kind of each), or use the AOF restore for this one`,
    { source: m.source, snapshotId: m.snapshotId },
  );
}

/** The manifest as an AOF snapshot's; CATALOG_WRONG_KIND for an RDB snapshot. */
export function requireAofManifest(m: AnySnapshotManifest, action: string): AofSnapshotManifest {
  if (isAofManifest(m)) return m;
  throw new CatalogError(
    'CATALOG_WRONG_KIND',
    `Snapshot ${m.snapshotId} of ${m.source} is an RDB snapshot (kind rdb), and ${action} takes an AOF snapshot: pick an AOF snapshot ('redis-backup list' shows the kind of each)`,
    { source: m.source, snapshotId: m.snapshotId },
  );
}

/** Raw bytes of a snapshot (every file of an AOF snapshot). */
export function rawBytesOf(m: AnySnapshotManifest): number {
  return m.raw.bytes;
}

/** Keys of an RDB snapshot; for an AOF snapshot the keys of its base's RDB preamble (incr commands are not counted), or null. */
export function keysOf(m: AnySnapshotManifest): number | null {
  return isAofManifest(m) ? m.baseKeys : m.keys.total;
}
