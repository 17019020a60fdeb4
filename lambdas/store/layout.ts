/**
 * The store layout, a public contract (docs/store-layout.md):
 *
 *   <source>/snapshots/<snapshotId>/data.rdb.zst    the RDB as independent zstd frames, one per chunk
 *   <source>/snapshots/<snapshotId>/manifest.json   written last: the snapshot exists iff this exists
 *   <source>/lock.json                              per-source capture lock (with an expiry)
 *   <source>/restores/<restoreId>/...               restore records and checkpoints
 */

export const MANIFEST_NAME = 'manifest.json';
export const RDB_DATA_NAME = 'data.rdb.zst';
export const LOCK_NAME = 'lock.json';

const SOURCE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Source names become path segments: letters, digits, '.', '_' and '-', at most 128 characters. */
export function isValidSourceName(name: string): boolean {
  return SOURCE_NAME.test(name) && name !== '.' && name !== '..';
}

export function sourcePrefix(source: string): string {
  return `${source}/`;
}

export function snapshotsPrefix(source: string): string {
  return `${source}/snapshots/`;
}

export function snapshotPrefix(source: string, snapshotId: string): string {
  return `${source}/snapshots/${snapshotId}/`;
}

export function manifestKey(source: string, snapshotId: string): string {
  return `${snapshotPrefix(source, snapshotId)}${MANIFEST_NAME}`;
}

export function dataKey(source: string, snapshotId: string, name = RDB_DATA_NAME): string {
  return `${snapshotPrefix(source, snapshotId)}${name}`;
}

export function lockKey(source: string): string {
  return `${source}/${LOCK_NAME}`;
}

export function restorePrefix(source: string, restoreId: string): string {
  return `${source}/restores/${restoreId}/`;
}

/** Splits `<source>/snapshots/<id>/<name>` into its parts, or null for other keys. */
export function parseSnapshotKey(key: string): { source: string; snapshotId: string; name: string } | null {
  const m = /^([^/]+)\/snapshots\/([^/]+)\/(.+)$/.exec(key);
  return m ? { source: m[1], snapshotId: m[2], name: m[3] } : null;
}
